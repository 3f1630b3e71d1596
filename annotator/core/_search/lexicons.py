"""The words a wildcard that starts with ``*`` or ``?`` matches, from each segment's words kept
in memory.

Whoosh finds such a wildcard's words by reading the field's whole term table from disk, one
seek and read per word (about 80,000 at 20,000 documents: over a second per query, twice
with the snippets' marking). A segment on disk never changes once written, so its words are
read once per segment and field and the pattern is matched against them in memory; patterns
with a literal prefix keep Whoosh's own prefix seek, which is fast.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from whoosh import query as wq
from whoosh.reading import IndexReader

from annotator.core._search.memory_segment import MemorySegment
from annotator.core._search.whoosh_internals import wildcard_literal_prefix, wildcard_regex

MAX_KEPT = 48  # (segment, field) word lists kept; an index holds a few segments of ~8 fields
_kept: OrderedDict[tuple[str, str], tuple[tuple[bytes, str], ...]] = OrderedDict()
_lock = threading.Lock()


def pattern_words(q: wq.Wildcard, reader: IndexReader) -> list[bytes]:
    """The words Whoosh expands ``q`` to (``q.expanded_terms(reader)``), in the same order."""
    if wildcard_literal_prefix(q) or q.fieldname not in reader.schema:
        return [word for _fieldname, word in q.expanded_terms(reader)]
    exp = re.compile(wildcard_regex(q))
    if reader.is_atomic():
        return [btext for btext, text in _field_words(reader, q.fieldname) if exp.match(text)]
    found = {btext for leaf, _offset in reader.leaf_readers()
             for btext, text in _field_words(leaf, q.fieldname) if exp.match(text)}
    return sorted(found)  # a multi-reader's lexicon is the segments' words merged in order


def _field_words(reader: IndexReader, fieldname: str) -> tuple[tuple[bytes, str], ...]:
    segment = reader.segment() if hasattr(reader, "segment") else None
    # Kept by segment id: readers are views made anew (deletions, hidden staged copies), the
    # words are not. The staged in-memory segment grows, so its words are read each time.
    key = None if segment is None or isinstance(segment, MemorySegment) else (segment.segment_id(), fieldname)
    if key is not None:
        with _lock:
            words = _kept.pop(key, None)
            if words is not None:
                _kept[key] = words
                return words
    from_bytes = reader.schema[fieldname].from_bytes
    words = tuple((btext, from_bytes(btext)) for btext in reader.lexicon(fieldname))
    if key is not None:
        with _lock:
            _kept[key] = words
            while len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    return words
