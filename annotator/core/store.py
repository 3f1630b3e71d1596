"""The one store every Library service shares: the database engine and its sessions, the write
lock, the generation counter the search index follows, the index itself, and the feed on which
each write publishes the ``Changes`` it made.

Services (documents, highlights, codebook, search, excerpts, mentions) take a ``Store`` and
never the ``Library`` facade, so none of them imports the module that composes them. A write
looks like this::

    with self._store.write() as s:
        ...                                        # rows, through SQLAlchemy
        generation = self._store.next_generation(s)
        update = IndexUpdate(generation, ...)      # what the index must learn
        changes = Changes(...)                     # what the views must learn, same facts
    self._store.finish(update, changes)            # index after the commit, then the feed
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Integer, String, cast
from sqlalchemy.orm import Session

from annotator.core._db.dialect import content_fingerprint, is_sqlite
from annotator.core._db.engine import driver_connection
from annotator.core._db.row_digests import seal
from annotator.core._db.schema import MetaRow, meta_table
from annotator.core._search.records import IndexUpdate
from annotator.core.changes import Changes
from annotator.core.edit_check import OwnVersions
from annotator.core.errors import ReadOnlyProject
from annotator.core.file_guard import FileGuard
from annotator.core.storage_errors import translated
from annotator.core.text_cache import TextCache

if TYPE_CHECKING:
    from annotator.core._search.index import SearchIndex

log = logging.getLogger(__name__)

INDEX_DIR = "index"
DB_NAME = "project.sqlite"

ChangeListener = Callable[[Changes], None]


class ChangeCollector:
    """The ``Changes`` of every write made on one thread while it is open, merged in order."""

    def __init__(self) -> None:
        self._seen: list[Changes] = []

    def add(self, changes: Changes) -> None:
        self._seen.append(changes)

    @property
    def writes(self) -> int:
        return len(self._seen)

    @property
    def changes(self) -> Changes:
        return Changes.merge(self._seen) if self._seen else Changes()


class Store:
    """Owned by one ``Library``; safe to use from the GUI thread and one background job at once
    (writes are serialised by ``write_lock``)."""

    def __init__(self, folder: Path, engine: Engine, *, readonly: bool, user: str) -> None:
        self.folder = folder
        self.engine = engine
        self.readonly = readonly
        self.user = user
        # The coders whose highlights the read paths show (None: every coder); kept by
        # ``core.coders`` (the coder filter, blind coding).
        self.shown_coders: frozenset[str] | None = None
        self.write_lock = threading.RLock()
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        # Bumped as every write (and any raw connection) begins and ends: what a cache of the
        # database's content is keyed by (``stable_revision``).
        self._revision_lock = threading.Lock()
        self._revision = 0
        self._changing = 0
        # The texts the reader has open, so tagging quotes from them instead of reading back.
        self.texts = TextCache()
        self._listeners: list[ChangeListener] = []
        self._local = threading.local()
        # Row checksums (``_db.row_digests``) are kept by SQLite triggers and functions.
        self._sealed = is_sqlite(engine)
        # The database and -wal files this store opened: a write refuses to go on if a sync
        # client or a cleanup tool replaced or removed them underneath (``file_guard``).
        self.guard = FileGuard(folder / DB_NAME, self.raw_connection)
        # Called before bulk operations (a merge of tags, a delete of documents) with what is
        # about to happen; the Library sets it to take a backup.
        self.before_bulk: Callable[[str], object] = lambda _what: None
        # The highlight versions this process wrote: the optimistic check lets an edit follow
        # the coder's own changes, never another coder's (``edit_check``).
        self.own_versions = OwnVersions()
        # Called before a rebuild of the index reads the database; what it returns is called
        # with whether the rebuild succeeded. A team project's change follower sets it to
        # restart the index's place in the change log (``change_follower``).
        self.on_rebuild: Callable[[], Callable[[bool], None]] = lambda: lambda _ok: None
        # Before the index is compared with the database: a team project's follower applies
        # what others committed and returns (generation, documents, highlights) as of that
        # snapshot, which the comparison uses (their later writes are no sign of a stale index).
        self.catch_up: Callable[[], tuple[int, int, int] | None] = lambda: None
        # Why writes are refused although the project is open for work (a team project whose
        # server role may only read); None when the database decides at each write.
        self.refuse_writes: str | None = None
        # True when originals are kept in the database (team projects), not under sources/.
        self.originals_in_database = False

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use: opening it (and importing Whoosh) took a
        tenth of a second that a window's first paint and most CLI commands do not need."""
        index = self._index
        if index is None:
            with self._index_lock:
                if self._index is None:
                    from annotator.core._search.index import SearchIndex

                    self._index = SearchIndex(self.folder / INDEX_DIR, readonly=self.readonly,
                                              fingerprint=self.content_fingerprint)
                index = self._index
        return index

    @contextmanager
    def raw_connection(self) -> Iterator[Any]:
        """One of the engine's DB-API connections (backups, recovery copies)."""
        with self._changing_block(), self.engine.connect() as conn:
            yield conn.connection.driver_connection

    @contextmanager
    def _changing_block(self) -> Iterator[None]:
        with self._revision_lock:
            self._revision += 1
            self._changing += 1
        try:
            yield
        finally:
            with self._revision_lock:
                self._revision += 1
                self._changing -= 1

    def stable_revision(self) -> int | None:
        """A number that changes with every write this process makes, or None while one is
        under way: a cache of what the database holds is good while this number stays."""
        with self._revision_lock:
            return None if self._changing else self._revision

    # ----------------------------------------------------------------- sessions
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session to read with. Inside ``write`` on the same thread it is the writing
        session, so what a write reads (undo snapshots, counts) is what it changes."""
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        with translated(self.folder, os_errors=False), \
                Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, serialised with every other write of this process."""
        if self.readonly or self.refuse_writes:
            raise ReadOnlyProject(self.refuse_writes or f"{self.folder} is open read-only")
        if getattr(self._local, "session", None) is not None:
            raise RuntimeError("a write inside a write: pass the session down instead")
        with self.write_lock, self._changing_block(), translated(self.folder), \
                Session(self.engine, expire_on_commit=False) as session:
            self.guard.check()
            self._local.session = session
            try:
                with session.begin():
                    yield session
                    if self._sealed:
                        session.flush()  # the ORM's pending changes first: they fire the triggers
                        seal(driver_connection(session), self.folder)
            finally:
                self._local.session = None

    def generation(self) -> int:
        with self.read() as s:
            row = s.get(MetaRow, "generation")
            return int(row.value) if row else 0

    def next_generation(self, session: Session) -> int:
        """Bump, inside the writing transaction, the counter the search index is compared
        against; every write that changes what the index holds calls this exactly once."""
        # One UPDATE … RETURNING instead of an ORM load and flush: this runs on every edit.
        meta = meta_table
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

    def content_fingerprint(self) -> str:
        """A digest of every indexed column of the database (see ``_db.dialect``)."""
        with self.read() as s:
            return content_fingerprint(s.connection())

    # ----------------------------------------------------------------- after a write
    def finish(self, update: IndexUpdate | None, changes: Changes) -> None:
        """After the commit: hand the index its update, then publish what changed."""
        if update is not None:
            self.apply_index(update)
        self.publish(changes)

    def apply_index(self, update: IndexUpdate) -> None:
        """Index after the commit: the database is the truth. The index queues the update
        (one writer thread, so no "index is locked"); a broken index keeps it for the next
        rebuild and reports itself unhealthy, and the user's edit stands regardless."""
        try:
            self.index.apply(update)
        except Exception:
            log.exception("search index update failed; it will be rebuilt")

    # ----------------------------------------------------------------- the change feed
    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener`` with the ``Changes`` of every write, on the writing thread, after
        its commit. Returns the function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @contextmanager
    def collect(self) -> Iterator[ChangeCollector]:
        """Gather the ``Changes`` of the writes this thread makes inside the block (one user
        action may be several writes: the GUI turns them into one signal)."""
        stack: list[ChangeCollector] = self._local.__dict__.setdefault("collectors", [])
        collector = ChangeCollector()
        stack.append(collector)
        try:
            yield collector
        finally:
            stack.remove(collector)

    def publish(self, changes: Changes) -> None:
        for collector in getattr(self._local, "collectors", ()):
            collector.add(changes)
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:
                log.exception("a change listener failed")

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self.engine.dispose()
