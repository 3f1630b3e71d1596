"""Storing several imported documents in one write: one transaction, one index update, one
change notice, each document succeeding or failing on its own.

A batch import stored each file with its own transaction, duplicate lookup, read-back and
search-index commit; profiled, that was most of an HTML import once reading ran in worker
processes. Here the rows go in with one statement, duplicates are found with one lookup per
batch (the UNIQUE ``sha256`` column stays the last word), the returned ``Document`` is built
from the values written, and the originals' copies are renamed into place (a batch import's
readers already wrote and synced them, ``original_copy.stage_copy``) with one sync of the
folder before the commit: a crash can leave a copy nothing points to (swept or kept as an
orphan), never a row pointing to a missing copy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from annotator.core import database_originals
from annotator.core._db.convert import page_map_of
from annotator.core._db.schema import DocumentRow, NoteRow
from annotator.core._search.records import IndexedDocument, IndexUpdate
from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError, DuplicateDocument, InvalidInput
from annotator.core.extracted import NewDocument
from annotator.core.models import Document
from annotator.core.original_copy import store_original, stored_name, sync_folder
from annotator.core.project_folder import SOURCES_DIR
from annotator.core.storage_errors import describe
from annotator.core.store import Store
from annotator.core.text import text_sha256

_d = cast(Table, DocumentRow.__table__)
_n = cast(Table, NoteRow.__table__)

# What one document of a batch gives back: the stored document, or why it was not stored.
Added = Document | AnnotatorError | OSError


@dataclass
class _Copy:
    """A copy put in place during the write, to take back if the transaction fails."""

    target: Path
    staged: Path | None  # renamed from here (a reader process wrote it), else written anew


def add_documents(store: Store, items: Sequence[NewDocument]) -> list[Added]:
    """Store ``items`` in one transaction; one result per item, in order. Ids are given in
    item order, as storing them one by one would give them. A failure that belongs to one
    item (no text, a duplicate, its copy could not be written) fails that item alone; a
    failure of the write itself is retried item by item, so it too fails only the items it
    belongs to. Staged copies of items not stored are removed."""
    if not items:
        return []
    try:
        if len(items) == 1:
            return [_add_alone(store, items[0])]
        try:
            return _add_together(store, items)
        except (AnnotatorError, OSError, IntegrityError, _CopyFailed):
            return [_add_alone(store, item) for item in items]
    finally:
        for item in items:
            if item.staged_copy is not None:
                item.staged_copy.unlink(missing_ok=True)  # renamed away when it was stored


def _add_alone(store: Store, item: NewDocument) -> Added:
    try:
        return _add_together(store, [item])[0]
    except IntegrityError:
        # Another program stored the same text between the lookup and the insert.
        with store.read() as s:
            existing = s.scalar(select(_d.c.id).where(
                _d.c.sha256 == text_sha256(item.extracted.text)))
        if existing is None:
            raise
        return DuplicateDocument(existing)
    except _CopyFailed as failed:
        if isinstance(failed.error, OSError):
            return describe(failed.error, store.folder) or failed.error
        return failed.error
    except (AnnotatorError, OSError) as exc:
        return exc


def _add_together(store: Store, items: Sequence[NewDocument]) -> list[Added]:
    results: list[Added | _SameAs | None] = [None] * len(items)
    digests = [text_sha256(item.extracted.text) for item in items]
    now = datetime.now().replace(microsecond=0)
    copies: list[_Copy] = []
    accepted: list[int] = []  # indexes of the items to insert, in item order
    documents: list[tuple[int, Document]] = []  # (item index, document)
    try:
        with store.write() as s:
            conn = s.connection()
            known: dict[str, int] = dict(conn.execute(
                select(_d.c.sha256, _d.c.id).where(_d.c.sha256.in_(set(digests)))).all())
            seen: dict[str, int] = {}  # digest -> item index, for duplicates within the batch
            for index, (item, digest) in enumerate(zip(items, digests, strict=True)):
                if not item.extracted.text.strip():
                    results[index] = InvalidInput("the file holds no text")
                elif digest in known:
                    results[index] = DuplicateDocument(known[digest])
                elif digest in seen:
                    results[index] = _SameAs(seen[digest])
                else:
                    seen[digest] = index
                    accepted.append(index)
            if not accepted:
                return _resolved(results)
            # The database gives the ids (in item order, as one insert at a time would): ids
            # chosen here would leave a PostgreSQL sequence behind.
            prepared = [_document(items[index], digests[index], now) for index in accepted]
            ids = conn.execute(
                insert(_d).returning(_d.c.id, sort_by_parameter_order=True),
                [row for _, row in prepared],
            ).scalars().all()
            stored_files: list[dict[str, object]] = []
            notes: list[dict[str, object]] = []
            for index, (unsaved, _), document_id in zip(accepted, prepared, ids, strict=True):
                item = items[index]
                stored: str | None
                try:
                    if store.originals_in_database and item.original is not None:
                        # A team project keeps originals on the server (no shared sources/).
                        stored = database_originals.keep_in_database(
                            s, document_id, item.original, item.extracted.original_bytes or None)
                    else:
                        stored = _place_copy(store.folder, item, document_id, copies)
                except (AnnotatorError, OSError) as exc:
                    # This file's copy alone failed: the batch is retried item by item, where
                    # it fails alone and the others go in.
                    raise _CopyFailed(index, exc) from exc
                if stored is not None:
                    stored_files.append({"b_id": document_id, "b_stored": stored})
                document = replace(unsaved, id=document_id, stored_file=stored)
                documents.append((index, document))
                if document.note:
                    notes.append({"document_id": document_id, "highlight_id": None,
                                  "text": document.note, "created": now, "modified": now})
            if copies:
                sync_folder(store.folder / SOURCES_DIR)
            if stored_files:
                conn.execute(update(_d).where(_d.c.id == bindparam("b_id"))
                             .values(stored_file=bindparam("b_stored")), stored_files)
            if notes:
                conn.execute(insert(_n), notes)
            generation = store.next_generation(s)
    except BaseException:
        for copy in copies:
            _take_back(copy)
        raise
    store.finish(
        IndexUpdate(generation=generation, upsert_documents=tuple(
            IndexedDocument(doc.id, doc.title, doc.author, doc.source, doc.published,
                            doc.format, items[index].extracted.text, doc.note)
            for index, doc in documents)),
        Changes(documents=frozenset(doc.id for _, doc in documents),
                documents_added_or_removed=True),
    )
    for index, document in documents:
        results[index] = document
    return _resolved(results)


@dataclass(frozen=True)
class _SameAs:
    """An item whose text an earlier item of the same batch also holds."""

    index: int


class _CopyFailed(Exception):
    def __init__(self, index: int, error: AnnotatorError | OSError) -> None:
        super().__init__(str(error))
        self.index, self.error = index, error


def _resolved(results: Sequence[Added | _SameAs | None]) -> list[Added]:
    """The results with a later copy of a text within the batch a duplicate of the first."""
    done: list[Added] = []
    for result in results:
        if isinstance(result, _SameAs):
            first = done[result.index]
            result = (DuplicateDocument(first.id) if isinstance(first, Document)
                      else InvalidInput("the same text as another file of this import, "
                                        "which was not stored"))
        assert result is not None
        done.append(result)
    return done


def _place_copy(folder: Path, item: NewDocument, document_id: int,
                copies: list[_Copy]) -> str | None:
    """Put the original's copy under its real name; returns its path in the project."""
    if item.original is None:
        return None
    target = folder / SOURCES_DIR / stored_name(document_id, item.original.name)
    if item.staged_copy is not None:
        os.replace(item.staged_copy, target)
    else:
        store_original(target, item.original, item.extracted.original_bytes or None)
    copies.append(_Copy(target, item.staged_copy))
    return f"{SOURCES_DIR}/{target.name}"


