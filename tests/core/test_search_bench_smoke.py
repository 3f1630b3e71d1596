"""The search benchmark still runs end to end (at a tiny size; its figures are not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "search_bench.py"


def test_search_bench_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--docs", "50", "--queries", "20", "--updates", "5",
         "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "apply one highlight" in result.stdout
    figures = json.loads(out.read_text())
    assert figures["docs"] == 50 and figures["highlights"] == 250
    assert {"all_ours_p95_ms", "all_fts5_p95_ms", "ours_docs_per_s", "apply_return_p50_ms"} <= figures.keys()
