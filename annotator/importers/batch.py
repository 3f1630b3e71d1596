"""Importing many files or folders: one outcome per file, progress, cancel between files.

Runs off the GUI thread; never touches widgets. Files are read in worker processes
(``importers.parallel``) and stored here, one writer, by ``library.add_document``, which is
all-or-nothing per document, so a failure or a cancel never leaves half a document behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from annotator.core.errors import AnnotatorError, DuplicateDocument
from annotator.core.extracted import Extracted
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.importers import SUPPORTED_SUFFIXES
from annotator.importers.furniture import furniture_summary
from annotator.importers.limits import ImportLimits
from annotator.importers.parallel import (
    READ_IN_PROCESS,
    ReadFailure,
    ReadResult,
    extract_in_parallel,
    read_one,
    worker_count,
)

Status = Literal["imported", "duplicate", "failed"]


class DocumentSink(Protocol):
    """What ``import_paths`` needs from ``core.library.Library``."""

    def add_document(self, extracted: Extracted, *, original: Path | None = None) -> Any: ...


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
    ``importers.read``). Cancel is checked before each file,
    so the file in hand is always finished. Progress is reported as each file comes up (label:
    its name; with workers, while its reading is awaited and it is stored) and once at the
    end. ``skipped`` is filled, when the files are listed, with the unsupported files that
    folders held.

    Files are read (extracted) in ``workers`` worker processes (``worker_count`` by default:
    one per core) and stored here one at a time in file order, so the documents get
    the ids a serial import gives them; a file that takes longer than ``limits.max_seconds``
    to read fails alone. Plain-text files (``READ_IN_PROCESS``), batches of up to
    ``SERIAL_UP_TO`` other files, and every file with ``workers=0`` are read in this process."""
    files = iter_files(paths, recursive, skipped)
    # Named paths missing already at listing time never existed (a typo); ones that disappear
    # later get read()'s "file vanished before it could be read".
    never_existed = {path for path in files if not path.exists() and not path.is_symlink()}
    pooled = [path for path in files
              if path not in never_existed and path.suffix.lower() not in READ_IN_PROCESS]
    count = worker_count(len(pooled)) if workers is None else workers
    in_workers: Generator[ReadResult, None, None] | None = None
    if count >= 1 and len(pooled) > SERIAL_UP_TO:
        in_workers = extract_in_parallel(pooled, password=password, limits=limits,
                                         keep_furniture=keep_furniture, workers=count,
                                         cancel=cancel)
    total = len(files)
    try:
        for done, path in enumerate(files):
            if cancel is not None and cancel.cancelled:
                return
            if progress is not None:
                progress(Progress(done, total, label=path.name))
            if path in never_existed:
                yield ImportOutcome(path, "failed", None, "", "no such file or folder")
                continue
            if in_workers is not None and path.suffix.lower() not in READ_IN_PROCESS:
                result = next(in_workers, None)
                if result is None:  # cancelled while the file was being read
                    return
            else:
                result = read_one(path, password, limits, keep_furniture)
            yield _store(library, path, result)
    finally:
        if in_workers is not None:
            in_workers.close()  # ends the workers at once when the caller stops early
    if progress is not None:
        progress(Progress(total, total))


def _store(library: DocumentSink, path: Path, result: ReadResult) -> ImportOutcome:
    if isinstance(result, ReadFailure):
        return ImportOutcome(path, "failed", None, "", result.message,
                             needs_password=result.needs_password)
    extracted = result
    try:
        document = library.add_document(extracted, original=path)
    except DuplicateDocument as exc:
        return ImportOutcome(
            path, "duplicate", exc.existing_id, extracted.title,
            f"already in the project as document {exc.existing_id}",
        )
    except AnnotatorError as exc:
        return ImportOutcome(path, "failed", None, extracted.title, str(exc))
    except OSError as exc:
        # Reading already succeeded, so this is the copy into sources/ (disk full, permissions).
        return ImportOutcome(path, "failed", None, extracted.title,
                             f"could not be stored in the project: {exc.strerror or exc}")
    message = "; ".join(filter(None, (*extracted.warnings, furniture_summary(extracted.left_out))))
    return ImportOutcome(path, "imported", document.id, document.title, message)
