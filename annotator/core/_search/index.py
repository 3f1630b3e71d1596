"""The project's search index: open, check, rebuild, update and search it.

The index is a derived cache of the database. ``apply`` queues an update and returns at once;
one background writer (``UpdateQueue``) applies updates in order, so the GUI thread and
background jobs never meet "index is locked", and searches wait for queued updates first.
Small highlight updates are staged in an in-memory ``Overlay`` that searches read together
with the disk segments, and reach the disk in one commit once edits pause (or on close).
A rebuild writes a fresh index next to the live one and swaps folders at the end: a cancelled
or failed rebuild leaves the old index, and updates newer than the rebuild's snapshot are
replayed into the new index before the swap.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from annotator.core._search import index_check, index_files, overlay
from annotator.core._search.disk_readers import DiskReaders
from annotator.core._search.index_status import OTHER_VERSION, IndexStatus
from annotator.core._search.query_compiler import VariableField
from annotator.core._search.query_syntax import parse
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexUpdate
from annotator.core._search.result_builder import NOTHING_TO_SEARCH, DocumentTexts, build_results
from annotator.core._search.schema import (
    CATEGORY_PREFIX,
    KIND_DOCUMENT,
    KIND_HIGHLIGHT,
    META_UID,
    build_schema,
)
from annotator.core._search.update_queue import UpdateQueue
from annotator.core.errors import InvalidQuery, ReadOnlyProject
from annotator.core.progress import CancelToken, ProgressCallback
from annotator.core.search_results import INDEX_DAMAGED, INDEX_MISSING, SearchResults

log = logging.getLogger(__name__)

_DAMAGED = INDEX_DAMAGED
_MISSING = INDEX_MISSING


def _count(searcher: Searcher, kind: str) -> int:
    """Live records of ``kind``. Term frequencies still count deleted records, which are few
    (those replaced since the last merge), so subtract those instead of walking every posting:
    this runs when a project opens, and walking 100,000 postings takes a second."""
    total = 0
    for reader, _offset in searcher.reader().leaf_readers():
        total += reader.doc_frequency("kind", kind)
        if reader.has_deletions():
            deleted = reader.deleted_docs_set
            total -= sum(1 for docnum in deleted if reader.stored_fields(docnum).get("kind") == kind)
    return total


class SearchIndex:
    """One project's ``index/`` folder. Thread-safe: any thread may call any method."""

    def __init__(
        self,
        folder: Path,
        *,
        readonly: bool = False,
        fingerprint: Callable[[], str] | None = None,
    ) -> None:
        """``fingerprint`` reads the database's content fingerprint; each commit records it
        so ``status`` can tell an index that missed an edit made behind its back."""
        self._folder = Path(folder)
        self._readonly = readonly
        self._fingerprint = fingerprint
        # Held while the index files change (commits, merges, the swap after a rebuild).
        self._write_lock = threading.RLock()
        # Short sections only: apply() takes it and must never wait behind a commit.
        self._state_lock = threading.Lock()
        self._search_lock = threading.Lock()
        self._rebuild_lock = threading.Lock()
        self._index: FileIndex | None = None
        self._searcher: Searcher | None = None
        self._searcher_stale = False  # the disk segments changed since _disk was read
        self._disk = DiskReaders()
        self._disk_leaves: list | None = None
        self._overlay = overlay.Overlay(build_schema())  # staged updates; under the search lock
        self._overlay_version = -1  # the overlay version self._searcher shows
        self._error: str | None = None
        self._generation: int | None = None  # what the index holds, as far as we know
        self._floor = -1  # updates at or below the last rebuild's snapshot are already in it
        # Updates recorded while a rebuild runs or while the index is unusable, for replay.
        self._pending: list[IndexUpdate] | None = None
        self._queue = UpdateQueue(self._commit, self._merge_if_needed, self._stage)
        self._open()

    # -- opening and status --------------------------------------------------------------------

    def _open(self) -> None:
        """Caller holds the write lock (or is the constructor)."""
        self._index, self._error, self._generation = None, None, None
        if not index_files.has_index(self._folder):
            return
        try:
            self._index = index_files.open_index(self._folder, readonly=self._readonly)
            with self._index.searcher() as searcher:
                meta = searcher.document(uid=META_UID)
            self._generation = meta.get("generation") if meta else None
        except Exception as exc:  # noqa: BLE001 - any damage to the TOC or segment files
            self._error = f"cannot open index: {exc.__class__.__name__}: {exc}"
            log.warning("search index at %s: %s", self._folder, self._error)

    def _close_searcher(self) -> None:
        """Caller holds the search lock. The searcher owns no files; the disk readers do."""
        self._searcher = None
        self._disk_leaves = None
        self._disk.close()

    def status(self, *, deep: bool = False) -> IndexStatus:
        """Whether the index exists and can be read, its generation and record counts (after
        every queued update is committed). ``deep`` also reads every stored record (seconds on
        a big index) to find damage that opening alone does not reveal."""
        self._queue.commit_all()
        with self._write_lock:
            if self._index is None and self._error is None:
                self._open()
            if self._index is None:
                exists = self._folder.is_dir() and any(self._folder.iterdir())
                return IndexStatus(exists, False, None, 0, 0, self._error)
            try:
                with self._index.searcher() as searcher:
                    meta = searcher.document(uid=META_UID)
                    documents = _count(searcher, KIND_DOCUMENT)
                    highlights = _count(searcher, KIND_HIGHLIGHT)
                    if deep:
                        index_check.verify(searcher)
            except index_check.IndexDamaged as exc:
                self._error = f"cannot decode {exc}"
                return IndexStatus(True, False, None, 0, 0, self._error)
            except Exception as exc:  # noqa: BLE001 - reported as the index's status
                self._error = f"cannot read index: {exc.__class__.__name__}: {exc}"
                return IndexStatus(True, False, None, 0, 0, self._error)
        if meta is None:
            return IndexStatus(True, False, None, documents, highlights, "no generation recorded")
        generation = meta.get("generation")
        if meta.get("schema_version") != index_files.SCHEMA_VERSION:
            return IndexStatus(True, False, generation, documents, highlights, OTHER_VERSION)
        error = self._error
        return IndexStatus(
            True, error is None, generation, documents, highlights, error, meta.get("fingerprint")
        )

    # -- updating ------------------------------------------------------------------------------

    def apply(self, update: IndexUpdate) -> bool:
        """Queue one user action's changes for one commit; returns at once. False when the
        index is missing or damaged: the update is kept for the next rebuild, status() says why."""
        if self._readonly:
            raise ReadOnlyProject("the project is open read-only")
        with self._state_lock:
            if self._pending is not None:
                self._pending.append(update)
            if self._index is None or self._error is not None:
                if self._pending is None:
                    self._pending = [update]
                return False
        self._queue.put(update)
        return True

    def flush(self) -> None:
        """Wait until every applied update is searchable (searches do this)."""
        self._queue.flush()

    def commit_all(self) -> None:
        """Wait until every applied update is committed to disk (status() does this)."""
        self._queue.commit_all()

    def _stage(self, update: IndexUpdate) -> bool:
        """Runs on the writer thread: make ``update`` searchable without a commit, if it is
        small enough. ``_commit`` later receives it (first in its batch) and writes it."""
        if not overlay.accepts(update):
            return False
        with self._search_lock:
            if self._index is None or self._error is not None:
                return False
            if update.generation > self._floor:  # else the last rebuild holds it or newer
                self._overlay.add(update)
        return True

    def _commit(self, batch: list[IndexUpdate]) -> None:
        """Runs on the writer thread. ``batch`` starts with every staged update."""
        try:
            self._write(batch)
        finally:
            with self._search_lock:  # the disk now holds what was staged (or it is broken)
                self._reset_overlay()

    def _reset_overlay(self) -> None:
        """Caller holds the search lock."""
        self._overlay = overlay.Overlay(build_schema())
        self._searcher = None

    def _current_fingerprint(self) -> str | None:
        """Read after the batch's database commits (updates are applied after them), so it
        describes at least what the batch brings; None when it cannot be read."""
        if self._fingerprint is None:
            return None
        try:
            return self._fingerprint()
        except Exception:  # an unknown fingerprint only skips one comparison
            log.debug("content fingerprint unavailable", exc_info=True)
            return None

    def _write(self, batch: list[IndexUpdate]) -> None:
        fingerprint = self._current_fingerprint()  # outside the lock: a full-table read
        with self._write_lock:
            if self._index is None or self._error is not None:
                self._keep_for_rebuild(batch)
                return
            todo = [u for u in batch if u.generation > self._floor]
            if not todo:
                return
            # Updates from two threads may arrive out of order: keep the highest generation.
            generation = max(self._generation or 0, *(u.generation for u in todo))
            try:
                index_files.write_updates(self._index, todo, generation, fingerprint)
            except Exception as exc:  # noqa: BLE001 - the index is a cache: rebuilt, never fatal
                self._error = f"cannot write index: {exc.__class__.__name__}: {exc}"
                log.warning("search index at %s: %s", self._folder, self._error)
                self._keep_for_rebuild(todo)
                return
            self._generation = generation
            with self._search_lock:  # with the overlay reset in _commit: one atomic switch
                self._searcher_stale = True
            if index_files.needs_merge(self._index):
                self._queue.request_housekeeping()

    def _keep_for_rebuild(self, updates: list[IndexUpdate]) -> None:
        with self._state_lock:
            if self._pending is None:
                self._pending = []
            self._pending.extend(u for u in updates if u not in self._pending)

    def _merge_if_needed(self) -> bool:
        """Runs on the writer thread when it is idle. Returns True to be called again."""
        with self._write_lock:
            if self._index is None or self._error is not None:
                return False
            if not index_files.needs_merge(self._index):
                return False
            index_files.merge_segments(self._index)
            with self._search_lock:
                self._searcher_stale = True
            return index_files.needs_merge(self._index)

    # -- rebuilding ----------------------------------------------------------------------------

    def rebuild(
        self,
        documents: Iterable[IndexedDocument],
        highlights: Iterable[IndexedHighlight],
        *,
        generation: int,
        total: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        procs: int | None = None,
        fingerprint: str | None = None,
        processes: int = 1,
    ) -> None:
        """Build a fresh index from the records (a snapshot of the database at ``generation``,
        whose content ``fingerprint`` describes) and swap it in. Whoosh forks up to
        ``processes`` writer processes for a big rebuild (the caller says whether forking is
        safe); ``procs`` sets the exact number instead (tests, benchmarks)."""
        if self._readonly:
            raise ReadOnlyProject("the project is open read-only")
        with self._rebuild_lock:
            with self._state_lock:
                if self._pending is None:
                    self._pending = []
            staging = self._folder.with_name(self._folder.name + ".rebuilding")
            try:
                index_files.build_index(
                    staging,
                    documents,
                    highlights,
                    generation=generation,
                    total=total,
                    progress=progress,
                    cancel=cancel,
                    procs=procs if procs is not None else index_files.writer_processes(processes, total),
                    fingerprint=fingerprint,
                )
                self._replay_and_swap(staging, generation)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                with self._state_lock:
                    if self._index is not None and self._error is None:
                        self._pending = None
                raise

    def _replay_and_swap(self, staging: Path, generation: int) -> None:
        with self._write_lock:
            with self._state_lock:
                newer = [u for u in self._pending or () if u.generation > generation]
            final = max([generation, *(u.generation for u in newer)])
            if newer:
                fresh = index_files.open_index(staging, readonly=False)
                try:
                    index_files.write_updates(fresh, newer, final, self._current_fingerprint())
                finally:
                    fresh.close()
            with self._search_lock:
                self._close_searcher()
                if self._index is not None:
                    self._index.close()
                index_files.swap_in(staging, self._folder)
                self._open()
                # Staged updates newer than what the new index holds stay visible.
                replayed = {id(u) for u in newer}
                self._reset_overlay()
                for update in self._queue.staged():
                    if update.generation > generation and id(update) not in replayed:
                        self._overlay.add(update)
            # Updates still queued from before the snapshot are in it already; later ones
            # were replayed above and will be written again, harmlessly, by the writer.
            self._floor = generation
            with self._state_lock:
                self._pending = None

    # -- searching -----------------------------------------------------------------------------

    def _current_searcher(self) -> Searcher | None:
        """Caller holds the search lock. The disk segments' readers stay open across commits
        (only new segments are opened); the staged updates are read with them."""
        if self._index is None:
            return None
        if self._disk_leaves is None or self._searcher_stale:
            self._searcher_stale = False
            self._searcher = None
            self._disk_leaves = self._disk.refresh(self._index)
        if self._searcher is None or self._overlay_version != self._overlay.version:
            self._searcher = self._overlay.searcher(self._disk_leaves, self._disk_leaves)
            self._overlay_version = self._overlay.version
        return self._searcher

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        document_text: Callable[[int], str] | None = None,
        categories: Collection[str] = (),
        document_texts: DocumentTexts | None = None,
        variables: Mapping[str, VariableField] | None = None,
    ) -> SearchResults:
        """Run a search-box query (see QUERY_HELP). ``document_text(id)`` supplies bodies for
        snippets (``document_texts(ids)``, if given, all of a page's at once); ``categories``
        names tag categories that exist in the database even if no highlight uses them yet, so
        ``stance:`` is not reported as an unknown field."""
        started = time.perf_counter()
        parsed = parse(query)
        if parsed.tree is None and not parsed.warnings:  # "", (), actor:"" and blanks
            raise InvalidQuery(NOTHING_TO_SEARCH + ".")
        self._queue.flush()
        with self._search_lock:
            try:
                searcher = self._current_searcher()
            except Exception as exc:  # noqa: BLE001 - answered as a damaged index
                self._error = f"cannot read index: {exc.__class__.__name__}: {exc}"
                searcher = None
            if searcher is None:
                notice = _DAMAGED if self._error else _MISSING
                return SearchResults(query, (), 0, _ms(started), (*parsed.warnings, notice))
            index_categories = [
                name[len(CATEGORY_PREFIX) :]
                for name in searcher.reader().indexed_field_names()
                if name.startswith(CATEGORY_PREFIX)
            ]
            try:
                return build_results(
                    searcher,
                    query,
                    parsed,
                    categories=[*index_categories, *categories],
                    limit=limit,
                    document_text=document_text,
                    started=started,
                    document_texts=document_texts,
                    variables=variables,
                )
            except InvalidQuery:
                raise
            except Exception as exc:  # a damaged segment surfaces only when it is read
                damage = self._damage(exc)
                if damage is None:  # the index is sound: this query cannot be run
                    log.debug("query %r failed on a sound index", query, exc_info=True)
                    raise InvalidQuery(
                        f"This search cannot be run ({exc.__class__.__name__}: {exc})."
                    ) from None
                log.warning("search index at %s: %s", self._folder, damage)
                log.debug("the failed search", exc_info=True)
                self._error = f"cannot read index: {damage}"
                return SearchResults(query, (), 0, _ms(started), (*parsed.warnings, _DAMAGED))

    def _damage(self, exc: Exception) -> str | None:
        """What is wrong with the index files, if a failed search was their fault: only then
        may it mark the index broken (which stops updates until a rebuild). The disk segments
        are read afresh, without the staged updates, which live in memory."""
        if isinstance(exc, index_check.DAMAGE_ERRORS):
            return f"{exc.__class__.__name__}: {exc}"
        if self._index is None:
            return None
        try:
            with self._index.searcher() as fresh:
                index_check.verify(fresh)
        except index_check.IndexDamaged as damaged:
            return str(damaged)
        except Exception as failed:  # noqa: BLE001 - the segments cannot even be opened
            return f"{failed.__class__.__name__}: {failed}"
        return None

    def close(self) -> None:
        """Commit what is queued, then release the files."""
        self._queue.close()
        with self._write_lock, self._search_lock:
            self._close_searcher()
            if self._index is not None:
                self._index.close()
                self._index = None


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
