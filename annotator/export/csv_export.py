"""Export tagged excerpts to a CSV file that opens cleanly in Excel, LibreOffice, R and pandas.

One row per highlight (or per highlight x tag with ``CsvOptions.per_tag``), in reading order:
document, then position. Columns are ``COLUMNS``; docs/export.md is the user-facing contract.
Reads through the ``Library`` facade, and for an export of ``PARALLEL_FROM`` excerpts or more
on a local project through the plan the facade makes (``Library.excerpt_plan``), which this
process and worker processes read straight from the SQLite file (``csv_parallel``); never
imports Qt, SQLAlchemy or Whoosh. Safe to run off the GUI thread: it only reads the library and
writes its own temporary file (and the workers their part files beside it).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, TypeVar

from annotator.core.errors import Cancelled
from annotator.core.excerpt_plan import PlanReader
from annotator.core.models import ExcerptRecord
from annotator.core.original_copy import sync_folder
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.export.csv_parallel import PARALLEL_FROM, Crew, ParallelWriter, worker_count
from annotator.export.csv_rows import (
    COLUMNS,
    DELIMITERS,
    EXCEL_CELL_LIMIT,
    FORMULA_STARTS,
    JOIN,
    CsvOptions,
    RowMaker,
    context_after,
    context_before,
    csv_line,
    neutralise,
    page_label,
)
from annotator.export.errors import ExportFailed
from annotator.export.selection import (
    ALL_TAGS,
    ANY_TAG,
    BY_CATEGORY,
    TAG_MATCHES,
    Criteria,
    ExcerptCount,
    ExcerptFilter,
    count_excerpts,
    select,
    select_excerpts,
)
from annotator.export.temp_files import sweep_leftovers, temp_name

T = TypeVar("T")
log = logging.getLogger(__name__)
_BOM = "\ufeff"  # what "utf-8-sig" writes first: Excel then reads the file as UTF-8
_PROGRESS_EVERY = 2_000  # excerpts between progress reports and cancel checks

if TYPE_CHECKING:
    from annotator.core.library import Library

# Filters live in ``selection``; these names stay importable from here, where callers found them.
# Row making lives in ``csv_rows``; its names stay importable from here too.
__all__ = [
    "ALL_TAGS", "ANY_TAG", "BY_CATEGORY", "COLUMNS", "DELIMITERS", "EXCEL_CELL_LIMIT",
    "FORMULA_STARTS", "JOIN", "TAG_MATCHES", "CsvOptions", "ExcerptCount", "ExcerptFilter",
    "ExportFailed", "context_after", "context_before", "count_excerpts", "csv_line",
    "neutralise", "page_label", "select_excerpts", "write_csv",
]

# ----------------------------------------------------------------- writing
def write_csv(
    library: Library,
    path: Path | str,
    excerpt_filter: ExcerptFilter,
    options: CsvOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    warn: Callable[[str], None] | None = None,
) -> int:
    """Write the filtered excerpts to ``path`` and return the number of data rows written.

    Atomic: rows go to a temporary file in the target's folder, which is flushed to disk and
    then renamed over ``path``; on any failure (or ``Cancelled``) the previous file is
    untouched and no temporary file remains. Raises ``ExportFailed`` naming the file when it
    cannot be written. ``warn`` receives each note worth showing the user: the search's
    remarks on the query before rows are written, and after writing how many cells are longer
    than Excel keeps. Runs off the GUI thread; ``progress`` and ``warn`` are called from this
    thread.
    """
    options = options or CsvOptions()
    report = progress or (lambda _p: None)
    target = Path(path).expanduser()
    _check_target(target)
    report(Progress(0, 0, "Selecting excerpts…"))
    # Workers start now, so they are up by the time the selection is read (``csv_parallel``).
    with Crew(_workers_for(library), target) as crew:
        rows, long_cells = _write(library, target, excerpt_filter, options, report, cancel, warn,
                                  crew)
    if long_cells and warn is not None:
        warn(long_cells_message(long_cells))
    return rows


def _write(library: Library, target: Path, excerpt_filter: ExcerptFilter, options: CsvOptions,
           report: ProgressCallback, cancel: CancelToken | None,
           warn: Callable[[str], None] | None, crew: Crew) -> tuple[int, int]:
    """The rows written and the cells longer than Excel keeps."""
    documents = {d.id: d for d in library.document_summaries()}
    tags = {t.id: t for t in library.tags()}
    selection = select(library, excerpt_filter, documents)
    for message in selection.warnings:
        if warn is not None:
            warn(message)
    variables = [v.name for v in library.variables() if not v.builtin]
    values = library.all_document_variables() if variables else {}
    header = csv_line((*COLUMNS, *variables), options.delimiter)
    reader = _reader_for_workers(library, selection.criteria) if crew.workers else None
    if reader is not None:
        with reader:
            writer = ParallelWriter(crew, reader, selection.criteria, documents, tags, options,
                                    variables, values)
            total = reader.plan.excerpts_at_most

            def write_parallel(fh: BinaryIO) -> int:
                fh.write((_BOM if options.excel_bom else "").encode() + header.encode())
                written = writer.write(fh, report, cancel)
                _check_cancel(cancel)
                report(Progress(total, total, "Saving…"))
                return written

            rows = _replace_atomically(target, write_parallel, "w+b", {})
        for failure in crew.failures:
            log.warning("a CSV worker stopped (its rows were written here): %s", failure)
        return rows, writer.long_cells
    excerpts: list[ExcerptRecord] = []
    # Read everything first so progress can count excerpts against a known total.
    for batch in selection.batches:
        _check_cancel(cancel)
        excerpts += batch
    _check_cancel(cancel)
    maker = RowMaker(library.document_texts, documents, tags, options, variables, values)
    total = len(excerpts)

    def write_rows(fh: TextIO) -> int:
        fh.write(header)
        written = 0
        for done in range(0, total, _PROGRESS_EVERY):
            _check_cancel(cancel)
            report(Progress(done, total, "Writing rows…"))
            lines = maker.lines(excerpts[done : done + _PROGRESS_EVERY])
            fh.write("".join(lines))
            written += len(lines)
        _check_cancel(cancel)
        report(Progress(total, total, "Saving…"))
        return written

    rows = _write_atomically(target, write_rows, encoding="utf-8-sig" if options.excel_bom
                             else "utf-8")
    return rows, maker.long_cells


def _workers_for(library: Library) -> int:
    """Workers worth starting: none for a project too small to need them (its highlights
    bound any export's excerpts) or on one core."""
    if library.counts()["highlights"] < PARALLEL_FROM:
        return 0
    return worker_count()


def _reader_for_workers(library: Library, criteria: Criteria) -> PlanReader | None:
    """This process's reader of the plan for writing with workers (``csv_parallel``), or None
    when one process writes: a small export, a project on a database server, or a file that
    cannot be read directly (then the workers could not read it either)."""
    if criteria.wants_nothing:
        return None
    plan = library.excerpt_plan(**criteria.narrowing())
    if plan is None or plan.excerpts_at_most < PARALLEL_FROM:
        return None
    try:
        return PlanReader(plan)
    except sqlite3.Error as exc:
        log.info("CSV export in one process: %s cannot be read directly (%s)", plan.database, exc)
        return None


def long_cells_message(count: int) -> str:
    cells = "1 cell is" if count == 1 else f"{count:,} cells are"
    return (f"{cells} longer than Excel's limit of {EXCEL_CELL_LIMIT:,} characters; Excel shows "
            "only the start of such a cell (LibreOffice, R and pandas read it whole)")


def _check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled("export cancelled; no file was written")


def _check_target(target: Path) -> None:
    """Fail before the (possibly long) selection when the file can obviously not be written."""
    if target.is_dir():
        raise ExportFailed(f"cannot write {target}: it is a folder")
    if not target.parent.is_dir():
        raise ExportFailed(f"cannot write {target}: the folder {target.parent} does not exist")
    if target.exists() and not _writable(target):
        # The rename would replace it anyway (it needs only the folder's permission), but a
        # read-only file is one the user has protected: refuse rather than silently replace it.
        raise ExportFailed(
            f"cannot write {target}: the file is read-only (make it writable or choose another "
            "name)"
        )


def _writable(path: Path) -> bool:
    """Whether the user may change the file. The mode bits are checked too because
    ``os.access`` says yes to root for any file."""
    return bool(stat.S_IMODE(path.stat().st_mode) & 0o222) and os.access(path, os.W_OK)


def _write_atomically(target: Path, write: Callable[[TextIO], int], *, encoding: str) -> int:
    # A lone surrogate cannot be encoded; one replaced character beats a failed export.
    return _replace_atomically(target, write, "w",
                               {"encoding": encoding, "errors": "replace", "newline": ""})


def write_binary_atomically(target: Path, write: Callable[[BinaryIO], T]) -> T:
    """Write ``target`` (a REFI-QDA package…) as the CSV export writes its file: a temporary
    file beside it, synced, then renamed over it, so a failure or a cancel never leaves half a
    file under the user's name."""
    _check_target(target)
    return _replace_atomically(target, write, "w+b", {})


def _replace_atomically(target: Path, write: Callable[[Any], T], mode: str,
                        options: dict[str, str]) -> T:
    temp, fd = _create_temp(target)
    try:
        with os.fdopen(fd, mode, **options) as fh:
            result = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(target, temp)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise ExportFailed(f"cannot write {target}: {exc.strerror or exc}{hint}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)
    return result


def _create_temp(target: Path) -> tuple[Path, int]:
    """A new file beside ``target`` (same file system, so the rename is atomic). Created with
    mode 0o666 so the umask applies as for any file the user saves, unlike ``mkstemp``'s 0o600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    sweep_leftovers(target)
    for _ in range(10):
        temp = temp_name(target)
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportFailed(
                f"cannot write {target}: {exc.strerror or exc} (in {target.parent})"
            ) from exc
    raise ExportFailed(f"cannot write {target}: no free temporary file name in {target.parent}")


def _copy_mode(target: Path, temp: Path) -> None:
    """Keep the permissions of the file being replaced."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(temp, mode)
