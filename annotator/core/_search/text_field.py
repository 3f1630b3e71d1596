"""The schema's text fields, indexing our analysers' words in one pass.

``FieldType.index`` is Whoosh's documented hook for what a field indexes from a value: this
one gives what the stock ``TEXT.index`` gives (word bytes, frequency, weight, encoded
positions) from ``analysis.text_positions``/``tag_positions`` instead of the analyser's chain
of generators, when the field's analyser is one of those two. Anything else (another
analyser, a list of words, a format without positions, a field boost) is indexed the stock
way. The index files are unchanged; only the TOC's pickled schema names this class, and
indexes are always opened with ``build_schema()``, never with the pickled one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from whoosh.fields import TEXT
from whoosh.formats import Positions

from annotator.core._search.analysis import (
    tag_analyzer,
    tag_positions,
    text_analyzer,
    text_positions,
)

Positioner = Callable[[str], dict[str, list[int]]]
_FAST: list[tuple[Any, Positioner]] = [(text_analyzer(), text_positions), (tag_analyzer(), tag_positions)]
# id(analyser) -> (the analyser, kept alive so the id is not reused; its one-pass function)
_known: dict[int, tuple[Any, Positioner | None]] = {}


def positioner(analyzer: Any) -> Positioner | None:
    """The one-pass function giving ``analyzer``'s indexed words, if it is one of ours."""
    known = _known.get(id(analyzer))
    if known is None or known[0] is not analyzer:
        match = next((fast for stock, fast in _FAST if analyzer == stock), None)
        known = _known[id(analyzer)] = (analyzer, match)
    return known[1]


class AnalysedText(TEXT):
    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        fmt = self.format
        fast = positioner(self.analyzer)
        if (fast is None or not isinstance(value, str) or type(fmt) is not Positions
                or kwargs.get("mode", "index") != "index" or kwargs.keys() - {"mode"}):
            return super().index(value, **kwargs)
        # The stock weight: the sum of each token's boost (1.0), times the field boost. Each
        # value is its own bytes object, as from the stock analysis: a block pickles values
        # it has seen before as references to them, which compress worse than repeats.
        boost = fmt.field_boost
        encode = fmt.encode
        return [(word.encode("utf-8"), len(where), float(len(where)) * boost, encode(where))
                for word, where in fast(value).items()]
