"""The documents service: import (store the text, copy the original), read, edit metadata,
delete and restore documents, and count what the project holds."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from annotator.core import database_originals
from annotator.core._db import convert
from annotator.core._db.highlight_records import document_update
from annotator.core._db.schema import DocumentRow, HighlightRow, NoteRow, TagRow
from annotator.core._search.records import IndexUpdate
from annotator.core.changes import Changes
from annotator.core.coders import coder_condition
from annotator.core.document_batch import Added, add_documents
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.extracted import Extracted, NewDocument
from annotator.core.highlights import Highlights
from annotator.core.models import Document, DocumentSnapshot
from annotator.core.project_folder import SOURCES_DIR, TRASH_DIR
from annotator.core.store import Store
from annotator.core.text import text_sha256

_Query = TypeVar("_Query", bound=Select)
UNSET: Any = object()  # "leave this field as it is" in ``update_document``

_COUNTED = {"documents": DocumentRow, "highlights": HighlightRow, "tags": TagRow, "notes": NoteRow}
# One statement, built once: the status bar asks after every edit, and making this statement's
# cache key anew took SQLAlchemy 3 ms each time.
_COUNTS = select(*(
    select(func.count()).select_from(table).scalar_subquery().label(key)
    for key, table in _COUNTED.items()
))


class Documents:
    def __init__(self, store: Store, highlights: Highlights) -> None:
        self._store, self._highlights = store, highlights

    # ----------------------------------------------------------------- reading
    def documents(self) -> list[Document]:
        """All documents (without text), newest import last."""
        with self._store.read() as s:
            return read_documents(s, coders=self._store.shown_coders)

    def document(self, document_id: int) -> Document:
        with self._store.read() as s:
            row = _document_row(s, document_id)
            count = s.scalar(
                select(func.count()).where(HighlightRow.document_id == document_id,
                                           *coder_condition(self._store, HighlightRow.author))
            )
            note = s.scalar(
                select(NoteRow.text).where(
                    NoteRow.document_id == document_id, NoteRow.highlight_id.is_(None)
                )
            )
            return convert.document(row, highlight_count=count or 0, note=note)

    def document_text(self, document_id: int, *, keep: bool = False) -> str:
        """The document's whole text. ``keep=True`` (the reader opening its document) also
        keeps it in the store's ``TextCache``, so every tagging click quotes from it instead of
        reading it back; a deletion of the document forgets it."""
        with self._store.read() as s:
            text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
            if text is None:
                raise NotFound(f"no document {document_id}")
        if keep:
            self._store.texts.keep(document_id, text)
        return text

    def document_texts(self, document_ids: Iterable[int]) -> Iterator[tuple[int, str]]:
        """``(id, text)`` for many documents in few queries (exports read thousands)."""
        ids = list(dict.fromkeys(document_ids))
        for start in range(0, len(ids), 500):
            with self._store.read() as s:
                yield from s.execute(
                    select(DocumentRow.id, DocumentRow.text).where(
                        DocumentRow.id.in_(ids[start : start + 500])
                    )
                ).all()

    def find_duplicate(self, text: str) -> int | None:
        with self._store.read() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == text_sha256(text)))

    def original_path(self, document_id: int) -> Path | None:
        """The project's copy of the imported file, for "Open original"."""
        doc = self.document(document_id)
        if not doc.stored_file:
            return None
        if self._store.originals_in_database:
            return database_originals.local_copy(self._store, document_id, doc.stored_file)
        return self._store.folder / doc.stored_file

    def document_snapshot(self, document_id: int) -> DocumentSnapshot:
        """What undo needs to put the document back as it is (a write takes it inside its own
        transaction: ``Store.read`` is the writing session there)."""
        doc = self.document(document_id)
        return DocumentSnapshot(
            document=doc,
            text=self.document_text(document_id),
            highlights=tuple(self._highlights.highlights(document_id, every_coder=True)),
            note=doc.note,
        )

    def counts(self) -> dict[str, int]:
        with self._store.read() as s:
            row = s.connection().execute(_COUNTS).one()
        return {key: row._mapping[key] or 0 for key in _COUNTED}

    # ----------------------------------------------------------------- writing
    def add_document(self, extracted: Extracted, *, original: Path | None = None) -> Document:
        """Store ``extracted`` and a copy of ``original`` under ``sources/``.

        The copy is ``extracted.original_bytes`` (what was parsed) when the importer kept them,
        else ``original`` read once now.

        All or nothing: if anything fails, no row and no copied file remain. Raises
        ``DuplicateDocument`` when the same normalised text is already in the project.
        """
        [result] = add_documents(self._store, [NewDocument(extracted, original)])
        if isinstance(result, Exception):
            raise result
        return result

    def add_documents(self, items: Sequence[NewDocument]) -> list[Added]:
        """Store many documents in one write (a batch import): one result per item, in order,
        each the stored ``Document`` or the error that kept that item out
        (``DuplicateDocument``, ``InvalidInput``, ``StorageFailed``…); see
        ``document_batch``."""
        return add_documents(self._store, items)

    def staging_folder(self) -> Path | None:
        """Where a batch import's reader processes may write the originals' copies under a
        temporary name (``original_copy.stage_copy``) for ``add_documents`` to rename into
        place; None for a read-only project, and for a team project (its originals go to the
        server, read by the writer)."""
        if self._store.readonly or self._store.originals_in_database:
            return None
        return self._store.folder / SOURCES_DIR

    def update_document(
        self,
        document_id: int,
        *,
        title: str = UNSET,
        author: str = UNSET,
        published: date | None = UNSET,
        source: str = UNSET,
    ) -> Document:
        """Edit metadata. The text itself is immutable after import (offsets depend on it)."""
        values = dict(title=title, author=author, published=published, source=source)
        with self._store.write() as s:
            row = _document_row(s, document_id)
            for key, value in values.items():
                if value is UNSET:
                    continue
                if key == "title" and not str(value).strip():
                    raise InvalidInput("a document needs a title")
                setattr(row, key, value)
            update = document_update(s, row, self._store.next_generation(s))
        self._store.finish(update, Changes(documents=frozenset({document_id})))
        return self.document(document_id)

    def delete_documents(self, document_ids: Iterable[int]) -> list[DocumentSnapshot]:
        """Delete documents with their highlights and notes; returns what undo needs."""
        ids = list(dict.fromkeys(document_ids))
        self._store.before_bulk("delete")
        if self._store.originals_in_database:  # the local copy is what undo puts back
            for doc_id in ids:
                self.original_path(doc_id)
        with self._store.write() as s:
            snapshots = [self.document_snapshot(i) for i in ids]
            for doc_id in ids:
                s.delete(_document_row(s, doc_id))
            generation = self._store.next_generation(s)
        # SQLite may give a later import a deleted document's id.
        self._store.texts.forget(ids)
        trash = self._store.folder / SOURCES_DIR / TRASH_DIR
        for snap in snapshots:
            if snap.document.stored_file:
                src = self._store.folder / snap.document.stored_file
                if src.exists():
                    trash.mkdir(parents=True, exist_ok=True)
                    src.replace(trash / src.name)
        self._store.finish(IndexUpdate(generation=generation, delete_documents=tuple(ids)),
                           _documents_came_or_went(snapshots))
        return snapshots

    def restore_document(self, snapshot: DocumentSnapshot) -> Document:
        """Undo of ``delete_documents``: same ids for the document and its highlights."""
        doc = snapshot.document
        with self._store.write() as s:
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
            self._highlights.insert_highlights(s, snapshot.highlights)
            trashed = self._store.folder / SOURCES_DIR / TRASH_DIR / Path(doc.stored_file or "-").name
            if doc.stored_file and self._store.originals_in_database:
                database_originals.put_back(s, doc.id, trashed)
            s.flush()
            update = document_update(s, row, self._store.next_generation(s))
        if doc.stored_file:
            if trashed.exists():
                trashed.replace(self._store.folder / doc.stored_file)
        self._store.finish(update, _documents_came_or_went([snapshot]))
        return self.document(doc.id)


