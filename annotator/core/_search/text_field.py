"""The schema's text fields, indexing our analysers' words in one pass.

``FieldType.index`` is Whoosh's documented hook for what a field indexes from a value: this
one gives what the stock ``TEXT.index`` gives (word bytes, frequency, weight, encoded
positions) from ``analysis.text_positions``/``tag_positions`` instead of the analyser's chain
of generators, when the field's analyser is one of those two. Anything else (another
analyser, a list of words, a format without positions, a field boost) is indexed the stock
way. ``columns`` gives the same as four lists, which our segment writer pools without making
a tuple per word. The index files are unchanged; only the TOC's pickled schema names this class, and
indexes are always opened with ``build_schema()``, never with the pickled one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from annotator.core._search.analysis import (
    TermPositions,
    tag_analyzer,
    tag_positions,
    text_analyzer,
    text_positions,
)

Positioner = Callable[[str], TermPositions]
_FAST: list[tuple[Any, Positioner]] = [(text_analyzer(), text_positions), (tag_analyzer(), tag_positions)]
# id(analyser) -> (the analyser, kept alive so the id is not reused; its one-pass function)
_known: dict[int, tuple[Any, Positioner | None]] = {}

# A term's postings in one document, as the writer pools them: the term bytes, the term's
# frequencies (the field length adds them up), weights and encoded positions.
Columns = tuple[list[bytes], list[int], list[float], list[bytes]]


def positioner(analyzer: Any) -> Positioner | None:
    """The one-pass function giving ``analyzer``'s indexed words, if it is one of ours."""
    known = _known.get(id(analyzer))
    if known is None or known[0] is not analyzer:
        match = next((fast for stock, fast in _FAST if analyzer == stock), None)
        known = _known[id(analyzer)] = (analyzer, match)
    return known[1]


# ``Positions.encode`` of a single position (most words occur once in a field): the 4-byte
# count, then the pickled one-item list (protocol 2, as Whoosh pickles it), for the positions
# met so far.
_ONE = pack_uint(1)
_SINGLE_LIMIT = 1 << 20
_single: list[bytes] = []


def _single_tail(position: int) -> bytes:
    while len(_single) <= position:
        _single.append(dumps([len(_single)], 2))
    return _single[position]


def encode_positions(where: list[int]) -> bytes:
    """``Positions.encode(where)``: the count, then the pickled gaps between positions.
    Every call returns a new bytes object, as the stock encoder does: a posting block pickles
    a value it has met before as a reference to it, and the segment would differ."""
    if len(where) == 1:
        position = where[0]
        if position < len(_single):
            return _ONE + _single[position]
        if position < _SINGLE_LIMIT:
            return _ONE + _single_tail(position)
    return pack_uint(len(where)) + dumps(list(map(sub, where, [0, *where])), 2)


class AnalysedText(TEXT):
    def columns(self, value: Any, **kwargs: Any) -> Columns | None:
        """What ``index`` gives, as columns, when the one-pass analysis applies (None where
        ``index`` would analyse the stock way)."""
        fmt = self.format
        fast = positioner(self.analyzer)
        if (fast is None or not isinstance(value, str) or type(fmt) is not Positions
                or kwargs.get("mode", "index") != "index" or kwargs.keys() - {"mode"}):
            return None
        positions = fast(value)
        terms = list(positions)
        where = list(positions.values())
        frequencies = list(map(len, where))
        # The stock weight: the sum of each token's boost (1.0), times the field boost.
        boost = fmt.field_boost
        weights = [frequency * boost for frequency in frequencies]
        return terms, frequencies, weights, list(map(encode_positions, where))

    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        columns = self.columns(value, **kwargs)
        if columns is None:
            return super().index(value, **kwargs)
        return list(zip(*columns))
