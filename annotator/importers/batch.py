"""Importing many files or folders: one outcome per file, progress, cancel between files.

Runs off the GUI thread; never touches widgets. Files are read in worker processes
(``importers.parallel``) and stored here, the one writer, several at a time by
``library.add_documents``: each document is all-or-nothing and fails alone, so a failure or a
cancel never leaves half a document behind.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from annotator.core.errors import AnnotatorError, DuplicateDocument
from annotator.core.extracted import Extracted, NewDocument
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.importers import SUPPORTED_SUFFIXES
from annotator.importers.furniture import furniture_summary
from annotator.importers.limits import ImportLimits
from annotator.importers.parallel import (
    READ_IN_PROCESS,
    ReaderPool,
    ReadFailure,
    ReadResult,
    Staged,
    read_one,
    worker_count,
)

Status = Literal["imported", "duplicate", "failed"]


class DocumentSink(Protocol):
    """What ``import_paths`` needs from ``core.library.Library``."""

    def add_documents(self, items: Sequence[NewDocument]) -> list[Any]:
        """One result per item: the stored document (``id``, ``title``) or the exception
        that kept it out."""
        ...

    def staging_folder(self) -> Path | None: ...


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """``document_id`` is the new document, or for a duplicate the one already in the project.
    ``needs_password`` lets the GUI offer a password prompt and retry just that file."""

    path: Path
    status: Status
    document_id: int | None
    title: str
    message: str
    needs_password: bool = False


@dataclass
class SkippedFiles:
    """Files found in folders but left out for their type, counted by suffix, so the summary
    can say so instead of a silent "0 imported" for a folder of .doc files."""

    by_suffix: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_suffix.values())

    def summary(self) -> str:
        """"skipped 3 files of unsupported type (.doc ×2, .rtf ×1)", or "" when none."""
        if not self.total:
            return ""
        kinds = ", ".join(
            f"{suffix or '(no extension)'} ×{count}"
            for suffix, count in sorted(self.by_suffix.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        files = "file" if self.total == 1 else "files"
        return f"skipped {self.total} {files} of unsupported type ({kinds})"


def iter_files(
    paths: Iterable[Path], recursive: bool = True, skipped: SkippedFiles | None = None
) -> list[Path]:
    """Files to import, in argument order, each folder's files sorted, no path twice.

    Inside folders: hidden files and folders, the ``X_files/`` folders browsers save beside
    ``X.html``, and files of unsupported types are skipped (a saved page's images and scripts
    are not articles). A file named explicitly is always kept, so the user hears why it
    failed. Named paths that do not exist are kept too, and ``import_paths`` reports them.
    Unsupported files left out of folders are counted in ``skipped``."""
    seen: set[Path] = set()
    result: list[Path] = []
    for path in map(Path, paths):
        candidates = _folder_files(path, recursive, skipped) if path.is_dir() else [path]
        for candidate in candidates:
            key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                result.append(candidate)
    return result


# What browsers call the folder of images/scripts saved beside "Page.html" (Chrome and English
# Firefox "_files"; localised Firefox builds translate it).
_SAVED_PAGE_FOLDER_SUFFIXES = (
    "_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "_file",
)


def _is_saved_page_folder(folder: Path, sibling_names: set[str]) -> bool:
    """``X_files`` beside ``X.html``/``X.htm``; a lone "case_files" folder is a normal folder."""
    for suffix in _SAVED_PAGE_FOLDER_SUFFIXES:
        if folder.name.endswith(suffix):
            stem = folder.name[: -len(suffix)]
            if any(f"{stem}{ext}" in sibling_names for ext in (".html", ".htm", ".xhtml")):
                return True
    return False


def _folder_files(folder: Path, recursive: bool, skipped: SkippedFiles | None) -> list[Path]:
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(current.iterdir())
        except OSError:
            continue  # unreadable or vanished sub-folder: nothing in it can be imported
        names = {entry.name for entry in entries}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                if recursive and not entry.is_symlink() and not _is_saved_page_folder(entry, names):
                    pending.append(entry)
            elif entry.is_file():
                suffix = entry.suffix.lower()
                if suffix in SUPPORTED_SUFFIXES:
                    found.append(entry)
                elif skipped is not None:
                    skipped.by_suffix[suffix] += 1
    return sorted(found, key=lambda p: [part.casefold() for part in p.relative_to(folder).parts])


# Batches this small are read in the calling process: starting workers would cost more than
# it saves (and a lone file has nothing to run beside).
SERIAL_UP_TO = 2
# Files read are stored several at a time, one write each (one transaction and one search
# index commit: committing the index per file cost more than the storing itself): at most this
# many, and no longer than this after the first of them was read, so outcomes keep coming.
STORE_BATCH_FILES = 64
STORE_BATCH_SECONDS = 0.5


def import_paths(
    library: DocumentSink,
    paths: Iterable[Path],
    *,
    recursive: bool = True,
    password: str | None = None,
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen, so sharing it is safe
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
    skipped: SkippedFiles | None = None,
    keep_furniture: bool = False,
    workers: int | None = None,
) -> Iterator[ImportOutcome]:
    """Yield one ``ImportOutcome`` per file, in file order (``keep_furniture``: see
    ``importers.read``). Progress is reported as each file comes up (label: its name) and
    once at the end. ``skipped`` is filled, when the files are listed, with the unsupported
    files that folders held.

    Files are read (extracted) in ``workers`` worker processes (``worker_count`` by default:
    one per core) and stored here in file order, so the documents get the ids a serial
    import gives them; a file that takes longer than ``limits.max_seconds`` to read fails
    alone. Plain-text files (``READ_IN_PROCESS``), batches of up to ``SERIAL_UP_TO`` other
    files, and every file with ``workers=0`` are read in this process.

    Files read are stored together (``STORE_BATCH_FILES``, ``STORE_BATCH_SECONDS``), and
    their outcomes yielded once stored. Cancel is checked before each file: the files
    already read are stored and reported, the rest are left alone."""
    files = iter_files(paths, recursive, skipped)
    # Named paths missing already at listing time never existed (a typo); ones that disappear
    # later get read()'s "file vanished before it could be read".
    never_existed = {path for path in files if not path.exists() and not path.is_symlink()}
    pooled = [path for path in files
              if path not in never_existed and path.suffix.lower() not in READ_IN_PROCESS]
    count = worker_count(len(pooled)) if workers is None else workers
    pool: ReaderPool | None = None
    if count >= 1 and len(pooled) > SERIAL_UP_TO:
        pool = ReaderPool(pooled, password=password, limits=limits, workers=count,
                          keep_furniture=keep_furniture, cancel=cancel,
                          stage_in=library.staging_folder())
    total = len(files)
    pending: list[tuple[Path, ReadResult]] = []
    since = 0.0  # when the first pending file was read

    def due() -> float:
        return max(0.0, since + STORE_BATCH_SECONDS - time.monotonic())

    try:
        for done, path in enumerate(files):
            if cancel is not None and cancel.cancelled:
                break
            if progress is not None:
                progress(Progress(done, total, label=path.name))
            cheap = path.suffix.lower() in READ_IN_PROCESS or path in never_existed
            # Store what is in hand before waiting for a file, unless it comes in time.
            waits = not cheap and (pool is None or not pool.ready(due() if pending else 0))
            if pending and waits:
                yield from _store(library, pending)
            result: ReadResult | None
            if path in never_existed:
                result = ReadFailure("no such file or folder")
            elif pool is not None and not cheap:
                result = pool.take()
            else:
                result = read_one(path, password, limits, keep_furniture)
            if result is None:  # cancelled while the file was being read
                break
            if not pending:
                since = time.monotonic()
            pending.append((path, result))
            if len(pending) >= STORE_BATCH_FILES or not due():
                yield from _store(library, pending)
        else:
            yield from _store(library, pending)
            if progress is not None:
                progress(Progress(total, total))
            return
        yield from _store(library, pending)  # cancelled: the files already read are kept
    finally:
        if pool is not None:
            pool.close()  # ends the workers at once when the caller stops early


def _store(library: DocumentSink, pending: list[tuple[Path, ReadResult]]
           ) -> Iterator[ImportOutcome]:
    """Store the files read, in one write, and yield their outcomes in order; empties
    ``pending``."""
    batch, pending[:] = list(pending), []
    items = [_new_document(path, result) for path, result in batch
             if not isinstance(result, ReadFailure)]
    try:
        results = library.add_documents(items) if items else []
    except (AnnotatorError, OSError) as exc:  # the sink refused the whole batch
        results = [exc] * len(items)
    stored = iter(results)
    for path, result in batch:
        if isinstance(result, ReadFailure):
            yield ImportOutcome(path, "failed", None, "", result.message,
                                needs_password=result.needs_password)
        else:
            yield _outcome(path, _extracted(result), next(stored))


def _new_document(path: Path, result: Extracted | Staged) -> NewDocument:
    if isinstance(result, Staged):
        return NewDocument(result.extracted, path, staged_copy=result.copy)
    return NewDocument(result, path)


def _extracted(result: Extracted | Staged) -> Extracted:
    return result.extracted if isinstance(result, Staged) else result


def _outcome(path: Path, extracted: Extracted, stored: Any) -> ImportOutcome:
    if isinstance(stored, DuplicateDocument):
        return ImportOutcome(
            path, "duplicate", stored.existing_id, extracted.title,
            f"already in the project as document {stored.existing_id}",
        )
    if isinstance(stored, AnnotatorError):
        return ImportOutcome(path, "failed", None, extracted.title, str(stored))
    if isinstance(stored, OSError):
        # Reading already succeeded, so this is the copy into sources/ (permissions…).
        return ImportOutcome(path, "failed", None, extracted.title,
                             f"could not be stored in the project: {stored.strerror or stored}")
    message = "; ".join(filter(None, (*extracted.warnings, furniture_summary(extracted.left_out))))
    return ImportOutcome(path, "imported", stored.id, stored.title, message)