def _documents_came_or_went(snapshots: list[DocumentSnapshot]) -> Changes:
    return Changes(
        documents=frozenset(s.document.id for s in snapshots),
        highlights=frozenset(h.id for s in snapshots for h in s.highlights),
        tags=frozenset(t.id for s in snapshots for h in s.highlights for t in h.tags),
        documents_added_or_removed=True,
        notes=True,
    )


def _document_row(s: Session, document_id: int) -> DocumentRow:
    row = s.get(DocumentRow, document_id)
    if row is None:
        raise NotFound(f"no document {document_id}")
    return row


def read_documents(
    s: Session, ids: list[int] | None = None, *, coders: frozenset[str] | None = None
) -> list[Document]:
    """Every document (without text) in id order, or only those of ``ids`` (still in id order),
    counting the highlights of ``coders`` (None: every coder's)."""
    h, n, d = HighlightRow, NoteRow, DocumentRow
    counted = _only(select(h.document_id, func.count()), h.document_id, ids)
    if coders is not None:
        counted = counted.where(h.author.in_(sorted(coders)))
    counts = dict(s.execute(counted.group_by(h.document_id)).all())
    notes = dict(s.execute(
        _only(select(n.document_id, n.text), n.document_id, ids).where(n.highlight_id.is_(None))
    ).all())
    # Plain tuples in the model's field order: the ORM's per-object bookkeeping, then
    # SQLAlchemy's per-attribute Row access, were most of this on 20,000 documents.
    rows = s.connection().execute(_only(
        select(d.id, d.title, d.author, d.source, d.published, d.imported_at, d.format,
               d.sha256, d.language, d.original_name, d.stored_file, d.characters,
               d.page_map, d.site_name, d.url), d.id, ids).order_by(d.id)
    ).all()
    page_map_of = convert.page_map_of
    return [
        Document(i, title, author, source, published, imported, fmt, sha, language, name,
                 stored, characters, page_map_of(page_map), site, url, counts.get(i, 0),
                 notes.get(i))
        for (i, title, author, source, published, imported, fmt, sha, language, name,
             stored, characters, page_map, site, url) in rows
    ]


def _only(query: _Query, column: Any, ids: list[int] | None) -> _Query:
    return query if ids is None else query.where(column.in_(ids))
