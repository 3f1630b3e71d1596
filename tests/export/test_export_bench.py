"""The export bench runs end to end on a tiny project (its timings are never asserted)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "export_bench.py"


def test_bench_runs_on_a_tiny_project(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("export_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--highlights", "40", "--documents", "3", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["highlights"] == figures["rows"] == 40
    assert figures["per_tag_rows"] >= 40
