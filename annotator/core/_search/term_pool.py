"""Postings gathered per term while a segment is written, in place of Whoosh's posting pool.

Whoosh's pool keeps every posting as its own tuple, sorts them all, and once its buffer fills
pickles them one by one to a run file, to unpickle and heap-merge them one by one again when
the segment is written: profiled, a quarter of a rebuild. Here each term's postings are
appended to its own list, three items each (document number, weight, value: one in-place
extend per posting, the cheapest Python step found; documents arrive in number order, so a
term's postings are already sorted); the terms are sorted once, and a full buffer is written
as one pickle per term. Writing the segment then hands each term's postings over at once (see
``whoosh_internals.GroupingSegmentWriter``).
"""

from __future__ import annotations

import heapq
import os
import pickle
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

# A term's postings: document numbers, weights, encoded values (b"" for none).
TermPostings = tuple[array, array, list[bytes]]
Key = tuple[str, bytes]  # (field name, term bytes)
# A term's postings as pooled: document number, weight, value, document number, ...
Interleaved = list[Any]

# Rough bytes of memory per posting (three list slots, room to grow, the value object's
# header; weights are mostly shared float objects, document numbers one per document) and
# per term (its key, dict slot, list).
_POSTING_BYTES = 72
_TERM_BYTES = 200


class TermPool:
    """Postings by term, spilled to sorted run files once they pass ``limitmb``.

    ``add`` takes Whoosh's posting tuples ``(fieldname, term bytes, docnum, weight, value)``
    (the interface ``SegmentWriter.add_document`` and ``add_reader`` feed); ``terms`` gives
    every term in (field, term) order with its postings in document order."""

    def __init__(self, tempstore: Any, limitmb: float = 128) -> None:
        self._tempstore = tempstore  # Whoosh storage for the run files
        self._limit = limitmb * 1024 * 1024
        self._size = 0
        self._fields: dict[str, dict[bytes, Interleaved]] = {}
        self._runs: list[str] = []
        self._run_fields: set[str] = set()

    @property
    def fieldnames(self) -> set[str]:
        """The fields that received postings (``MpWriter`` reads it from its workers)."""
        return self._run_fields | set(self._fields)

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (Whoosh's pool interface: ``SegmentWriter.add_reader`` feeds it)."""
        fieldname, tbytes, docnum, weight, value = item
        self.add_field(fieldname, docnum, ((tbytes, 0, weight, value),), 1.0)

    def add_field(self, fieldname: str, docnum: int,
                  items: Iterable[tuple[bytes, int, float, bytes | None]], boost: float) -> int:
        """A document's postings in one field, as ``FieldType.index`` gives them (term bytes,
        frequency, weight, value), each weight times ``boost``; returns the frequencies' sum
        (the field's length, where it is scorable)."""
        columns = list(zip(*items))
        if not columns:
            return 0
        terms, frequencies, weights, values = columns
        if boost != 1.0:
            weights = tuple(weight * boost for weight in weights)
        self.add_columns(fieldname, docnum, terms, weights,
                         [b"" if value is None else value for value in values])
        return sum(frequencies)

    def add_columns(self, fieldname: str, docnum: int, terms: Sequence[bytes],
                    weights: Sequence[float], values: Sequence[bytes]) -> None:
        """A document's postings in one field as columns: term bytes, weights (boosts
        applied) and values (b"" for none)."""
        pool = self._fields.get(fieldname)
        if pool is None:
            pool = self._fields[fieldname] = {}
        known = pool.get
        terms_before = len(pool)
        for tbytes, weight, value in zip(terms, weights, values):
            postings = known(tbytes)
            if postings is None:
                pool[tbytes] = [docnum, weight, value]
            else:
                postings += docnum, weight, value
        self._size += (_TERM_BYTES * (len(pool) - terms_before) + _POSTING_BYTES * len(terms)
                       + sum(map(len, values)))
        if self._size > self._limit:
            self.save()

    def _sorted(self) -> Iterator[tuple[Key, Interleaved]]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                yield (fieldname, tbytes), terms[tbytes]

    def save(self) -> None:
        """Write the postings held in memory to a run file, one pickle per term in order."""
        if not self._fields:
            return
        # The temporary folder is shared by the processes of a multi-process build.
        name = f"{os.getpid()}_{id(self):x}_{len(self._runs)}.terms"
        with self._tempstore.create_file(name).raw_file() as out:
            dump = pickle.dump
            for term in self._sorted():
                dump(term, out, pickle.HIGHEST_PROTOCOL)
        self._runs.append(name)
        self._run_fields |= set(self._fields)
        self._fields = {}
        self._size = 0

    def _read_run(self, name: str) -> Iterator[tuple[Key, Interleaved]]:
        with self._tempstore.open_file(name).raw_file() as run:
            load = pickle.load
            while True:
                try:
                    yield load(run)
                except EOFError:
                    break

    def terms(self) -> Iterator[tuple[Key, array, array, list[bytes]]]:
        """Every term in order with its postings sorted by document number. Run files and
        the postings in memory are merged by term; a term's postings from several runs are
        joined in the order the runs were written (their documents come later each time)."""
        in_memory = self._sorted()
        if not self._runs:
            for key, postings in in_memory:
                yield key, *_split(postings)
            return
        sources = [self._read_run(name) for name in self._runs] + [in_memory]
        # heapq.merge keeps equal keys in the order of its sources: the runs' order.
        for key, parts in groupby(heapq.merge(*sources, key=itemgetter(0)), key=itemgetter(0)):
            joined: Interleaved = []
            for _key, postings in parts:
                joined += postings
            yield key, *_split(joined)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Whoosh's pool interface: every posting as a tuple, sorted."""
        for (fieldname, tbytes), ids, weights, values in self.terms():
            for docnum, weight, value in zip(ids, weights, values):
                yield fieldname, tbytes, docnum, weight, value

    def cleanup(self) -> None:
        """Remove the run files (Whoosh's pool interface; the writer calls it when done)."""
        for name in self._runs:
            try:
                self._tempstore.delete_file(name)
            except OSError:
                pass
        self._runs = []


def _split(postings: Interleaved) -> TermPostings:
    """Interleaved postings as columns, sorted by document number. They arrive sorted from
    ``add_document`` and from each merged segment in turn; sorting only costs a check
    (C-level) unless some caller added documents out of order."""
    ids = array("I", postings[0::3])
    weights = array("d", postings[1::3])
    values = postings[2::3]
    ordered = sorted(ids)
    if ordered == ids.tolist():
        return ids, weights, values
    order = sorted(range(len(ids)), key=ids.__getitem__)
    return (array("I", ordered), array("d", (weights[i] for i in order)),
            [values[i] for i in order])
