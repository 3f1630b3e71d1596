"""Segment readers of the on-disk index, kept open across commits.

Opening a segment reads its term table's 256-entry directory and opens a dozen files (about a
millisecond each), and after a burst of edits there can be a hundred small segments: reopening
all of them after every commit made the first search after an edit wait hundreds of ms. Only
new segments are opened here. A segment that gained deletions keeps its reader, seen through a
copy pointing at the segment's new deletion set (``Searcher.refresh`` reuses readers as they
were, so records replaced since would be found twice).
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from whoosh.index import FileIndex
from whoosh.reading import SegmentReader

from annotator.core._search.whoosh_internals import read_toc, reader_with_deletions, segment_hiding

log = logging.getLogger(__name__)


def hiding(reader: SegmentReader, docnums: Collection[int]) -> SegmentReader:
    """A view of ``reader`` (never close it) that also treats ``docnums`` as deleted."""
    return reader_with_deletions(reader, segment_hiding(reader.segment(), docnums))


class DiskReaders:
    """Not thread-safe: the caller serialises calls (SearchIndex holds its search lock)."""

    def __init__(self) -> None:
        self._open: dict[str, SegmentReader] = {}

    def refresh(self, ix: FileIndex) -> list[SegmentReader]:
        """Readers of the index's current segments, in the index's order."""
        toc = read_toc(ix)  # only new segments are opened
        kept: dict[str, SegmentReader] = {}
        leaves = []
        for segment in toc.segments:
            sid = segment.segment_id()
            reader = self._open.get(sid)
            if reader is None:
                reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
            kept[sid] = reader
            leaves.append(reader_with_deletions(reader, segment))
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
