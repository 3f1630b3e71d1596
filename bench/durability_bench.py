"""What SQLite's ``synchronous=FULL`` costs a tag compared with ``NORMAL``.

Run: ``python -m bench.durability_bench [--tags N] [--folder DIR]``. Each mode runs in its own
process (the mode is read when the engine is made) on a fresh project of 200 documents in
``--folder`` (default: a temporary folder; put it on the disk whose cost you want to know)
and prints add_highlight p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, sys, time
from pathlib import Path
from annotator.core.library import Library
from annotator.importers.base import Extracted
folder, tags = Path(sys.argv[1]), int(sys.argv[2])
with Library.create(folder) as library:
    for n in range(200):
        library.add_document(Extracted(text=f"Document {n} " + "tariff talks " * 400,
                                       format="txt", title=f"D{n}"))
    times = []
    for n in range(tags):
        started = time.perf_counter()
        library.add_highlight(n % 200 + 1, 20, 60, new_tags=[("topic", f"t{n % 30}")])
        times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({"p50": times[len(times) // 2], "p95": times[int(len(times) * 0.95)]}))
"""


def measure(mode: str, folder: Path, tags: int) -> dict[str, float]:
    env = {**os.environ, "ANNOTATOR_SQLITE_SYNCHRONOUS": mode}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(tags)], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tags", type=int, default=300)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    base = args.folder or Path(tempfile.mkdtemp(prefix="durability-"))
    stamp = time.strftime("%H%M%S")
    for mode in ("NORMAL", "FULL", "NORMAL", "FULL"):
        result = measure(mode, base / f"{mode}-{stamp}-{time.monotonic_ns()}.annotator", args.tags)
        print(f"synchronous={mode:<6} add_highlight p50 {result['p50']:.2f} ms  "
              f"p95 {result['p95']:.2f} ms", flush=True)


if __name__ == "__main__":
    main()
