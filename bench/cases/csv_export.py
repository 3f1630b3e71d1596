"""CSV export of every excerpt (``export.csv_export.write_csv`` with no filter, default
options), as the export dialog's "all excerpts" does. Five highlights per document, so the
20,000-document project holds the 100,000 excerpts the export issue names."""

from __future__ import annotations

import time

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "export"


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
        from annotator.export.csv_export import CsvOptions, ExcerptFilter, write_csv
    except ImportError as exc:
        return [Unavailable(NAME, f"CSV export not available: {exc}")]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.project(size)
        target = ctx.work / f"excerpts-n{size}.csv"
        seconds: list[float] = []
        rates: list[float] = []
        rows = 0
        with Library.open(folder, readonly=True) as library:
            # At about a millisecond a row (measured), 100,000 rows take minutes: once is enough.
            for _ in range(ctx.repeats_for(size, heavy=True)):
                started = time.perf_counter()
                rows = write_csv(library, target, ExcerptFilter(), CsvOptions())
                elapsed = time.perf_counter() - started
                seconds.append(elapsed)
                rates.append(rows / elapsed)
        megabytes = target.stat().st_size / 1e6
        target.unlink()
        note = f"{rows:,} rows, {megabytes:.1f} MB"
        results += [
            Figure(NAME, "all excerpts", size, "s", seconds,
                   target="< 5 s for 100,000 excerpts", note=note),
            Figure(NAME, "rate", size, "rows/s", rates, target=">= 20,000 rows/s",
                   higher_is_better=True),
        ]
    return results
