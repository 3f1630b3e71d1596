"""Index build: ``Library.reindex`` of the whole project (documents and highlights), as
``annotator reindex`` and the repair of a stale index do; throughput in documents/s. The
SQLite FTS5 baseline's build over the same records (timed by the search case in this run) is
reported beside it as a ratio."""

from __future__ import annotations

import time
from pathlib import Path

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "index"


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import INDEX_DIR, Library
    except ImportError as exc:
        return [Unavailable(NAME, f"Library.reindex not available: {exc}")]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.work_copy(size)
        seconds: list[float] = []
        with Library.open(folder) as library:
            records = sum(library.counts()[k] for k in ("documents", "highlights"))
            for _ in range(ctx.repeats_for(size, heavy=True)):
                ctx.log(f"  reindex of {size} documents")
                started = time.perf_counter()
                library.reindex(processes=2)  # as the CLI does
                seconds.append(time.perf_counter() - started)
        index_mb = _mb(folder / INDEX_DIR)
        note = f"{records:,} records (documents + highlights), index {index_mb:.0f} MB"
        results += [
            Figure(NAME, "build (reindex)", size, "s", seconds, note=note),
            Figure(NAME, "build rate", size, "docs/s", [size / s for s in seconds],
                   higher_is_better=True),
        ]
        fts5 = ctx.baselines.get(("fts5_build_s", size))
        if fts5:
            results.append(Figure(NAME, "build time ours/FTS5", size, "x",
                                  [s / fts5 for s in seconds],
                                  note=f"FTS5 built the same records in {fts5:.1f} s"))
    return results


def _mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
