"""Every use of Whoosh's private API, in one place.

The search engine runs on Whoosh 2.7.5 (``whoosh-reloaded``, pinned exactly in pyproject.toml)
but answers most queries itself, several times faster than Whoosh's matchers (see
``evaluator``), and keeps segment readers open across commits (``disk_readers``). Both need
parts of Whoosh that are not its public API. Each function below names the internal it reads,
why, and the stock call it replaces; ``tests/core/test_whoosh_internals.py`` checks each one
against that stock call, so a Whoosh upgrade that changes one fails there with the name of the
function to revisit, not as wrong search results.

Whoosh's codec base classes (``whoosh.codec.base``: Segment, Codec, TermsReader,
PerDocumentReader), which ``memory_segment`` implements, are its documented extension points
and stay where they are used.
"""

from __future__ import annotations

import copy
import pickle
import types
from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import accumulate
from operator import itemgetter
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.scoring import WeightLengthScorer
from whoosh.system import _INT_SIZE

# -- reading posting lists a block at a time -----------------------------------------------------


def decode_postings(matcher: Any, positions: bool) -> tuple[list[int], list[float], list[Any]]:
    """A posting list's document numbers, weights and (with ``positions``) encoded values.

    Replaces walking the matcher (``id()``, ``weight()``, ``value()``, ``next()`` per posting),
    which costs several Python calls per posting: a W3LeafMatcher's block is decoded at once
    (one unpickle per 128 postings) through its private ``_read_data``, ``_read_ids``,
    ``_read_weights``, ``_read_values`` and ``_next_block``, and the ``_data``, ``_byteids``,
    ``_ids``, ``_weights`` and ``_values`` they fill. Other matchers (inlined short lists,
    the in-memory overlay) are walked the stock way."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    if type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            if matcher._byteids:
                matcher._read_ids()
                ids.extend(matcher._ids)
            else:  # delta-coded; what _read_ids decodes in a Python loop
                ids.extend(accumulate(matcher._data[0]))
            matcher._read_weights()
            weights.extend(matcher._weights)
            if positions:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
        return ids, weights, values
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if positions:
            values.append(matcher.value())
        matcher.next()
    return ids, weights, values


# Whoosh's Positions format stores a posting's value as a 4-byte count (``_INT_SIZE``), then
# the pickled list of position deltas.
_AFTER_COUNT = itemgetter(slice(_INT_SIZE, None))


def decode_positions_many(values: dict[int, bytes], docs: Iterable[int]) -> Iterator[Iterable[int]]:
    """``Positions.decode_positions(values[d])`` for each of ``docs``, as C-level maps over the
    value layout (count, then pickled deltas) instead of one Python call per document. Raises
    pickle.UnpicklingError, EOFError or ValueError on a value without pickle's final stop
    byte, which Whoosh adds back when decoding (never seen from our writers)."""
    return map(accumulate, map(pickle.loads, map(_AFTER_COUNT, map(values.__getitem__, docs))))


# -- scoring ---------------------------------------------------------------------------------------


def weight_length_score(scorer: Any) -> Callable[[float, Any], float] | None:
    """The scorer's ``_score(weight, length)`` when its score depends on those two alone (a
    WeightLengthScorer, BM25F's included, that does not override ``score``), else None.

    Replaces ``scorer.score(matcher)`` per document, which reads the field length with one
    seek each: with the lengths read at once (``field_length_bytes``), each distinct (weight,
    length byte) pair is scored once."""
    if isinstance(scorer, WeightLengthScorer) and type(scorer).score is WeightLengthScorer.score:
        return scorer._score
    return None


def field_length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """The segment's one-byte field length of every document, read in one go; None where the
    layout differs (the in-memory overlay, another codec).

    Replaces ``reader.doc_field_length(docnum, fieldname)`` per document (one seek and read
    each). Reads the per-document reader (``SegmentReader._perdoc``), its length column
    reader (``_cached_reader``, the name Whoosh files it under) and that column's
    ``_dbfile``, ``_basepos``, ``_count`` and ``_fixedlen``."""
    try:
        perdoc = reader._perdoc
        column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if column is None or getattr(column, "_fixedlen", None) != 1:
            return None
        return bytes(column._dbfile.get(column._basepos, column._count))
    except AttributeError:
        return None


# -- expanding multi-word queries ------------------------------------------------------------------


def wildcard_literal_prefix(q: wq.Wildcard) -> str:
    """The literal start of a wildcard pattern (before its first ``*`` or ``?``): Whoosh's
    ``PatternQuery._find_prefix``, which decides whether it seeks the term table by prefix."""
    return str(q._find_prefix(q.text))


def wildcard_regex(q: wq.Wildcard) -> str:
    """The regular expression Whoosh matches a wildcard's words with (``_get_pattern``), so
    words matched from a cached word list are exactly the ones Whoosh would find."""
    return str(q._get_pattern())


def numeric_range_terms(q: wq.NumericRange, reader: Any) -> list[tuple[str, bytes]]:
    """The trie terms whose documents together make up a numeric range.

    Replaces the range's own matcher (``q.matcher(searcher)``), a tree of union matchers
    walked document by document; reads the range's private ``_compile_query``, the query of
    those terms that the matcher is built from."""
    return list(q._compile_query(reader).existing_terms(reader, expand=True))


# -- segment readers kept open across commits ------------------------------------------------------


def read_toc(ix: FileIndex) -> Any:
    """The index's current table of contents (schema, generation, segments).

    Replaces ``ix.reader()``, which opens a reader on every segment (a dozen files each): the
    caller opens only segments it has not seen. ``FileIndex._read_toc``."""
    return ix._read_toc()


def index_segments(ix: FileIndex) -> list[Any]:
    """The index's current segments, without opening them (``FileIndex._segments``)."""
    return list(ix._segments())


