"""The export benches run end to end on a tiny project (their timings are never asserted)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.export.conftest import Sample

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
BENCH = BENCH_DIR / "export_bench.py"


def load(path: Path) -> Any:
    """A bench script by its path: ``import bench`` would find tests/bench, which pytest puts
    first on the path."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_runs_on_a_tiny_project(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load(BENCH)
    assert bench.main(["--highlights", "40", "--documents", "3", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["highlights"] == figures["rows"] == 40
    assert figures["per_tag_rows"] >= 40


def test_the_export_cases_plain_baseline_writes_the_same_file(
    sample: Sample, tmp_path: Path
) -> None:
    """The bench's ratio compares like with like: csv.writer over the same reads gives the
    very bytes write_csv gives (hostile quotes, tabs, formulas, pages, context included)."""
    from annotator.export.csv_export import CsvOptions, ExcerptFilter, write_csv
    plain_csv_export = load(BENCH_DIR / "export_baseline.py").plain_csv_export

    ours, plain = tmp_path / "ours.csv", tmp_path / "plain.csv"
    assert write_csv(sample.library, ours, ExcerptFilter(), CsvOptions()) == 7
    assert plain_csv_export(sample.library, plain) == 7
    assert plain.read_bytes() == ours.read_bytes()
    write_csv(sample.library, ours, ExcerptFilter(), CsvOptions(context_chars=0))
    plain_csv_export(sample.library, plain, context_chars=0)
    assert plain.read_bytes() == ours.read_bytes()