def _take_back(copy: _Copy) -> None:
    """Undo ``_place_copy``: a staged copy goes back to its temporary name (a retry of the
    item alone renames it again), a written one is removed."""
    try:
        if copy.staged is not None:
            os.replace(copy.target, copy.staged)
        else:
            copy.target.unlink(missing_ok=True)
    except OSError:
        copy.target.unlink(missing_ok=True)


def _document(item: NewDocument, digest: str, now: datetime) -> tuple[Document, dict[str, object]]:
    """The document as ``Library.document`` would read it back once written (but for its id
    and its copy's path, known once inserted), and its row to insert."""
    extracted, original = item.extracted, item.original
    page_map = json.dumps([list(p) for p in extracted.pages])
    document = Document(
        id=0,
        title=(extracted.title or (original.stem if original else "Untitled")).strip(),
        author=extracted.author or "",
        source=extracted.source or (str(original) if original else ""),
        published=extracted.published,
        imported_at=now,
        format=extracted.format,
        sha256=digest,
        language=extracted.language,
        original_name=original.name if original else "",
        stored_file=None,
        characters=len(extracted.text),
        page_map=page_map_of(page_map),
        site_name=extracted.site_name,
        url=extracted.url,
        highlight_count=0,
        # An importer's warning the reader must keep seeing (a garbled PDF text layer).
        note=extracted.note.strip() or None,
    )
    row = {field: getattr(document, field) for field in _COPIED}
    row.update(text=extracted.text, page_map=page_map)
    return document, row


# The columns whose values the Document holds as they are stored.
_COPIED = ("title", "author", "source", "published", "imported_at", "format", "sha256",
           "characters", "language", "original_name", "site_name", "url")
