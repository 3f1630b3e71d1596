"""Runs a compiled query with set operations over decoded posting lists.

Whoosh's matchers walk posting lists one document at a time in Python (``skip_to``, ``id()``,
span checks per candidate), which made two-word AND queries cost tens of milliseconds and
phrases with common words hundreds. Here each term's posting list is decoded a block at a
time, AND/OR/NOT are set operations, phrase positions are checked only on documents holding
every word, and only the documents that match are scored, with Whoosh's own scorers, so the
total, the scores and the order are what ``Searcher.search`` returns. Query types this
module does not handle are run through their own Whoosh matcher.
"""

from __future__ import annotations

import heapq
import pickle
from bisect import bisect_right
from collections.abc import Callable, Iterable, KeysView, Set
from dataclasses import dataclass
from operator import add
from typing import Any

from whoosh import query as wq
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from annotator.core._search.lexicons import pattern_words
from annotator.core._search.ranges import PreloadedNumericRange
from annotator.core._search.whoosh_internals import (
    decode_positions_many,
    decode_postings,
    field_length_bytes,
    weight_length_score,
)

Scores = dict[int, float]
_LENGTHS = [byte_to_length(b) for b in range(256)]
_LENGTHS[0] = None  # what Whoosh's doc_field_length answers for a zero length byte


def search(searcher: Searcher, q: wq.Query, limit: int) -> tuple[list[tuple[int, float]], int]:
    """The ``limit`` best ``(docnum, score)`` pairs, best first (ties: lower docnum first, as
    Whoosh orders them), and how many documents matched."""
    found: list[tuple[int, float]] = []
    total = 0
    for subsearcher, offset in searcher.leaf_searchers():
        segment = _Segment(subsearcher, searcher)
        node = segment.evaluate(q)
        docs = node.ids
        if not docs:
            continue
        total += len(docs)
        scores = node.scores(docs)
        found.extend((offset + docnum, score) for docnum, score in _best(scores, limit))
    found.sort(key=lambda item: (-item[1], item[0]))
    return found[:limit], total


