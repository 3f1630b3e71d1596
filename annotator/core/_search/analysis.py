"""Text analysis shared by indexing, query parsing and snippet marking.

Every word is lower-cased and accent-folded, then indexed twice *at the same position*: as
its English stem and, when that differs, as the unstemmed word. Stemmed word queries and
phrases use the stems; prefix wildcards and fuzzy terms use the unstemmed forms
(``negotiat*`` must find "negotiations" although its stem is ``negoti``). Keeping both forms
in one field costs one analysis pass per field instead of a second "unstemmed copy" field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
)
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

# Words, keeping "U.S" and "3.5" whole; apostrophes split ("Carney's" -> carney, s).
WORD_PATTERN = r"\w+(?:\.\w+)*"
WORD_RE = re.compile(WORD_PATTERN, re.UNICODE)

# Separates one tag name (or alias) from the next, or a quote from its note, inside one field:
# the gap filter turns it into a jump of positions so a phrase never matches across the two.
TAG_SEPARATOR = " zztagsepzz "
_TAG_SEPARATOR_WORD = TAG_SEPARATOR.strip()
_TAG_POSITION_GAP = 100


# Snowball English (Porter2), not the original Porter: Porter stems "negotiated" to negotiat
# but "negotiation" to negoti, so one would not find the other.
_english_stem = stemmer_for_language("en")


# Whoosh's English stop words, less "us" (the United States, in a tool for trade and
# security reporting) and "may" (the month).
STOP_LIST = frozenset(STOP_WORDS - {"us", "may"})


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of an already folded word (cached: news vocabulary repeats heavily)."""
    return _english_stem(word)


@functools.lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and strip accents, as the analysers do ("Québec" -> "quebec")."""
    return word.lower().translate(accent_map)


class SurfaceAndStemFilter(Filter):
    """Emits the stem, then (index mode only) the unstemmed word at the same position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if token.stopped:
                yield token
                continue
            surface = token.text
            token.text = stem(surface)
            yield token
            # Query words are stemmed only; prefix/fuzzy queries are built without the analyser.
            if token.mode != "query" and token.text != surface:
                token.text = surface
                yield token


class TagGapFilter(Filter):
    """Drops the tag separator word and leaves a wide gap in positions in its place."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        gap = 0
        for token in tokens:
            if token.text == _TAG_SEPARATOR_WORD:
                gap += _TAG_POSITION_GAP
                continue
            if gap and token.positions:
                token.pos += gap
            yield token


def text_analyzer() -> Analyzer:
    """Body, quote, note, title and author text: stop words removed. The gap filter comes
    after the stop filter, which renumbers positions and would close the gaps."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_LIST)
        | TagGapFilter()
        | SurfaceAndStemFilter()
    )


def tag_analyzer() -> Analyzer:
    """Tag names and aliases: no stop words (a tag called "The Hague" keeps "the")."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | TagGapFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | SurfaceAndStemFilter()
    )


# -- the same analysis in one pass, for indexing --------------------------------------------------
# Whoosh runs an analyser as a chain of generators passing one Token object along: about a
# quarter of a rebuild's time. These functions give what ``Positions.word_values`` collects
# from that chain in index mode (every indexed word with its positions) in one loop over the
# tokenizer's words, each word's fate (dropped, a tag separator, or its stem and surface as
# UTF-8 term bytes) looked up once per distinct spelling. tests/core/test_fast_analysis.py
# checks them against the chains.

TermPositions = dict[bytes, list[int]]
_DROPPED: tuple[bytes, ...] = ()  # falsy: a stop word or a one-letter word
_SEPARATOR: tuple[bytes, ...] = (b"",)  # compared by identity
_CACHE_LIMIT = 200_000  # distinct spellings remembered (news vocabulary repeats heavily)
_text_terms: dict[str, tuple[bytes, ...]] = {}
_tag_terms: dict[str, tuple[bytes, ...]] = {}


def _terms_of(word: str) -> tuple[bytes, ...]:
    """A folded word's indexed terms: its stem, then the word itself where that differs."""
    stemmed = stem(word)
    if stemmed == word:
        return (stemmed.encode("utf-8"),)
    return stemmed.encode("utf-8"), word.encode("utf-8")


def _remember(cache: dict[str, tuple[bytes, ...]], raw: str, terms: tuple[bytes, ...]) -> tuple[bytes, ...]:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[raw] = terms
    return terms


def _text_terms_of(raw: str) -> tuple[bytes, ...]:
    word = fold(raw)
    if len(word) < 2 or word in STOP_LIST:  # the stop filter's minimum size and list
        return _remember(_text_terms, raw, _DROPPED)
    if word == _TAG_SEPARATOR_WORD:
        return _remember(_text_terms, raw, _SEPARATOR)
    return _remember(_text_terms, raw, _terms_of(word))


def _tag_terms_of(raw: str) -> tuple[bytes, ...]:
    if raw == _TAG_SEPARATOR_WORD:  # the gap filter runs before folding here
        return _remember(_tag_terms, raw, _SEPARATOR)
    return _remember(_tag_terms, raw, _terms_of(fold(raw)))


def _positions(value: str, known: Callable[[str], tuple[bytes, ...] | None],
               terms_of: Callable[[str], tuple[bytes, ...]]) -> TermPositions:
    """Indexed terms and their positions. A stop filter numbers the kept words on from the
    first one's place among all words (Whoosh's ``renumber``; without dropped words that is
    each word's place); the gap filter counts the tag separator as a kept word and drops it."""
    positions: TermPositions = {}
    found_for = positions.get
    position = -1
    gap = 0
    for index, raw in enumerate(WORD_RE.findall(value)):
        terms = known(raw)
        if terms is None:
            terms = terms_of(raw)
        if not terms:
            continue
        position = index if position < 0 else position + 1
        if terms is _SEPARATOR:
            gap += _TAG_POSITION_GAP
            continue
        at = position + gap
        for term in terms:
            found = found_for(term)
            if found is None:
                positions[term] = [at]
            else:
                found.append(at)
    return positions


def text_positions(value: str) -> TermPositions:
    """``text_analyzer()``'s indexed terms and their positions (the gap filter after the
    stop filter)."""
    return _positions(value, _text_terms.get, _text_terms_of)


def tag_positions(value: str) -> TermPositions:
    """``tag_analyzer()``'s indexed terms and their positions: no stop words, the separator
    recognised before folding."""
    return _positions(value, _tag_terms.get, _tag_terms_of)


def query_terms(analyzer: Analyzer, text: str) -> list[str]:
    """The terms a query word or phrase turns into under ``analyzer`` (stems, in order)."""
    return [t.text for t in analyzer(text, mode="query", removestops=True) if not t.stopped]
