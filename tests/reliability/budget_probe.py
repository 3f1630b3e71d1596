"""Run as a child process: import one file with the default limits and print, as JSON, the
outcome, the CPU seconds and the memory (peak resident set) the import itself added."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(path: str) -> None:
    # Import every format's modules first: their own size is not the file's cost.
    from annotator.core.errors import ImportFailed
    from annotator.importers import read

    base_mb, base_cpu = _peak_mb(), _cpu()
    try:
        read(Path(path))
        outcome = "imported"
    except ImportFailed as exc:
        outcome = f"refused: {exc}"
    print(json.dumps({"outcome": outcome, "cpu_s": _cpu() - base_cpu,
                      "added_mb": _peak_mb() - base_mb}))


if __name__ == "__main__":
    main(sys.argv[1])