def _best(scores: Scores, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` highest scores, ties by lower docnum: the cut-off score is found among the
    bare values (in C), then only documents scoring at least that are sorted."""
    if limit <= 0 or not scores:
        return []
    cutoff = heapq.nlargest(limit, scores.values())[-1]
    best = [(d, s) for d, s in scores.items() if s >= cutoff]
    best.sort(key=lambda item: (-item[1], item[0]))
    return best[:limit]


class _Node:
    """A query part evaluated on one segment: the documents it matches, scored on demand."""

    ids: Set[int]

    def scores(self, docs: Iterable[int]) -> Scores:
        raise NotImplementedError


class _Fixed(_Node):
    def __init__(self, scored: Scores) -> None:
        self._scored = scored
        self.ids = scored.keys()

    def scores(self, docs: Iterable[int]) -> Scores:
        scored = self._scored
        return {d: scored[d] for d in docs}


class _Constant(_Node):
    def __init__(self, ids: Set[int], score: float) -> None:
        self.ids = ids
        self._score = score

    def scores(self, docs: Iterable[int]) -> Scores:
        return dict.fromkeys(docs, self._score)


_EMPTY = _Constant(frozenset(), 0.0)


@dataclass(eq=False)
class _Terms(_Node):
    """The words of one term (alone) or of a phrase: matched documents score the sum of each
    word's score, as Whoosh's term and phrase matchers do."""

    segment: _Segment
    fieldname: str
    words: list[bytes]
    postings: list[dict[int, float]]
    ids: Set[int]
    boost: float

    def scores(self, docs: Iterable[int]) -> Scores:
        docs = list(docs)
        total: list[float] | None = None
        for word, weights in zip(self.words, self.postings):
            part = self.segment.term_scores(self.fieldname, word, weights, docs)
            total = part if total is None else list(map(add, total, part))
        assert total is not None
        if self.boost != 1.0:
            total = [s * self.boost for s in total]
        return dict(zip(docs, total))


class _And(_Node):
    def __init__(self, children: list[_Node], negated: int, boost: float) -> None:
        self._children = children
        self._negated = float(negated)  # each NOT adds its inverse matcher's weight, 1.0
        self._boost = boost
        self.ids = frozenset()

    def scores(self, docs: Iterable[int]) -> Scores:
        docs = list(docs)
        parts = [child.scores(docs) for child in self._children]
        boost, negated = self._boost, self._negated
        return {d: (sum(p[d] for p in parts) + negated) * boost for d in docs}


class _Or(_Node):
    def __init__(self, children: list[_Node], sizes: list[int], boost: float) -> None:
        self._children = children
        self._sizes = sizes  # each subquery's estimate_size: the shape of Whoosh's union tree
        self._boost = boost
        self.ids = frozenset()

    def scores(self, docs: Iterable[int]) -> Scores:
        docs = list(docs)
        wanted = set(docs)
        parts: list[Scores] = []
        for child in self._children:
            # From the smaller side: a wildcard ORs hundreds of words, most in few documents,
            # and scanning every candidate for each of them was quadratic (8 s for "*ar*").
            if len(child.ids) < len(docs):
                mine = [d for d in child.ids if d in wanted]
            else:
                mine = [d for d in docs if d in child.ids]
            parts.append(child.scores(mine) if mine else {})
        total = _union_sum(self._sizes, parts)
        boost = self._boost
        return {d: total.get(d, 0.0) * boost for d in docs}


def _union_sum(sizes: list[int], parts: list[Scores]) -> Scores:
    """Adds the parts' scores in the order Whoosh's ``DefaultOr`` does: a Huffman tree of
    union matchers by estimated size (``make_weighted_tree``; ties keep their order, a merged
    pair goes after its equals). Float addition is not associative, and summing in another
    order made near-equal hits swap places against Whoosh's ranking."""
    order = sorted(range(len(parts)), key=sizes.__getitem__)
    weights = [sizes[i] for i in order]
    pending = [parts[i] for i in order]
    while len(pending) > 1:
        a, b = pending.pop(0), pending.pop(0)
        size = weights.pop(0) + weights.pop(0)
        if len(a) < len(b):
            a, b = b, a
        for d, s in b.items():  # into the larger side: parts are fresh dicts, ours to change
            a[d] = a[d] + s if d in a else s
        at = bisect_right(weights, size)
        weights.insert(at, size)
        pending.insert(at, a)
    return pending[0]


class _Segment:
    """One segment's view for one query: decoded posting lists, deletions, field lengths."""

    def __init__(self, searcher: Searcher, top: Searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.context = top.context(needs_current=True)
        self.deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self._postings: dict[tuple[str, bytes, bool], tuple[dict[int, float], dict[int, bytes]]] = {}
        self._lengths: dict[str, bytes | None] = {}

    # -- evaluation ----------------------------------------------------------------------------

    def evaluate(self, q: wq.Query) -> _Node:
        if type(q) is wq.Term:
            return self.term(q)
        if type(q) is wq.Phrase and q.slop == 1:
            return self.phrase(q)
        if type(q) is wq.And:
            return self.conjunction(q)
        if type(q) is wq.Or and not q.scale and not q.minmatch:
            return self.disjunction(q)
        if type(q) in (wq.Prefix, wq.Wildcard, wq.FuzzyTerm):
            return self.expansion(q)
        if type(q) is PreloadedNumericRange:
            ids: set[int] = set()
            for fieldname, word in q.trie_terms(self.reader):
                ids.update(self.postings(fieldname, word, positions=False)[0])
            return _Constant(ids, q.boost)
        return self.whoosh(q)

    def whoosh(self, q: wq.Query) -> _Node:
        """Any other query, through its own Whoosh matcher."""
        matcher = q.matcher(self.searcher, self.context)
        scored: Scores = {}
        while matcher.is_active():
            scored[matcher.id()] = matcher.score()
            matcher.next()
        return _Fixed(scored)

    def expansion(self, q: wq.MultiTerm) -> _Node:
        """A prefix, wildcard or fuzzy word. Whoosh ORs the segment's words that match it (one
        word alone is that term's own query, without the boost), as the set operations do
        far faster than its matchers: a leading wildcard expands to hundreds of words and
        Whoosh merged their postings a document at a time (12 s for "*ar*" at 20,000
        documents)."""
        field = self.schema[q.fieldname] if q.fieldname in self.schema else None
        if field is None:
            return self.whoosh(q)
        if type(q) is wq.Wildcard:
            words: Iterable[Any] = pattern_words(q, self.reader)
        else:
            words = (word for _fieldname, word in q.expanded_terms(self.reader))
        # Prefixes and wildcards list the words as stored (bytes), fuzzy words as text.
        terms = [wq.Term(q.fieldname, word if isinstance(word, str) else field.from_bytes(word))
                 for word in words]
        if not terms:
            return _EMPTY
        if len(terms) == 1:
            return self.term(terms[0])
        return self.disjunction(wq.Or(terms, boost=q.boost))

    def term(self, q: wq.Term) -> _Node:
        word = self._word(q.fieldname, q.text)
        if word is None:
            return _EMPTY
        weights, _values = self.postings(q.fieldname, word, positions=False)
        return _Terms(self, q.fieldname, [word], [weights], weights.keys(), q.boost)

    def phrase(self, q: wq.Phrase) -> _Node:
        maybe_words = [self._word(q.fieldname, w) for w in q.words]
        field = self.schema[q.fieldname] if q.fieldname in self.schema else None
        if not maybe_words or field is None or not field.format or not field.format.supports("positions"):
            return self.whoosh(q)  # Whoosh's own answer, including its error for such fields
        words = [w for w in maybe_words if w is not None]
        if len(words) < len(maybe_words):
            return _EMPTY
        lists = [self.postings(q.fieldname, w, positions=True) for w in words]
        smallest: KeysView[int] = min((weights.keys() for weights, _ in lists), key=len)
        candidates = set(smallest)
        for weights, _ in lists:
            candidates.intersection_update(weights.keys())
        encoded = [values for _, values in lists]
        ids = None
        if type(field.format) is Positions:
            ids = _adjacent_fast(sorted(candidates), encoded)
        if ids is None:
            ids = _adjacent(candidates, encoded, field.format.decode_positions)
        weights_only = [weights for weights, _ in lists]
        return _Terms(self, q.fieldname, words, weights_only, ids, q.boost)

    def conjunction(self, q: wq.And) -> _Node:
        positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        negative = [c for c in q.subqueries if isinstance(c, wq.Not)]
        if not positive:
            return self.whoosh(q)
        children = [self.evaluate(c) for c in positive]
        if len(children) == 1 and not negative:
            only = children[0]
            return only if q.boost == 1.0 else _Boosted(only, q.boost)
        ordered = sorted((c.ids for c in children), key=len)
        ids = set(ordered[0])
        for other in ordered[1:]:
            if not ids:
                break
            ids.intersection_update(other)
        for negation in negative:
            if not ids:
                break
            ids.difference_update(self.evaluate(negation.query).ids)
        node = _And(children, len(negative), q.boost)
        node.ids = ids
        return node

    def disjunction(self, q: wq.Or) -> _Node:
        if any(isinstance(c, wq.Not) for c in q.subqueries):
            return self.whoosh(q)
        children = [self.evaluate(c) for c in q.subqueries]
        if len(children) == 1:
            only = children[0]
            return only if q.boost == 1.0 else _Boosted(only, q.boost)
        ids: set[int] = set()
        for child in children:
            ids.update(child.ids)
        node = _Or(children, [c.estimate_size(self.reader) for c in q.subqueries], q.boost)
        node.ids = ids
        return node

    # -- postings and scores -------------------------------------------------------------------

    def _word(self, fieldname: str, text: Any) -> bytes | None:
        if fieldname not in self.schema:
            return None
        try:
            word = self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        return word if (fieldname, word) in self.reader else None

    def postings(
        self, fieldname: str, word: bytes, *, positions: bool
    ) -> tuple[dict[int, float], dict[int, bytes]]:
        """``{docnum: weight}`` of one term, and with ``positions`` its encoded values."""
        key = (fieldname, word, positions)
        if key not in self._postings:
            matcher = self.reader.postings(fieldname, word)
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child  # deletions are removed below, all at once
            ids, weights, values = decode_postings(matcher, positions)
            by_doc = dict(zip(ids, weights))
            encoded = dict(zip(ids, values)) if positions else {}
            for docnum in self.deleted:
                by_doc.pop(docnum, None)
            self._postings[key] = (by_doc, encoded)
        return self._postings[key]

    def term_scores(
        self, fieldname: str, word: bytes, weights: dict[int, float], docs: list[int]
    ) -> list[float]:
        """The term's score in each of ``docs``, in order."""
        scorer = self.context.weighting.scorer(self.searcher, fieldname, word)
        score = weight_length_score(scorer)
        if score is not None:
            lengths = self._field_lengths(fieldname)
            if lengths is not None and (not docs or max(docs) < len(lengths)):
                # A score depends only on the weight and the length byte: computed once per
                # pair that occurs, the rest is lookups done in C.
                memo = _ScoreMemo(score)
                pairs = zip(map(weights.__getitem__, docs), map(lengths.__getitem__, docs))
                return list(map(memo.__getitem__, pairs))
        shim = _Posting(weights)
        out: list[float] = []
        for d in docs:
            shim.docnum = d
            out.append(scorer.score(shim))
        return out

    def _field_lengths(self, fieldname: str) -> bytes | None:
        """The segment's one-byte field lengths, read at once instead of one seek per document
        (the same bytes Whoosh's ``doc_field_length`` reads); None where the layout differs."""
        if fieldname not in self._lengths:
            self._lengths[fieldname] = field_length_bytes(self.reader, fieldname)
        return self._lengths[fieldname]


class _Boosted(_Node):
    def __init__(self, child: _Node, boost: float) -> None:
        self._child = child
        self._boost = boost
        self.ids = child.ids

    def scores(self, docs: Iterable[int]) -> Scores:
        return {d: s * self._boost for d, s in self._child.scores(docs).items()}


class _ScoreMemo(dict[tuple[float, int], float]):
    def __init__(self, score: Callable[[float, Any], float]) -> None:
        super().__init__()
        self._score = score

    def __missing__(self, key: tuple[float, int]) -> float:
        value = self[key] = self._score(key[0], _LENGTHS[key[1]])
        return value


class _Posting:
    """Just enough of a matcher for a scorer's ``score(matcher)``."""

    def __init__(self, weights: dict[int, float]) -> None:
        self._weights = weights
        self.docnum = 0

    def id(self) -> int:
        return self.docnum

    def weight(self) -> float:
        return self._weights[self.docnum]


def _adjacent(
    candidates: Iterable[int], encoded: list[dict[int, bytes]], decode: Callable[[bytes], Any]
) -> set[int]:
    """Documents where word i sits at position p + i for some p, for every word i."""
    ids = set()
    for docnum in candidates:
        starts = set(decode(encoded[0][docnum]))
        for i in range(1, len(encoded)):
            starts.intersection_update(map((-i).__add__, decode(encoded[i][docnum])))
            if not starts:
                break
        if starts:
            ids.add(docnum)
    return ids


def _adjacent_fast(docs: list[int], encoded: list[dict[int, bytes]]) -> set[int] | None:
    """``_adjacent`` for the Positions format with the per-document decoding done in C; None if
    a value lacks pickle's final stop byte (Whoosh adds it back when decoding; not seen from
    our writers), to decode those the slow way. Each document's position set is dropped as
    soon as it is tested: keeping tens of thousands alive set off full garbage collections."""
    firsts = map(set, decode_positions_many(encoded[0], docs))
    try:
        if len(encoded) == 2:
            before = (-1).__add__
            return {
                d for d, first, second in zip(docs, firsts, decode_positions_many(encoded[1], docs))
                if not first.isdisjoint(map(before, second))
            }
        rest = [decode_positions_many(values, docs) for values in encoded[1:]]
        ids = set()
        for d, found, *others in zip(docs, firsts, *rest):
            for i, positions in enumerate(others, 1):
                found.intersection_update(map((-i).__add__, positions))
            if found:
                ids.add(d)
        return ids
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
