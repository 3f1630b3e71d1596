"""Import throughput per format: ``importers.batch.import_paths`` of a sample of generated
.txt/.html/.pdf articles into a fresh project (read, extract, store, copy the original and
update the search index, as the GUI and CLI import do). Reported in documents/s and MB/s of
source files, and in CPU milliseconds per document (this process's and its reader workers'):
on a shared machine the throughput follows the load, the CPU cost much less. Independent of
the project sizes, so measured once per run."""

from __future__ import annotations

import shutil
import time

from bench.context import BenchContext
from bench.corpus_files import FORMATS, write_files
from bench.stats import Figure, Result, Unavailable

NAME = "import"
# Files per format: PDFs cost the most to generate and read, so fewer of them.
SAMPLE = {"txt": 60, "html": 60, "pdf": 30}
QUICK_SAMPLE = {"txt": 12, "html": 12, "pdf": 6}
TINY_SAMPLE = {"txt": 3, "html": 3, "pdf": 2}


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
        from annotator.importers.batch import import_paths
    except ImportError as exc:
        return [Unavailable(NAME, f"importers not available: {exc}")]
    sample = TINY_SAMPLE if ctx.tiny else QUICK_SAMPLE if ctx.quick else SAMPLE
    results: list[Result] = []
    for fmt in FORMATS:
        if fmt == "pdf":
            try:
                import fpdf  # noqa: F401 - only to say why PDFs cannot be generated
            except ImportError:
                results.append(Unavailable(f"{NAME}.pdf", "fpdf2 (test extra) not installed"))
                continue
        folder = ctx.cache / "files" / f"seed{ctx.seed}" / fmt
        files = write_files(folder, ctx.seed, fmt, sample[fmt])
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        docs_per_s: list[float] = []
        mb_per_s: list[float] = []
        cpu_ms: list[float] = []
        failures: set[str] = set()
        for repeat in range(ctx.repeats):
            project = ctx.work / f"import-{fmt}-{repeat}"
            shutil.rmtree(project, ignore_errors=True)
            with Library.create(project) as library:
                started, cpu_started, readers_started = (
                    time.perf_counter(), time.process_time(), _reader_cpu())
                outcomes = list(import_paths(library, files))
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu_started + _reader_cpu() - readers_started
            shutil.rmtree(project, ignore_errors=True)
            imported = sum(1 for o in outcomes if o.status == "imported")
            failures.update(
                f"{o.path.name}: {o.message}" for o in outcomes if o.status != "imported"
            )
            docs_per_s.append(imported / seconds)
            mb_per_s.append(megabytes / seconds)
            cpu_ms.append(1000 * cpu / max(imported, 1))
        note = f"{len(files)} files, {megabytes:.2f} MB, into a fresh project"
        if failures:
            note += f"; {len(failures)} not imported, e.g. {sorted(failures)[0]}"
        results.append(Figure(f"{NAME}.{fmt}", "throughput", None, "docs/s", docs_per_s,
                              higher_is_better=True, note=note))
        results.append(Figure(f"{NAME}.{fmt}", "throughput", None, "MB/s", mb_per_s,
                              higher_is_better=True, note=note))
        results.append(Figure(f"{NAME}.{fmt}", "CPU per document", None, "ms", cpu_ms,
                              note=note + "; this process and its reader workers"))
    return results


def _reader_cpu() -> float:
    """CPU seconds the import's reader workers spent so far (0 where they do not exist)."""
    try:
        from annotator.importers import parallel
    except ImportError:
        return 0.0
    return float(getattr(parallel, "reader_cpu_seconds", 0.0))

