"""Highlight changes that searches see before they are committed to disk.

A disk commit costs tens of milliseconds (more with many small segments), too long for "tag
it, search it" to feel instant. Small highlight-only updates are therefore staged here: their
records are indexed into a ``MemorySegment`` and every older copy (on disk or staged earlier)
is hidden, so a searcher over the disk segments plus this one sees exactly the updated state.
The writer thread commits staged updates to disk when the user pauses, and the overlay is
emptied in the same step (see ``SearchIndex._commit``).
"""

from __future__ import annotations

from whoosh.fields import Schema
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader, TermNotFound
from whoosh.searching import Searcher

from annotator.core._search.disk_readers import hiding
from annotator.core._search.memory_segment import MemorySegment
from annotator.core._search.records import IndexUpdate
from annotator.core._search.schema import highlight_fields, highlight_uid

# Bigger updates (a tag renamed on thousands of passages) are committed to disk directly:
# indexing them here would only move the same work onto the search path.
MAX_HIGHLIGHTS_PER_UPDATE = 50


def accepts(update: IndexUpdate) -> bool:
    """Whether ``update`` can be staged: highlights only (document changes delete by document,
    which the overlay does not model), and few of them."""
    return (
        not update.upsert_documents
        and not update.delete_documents
        and len(update.upsert_highlights) + len(update.delete_highlights) <= MAX_HIGHLIGHTS_PER_UPDATE
    )


class Overlay:
    """Not thread-safe: SearchIndex calls it under its search lock."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema
        self._segment = MemorySegment(schema)
        self._live: dict[str, int] = {}  # uid -> its current docnum in the memory segment
        self._hidden: list[str] = []  # uids whose disk copies are out of date, in staging order
        self._hidden_set: set[str] = set()
        # Disk docnums of hidden uids, per disk segment, for the disk readers they were found in.
        self._disk_key: object = None
        self._resolved = 0  # how many of _hidden have been looked up in those readers
        self._disk_hidden: dict[str, set[int]] = {}
        self.version = 0

    def __len__(self) -> int:
        return len(self._hidden)

    def add(self, update: IndexUpdate) -> None:
        """Stage one update (``accepts(update)`` must hold), in the order updates were made."""
        for highlight_id in update.delete_highlights:
            self._replace(highlight_uid(highlight_id), None)
        for highlight in update.upsert_highlights:
            self._replace(highlight_uid(highlight.id), highlight_fields(highlight))
        self.version += 1

    def _replace(self, uid: str, fields: dict | None) -> None:
        old = self._live.pop(uid, None)
        if old is not None:
            self._segment.delete_document(old)
        if fields is not None:
            self._live[uid] = self._segment.add(fields)
        if uid not in self._hidden_set:
            self._hidden_set.add(uid)
            self._hidden.append(uid)

    def reader(self, disk: list[SegmentReader], disk_key: object) -> IndexReader:
        """One reader over the disk segments (``disk``, identified by ``disk_key``) with
        every staged record's older copies hidden, plus the staged records."""
        if disk_key is not self._disk_key:
            self._disk_key, self._resolved, self._disk_hidden = disk_key, 0, {}
        if self._resolved < len(self._hidden):
            fresh = self._hidden[self._resolved :]
            for leaf in disk:
                found = _docnums(leaf, fresh)
                if found:
                    self._disk_hidden.setdefault(leaf.segment().segment_id(), set()).update(found)
            self._resolved = len(self._hidden)
        leaves: list[IndexReader] = []
        for leaf in disk:
            docnums = self._disk_hidden.get(leaf.segment().segment_id())
            leaves.append(hiding(leaf, docnums) if docnums else leaf)
        if self._segment.doc_count_all():
            leaves.append(self._segment.reader())
        if not leaves:
            return EmptyReader(self._schema)
        return leaves[0] if len(leaves) == 1 else MultiReader(leaves)

    def searcher(self, disk: list[SegmentReader], disk_key: object) -> Searcher:
        # The readers belong to DiskReaders (or are views): closing the searcher must not
        # close them.
        return Searcher(self.reader(disk, disk_key), closereader=False)


def _docnums(leaf: SegmentReader, uids: list[str]) -> list[int]:
    found: list[int] = []
    for uid in uids:
        try:
            found.extend(leaf.postings("uid", uid).all_ids())
        except TermNotFound:
            continue
    return found
