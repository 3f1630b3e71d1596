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
from array import array
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
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.scoring import WeightLengthScorer
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from annotator.core._search.term_pool import TermPool
from annotator.core._search.text_field import AnalysedText

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
    each). Reads the per-document reader (``SegmentReader._perdoc``); see
    ``perdoc_length_bytes``."""
    try:
        perdoc = reader._perdoc
    except AttributeError:
        return None
    return perdoc_length_bytes(perdoc, fieldname) or None  # no column: read per document


def perdoc_length_bytes(perdoc: Any, fieldname: str) -> bytes | None:
    """``field_length_bytes`` of a per-document reader: its length column reader
    (``_cached_reader``, the name Whoosh files it under) and that column's ``_dbfile``,
    ``_basepos``, ``_count`` and ``_fixedlen``. Empty when the field has no length column
    (Whoosh's ``doc_field_length`` answers its default, 0, for every document)."""
    try:
        column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if column is None:
            return b""
        if getattr(column, "_fixedlen", None) != 1:
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


def _with_globals(function: Callable[..., Any], **names: Any) -> Any:
    """A copy of one of Whoosh's functions that finds ``names`` among its module globals
    instead of Whoosh's own. Nothing of Whoosh's changes: the copy runs the same code over
    its own globals."""
    missing = set(names) - set(function.__code__.co_names)
    if missing:
        raise RuntimeError(f"Whoosh's {function.__qualname__} no longer uses {', '.join(sorted(missing))}")
    namespace = dict(function.__globals__)
    namespace.update(names)
    return types.FunctionType(function.__code__, namespace, function.__name__,
                              function.__defaults__, function.__closure__)


def _pickling_with(function: Callable[..., Any], protocol: int) -> Any:
    """A copy of one of Whoosh's codec functions whose module-level ``dumps`` (its name for
    ``pickle.dumps``, called with protocol 2) pickles with ``protocol``."""
    if "dumps" not in function.__code__.co_names:
        raise RuntimeError(f"Whoosh's {function.__qualname__} no longer pickles through `dumps`")
    return _with_globals(function, dumps=lambda obj, _protocol=None: pickle.dumps(obj, protocol))


class _TermInfo(W3TermInfo):
    # Inlined postings (only with an inline limit above Whoosh's default of 1).
    to_bytes = _pickling_with(W3TermInfo.to_bytes, PICKLE_PROTOCOL)


class _PostingsWriter(W3PostingsWriter):
    _write_block = _pickling_with(W3PostingsWriter._write_block, PICKLE_PROTOCOL)

    def start_postings(self, format_: Any, terminfo: Any) -> None:
        if type(terminfo) is W3TermInfo:  # what W3FieldWriter passes
            terminfo = _TermInfo()
        super().start_postings(format_, terminfo)

    def add_term_postings(self, ids: array, weights: array, values: list[bytes],
                          field_lengths: Callable[[array], list[int]] | None) -> None:
        """All of a term's postings at once (sorted by document), blocks as ``add_posting``
        one by one would make them: it writes a full block of ``_blocklimit`` when the next
        posting arrives, and ``finish_postings`` writes the last. Fills the block buffer
        ``_new_block`` sets up (``_ids``, ``_weights``, ``_values``, ``_maxweight``,
        ``_minlength``, ``_maxlength``) and calls ``_write_block``. ``field_lengths`` gives
        the documents' field lengths (0: none); None when no document has one."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if start:
                self._write_block()
            end = start + limit
            self._ids = ids[start:end]
            block_weights = weights[start:end]
            self._weights = array("f", block_weights)
            heaviest = max(block_weights)
            self._maxweight = heaviest if heaviest > 0 else 0
            self._values = [value for value in values[start:end] if value]
            stored = [n for n in field_lengths(self._ids) if n] if field_lengths else ()
            if stored:
                self._minlength = min(stored)
                self._maxlength = max(stored)


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


# -- building segments from postings gathered per term ---------------------------------------------

_BYTE_LENGTHS = [byte_to_length(b) if b else 0 for b in range(256)]


def _field_lengths(perdoc: Any, fieldname: str) -> Callable[[array], list[int]] | None:
    """The documents' field lengths as the postings writer records them (0: none), as
    ``perdoc.doc_field_length`` answers them; None when no document has one."""
    column = perdoc_length_bytes(perdoc, fieldname)
    if column == b"":
        return None
    if column is None:  # another layout: ask per document
        read = perdoc.doc_field_length
        return lambda ids: [read(docnum, fieldname) or 0 for docnum in ids]
    table = _BYTE_LENGTHS
    return lambda ids: [table[column[docnum]] for docnum in ids]


def _write_terms(fieldwriter: Any, schema: Any, perdoc: Any, terms: Iterable[Any]) -> None:
    """What ``FieldWriter.add_postings`` does with a sorted stream of postings, a term at a
    time: ``start_field``/``start_term``/``finish_term``/``finish_field`` as it calls them,
    the postings handed to the field writer's postings writer (its ``_postwriter``) at once."""
    current = None
    lengths = None
    for (fieldname, tbytes), ids, weights, values in terms:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current = fieldname
            lengths = _field_lengths(perdoc, fieldname)
        fieldwriter.start_term(tbytes)
        fieldwriter._postwriter.add_term_postings(ids, weights, values, lengths)
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()


class GroupingSegmentWriter(SegmentWriter):
    """Whoosh's segment writer gathering postings per term (``term_pool.TermPool`` in
    place of the pool ``SegmentWriter.__init__`` puts in ``self.pool``) and writing each
    term's postings at once (``_flush_segment``, which the stock writer runs when it
    finishes a segment) instead of one by one through ``FieldWriter.add_postings``, which
    also reads each posting's field length with a seek. The segment files are the same byte
    for byte. With a codec other than ``WriterCodec`` the postings are written the stock way."""

    def __init__(self, ix: Any, limitmb: float = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb=limitmb)

    def add_document(self, **fields: Any) -> None:
        """``SegmentWriter.add_document`` (Whoosh 2.7.5, line for line) handing each field's
        postings to the pool at once instead of one tuple each to ``pool.add``: our text
        fields' as columns (``AnalysedText.columns``, ``TermPool.add_columns``), others' as
        ``FieldType.index`` gives them (``TermPool.add_field``). Uses the writer's
        ``_check_state``, ``_doc_boost``, ``_field_boost``, ``_check_fields``,
        ``perdocwriter``, ``docnum`` and ``_added``."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool

        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]

                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    columns = field.columns(value) if type(field) is AnalysedText else None
                    if columns is None:
                        added = pool.add_field(fieldname, docnum, field.index(value), fieldboost)
                    else:
                        terms, frequencies, weights, values = columns
                        if fieldboost != 1.0:
                            weights = [weight * fieldboost for weight in weights]
                        pool.add_columns(fieldname, docnum, terms, weights, values)
                        added = sum(frequencies)
                    if field.scorable:
                        length = added

                if field.separate_spelling():
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        # Document 0, as Whoosh has it (no field of ours keeps spellings).
                        pool.add((spellfield, word.encode("utf-8"), 0, 1, None))

                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)

                customval = fields.get(f"_stored_{fieldname}", value)
                stored = customval if field.stored else None
                perdocwriter.add_field(fieldname, field, stored, length)

                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        if not isinstance(self.codec, WriterCodec):
            super()._flush_segment()
            return
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        try:
            _write_terms(self.fieldwriter, self.schema, perdoc, self.pool.terms())
        finally:
            perdoc.close()
        self.fieldwriter.close()


class _GroupingTask(SubWriterTask):
    # A worker process of a multi-process build: the stock loop, writing with our writer.
    run = _with_globals(SubWriterTask.run, SegmentWriter=GroupingSegmentWriter)


class _GroupingMpWriter(MpWriter):
    _new_task = _with_globals(MpWriter._new_task, SubWriterTask=_GroupingTask)


def open_writer(ix: FileIndex, procs: int = 1, **kwargs: Any) -> Any:
    """``ix.writer(procs=procs, **kwargs)`` with ``GroupingSegmentWriter``: with ``procs``
    above 1 Whoosh's ``MpWriter``, its worker processes each writing their own segment
    (``multisegment``) with ours."""
    if procs > 1:
        return _GroupingMpWriter(ix, procs=procs, multisegment=True, **kwargs)
    return GroupingSegmentWriter(ix, **kwargs)
