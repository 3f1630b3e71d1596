"""The on-disk search index: open, check, rebuild, update and search it.

The index is a derived cache of the database. Writes are serialised by one in-process lock
(the GUI thread and background jobs share a ``SearchIndex``) plus Whoosh's own file lock with a
timeout, so "index is locked" never reaches the user. A rebuild writes a fresh index next to the
live one and swaps folders at the end, so a cancelled or failed rebuild leaves the old index;
updates applied while it runs are replayed into the new index before the swap.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from annotator.core._search.query_syntax import parse
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexUpdate
from annotator.core._search.result_builder import build_results
from annotator.core._search.schema import (
    CATEGORY_PREFIX,
    KIND_DOCUMENT,
    KIND_HIGHLIGHT,
    META_UID,
    build_schema,
    document_fields,
    highlight_fields,
    highlight_uid,
    meta_fields,
)
from annotator.core.errors import Cancelled, InvalidQuery, ReadOnlyProject
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.core.search_results import SearchResults

log = logging.getLogger(__name__)

# Bumped whenever the schema or analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 2
WRITER_TIMEOUT_S = 10.0
# Every writer opens a reader on each segment (~1.5 ms each), so one-record commits must not
# pile up segments. Each apply() folds the tiny segments of earlier applies into its own (a few
# ms); every MERGE_EVERY commits a background thread folds the small ones. The big segments a
# rebuild wrote are never rewritten here (that would cost seconds).
TINY_SEGMENT_DOCS = 100
TINY_SEGMENTS_BEFORE_MERGE = 4
MERGE_EVERY = 32
SMALL_SEGMENT_DOCS = 2000
_REPORT_EVERY = 100
_DAMAGED = "The search index is damaged and is being rebuilt; results may be incomplete."
_MISSING = "The search index is being built; results will appear when it is ready."


@dataclass(frozen=True, slots=True)
class IndexStatus:
    exists: bool
    healthy: bool
    generation: int | None
    documents: int
    highlights: int
    error: str | None = None


def _count(searcher: Searcher, kind: str) -> int:
    # docs_for_query skips deleted documents, unlike doc_frequency.
    return sum(1 for _ in searcher.docs_for_query(wq.Term("kind", kind)))


def _merge_policy(max_docs: int, min_segments: int) -> Callable[[SegmentWriter, list[Any]], list[Any]]:
    """A Whoosh merge policy folding every segment under ``max_docs`` records into the new one
    once there are ``min_segments`` of them. (Whoosh's MERGE_SMALL folds only a few at a time,
    so one-record commits pile up.)"""

    def merge(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
        from whoosh.reading import SegmentReader

        small = [seg for seg in segments if seg.doc_count_all() < max_docs]
        if len(small) < min_segments:
            return segments
        for seg in small:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
        return [seg for seg in segments if seg.doc_count_all() >= max_docs]

    return merge


_MERGE_TINY = _merge_policy(TINY_SEGMENT_DOCS, TINY_SEGMENTS_BEFORE_MERGE)
_MERGE_SMALL = _merge_policy(SMALL_SEGMENT_DOCS, 2)


def _write_update(writer: SegmentWriter, update: IndexUpdate) -> None:
    for document_id in update.delete_documents:
        writer.delete_by_term("doc", str(document_id))  # the document and all its highlights
    for highlight_id in update.delete_highlights:
        writer.delete_by_term("uid", highlight_uid(highlight_id))
    for document in update.upsert_documents:
        writer.update_document(**document_fields(document))
    for highlight in update.upsert_highlights:
        writer.update_document(**highlight_fields(highlight))
    writer.update_document(**meta_fields(update.generation, SCHEMA_VERSION))


class SearchIndex:
    """One project's index folder. Thread-safe; ``search`` may run on any thread."""

    def __init__(self, folder: Path, *, readonly: bool = False) -> None:
        self._folder = Path(folder)
        self._readonly = readonly
        self._write_lock = threading.RLock()
        self._search_lock = threading.Lock()
        self._rebuild_lock = threading.Lock()
        self._index: FileIndex | None = None
        self._searcher: Searcher | None = None
        self._searcher_stale = False
        self._error: str | None = None
        # Updates recorded while a rebuild runs or while the index is unusable.
        self._pending: list[IndexUpdate] | None = None
        self._commits_since_merge = 0
        self._merger: threading.Thread | None = None
        self._open()

    # -- opening and status --------------------------------------------------------------------

    def _open(self) -> None:
        self._index = None
        self._error = None
        # Not windex.exists_in: it opens the index and lets most kinds of damage raise.
        if not self._folder.is_dir() or not any(self._folder.glob("_MAIN_*.toc")):
            return
        try:
            self._index = windex.open_dir(
                str(self._folder), readonly=self._readonly, schema=build_schema()
            )
        except Exception as exc:  # any damage to the TOC or segment files
            self._error = f"cannot open index: {exc.__class__.__name__}: {exc}"
            log.warning("search index at %s: %s", self._folder, self._error)

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # closing a damaged reader must not hide the real problem
                log.debug("closing searcher failed", exc_info=True)
            self._searcher = None

    def status(self, *, deep: bool = False) -> IndexStatus:
        """Whether the index exists and can be read, its generation and record counts.
        ``deep`` also reads every stored record (seconds on a big index) to find damage that
        opening alone does not reveal."""
        with self._write_lock:
            if self._index is None and self._error is None:
                self._open()
            if self._index is None:
                exists = self._folder.exists() and any(self._folder.iterdir())
                return IndexStatus(exists, False, None, 0, 0, self._error)
            try:
                with self._index.searcher() as searcher:
                    meta = searcher.document(uid=META_UID)
                    documents = _count(searcher, KIND_DOCUMENT)
                    highlights = _count(searcher, KIND_HIGHLIGHT)
                    if deep:  # reading every stored record touches each segment's data
                        for _ in searcher.reader().all_stored_fields():
                            pass
            except Exception as exc:
                self._error = f"cannot read index: {exc.__class__.__name__}: {exc}"
                return IndexStatus(True, False, None, 0, 0, self._error)
            if meta is None:
                return IndexStatus(True, False, None, documents, highlights, "no generation recorded")
            if meta.get("schema_version") != SCHEMA_VERSION:
                return IndexStatus(
                    True, False, meta.get("generation"), documents, highlights,
                    "index was built by another version",
                )
            return IndexStatus(
                True, self._error is None, meta.get("generation"), documents, highlights, self._error
            )

    # -- writing -------------------------------------------------------------------------------

    def apply(self, update: IndexUpdate) -> bool:
        """Apply one user action's changes in one commit. Returns False when the index is
        missing or damaged (the update is kept for the next rebuild and status() says why)."""
        if self._readonly:
            raise ReadOnlyProject("the project is open read-only")
        with self._write_lock:
            if self._pending is not None:
                self._pending.append(update)
            if self._index is None or self._error is not None:
                if self._pending is None:
                    self._pending = [update]
                return False
            try:
                writer = self._index.writer(timeout=WRITER_TIMEOUT_S)
            except Exception as exc:
                self._fail_write(update, f"index busy: {exc}")
                return False
            try:
                _write_update(writer, update)
                writer.commit(mergetype=_MERGE_TINY)
            except Exception as exc:
                try:
                    writer.cancel()
                except Exception:
                    log.debug("cancelling the writer failed", exc_info=True)
                self._fail_write(update, f"cannot write index: {exc.__class__.__name__}: {exc}")
                return False
            self._searcher_stale = True
            self._commits_since_merge += 1
            if self._commits_since_merge >= MERGE_EVERY and self._merger is None:
                self._commits_since_merge = 0
                self._merger = threading.Thread(
                    target=self._merge_small_segments, name="search-index-merge", daemon=True
                )
                self._merger.start()
            return True

    def _merge_small_segments(self) -> None:
        try:
            with self._write_lock:
                if self._index is None or self._error is not None:
                    return
                writer = self._index.writer(timeout=WRITER_TIMEOUT_S)
                try:
                    writer.commit(mergetype=_MERGE_SMALL)
                except BaseException:
                    writer.cancel()
                    raise
                self._searcher_stale = True
        except Exception:  # merging is housekeeping: the next merge or rebuild tries again
            log.warning("merging search index segments failed", exc_info=True)
        finally:
            self._merger = None

    def wait_for_housekeeping(self) -> None:
        """Block until a background segment merge (if any) has finished."""
        merger = self._merger
        if merger is not None:
            merger.join()

    def _fail_write(self, update: IndexUpdate, error: str) -> None:
        log.warning("search index at %s: %s", self._folder, error)
        self._error = error
        if self._pending is None:
            self._pending = [update]
        elif update not in self._pending:
            self._pending.append(update)

    def rebuild(
        self,
        documents: Iterable[IndexedDocument],
        highlights: Iterable[IndexedHighlight],
        *,
        generation: int,
        total: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        procs: int = 1,
    ) -> None:
        """Build a fresh index from the records and swap it in. ``procs`` > 1 forks worker
        processes: only pass it from a process without Qt threads (the CLI)."""
        if self._readonly:
            raise ReadOnlyProject("the project is open read-only")
        with self._rebuild_lock:
            with self._write_lock:
                if self._pending is None:
                    self._pending = []
            staging = self._folder.with_name(self._folder.name + ".rebuilding")
            try:
                self._build(staging, documents, highlights, generation, total, progress, cancel, procs)
                with self._write_lock:
                    self._replay_and_swap(staging, generation)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                with self._write_lock:
                    if self._index is not None and self._error is None:
                        self._pending = None
                raise

    def _build(
        self,
        staging: Path,
        documents: Iterable[IndexedDocument],
        highlights: Iterable[IndexedHighlight],
        generation: int,
        total: int | None,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
        procs: int,
    ) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        fresh = windex.create_in(str(staging), build_schema())
        options: dict[str, object] = {"limitmb": 128}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        writer = fresh.writer(**options)
        done = 0
        try:
            for fields in self._records(documents, highlights):
                writer.add_document(**fields)
                done += 1
                if done % _REPORT_EVERY == 0:
                    if cancel is not None and cancel.cancelled:
                        raise Cancelled("reindex cancelled")
                    if progress is not None:
                        progress(Progress(done, max(total or 0, done), "Indexing"))
            writer.add_document(**meta_fields(generation, SCHEMA_VERSION))
            if cancel is not None and cancel.cancelled:
                raise Cancelled("reindex cancelled")
            if progress is not None:
                progress(Progress(done, max(total or 0, done), "Writing the index"))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        finally:
            fresh.close()
        if progress is not None:
            progress(Progress(done, max(total or 0, done), "Done"))

    @staticmethod
    def _records(
        documents: Iterable[IndexedDocument], highlights: Iterable[IndexedHighlight]
    ) -> Iterable[dict[str, object]]:
        for document in documents:
            yield document_fields(document)
        for highlight in highlights:
            yield highlight_fields(highlight)

    def _replay_and_swap(self, staging: Path, generation: int) -> None:
        """Caller holds the write lock. Changes newer than the rebuild's snapshot go in first."""
        newer = [u for u in self._pending or () if u.generation > generation]
        if newer:
            fresh = windex.open_dir(str(staging), schema=build_schema())
            writer = fresh.writer(timeout=WRITER_TIMEOUT_S)
            try:
                for update in newer:
                    _write_update(writer, update)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            finally:
                fresh.close()
        with self._search_lock:
            self._close_searcher()
            if self._index is not None:
                self._index.close()
                self._index = None
            retired = self._folder.with_name(self._folder.name + ".old")
            shutil.rmtree(retired, ignore_errors=True)
            if self._folder.exists():
                self._folder.rename(retired)
            staging.rename(self._folder)
            shutil.rmtree(retired, ignore_errors=True)
            self._pending = None
            self._open()

    # -- searching -----------------------------------------------------------------------------

    def _current_searcher(self) -> Searcher | None:
        """Caller holds the search lock. One long-lived searcher, refreshed after writes."""
        if self._searcher is None:
            if self._index is None:
                return None
            self._searcher = self._index.searcher()
            self._searcher_stale = False
        elif self._searcher_stale:
            # Not Searcher.refresh(): it reuses segment readers whose deletion sets are stale,
            # so updated records would be counted twice. A fresh open costs a few ms per write.
            self._searcher_stale = False
            self._close_searcher()
            self._searcher = self._index.searcher()
        return self._searcher

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        document_text: Callable[[int], str] | None = None,
        categories: Collection[str] = (),
    ) -> SearchResults:
        """Run a search-box query. ``categories`` names tag categories that exist in the
        database even if no highlight uses them yet, so ``stance:`` is not "unknown"."""
        started = time.perf_counter()
        parsed = parse(query)
        if parsed.tree is None and not parsed.warnings:
            return SearchResults(query, (), 0, 0.0, ())
        with self._search_lock:
            try:
                searcher = self._current_searcher()
            except Exception as exc:
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
                )
            except InvalidQuery:
                raise
            except Exception as exc:  # a damaged segment surfaces only when it is read
                log.warning("search failed on %s", self._folder, exc_info=True)
                self._error = f"cannot read index: {exc.__class__.__name__}: {exc}"
                return SearchResults(query, (), 0, _ms(started), (*parsed.warnings, _DAMAGED))

    def close(self) -> None:
        self.wait_for_housekeeping()
        with self._write_lock, self._search_lock:
            self._close_searcher()
            if self._index is not None:
                self._index.close()
                self._index = None


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0

