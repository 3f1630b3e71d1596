"""CSV export (``export.csv_export.write_csv``) of every excerpt with the default options, as
the export dialog's "all excerpts" does; the same file written by a plain ``csv.writer`` over
the same reads (``bench/export_baseline.py``, byte-identical output) in the same run, reported
as a ratio as search and index are to FTS5; the per-tag layout; and an export filtered by a
search query (the most-tagged actor as ``actor:"…"``, which runs a search for every match).
Five highlights per document, so the 20,000-document project holds the 100,000 excerpts the
export issue names."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "export"


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
        from annotator.core.models import ACTOR
        from annotator.export.csv_export import CsvOptions, ExcerptFilter, write_csv
        from bench.export_baseline import plain_csv_export
    except ImportError as exc:
        return [Unavailable(NAME, f"CSV export not available: {exc}")]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.project(size)
        target = ctx.work / f"excerpts-n{size}.csv"
        with Library.open(folder, readonly=True) as library:
            actor = max(library.tags(ACTOR), key=lambda t: t.highlight_count, default=None)
            query = f'actor:"{actor.name}"' if actor else ""
            runs: dict[str, Callable[[], int]] = {
                "ours": lambda: write_csv(library, target, ExcerptFilter(), CsvOptions()),
                "plain": lambda: plain_csv_export(library, target),
                "per_tag": lambda: write_csv(library, target, ExcerptFilter(),
                                             CsvOptions(per_tag=True)),
            }
            if query:
                runs["query"] = lambda: write_csv(library, target, ExcerptFilter(query=query))
            seconds: dict[str, list[float]] = {key: [] for key in runs}
            rows: dict[str, int] = {}
            megabytes = 0.0
            # At tens of microseconds a row, 100,000 rows take seconds: --heavy-repeats says
            # how often at 5,000+ documents. Each repeat runs every variant, so they share load.
            for _ in range(ctx.repeats_for(size, heavy=True)):
                for key, action in runs.items():
                    started = time.perf_counter()
                    rows[key] = action()
                    seconds[key].append(time.perf_counter() - started)
                    if key == "ours":
                        megabytes = _mb(target)
        target.unlink(missing_ok=True)
        ours = seconds["ours"]
        results += [
            Figure(NAME, "all excerpts", size, "s", ours,
                   target="< 5 s for 100,000 excerpts",
                   note=f"{rows['ours']:,} rows, {megabytes:.1f} MB"),
            Figure(NAME, "rate", size, "rows/s", [rows["ours"] / s for s in ours],
                   target=">= 20,000 rows/s", higher_is_better=True),
            Figure(NAME, "plain csv.writer baseline", size, "s", seconds["plain"]),
            Figure(NAME, "all excerpts ours/plain", size, "x",
                   [o / p for o, p in zip(ours, seconds["plain"], strict=True)]),
            Figure(NAME, "per-tag layout", size, "s", seconds["per_tag"],
                   note=f"--per-tag: {rows['per_tag']:,} rows for {rows['ours']:,} excerpts"),
        ]
        if "query" in seconds:
            results.append(Figure(
                NAME, "query-filtered", size, "s", seconds["query"],
                note=f"--query '{query}': {rows['query']:,} rows (the search for every match "
                     "is part of the time)"))
    return results


def _mb(path: Path) -> float:
    return path.stat().st_size / 1e6
