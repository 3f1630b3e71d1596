"""The bench's growth table and repeat rules (no timing: figures here are made up).

``import bench`` inside the test suite finds this folder (pytest puts tests/ on the path), so
the bench modules are loaded by path or run in a subprocess from the checkout."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def load_stats() -> Any:
    path = REPO / "bench" / "stats.py"
    spec = importlib.util.spec_from_file_location("bench_stats", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_growth_adds_a_first_to_last_row_per_4x() -> None:
    stats = load_stats()
    figures = [stats.Figure("export", "all excerpts", size, "s", [seconds])
               for size, seconds in ((1_000, 0.25), (5_000, 1.2), (20_000, 4.8))]
    rows = {(g.small, g.large): g for g in stats.growth(figures)}
    assert set(rows) == {(1_000, 5_000), (5_000, 20_000), (1_000, 20_000)}
    span = rows[(1_000, 20_000)]
    assert round(span.ratio, 6) == round(4.8 / 0.25, 6)
    # 19.2x over 20x the documents: exponent log 19.2 / log 20, per 4x documents 4 ** that.
    assert math.isclose(span.exponent, math.log(19.2) / math.log(20))
    assert math.isclose(span.per_4x, 4 ** (math.log(19.2) / math.log(20)))
    assert 3.9 < span.per_4x < 4.0  # nearly linear, as the two steps say


def test_growth_with_two_sizes_has_no_extra_row() -> None:
    stats = load_stats()
    figures = [stats.Figure("search", "p95", size, "ms", [ms])
               for size, ms in ((1_000, 9.0), (20_000, 42.0))]
    assert [(g.small, g.large) for g in stats.growth(figures)] == [(1_000, 20_000)]


def test_heavy_repeats_apply_to_heavy_cases_on_big_projects(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from bench.run import parse_args\n"
        "from bench.context import BenchContext\n"
        "a = parse_args(sys.argv[1:])\n"
        "ctx = BenchContext(seed=1, sizes=a.sizes, quick=a.quick, tiny=False, cache=Path('.'),"
        " work=Path('.'), repeats=a.repeats, heavy_repeats=a.heavy_repeats)\n"
        "print(json.dumps([ctx.repeats_for(s, heavy=h) for s in a.sizes for h in (False, True)]))\n"
    )

    def repeats(*args: str) -> list[int]:
        proc = subprocess.run([sys.executable, "-c", script, *args], cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)},
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    # sizes 1,000 and 20,000: (light, heavy) for each
    assert repeats("--sizes", "1000,20000") == [3, 3, 3, 1]
    assert repeats("--sizes", "1000,20000", "--heavy-repeats", "3") == [3, 3, 3, 3]
    assert repeats("--sizes", "1000,20000", "--repeats", "5", "--heavy-repeats", "2") == [
        5, 5, 5, 2]
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--heavy-repeats", "0"], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "--heavy-repeats" in proc.stderr
