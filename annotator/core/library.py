"""The Library facade: the one public read/write API over a project folder.

A project folder holds ``project.sqlite`` (the source of truth), ``index/`` (a Whoosh index
derived from it), ``sources/`` (a copy of every imported original) and ``project.lock``.
Every write is one database transaction followed by one index update; callers get frozen
models from ``annotator.core.models``, never ORM objects or sessions. Safe to call from the
GUI thread and one background job at once: writes are serialised by a lock.
"""

from __future__ import annotations

import getpass
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, String, cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from annotator.core._db import convert
from annotator.core._db.engine import driver_connection
from annotator.core._db.row_digests import seal
from annotator.core._db.schema import (
    DocumentRow,
    HighlightRow,
    MetaRow,
    NoteRow,
    TagRow,
)
from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexUpdate
from annotator.core.errors import (
    DuplicateDocument,
    InvalidInput,
    NotFound,
    ProjectError,
    ReadOnlyProject,
)
from annotator.core.file_guard import FileGuard
from annotator.core.library_codebook import CodebookMixin
from annotator.core.library_excerpts import ExcerptsMixin
from annotator.core.library_highlights import HighlightsMixin
from annotator.core.library_project import (
    DB_NAME,
    INDEX_DIR,
    SOURCES_DIR,
    TRASH_DIR,
    open_database,
    orphans_note,
    prepare_project,
    released_on_error,
)
from annotator.core.library_safety import SafetyMixin
from annotator.core.library_search import SearchMixin
from annotator.core.models import Document, DocumentSnapshot
from annotator.core.original_copy import store_original, stored_name
from annotator.core.project_lock import ProjectLock
from annotator.core.storage_errors import translated
from annotator.core.text import text_sha256

log = logging.getLogger(__name__)

_UNSET: Any = object()
_EDITABLE_DOCUMENT_FIELDS = ("title", "author", "published", "source")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): fall back quietly
        return ""



_COUNTED = {"documents": DocumentRow, "highlights": HighlightRow, "tags": TagRow, "notes": NoteRow}
# One statement, built once: the status bar asks after every edit, and making this statement's
# cache key anew took SQLAlchemy 3 ms each time.
_COUNTS = select(*(
    select(func.count()).select_from(table).scalar_subquery().label(key)
    for key, table in _COUNTED.items()
))


