"""Whoosh operations on one index folder: open, write a batch of updates, merge segments,
build a fresh index and swap folders. No locking or threads here; ``index.SearchIndex`` owns
those."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexUpdate
from annotator.core._search.schema import (
    META_UID,
    build_schema,
    document_fields,
    highlight_fields,
    highlight_uid,
    meta_fields,
)
from annotator.core._search.whoosh_internals import WriterCodec, index_segments, open_writer
from annotator.core._search.worker_guard import orphan_guard, stop_workers
from annotator.core.errors import Cancelled
from annotator.core.progress import CancelToken, Progress, ProgressCallback

# Bumped whenever the schema or analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 8  # 8: author and source in the text field, author phrases, fingerprint
WRITER_TIMEOUT_S = 10.0
REPORT_EVERY = 100

# Every Whoosh writer opens a reader on each segment, so one-record commits must be folded
# together; but merging costs about 0.25 ms per distinct term, so it is done in tiers (by
# number of records: 1-9, 10-99, 100-999…): once a tier holds SEGMENTS_PER_TIER segments,
# they and all smaller ones are folded into one. The largest segment (what a rebuild wrote) is
# never rewritten. Most merges fold a handful of tiny segments in tens of milliseconds.
SEGMENTS_PER_TIER = 4

# One file per segment part, not Whoosh's compound file: opening a compound segment copies each
# part into memory (BytesIO over the mmap), tens of MB for a big segment, and every writer and
# searcher opens every segment, so each update and the first search after it paid for it.
COMPOUND = False


def has_index(folder: Path) -> bool:
    # Not windex.exists_in: it opens the index and lets most kinds of damage raise.
    return folder.is_dir() and any(folder.glob("_MAIN_*.toc"))


def open_index(folder: Path, *, readonly: bool) -> FileIndex:
    # Our schema, not the pickled one, so analysis code can move without breaking old indexes.
    return windex.open_dir(str(folder), readonly=readonly, schema=build_schema())


def net_changes(updates: list[IndexUpdate]) -> tuple[list[str], dict[str, dict[str, Any] | None]]:
    """What ``updates``, applied in order, change: the documents whose records all go, and per
    record uid its final fields (None: deleted). A writer's deletions only reach records
    committed before it, so a batch that touched a record twice (a highlight tagged, then
    tagged again) must add only its last version, or both would be found."""
    gone_documents: list[str] = []
    final: dict[str, dict[str, Any] | None] = {}
    for update in updates:
        for document_id in update.delete_documents:
            doc = str(document_id)
            gone_documents.append(doc)
            for uid, fields in list(final.items()):
                if fields is not None and fields["doc"] == doc:
                    del final[uid]  # added earlier in this batch; the term deletion misses it
        for highlight_id in update.delete_highlights:
            final[highlight_uid(highlight_id)] = None
        for document in update.upsert_documents:
            fields = document_fields(document)
            final[fields["uid"]] = fields
        for highlight in update.upsert_highlights:
            fields = highlight_fields(highlight)
            final[fields["uid"]] = fields
    return gone_documents, final


def write_updates(
    ix: FileIndex, updates: list[IndexUpdate], generation: int, fingerprint: str | None = None
) -> None:
    """One commit holding ``updates`` and the new generation (the meta record is in the same
    commit, so the stored generation never runs ahead of the data)."""
    gone_documents, final = net_changes(updates)
    final[META_UID] = meta_fields(generation, SCHEMA_VERSION, fingerprint)
    writer = open_writer(ix, timeout=WRITER_TIMEOUT_S, compound=COMPOUND, codec=WriterCodec())
    try:
        for document_id in dict.fromkeys(gone_documents):
            writer.delete_by_term("doc", document_id)  # the document and all its highlights
        for uid, fields in final.items():
            writer.delete_by_term("uid", uid)
            if fields is not None:
                writer.add_document(**fields)
        writer.commit(merge=False)  # merging is housekeeping, done later off the hot path
    except BaseException:
        writer.cancel()
        raise


def _tier(seg: Any) -> int:
    return len(str(max(1, seg.doc_count_all())))


def _to_fold(segments: list[Any]) -> list[Any]:
    """The segments to fold together now (empty when no tier is full)."""
    if len(segments) < 2:
        return []
    largest = max(segments, key=lambda seg: seg.doc_count_all())
    rest = [seg for seg in segments if seg is not largest]
    tiers: dict[int, int] = {}
    for seg in rest:
        tiers[_tier(seg)] = tiers.get(_tier(seg), 0) + 1
    full = [tier for tier, count in tiers.items() if count >= SEGMENTS_PER_TIER]
    if not full:
        return []
    top = max(full)
    return [seg for seg in rest if _tier(seg) <= top]


def _fold_policy(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    fold = _to_fold(segments)
    for seg in fold:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in fold]


def needs_merge(ix: FileIndex) -> bool:
    return bool(_to_fold(index_segments(ix)))


def merge_segments(ix: FileIndex) -> None:
    writer = open_writer(ix, timeout=WRITER_TIMEOUT_S, compound=COMPOUND, codec=WriterCodec())
    try:
        writer.commit(mergetype=_fold_policy)
    except BaseException:
        writer.cancel()
        raise


# Starting writer processes costs more than a small index takes to build.
PARALLEL_FROM_RECORDS = 2000


def writer_processes(allowed: int, total: int | None) -> int:
    """Writer processes for a rebuild of ``total`` records when the caller allows up to
    ``allowed`` (Whoosh forks them, which only the caller knows is safe: forking a process that
    runs Qt threads can deadlock). More than one only for big rebuilds, on 2+ cores."""
    if allowed < 2 or (os.cpu_count() or 1) < 2:
        return 1
    if total is not None and total < PARALLEL_FROM_RECORDS:
        return 1
    return min(allowed, os.cpu_count() or 1)


def _records(
    documents: Iterable[IndexedDocument], highlights: Iterable[IndexedHighlight]
) -> Iterator[dict[str, object]]:
    for document in documents:
        yield document_fields(document)
    for highlight in highlights:
        yield highlight_fields(highlight)


def build_index(
    staging: Path,
    documents: Iterable[IndexedDocument],
    highlights: Iterable[IndexedHighlight],
    *,
    generation: int,
    total: int | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    procs: int,
    fingerprint: str | None = None,
) -> None:
    """A complete index in ``staging`` (emptied first); raises Cancelled when asked to stop."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    fresh = windex.create_in(str(staging), build_schema())
    with orphan_guard():
        writer = open_writer(fresh, procs=procs, limitmb=128, compound=COMPOUND, codec=WriterCodec())
        try:
            _fill(writer, documents, highlights, generation=generation, total=total,
                  progress=progress, cancel=cancel, fingerprint=fingerprint)
        except BaseException:
            stop_workers(writer)
            raise
        finally:
            fresh.close()


def _fill(
    writer: Any,
    documents: Iterable[IndexedDocument],
    highlights: Iterable[IndexedHighlight],
    *,
    generation: int,
    total: int | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    fingerprint: str | None,
) -> None:
    done = 0

    def report(label: str) -> None:
        if progress is not None:
            progress(Progress(done, max(total or 0, done), label))

    try:
        for fields in _records(documents, highlights):
            writer.add_document(**fields)
            done += 1
            if done % REPORT_EVERY == 0:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled("reindex cancelled")
                report("Indexing")
        writer.add_document(**meta_fields(generation, SCHEMA_VERSION, fingerprint))
        if cancel is not None and cancel.cancelled:
            raise Cancelled("reindex cancelled")
        report("Writing the index")
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    report("Done")


def swap_in(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging``. A crash in between leaves no index, which the next
    open reports as missing and rebuilds: never a half-written one."""
    retired = folder.with_name(folder.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if folder.exists():
        folder.rename(retired)
    staging.rename(folder)
    shutil.rmtree(retired, ignore_errors=True)
