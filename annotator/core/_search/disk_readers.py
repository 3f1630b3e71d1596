"""Segment readers of the on-disk index, kept open across commits.

Opening a segment reads its term table's 256-entry directory and opens a dozen files (about a
millisecond each), and after a burst of edits there can be a hundred small segments: reopening
all of them after every commit made the first search after an edit wait hundreds of ms. Only
new segments are opened here. A segment that gained deletions keeps its reader, seen through a
copy pointing at the segment's new deletion set (``Searcher.refresh`` reuses readers as they
were, so records replaced since would be found twice).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Collection

from whoosh.index import FileIndex
from whoosh.reading import SegmentReader

log = logging.getLogger(__name__)


def with_deletions(reader: SegmentReader, segment: object) -> SegmentReader:
    """A view of ``reader`` (same open files) whose deleted records are ``segment``'s. Never
    close a view: its files belong to ``reader``."""
    view = copy.copy(reader)
    view._segment = segment  # SegmentReader keeps deletions on these two objects
    view._perdoc = copy.copy(reader._perdoc)
    view._perdoc._segment = segment
    view.__dict__.pop("deleted_docs_set", None)  # a cached property, computed from the segment
    return view


def hiding(reader: SegmentReader, docnums: Collection[int]) -> SegmentReader:
    """A view of ``reader`` that also treats ``docnums`` as deleted."""
    segment = copy.copy(reader.segment())
    segment._deleted = set(segment.deleted_docs()) | set(docnums)  # W3Segment
    return with_deletions(reader, segment)


class DiskReaders:
    """Not thread-safe: the caller serialises calls (SearchIndex holds its search lock)."""

    def __init__(self) -> None:
        self._open: dict[str, SegmentReader] = {}

    def refresh(self, ix: FileIndex) -> list[SegmentReader]:
        """Readers of the index's current segments, in the index's order."""
        toc = ix._read_toc()  # the public reader() would reopen every segment
        kept: dict[str, SegmentReader] = {}
        leaves = []
        for segment in toc.segments:
            sid = segment.segment_id()
            reader = self._open.get(sid)
            if reader is None:
                reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
            kept[sid] = reader
            leaves.append(with_deletions(reader, segment))
        for sid, reader in self._open.items():
            if sid not in kept:
                _close(reader)
        self._open = kept
        return leaves

    def close(self) -> None:
        for reader in self._open.values():
            _close(reader)
        self._open = {}


def _close(reader: SegmentReader) -> None:
    try:
        reader.close()
    except Exception:  # closing a damaged reader must not hide the real problem
        log.debug("closing a segment reader failed", exc_info=True)
