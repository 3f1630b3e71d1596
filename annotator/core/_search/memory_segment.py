"""A Whoosh segment held in plain dicts, for the few records changed since the last commit.

Writing even one record through a Whoosh writer costs 5–10 ms (a temp folder, a pickled TOC,
one compressed block per term), and a new disk segment must then be opened by every searcher.
Indexing a record here costs the analysis alone (well under a millisecond for a highlight), and
its reader is a normal ``SegmentReader`` over these dicts, so any query runs on it unchanged.
Modelled on ``whoosh.codec.memory``, without its writer (which still made a RAM index, a temp
folder and a pool per commit) and with the per-field length helpers answering for empty fields.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import base
from whoosh.fields import Schema
from whoosh.matching import ListMatcher
from whoosh.reading import IndexReader, SegmentReader, TermInfo
from whoosh.util.numeric import byte_to_length, length_to_byte


class MemorySegment(base.Segment):
    def __init__(self, schema: Schema) -> None:
        base.Segment.__init__(self, "overlay")
        self.compound = False
        self._schema = schema
        self._codec = _MemoryCodec()
        self._doccount = 0
        self._stored: dict[int, dict[str, Any]] = {}
        self._lengths: dict[int, dict[str, int]] = {}
        self._deleted: set[int] = set()
        # fieldname -> term bytes -> [(docnum, weight, encoded value)], docnums ascending
        self._postings: dict[str, dict[bytes, list[tuple[int, float, bytes]]]] = {}
        self._terminfos: dict[tuple[str, bytes], TermInfo] = {}

    def add(self, fields: dict[str, Any]) -> int:
        """Index one record (the fields ``schema.*_fields`` build); returns its docnum."""
        schema = self._schema
        docnum = self._doccount
        stored: dict[str, Any] = {}
        lengths: dict[str, int] = {}
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            if field.indexed:
                length = 0
                items = list(field.index(value))
                for _tbytes, freq, _weight, _vbytes in items:
                    if field.scorable:
                        length += freq
                # Disk segments keep lengths as one byte; the same rounding keeps scores equal.
                if field.scorable:
                    lengths[fieldname] = byte_to_length(length_to_byte(length))
                by_term = self._postings.setdefault(fieldname, {})
                for tbytes, _freq, weight, vbytes in items:
                    by_term.setdefault(tbytes, []).append((docnum, weight, vbytes))
                    info = self._terminfos.get((fieldname, tbytes))
                    if info is None:
                        info = self._terminfos[fieldname, tbytes] = TermInfo()
                    info.add_posting(docnum, weight, lengths.get(fieldname))
            if field.stored:
                stored[fieldname] = value
        self._stored[docnum] = stored
        self._lengths[docnum] = lengths
        self._doccount += 1
        return docnum

    def delete_document(self, docnum: int, delete: bool = True) -> None:
        if delete:
            self._deleted.add(docnum)
        else:
            self._deleted.discard(docnum)

    def reader(self) -> SegmentReader:
        """A reader of the records added so far. Take a new one after adding or deleting:
        a reader caches its set of deleted records."""
        return _MemoryReader(None, self._schema, self, codec=self._codec)

    # -- what Whoosh asks of a segment ---------------------------------------------------------
    def codec(self) -> Any:
        return self._codec

    def doc_count_all(self) -> int:
        return self._doccount

    def deleted_count(self) -> int:
        return len(self._deleted)

    def has_deletions(self) -> bool:
        return bool(self._deleted)

    def deleted_docs(self) -> Any:
        return iter(sorted(self._deleted))

    def is_deleted(self, docnum: int) -> bool:
        return docnum in self._deleted

    def should_assemble(self) -> bool:
        return False


class _MemoryReader(SegmentReader):
    # The generic (slow but exact) edit-distance scan: the overlay holds a handful of records,
    # and SegmentReader's own version needs an on-disk word graph.
    terms_within = IndexReader.terms_within


class _MemoryCodec(base.Codec):
    length_stats = False

    def terms_reader(self, storage: Any, segment: MemorySegment) -> _TermsReader:
        return _TermsReader(segment)

    def per_document_reader(self, storage: Any, segment: MemorySegment) -> _PerDocReader:
        return _PerDocReader(segment)

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        raise NotImplementedError("records are added with MemorySegment.add")

    def field_writer(self, storage: Any, segment: Any) -> Any:
        raise NotImplementedError("records are added with MemorySegment.add")

    def new_segment(self, storage: Any, indexname: str) -> Any:
        raise NotImplementedError("a MemorySegment is made directly")


class _TermsReader(base.TermsReader):
    def __init__(self, segment: MemorySegment) -> None:
        self._segment = segment
        self._postings = segment._postings
        self._terminfos = segment._terminfos

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return term in self._terminfos

    def terms(self) -> Any:
        return iter(sorted(self._terminfos))

    def terms_from(self, fieldname: str, prefix: bytes) -> Any:
        for btext in sorted(self._postings.get(fieldname, ())):
            if btext >= prefix:
                yield (fieldname, btext)

    def items(self) -> Any:
        return ((term, self._terminfos[term]) for term in sorted(self._terminfos))

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        for term in self.terms_from(fieldname, prefix):
            yield term, self._terminfos[term]

    def term_info(self, fieldname: str, text: bytes) -> TermInfo:
        return self._terminfos[fieldname, text]  # KeyError is what readers expect

    def matcher(self, fieldname: str, text: bytes, format_: Any, scorer: Any = None) -> Any:
        postings = self._postings[fieldname][text]
        ids = [p[0] for p in postings]
        weights = [p[1] for p in postings]
        values = [p[2] for p in postings]
        return ListMatcher(ids, weights, values, format_, scorer=scorer,
                           term=(fieldname, text), terminfo=self._terminfos[fieldname, text])

    def indexed_field_names(self) -> Any:
        return list(self._postings)

    def close(self) -> None:
        pass


class _PerDocReader(base.PerDocumentReader):
    def __init__(self, segment: MemorySegment) -> None:
        self._segment = segment

    def doc_count(self) -> int:
        return self._segment.doc_count_all() - self._segment.deleted_count()

    def doc_count_all(self) -> int:
        return self._segment.doc_count_all()

    def has_deletions(self) -> bool:
        return self._segment.has_deletions()

    def is_deleted(self, docnum: int) -> bool:
        return self._segment.is_deleted(docnum)

    def deleted_docs(self) -> Any:
        return self._segment.deleted_docs()

    def supports_columns(self) -> bool:
        return False

    def has_column(self, fieldname: str) -> bool:
        return False

    def list_columns(self) -> list[str]:
        return []

    def column_reader(self, fieldname: str, column: Any) -> Any:
        raise KeyError(fieldname)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self._segment._lengths[docnum].get(fieldname, default)

    def _live_lengths(self, fieldname: str) -> list[int]:
        deleted = self._segment._deleted
        return [lengths[fieldname] for docnum, lengths in self._segment._lengths.items()
                if docnum not in deleted and fieldname in lengths]

    def field_length(self, fieldname: str) -> int:
        # Disk segments count deleted records until a merge; these are few either way.
        return sum(lengths.get(fieldname, 0) for lengths in self._segment._lengths.values())

    def min_field_length(self, fieldname: str) -> int:
        return min(self._live_lengths(fieldname), default=0)

    def max_field_length(self, fieldname: str) -> int:
        return max(self._live_lengths(fieldname), default=0)

    def has_vector(self, docnum: int, fieldname: str) -> bool:
        return False

    def vector(self, docnum: int, fieldname: str, format_: Any) -> Any:
        raise KeyError(fieldname)

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        return self._segment._stored[docnum]

    def close(self) -> None:
        pass
