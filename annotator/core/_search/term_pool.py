"""Postings gathered per term while a segment is written, in place of Whoosh's posting pool.

Whoosh's pool keeps every posting as its own tuple, sorts them all, and once its buffer fills
pickles them one by one to a run file, to unpickle and heap-merge them one by one again when
the segment is written: profiled, a quarter of a rebuild. Here each term's postings are
appended to its own arrays (documents arrive in number order, so a term's postings are
already sorted); the terms are sorted once, and a full buffer is written as one pickle per
term. Writing the segment then hands each term's postings over at once (see
``whoosh_internals.GroupingSegmentWriter``).
"""

from __future__ import annotations

import heapq
import os
import pickle
from array import array
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

# A term's postings: document numbers, weights, encoded values (b"" for none).
TermPostings = tuple[array, array, list[bytes]]
Key = tuple[str, bytes]  # (field name, term bytes)

# Rough bytes of memory per posting (a 4-byte number, an 8-byte weight, a list slot and the
# value object's header) and per term (its key, dict slot, three containers).
_POSTING_BYTES = 60
_TERM_BYTES = 400


class TermPool:
    """Postings by term, spilled to sorted run files once they pass ``limitmb``.

    ``add`` takes Whoosh's posting tuples ``(fieldname, term bytes, docnum, weight, value)``
    (the interface ``SegmentWriter.add_document`` and ``add_reader`` feed); ``terms`` gives
    every term in (field, term) order with its postings in document order."""

    def __init__(self, tempstore: Any, limitmb: float = 128) -> None:
        self._tempstore = tempstore  # Whoosh storage for the run files
        self._limit = limitmb * 1024 * 1024
        self._size = 0
        self._fields: dict[str, dict[bytes, TermPostings]] = {}
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
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        length = 0
        size = 0
        for tbytes, freq, weight, value in items:
            postings = terms.get(tbytes)
            if postings is None:
                postings = terms[tbytes] = (array("I"), array("d"), [])
                size += _TERM_BYTES + len(tbytes)
            postings[0].append(docnum)
            postings[1].append(weight * boost)
            if value is None:
                value = b""
            postings[2].append(value)
            size += _POSTING_BYTES + len(value)
            length += freq
        self._size += size
        if self._size > self._limit:
            self.save()
        return length

    def _sorted(self) -> Iterator[tuple[Key, array, array, list[bytes]]]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                yield ((fieldname, tbytes), *terms[tbytes])

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

    def _read_run(self, name: str) -> Iterator[tuple[Key, array, array, list[bytes]]]:
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
            for key, ids, weights, values in in_memory:
                yield key, *_in_document_order(ids, weights, values)
            return
        sources = [self._read_run(name) for name in self._runs] + [in_memory]
        # heapq.merge keeps equal keys in the order of its sources: the runs' order.
        for key, parts in groupby(heapq.merge(*sources, key=itemgetter(0)), key=itemgetter(0)):
            ids, weights, values = array("I"), array("d"), []
            for _key, more_ids, more_weights, more_values in parts:
                ids.extend(more_ids)
                weights.extend(more_weights)
                values.extend(more_values)
            yield key, *_in_document_order(ids, weights, values)

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


def _in_document_order(ids: array, weights: array, values: list[bytes]) -> TermPostings:
    """The postings sorted by document number. They arrive sorted from ``add_document`` and
    from each merged segment in turn; this only costs a check (C-level) unless some caller
    added documents out of order."""
    ordered = sorted(ids)
    if ordered == ids.tolist():
        return ids, weights, values
    order = sorted(range(len(ids)), key=ids.__getitem__)
    return (array("I", ordered), array("d", (weights[i] for i in order)),
            [values[i] for i in order])
