"""Following the other clients of a team project: each client's search index is a local cache
of the shared database, kept current by reading the change log (``_db.postgres`` writes it
in every writing transaction) from where this index last stopped.

No change may be missed, and log ids do not say commit order: a transaction can take id 11,
then commit after another transaction's id 12 was read. So the cursor is not an id. It is a
transaction id ``floor`` below which every transaction had ended when we last read, plus the
entries at or above it already applied. A poll reads, in one snapshot, every entry whose
transaction is at or above the floor: the ones it has not applied yet are new, whatever their
ids. Then the floor moves up to the snapshot's xmin (every transaction below it has ended, so
any entry of theirs was in this snapshot), and the applied set keeps only the entries at or
above the new floor, which the next poll reads again and skips. A transaction still running
holds xmin at or below its own id, so its entries are read when it commits, however late.

Applying an entry re-reads the rows it names (deleted ones leave the index), so a change seen
twice, or after a rebuild that already held it, does no harm. The cursor is saved beside the
index (``index/follow.json``) only after the index committed what it covers, at most every
``SAVE_EVERY`` seconds and at close; a rebuild resets it to where the log stood before the
rebuild read the database.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session, selectinload

from annotator.core._db import convert, postgres
from annotator.core._db.schema import (
    ChangeLogRow,
    DocumentRow,
    HighlightRow,
    MetaRow,
    NoteRow,
    highlight_tags,
)
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexUpdate
from annotator.core.changes import Changes
from annotator.core.store import INDEX_DIR, Store

log = logging.getLogger(__name__)

CURSOR_FILE = "follow.json"
SAVE_EVERY = 30.0  # seconds between saves of the cursor while following
_BATCH = 1000
_VARIABLE_KINDS = frozenset({"variables", "document_variables"})


@dataclass(frozen=True)
class LoggedChange:
    """One statement another client committed: who, when (UTC), which table and action, the
    ids it touched."""

    id: int
    at: datetime
    coder: str
    kind: str  # the table: documents, highlights, highlight_tags, notes, tags, categories, …
    action: str  # insert, update or delete
    documents: frozenset[int] = frozenset()
    highlights: frozenset[int] = frozenset()
    tags: frozenset[int] = frozenset()


@dataclass(frozen=True)
class RemoteChanges:
    """What other clients changed since the last poll: one ``Changes`` for the views (also
    published on the change feed) and the log entries behind it, oldest first."""

    changes: Changes = field(default_factory=Changes)
    entries: tuple[LoggedChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    @property
    def variables(self) -> bool:
        """Document variables were defined, changed or set."""
        return any(e.kind in _VARIABLE_KINDS for e in self.entries)


@dataclass
class _Cursor:
    floor: int  # every transaction below this had ended when the log was last read
    applied: set[int]  # entries of transactions at or above the floor, already applied

    def to_json(self) -> str:
        return json.dumps({"format": 1, "floor": self.floor, "applied": sorted(self.applied)})

    @staticmethod
    def from_json(raw: str) -> _Cursor | None:
        try:
            data = json.loads(raw)
            if data.get("format") != 1:
                return None
            return _Cursor(int(data["floor"]), {int(i) for i in data["applied"]})
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


class ChangeFollower:
    """Keeps this client's index following the change log of a PostgreSQL project; on any
    other database ``enabled`` is False and ``poll`` finds nothing."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.enabled = store.engine.dialect.name == "postgresql"
        # Names this client's own log entries, which it has applied and published already.
        self.client = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._cursor: _Cursor | None = None
        self._saved: _Cursor | None = None  # what index/follow.json holds
        self._saved_at = 0.0
        self._unreturned: list[RemoteChanges] = []  # found by catch_up, for the next poll
        self._unreturned_lock = threading.Lock()  # not _lock: a rebuild holds that throughout
        self._signal = postgres.ChangeSignal(store.engine, self.client) if self.enabled else None
        if self.enabled:
            postgres.name_connections(store.engine, self.client, lambda: store.user)
            store.on_rebuild = self._rebuilding
            store.catch_up = self.catch_up
            self._cursor = self._saved = self._load()

    @property
    def positioned(self) -> bool:
        """The index knows where in the log it stands (else it must be rebuilt to follow)."""
        return self._cursor is not None

    # ----------------------------------------------------------------- polling
    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds until another client commits a change (PostgreSQL
        notifies us); True if one may have. Not following: sleeps, False. One thread only."""
        if self._signal is None:
            time.sleep(timeout)
            return False
        return self._signal.wait(timeout)

    def close(self) -> None:
        """Before the index closes: the cursor saved, so the next open starts from here."""
        if self._signal is not None:
            self._signal.close()
        with self._lock:
            if self._cursor is not None and self._cursor != self._saved:
                self._save(self._cursor)

    def poll(self) -> RemoteChanges:
        """Apply to the index what other clients committed since the last poll, publish it on
        the change feed, and return it. Safe from any thread; a poll already running makes
        this one return nothing at once (the running one sees the same entries)."""
        remote = self._poll(blocking=False)[0]
        with self._unreturned_lock:
            if not self._unreturned:
                return remote
            earlier, self._unreturned = self._unreturned, []
        return _merged([*earlier, remote])

    def catch_up(self) -> tuple[int, int, int] | None:
        """Poll (waiting for one running), then the database's generation and numbers of
        documents and highlights in the snapshot the poll read: what the index now holds.
        None when not following (or the index has no place in the log yet). What it found
        is also returned by the next ``poll``, so a window following the polls misses none."""
        remote, numbers = self._poll(blocking=True)
        if remote:
            with self._unreturned_lock:
                self._unreturned.append(remote)
        return numbers

    def _poll(self, *, blocking: bool) -> tuple[RemoteChanges, tuple[int, int, int] | None]:
        if not self.enabled or not self._lock.acquire(blocking=blocking):
            return RemoteChanges(), None
        try:
            if self._cursor is None:
                return RemoteChanges(), None
            remote, cursor, update, numbers = self._read(self._cursor, measure=blocking)
            if update is not None and not self._store.readonly:
                self._store.apply_index(update)
            self._cursor = cursor
            # Saving waits for the index to commit, which it otherwise does once edits pause:
            # not at every poll. A cursor saved late only makes the next open apply again
            # entries the index holds, which does no harm.
            if cursor != self._saved and time.monotonic() - self._saved_at >= SAVE_EVERY:
                self._save(cursor)
        finally:
            self._lock.release()
        if remote:
            self._store.publish(remote.changes)
        return remote, numbers

    def _read(self, cursor: _Cursor, *, measure: bool
              ) -> tuple[RemoteChanges, _Cursor, IndexUpdate | None, tuple[int, int, int] | None]:
        with _snapshot(self._store) as conn, Session(bind=conn) as s:
            xmin = int(conn.execute(postgres.SNAPSHOT_XMIN).scalar_one())
            # Ids first: while a long transaction holds xmin back, the entries above the floor
            # are read again at every poll, and only the new ones need their lists of ids.
            row = ChangeLogRow
            listed = conn.execute(select(row.id, row.xact).where(row.xact >= cursor.floor)).all()
            moved = _Cursor(max(cursor.floor, xmin),
                            {i for i, xact in listed if xact is not None and xact >= xmin})
            fresh = sorted(i for i, _xact in listed if i not in cursor.applied)
            entries = tuple(
                _entry(r) for start in range(0, len(fresh), _BATCH)
                for r in s.scalars(select(row).where(row.id.in_(fresh[start:start + _BATCH]),
                                                     row.client != self.client).order_by(row.id)))
            numbers = _numbers(s) if measure else None
            if not entries:
                return RemoteChanges(), moved, None, numbers
            update, changes = _apply(s, _generation(s), entries)
        return RemoteChanges(changes, entries), moved, update, numbers

    # ----------------------------------------------------------------- the cursor
    def _path(self) -> Path:
        return self._store.folder / INDEX_DIR / CURSOR_FILE

    def _load(self) -> _Cursor | None:
        try:
            return _Cursor.from_json(self._path().read_text(encoding="utf-8"))
        except OSError:
            return None

    def _save(self, cursor: _Cursor) -> None:
        """After the index committed every update queued so far: a cursor saved ahead of its
        index would skip the changes lost with a crash."""
        try:
            self._store.index.commit_all()
            path = self._path()
            if not path.parent.is_dir():
                return  # no index to follow: the rebuild that makes one sets the cursor
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(cursor.to_json(), encoding="utf-8")
            os.replace(temporary, path)
            self._saved, self._saved_at = cursor, time.monotonic()
        except OSError:
            log.exception("could not save the change-log cursor; the next open catches up again")

    def _rebuilding(self) -> Callable[[bool], None]:
        """Called before a rebuild reads the database: the log's position now (every entry it
        holds is in what the rebuild reads); the returned function makes it the new index's
        cursor once the rebuild succeeded."""
        self._lock.acquire()
        try:
            with _snapshot(self._store) as conn:
                xmin = int(conn.execute(postgres.SNAPSHOT_XMIN).scalar_one())
                applied = set(conn.execute(select(ChangeLogRow.id)
                                           .where(ChangeLogRow.xact >= xmin)).scalars())
        except BaseException:
            self._lock.release()
            raise

        def done(succeeded: bool) -> None:
            try:
                if succeeded:
                    cursor = _Cursor(xmin, applied)
                    self._save(cursor)
                    self._cursor = cursor
            finally:
                self._lock.release()

        return done


@contextmanager
def _snapshot(store: Store) -> Iterator[Connection]:
    """One REPEATABLE READ transaction, rolled back after: the log, xmin and the rows it names
    are all read in the same snapshot."""
    with store.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, \
            conn.begin() as transaction:
        try:
            yield conn
        finally:
            transaction.rollback()


def _merged(batches: Sequence[RemoteChanges]) -> RemoteChanges:
    found = [b for b in batches if b]
    if len(found) <= 1:
        return found[0] if found else RemoteChanges()
    return RemoteChanges(Changes.merge([b.changes for b in found]),
                         tuple(e for b in found for e in b.entries))


def _generation(s: Session) -> int:
    row = s.get(MetaRow, "generation")
    return int(row.value) if row else 0


def _numbers(s: Session) -> tuple[int, int, int]:
    documents = s.scalar(select(func.count()).select_from(DocumentRow)) or 0
    highlights = s.scalar(select(func.count()).select_from(HighlightRow)) or 0
    return _generation(s), documents, highlights


def _ids(raw: str) -> frozenset[int]:
    return frozenset(int(i) for i in raw.split(",") if i)


def _entry(row: ChangeLogRow) -> LoggedChange:
    return LoggedChange(row.id, row.changed_at, row.coder, row.kind, row.action,
                        _ids(row.documents), _ids(row.highlights), _ids(row.tags))


def _apply(s: Session, generation: int, entries: Sequence[LoggedChange]) -> tuple[IndexUpdate, Changes]:
    """The index update and the views' ``Changes`` for these entries, from the rows as they
    stand in this snapshot."""
    documents: set[int] = set()  # whose index record (text, metadata, note) to rewrite
    highlights: set[int] = set()
    retitled: set[int] = set()  # documents whose metadata the highlights' records copy
    renamed: set[int] = set()  # tags whose name (or aliases) the highlights' records copy
    for e in entries:
        if e.kind == "documents":
            documents |= e.documents
            if e.action == "update":
                retitled |= e.documents
        elif e.kind == "notes":
            highlights |= e.highlights
            if not e.highlights:  # a note on the document itself
                documents |= e.documents
        elif e.kind in ("highlights", "highlight_tags"):
            highlights |= e.highlights
        elif e.kind == "tags" and e.action == "update":
            renamed |= e.tags
    if retitled:
        highlights.update(_in_batches(s, HighlightRow.id, HighlightRow.document_id, retitled))
    if renamed:
        highlights.update(_in_batches(s, highlight_tags.c.highlight_id, highlight_tags.c.tag_id, renamed))
    upsert_documents = list(_indexed_documents(s, documents))
    upsert_highlights = list(_indexed_highlights(s, highlights))
    update = IndexUpdate(
        generation=generation,
        upsert_documents=tuple(upsert_documents),
        delete_documents=tuple(sorted(documents - {d.id for d in upsert_documents})),
        upsert_highlights=tuple(upsert_highlights),
        delete_highlights=tuple(sorted(highlights - {h.id for h in upsert_highlights})),
    )
    touched_documents = {d for e in entries for d in e.documents} | {h.document_id for h in upsert_highlights}
    came_or_went = any(e.kind == "highlights" and e.action != "update" for e in entries)
    documents_came_or_went = any(e.kind == "documents" and e.action != "update" for e in entries)
    changes = Changes(
        documents=frozenset(touched_documents),
        highlights=frozenset(highlights),
        tags=frozenset(t for e in entries for t in e.tags),
        notes=any(e.kind == "notes" for e in entries),
        documents_added_or_removed=documents_came_or_went,
        codebook=any(e.kind in ("tags", "categories") for e in entries),
        same_highlight_counts=not (came_or_went or documents_came_or_went),
        saved_searches=any(e.kind == "saved_searches" for e in entries),
    )
    return update, changes


def _in_batches(s: Session, wanted: object, key: object, ids: Iterable[int]) -> Iterator[int]:
    values = sorted(ids)
    for start in range(0, len(values), _BATCH):
        yield from s.scalars(select(wanted).where(key.in_(values[start:start + _BATCH])))  # type: ignore[attr-defined, call-overload]


def _indexed_documents(s: Session, ids: Iterable[int]) -> Iterator[IndexedDocument]:
    values = sorted(ids)
    for start in range(0, len(values), _BATCH):
        batch = values[start:start + _BATCH]
        notes = dict(s.execute(select(NoteRow.document_id, NoteRow.text).where(
            NoteRow.document_id.in_(batch), NoteRow.highlight_id.is_(None))).all())
        for row in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(batch))):
            yield convert.indexed_document(row, notes.get(row.id))


def _indexed_highlights(s: Session, ids: Iterable[int]) -> Iterator[IndexedHighlight]:
    values = sorted(ids)
    for start in range(0, len(values), _BATCH):
        rows = s.scalars(
            select(HighlightRow).where(HighlightRow.id.in_(values[start:start + _BATCH]))
            .options(selectinload(HighlightRow.tags), selectinload(HighlightRow.note))
        ).all()
        document_ids = {r.document_id for r in rows}
        documents = {d.id: d for d in s.execute(
            select(DocumentRow.id, DocumentRow.title, DocumentRow.author, DocumentRow.published,
                   DocumentRow.format, DocumentRow.page_map).where(DocumentRow.id.in_(document_ids)))}
        for row in rows:
            doc = documents[row.document_id]
            yield convert.indexed_highlight(row, doc, convert.page_map_of(doc.page_map))