def reader_with_deletions(reader: SegmentReader, segment: Any) -> SegmentReader:
    """A view of ``reader`` (same open files; never close it) whose deleted documents are
    ``segment``'s.

    Replaces ``SegmentReader(storage, schema, segment)``, which reopens the segment's files. A
    SegmentReader keeps the deletions on two private objects, its ``_segment`` and its
    per-document reader's (``_perdoc._segment``), and caches them in the
    ``deleted_docs_set`` property."""
    view = copy.copy(reader)
    view._segment = segment
    view._perdoc = copy.copy(reader._perdoc)
    view._perdoc._segment = segment
    view.__dict__.pop("deleted_docs_set", None)
    return view


def segment_hiding(segment: Any, docnums: Collection[int]) -> Any:
    """A copy of a W3Segment that also counts ``docnums`` as deleted (its private
    ``_deleted`` set). Replaces ``segment.delete_document``, which would change the segment
    every open reader shares."""
    hidden = copy.copy(segment)
    hidden._deleted = set(segment.deleted_docs()) | set(docnums)
    return hidden


# -- writing posting blocks with a current pickle protocol -----------------------------------------

# Whoosh 2.7 pickles each block of up to 128 postings with protocol 2, which has no opcode for
# bytes: every posting's encoded positions is stored as a call to ``_codecs.encode`` and made
# again on reading. Reading one block of a positional field took about 120 µs (about 15 µs
# without those calls), and reading the blocks of a query's common words was most of a
# search's time. Protocol 5 stores bytes as bytes, in fewer bytes. Reading needs no change
# (``pickle.loads`` reads any protocol), so indexes written either way stay readable.
PICKLE_PROTOCOL = 5


def _pickling_with(function: Callable[..., Any], protocol: int) -> Any:
    """A copy of one of Whoosh's codec functions whose module-level ``dumps`` (its name for
    ``pickle.dumps``, called with protocol 2) pickles with ``protocol``. Nothing of Whoosh's
    changes: the copy runs the same code over its own globals."""
    if "dumps" not in function.__code__.co_names:
        raise RuntimeError(f"Whoosh's {function.__qualname__} no longer pickles through `dumps`")
    namespace = dict(function.__globals__)
    namespace["dumps"] = lambda obj, _protocol=None: pickle.dumps(obj, protocol)
    return types.FunctionType(function.__code__, namespace, function.__name__,
                              function.__defaults__, function.__closure__)


class _TermInfo(W3TermInfo):
    # Inlined postings (only with an inline limit above Whoosh's default of 1).
    to_bytes = _pickling_with(W3TermInfo.to_bytes, PICKLE_PROTOCOL)


class _PostingsWriter(W3PostingsWriter):
    _write_block = _pickling_with(W3PostingsWriter._write_block, PICKLE_PROTOCOL)

    def start_postings(self, format_: Any, terminfo: Any) -> None:
        if type(terminfo) is W3TermInfo:  # what W3FieldWriter passes
            terminfo = _TermInfo()
        super().start_postings(format_, terminfo)


class WriterCodec(W3Codec):
    """Whoosh's own codec, writing posting blocks with ``PICKLE_PROTOCOL``. Pass it to every
    writer (``ix.writer(codec=WriterCodec())``; multi-process writers hand it to their
    workers); merges write through the writer's codec too. Segments record the stock
    ``W3Codec`` (the TOC pickles it), so reading never depends on this class."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        stock = W3Codec(self._blocklimit, self._compression, self._inlinelimit)
        return W3Segment(stock, indexname)