class Library(CodebookMixin, HighlightsMixin, ExcerptsMixin, SearchMixin, SafetyMixin):
    """Open with ``Library.open(folder)`` or ``Library.create(folder)``; use as a context manager
    or call ``close()``."""

    def __init__(self, folder: Path, engine: Engine, *, readonly: bool, lock: ProjectLock | None):
        self.folder = folder
        self.readonly = readonly
        self._engine = engine
        self._lock = lock
        self._write_lock = threading.RLock()
        self._guard = FileGuard(folder / DB_NAME, self._raw_connection)
        self._index = SearchIndex(
            folder / INDEX_DIR, readonly=readonly, fingerprint=self.content_fingerprint
        )
        self.user = current_user()
        # Files found in sources/ that no document lists, moved aside when this opened, and
        # the sentence telling the user so (None when there were none).
        self.orphaned_sources: list[Path] = []
        self.open_note: str | None = None
        # Said once per project location: the project sits in a sync client's folder.
        self.cloud_warning: str | None = None
        # The last document text read (id, text) and that document's page map, once read: the
        # reader's document, which every tagging click quotes from. SQLite walks a long text
        # from its start for substr and for any column stored after it (4 ms near the end of
        # 1.2 M characters); neither changes while the document's id lives.
        self._recent_text: tuple[int, str] | None = None
        self._recent_page_map: tuple[int, tuple] | None = None

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def create(cls, folder: Path | str) -> Library:
        """Create a project in ``folder`` (made if missing; must not already hold a project)."""
        folder = Path(folder).expanduser()
        if (folder / DB_NAME).exists():
            raise ProjectError(f"{folder} already holds a project")
        if folder.exists() and not folder.is_dir():
            raise ProjectError(f"{folder} is a file, not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        return cls.open(folder, create=True)

    @classmethod
    def open(
        cls, folder: Path | str, *, readonly: bool = False, create: bool = False,
        lock_wait: float = 0.0, on_lock_wait: Callable[[int | None], None] | None = None,
    ) -> Library:
        """Open the project in ``folder``. Writers take the project lock, waiting up to
        ``lock_wait`` seconds for another writer (``on_lock_wait(pid)`` once after a second);
        then a second writer gets ``ProjectLocked``. Read-only opens (CLI listings while the
        GUI runs) take no lock."""
        folder = Path(folder).expanduser()
        engine, lock = open_database(folder, readonly=readonly, create=create,
                                     lock_wait=lock_wait, on_lock_wait=on_lock_wait)
        with released_on_error(folder, engine, lock):
            library = cls(folder, engine, readonly=readonly, lock=lock)
            if not readonly:
                with library._write_lock:
                    library.orphaned_sources = prepare_project(folder, engine)
                library.open_note = orphans_note(library.orphaned_sources)
                library._create_index_if_empty()
                library._daily_backup()
                if not create:  # said when the project is first opened for work
                    library.cloud_warning = library._first_cloud_warning()
        return library

    def close(self) -> None:
        self._index.close()
        self._engine.dispose()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        """The project's name as shown to the user: the folder name without ``.annotator``."""
        name = self.folder.name
        return name[: -len(".annotator")] if name.endswith(".annotator") else name

    # ----------------------------------------------------------------- plumbing
    @contextmanager
    def _raw_connection(self) -> Iterator[Any]:
        """One of the engine's sqlite3 connections (backups, recovery copies)."""
        with self._engine.connect() as conn:
            yield conn.connection.driver_connection

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with translated(self.folder, os_errors=False), \
                Session(self._engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction, serialised with every other write of this process."""
        if self.readonly:
            raise ReadOnlyProject(f"{self.folder} is open read-only")
        with self._write_lock, translated(self.folder), \
                Session(self._engine, expire_on_commit=False) as session:
            self._guard.check()
            with session.begin():
                yield session
                session.flush()  # the ORM's pending changes first: they fire the triggers
                seal(driver_connection(session), self.folder)

    def generation(self) -> int:
        with self._read() as s:
            row = s.get(MetaRow, "generation")
            return int(row.value) if row else 0

    def _create_index_if_empty(self) -> None:
        """A new project gets its (empty) index at once; a project with documents and no index
        is rebuilt by the caller in the background (``index_is_current`` says so)."""
        if not self._index.status().exists and self.counts()["documents"] == 0:
            self.reindex()

    def _apply_index(self, update: IndexUpdate) -> None:
        """Index after the commit: the database is the truth. The index queues the update
        (one writer thread, so no "index is locked"); a broken index keeps it for the next
        rebuild and reports itself unhealthy, and the user's edit stands regardless."""
        try:
            self._index.apply(update)
        except Exception:  # noqa: BLE001 - a broken index must never cost the user an edit
            log.exception("search index update failed; it will be rebuilt")

    # ----------------------------------------------------------------- documents
    def documents(self) -> list[Document]:
        """All documents (without text), newest import last."""
        with self._read() as s:
            counts = dict(
                s.execute(
                    select(HighlightRow.document_id, func.count()).group_by(HighlightRow.document_id)
                ).all()
            )
            notes = dict(
                s.execute(
                    select(NoteRow.document_id, NoteRow.text).where(NoteRow.highlight_id.is_(None))
                ).all()
            )
            # Plain tuples in the model's field order: the ORM's per-object bookkeeping, then
            # SQLAlchemy's per-attribute Row access, were most of this on 20,000 documents.
            d = DocumentRow
            rows = s.connection().execute(
                select(d.id, d.title, d.author, d.source, d.published, d.imported_at, d.format,
                       d.sha256, d.language, d.original_name, d.stored_file, d.characters,
                       d.page_map, d.site_name, d.url).order_by(d.id)
            ).all()
            page_map_of = convert.page_map_of
            return [
                Document(*head, page_map_of(page_map), site, url, counts.get(head[0], 0),
                         notes.get(head[0]))
                for *head, page_map, site, url in rows
            ]

    def document(self, document_id: int) -> Document:
        with self._read() as s:
            row = self._document_row(s, document_id)
            count = s.scalar(
                select(func.count()).where(HighlightRow.document_id == document_id)
            )
            note = s.scalar(
                select(NoteRow.text).where(
                    NoteRow.document_id == document_id, NoteRow.highlight_id.is_(None)
                )
            )
            return convert.document(row, highlight_count=count or 0, note=note)

    def document_text(self, document_id: int) -> str:
        with self._read() as s:
            text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
            if text is None:
                raise NotFound(f"no document {document_id}")
        self._recent_text = (document_id, text)
        return text

    def _known_text(self, document_id: int) -> tuple[str, tuple | None] | None:
        """The document's text and page map (None when not read yet) if it was the last read."""
        recent, pages = self._recent_text, self._recent_page_map
        if recent is None or recent[0] != document_id:
            return None
        return recent[1], pages[1] if pages is not None and pages[0] == document_id else None

    def document_texts(self, document_ids: Iterable[int]) -> Iterator[tuple[int, str]]:
        """``(id, text)`` for many documents in few queries (exports read thousands)."""
        ids = list(dict.fromkeys(document_ids))
        for start in range(0, len(ids), 500):
            with self._read() as s:
                yield from s.execute(
                    select(DocumentRow.id, DocumentRow.text).where(
                        DocumentRow.id.in_(ids[start : start + 500])
                    )
                ).all()

    def find_duplicate(self, text: str) -> int | None:
        with self._read() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == text_sha256(text)))

    def add_document(self, extracted: Any, *, original: Path | None = None) -> Document:
        """Store an ``importers.base.Extracted`` and a copy of ``original`` under ``sources/``.

        The copy is ``extracted.original_bytes`` (what was parsed) when the importer kept them,
        else ``original`` read once now.

        All or nothing: if anything fails, no row and no copied file remain. Raises
        ``DuplicateDocument`` when the same normalised text is already in the project.
        """
        text: str = extracted.text
        if not text.strip():
            raise InvalidInput("the file holds no text")
        digest = text_sha256(text)
        existing = self.find_duplicate(text)
        if existing is not None:
            raise DuplicateDocument(existing)
        copied: Path | None = None
        try:
            with self._write() as s:
                row = DocumentRow(
                    title=(extracted.title or (original.stem if original else "Untitled")).strip(),
                    author=extracted.author or "",
                    source=extracted.source or (str(original) if original else ""),
                    published=extracted.published,
                    imported_at=datetime.now().replace(microsecond=0),
                    format=extracted.format,
                    sha256=digest,
                    text=text,
                    characters=len(text),
                    language=extracted.language,
                    page_map=json.dumps([list(p) for p in extracted.pages]),
                    original_name=original.name if original else "",
                    site_name=getattr(extracted, "site_name", "") or "",
                    url=getattr(extracted, "url", "") or "",
                )
                s.add(row)
                s.flush()
                if original is not None:
                    data = getattr(extracted, "original_bytes", b"") or None
                    copied = self._copy_original(original, data, row.id)
                    row.stored_file = f"{SOURCES_DIR}/{copied.name}"
                generation = self._next_generation(s)
                indexed = convert.indexed_document(row, None)
        except IntegrityError as exc:
            if copied:
                copied.unlink(missing_ok=True)
            dup = self.find_duplicate(text)
            if dup is not None:
                raise DuplicateDocument(dup) from exc
            raise
        except BaseException:
            if copied:
                copied.unlink(missing_ok=True)
            raise
        self._apply_index(IndexUpdate(generation=generation, upsert_documents=(indexed,)))
        return self.document(row.id)

    def _next_generation(self, session: Session) -> int:
        """Bump, inside the writing transaction, the counter the search index is compared
        against; every write that changes what the index holds calls this exactly once."""
        # One UPDATE … RETURNING instead of an ORM load and flush: this runs on every edit.
        meta = MetaRow.__table__
        conn = session.connection()
        bumped = conn.execute(
            meta.update()
            .where(meta.c.key == "generation")
            .values(value=cast(cast(meta.c.value, Integer) + 1, String))
            .returning(meta.c.value)
        ).scalar()
        if bumped is None:
            conn.execute(meta.insert().values(key="generation", value="1"))
            bumped = "1"
        return int(bumped)

    def _copy_original(self, original: Path, data: bytes | None, document_id: int) -> Path:
        target = self.folder / SOURCES_DIR / stored_name(document_id, original.name)
        store_original(target, original, data)
        return target

    def original_path(self, document_id: int) -> Path | None:
        """The project's copy of the imported file, for "Open original"."""
        doc = self.document(document_id)
        return self.folder / doc.stored_file if doc.stored_file else None

    def update_document(
        self,
        document_id: int,
        *,
        title: str = _UNSET,
        author: str = _UNSET,
        published: date | None = _UNSET,
        source: str = _UNSET,
    ) -> Document:
        """Edit metadata. The text itself is immutable after import (offsets depend on it)."""
        values = dict(title=title, author=author, published=published, source=source)
        with self._write() as s:
            row = self._document_row(s, document_id)
            for key, value in values.items():
                if value is _UNSET:
                    continue
                if key == "title" and not str(value).strip():
                    raise InvalidInput("a document needs a title")
                setattr(row, key, value)
            generation = self._next_generation(s)
            update = self._document_reindex(s, row, generation)
        self._apply_index(update)
        return self.document(document_id)

    def _document_reindex(self, s: Session, row: DocumentRow, generation: int) -> IndexUpdate:
        note = s.scalar(
            select(NoteRow.text).where(NoteRow.document_id == row.id, NoteRow.highlight_id.is_(None))
        )
        page_map = convert.page_map_of(row.page_map)
        hl_rows = s.scalars(
            select(HighlightRow)
            .where(HighlightRow.document_id == row.id)
            .options(selectinload(HighlightRow.tags), selectinload(HighlightRow.note))
        ).all()
        return IndexUpdate(
            generation=generation,
            upsert_documents=(convert.indexed_document(row, note),),
            upsert_highlights=tuple(convert.indexed_highlight(h, row, page_map) for h in hl_rows),
        )

    def delete_documents(self, document_ids: Iterable[int]) -> list[DocumentSnapshot]:
        """Delete documents with their highlights and notes; returns what undo needs."""
        ids = list(dict.fromkeys(document_ids))
        self.backup_before_bulk("delete")
        snapshots = [self.document_snapshot(i) for i in ids]
        with self._write() as s:
            for doc_id in ids:
                row = self._document_row(s, doc_id)
                s.delete(row)
            generation = self._next_generation(s)
        # SQLite may give a later import a deleted document's id.
        self._recent_text = self._recent_page_map = None
        trash = self.folder / SOURCES_DIR / TRASH_DIR
        for snap in snapshots:
            if snap.document.stored_file:
                src = self.folder / snap.document.stored_file
                if src.exists():
                    trash.mkdir(parents=True, exist_ok=True)
                    src.replace(trash / src.name)
        self._apply_index(IndexUpdate(generation=generation, delete_documents=tuple(ids)))
        return snapshots

    def document_snapshot(self, document_id: int) -> DocumentSnapshot:
        doc = self.document(document_id)
        return DocumentSnapshot(
            document=doc,
            text=self.document_text(document_id),
            highlights=tuple(self.highlights(document_id)),
            note=doc.note,
        )

    def restore_document(self, snapshot: DocumentSnapshot) -> Document:
        """Undo of ``delete_documents``: same ids for the document and its highlights."""
        doc = snapshot.document
        with self._write() as s:
            if s.get(DocumentRow, doc.id) is not None:
                raise InvalidInput(f"document {doc.id} already exists")
            row = DocumentRow(
                id=doc.id,
                title=doc.title,
                author=doc.author,
                source=doc.source,
                published=doc.published,
                imported_at=doc.imported_at,
                format=doc.format,
                sha256=doc.sha256,
                text=snapshot.text,
                characters=doc.characters,
                language=doc.language,
                page_map=json.dumps([[p.start, p.end] for p in doc.page_map]),
                original_name=doc.original_name,
                stored_file=doc.stored_file,
                site_name=doc.site_name,
                url=doc.url,
            )
            s.add(row)
            s.flush()
            if snapshot.note:
                now = datetime.now()
                s.add(NoteRow(document_id=doc.id, text=snapshot.note, created=now, modified=now))
            self._insert_highlights(s, snapshot.highlights)
            s.flush()
            generation = self._next_generation(s)
            update = self._document_reindex(s, row, generation)
        if doc.stored_file:
            trashed = self.folder / SOURCES_DIR / TRASH_DIR / Path(doc.stored_file).name
            if trashed.exists():
                trashed.replace(self.folder / doc.stored_file)
        self._apply_index(update)
        return self.document(doc.id)

    @staticmethod
    def _document_row(s: Session, document_id: int) -> DocumentRow:
        row = s.get(DocumentRow, document_id)
        if row is None:
            raise NotFound(f"no document {document_id}")
        return row

    # ----------------------------------------------------------------- counts
    def counts(self) -> dict[str, int]:
        with self._read() as s:
            row = s.connection().execute(_COUNTS).one()
        return {key: row._mapping[key] or 0 for key in _COUNTED}

