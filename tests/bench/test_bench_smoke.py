"""The benchmark command runs end to end at a tiny size and writes well-formed JSON.

Only that: benchmarks never run in the test suite at real sizes, and no time is asserted
(this machine is shared and noisy). A subprocess, as ``scripts/bench`` and BENCHMARKS.md run
it (``python -m bench.run``), so the Qt probes and the re-exec guard are exercised the same way.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIGURE_KEYS = {"case", "name", "size", "unit", "min", "median", "max", "repeats", "samples"}


def test_bench_runs_at_a_tiny_size_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--sizes", "12,20",
         "--cache", str(tmp_path / "cache"), "--out", str(out)],
        cwd=REPO, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| case | figure |" in proc.stdout

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["sizes"] == [12, 20]
    assert {"cpu_model", "cores", "ram_gb", "python", "platform"} <= document["machine"].keys()
    packages = {"PySide6", "SQLAlchemy", "whoosh", "pypdf", "trafilatura"}
    assert packages <= document["packages"].keys()
    assert set(document["projects"]) == {"12", "20"}
    assert document["figures"], "no case produced a figure"
    names = {(f["case"], f["name"]) for f in document["figures"]}
    assert {("export", "all excerpts"), ("export", "plain csv.writer baseline"),
            ("export", "all excerpts ours/plain"), ("export", "per-tag layout"),
            ("export", "query-filtered")} <= names
    for figure in document["figures"]:
        assert FIGURE_KEYS <= figure.keys()
        assert len(figure["samples"]) == figure["repeats"] >= 1
        assert all(math.isfinite(s) for s in figure["samples"])
        assert figure["min"] <= figure["median"] <= figure["max"]
    for missing in document["unavailable"]:
        assert missing["reason"]
    # Two sizes, so every per-size figure has a growth entry.
    assert document["growth"]
    for entry in document["growth"]:
        assert entry["from"] == 12 and entry["to"] == 20
        assert math.isfinite(entry["per_4x"])

