"""REFI-QDA exchange (issue 16): ``write_qdpx`` of the cached project (five highlights per
document, so 5,000 documents carry the issue's 25,000 highlights), then ``import_refi`` of
that file into a new empty project, and the time until the imported text is searchable (the
index catches up in the background after the import's one commit)."""

from __future__ import annotations

import shutil
import time

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "refi"


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
        from annotator.export.refi_export import write_qdpx
        from annotator.importers.refi_import import import_refi
    except ImportError as exc:
        return [Unavailable(NAME, f"REFI-QDA exchange not available: {exc}")]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.project(size)
        target = ctx.work / f"project-n{size}.qdpx"
        export_s: list[float] = []
        import_s: list[float] = []
        searchable_s: list[float] = []
        summary = None
        highlights = 0
        for repeat in range(ctx.repeats_for(size, heavy=True)):
            with Library.open(folder, readonly=True) as library:
                started = time.perf_counter()
                summary = write_qdpx(library, target)
                export_s.append(time.perf_counter() - started)
            empty = ctx.work / f"refi-import-n{size}-{repeat}.annotator"
            shutil.rmtree(empty, ignore_errors=True)
            with Library.create(empty) as fresh:
                started = time.perf_counter()
                outcome = import_refi(fresh, target)
                import_s.append(time.perf_counter() - started)
                fresh.search("tariffs")  # waits for the queued index update
                searchable_s.append(time.perf_counter() - started)
                highlights = outcome.report.highlights
            shutil.rmtree(empty, ignore_errors=True)
        megabytes = target.stat().st_size / 1e6
        target.unlink(missing_ok=True)
        assert summary is not None
        results += [
            Figure(NAME, "export .qdpx", size, "s", export_s, target="<= 10 s at 5,000 documents",
                   note=f"{summary.documents:,} sources, {summary.highlights:,} selections, "
                        f"{megabytes:.1f} MB"),
            Figure(NAME, "import .qdpx", size, "s", import_s, target="<= 10 s at 5,000 documents",
                   note=f"{highlights:,} highlights into an empty project, one commit"),
            Figure(NAME, "import until searchable", size, "s", searchable_s,
                   note="the background index update finished"),
        ]
    return results
