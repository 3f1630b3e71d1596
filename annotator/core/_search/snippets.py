"""Finding matched words in text and cutting marked snippets around them.

Matching reuses the index analysis (same word pattern, folding and stemming), so a word is
marked exactly when the index would have matched it: its folded surface form or its stem is
one of the query's terms after prefix/fuzzy expansion. A phrase is marked as one span from its
first word to its last, and only where its words follow each other as the index sees them
(only stop words or one-letter words between): "minister of finance" is one match, not three.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.support.charset import accent_map

from annotator.core._search.analysis import STOP_LIST, WORD_RE, fold, stem
from annotator.core._search.lexicons import pattern_words
from annotator.core.search_results import MARK_CLOSE, MARK_OPEN

SNIPPET_WIDTH = 220
MAX_MATCHES = 200
_SPACES = re.compile(r"\s+")

Span = tuple[int, int]
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)
def _fold_one(char: str) -> str:
    return char.translate(accent_map)


def _fold_char(match: re.Match[str]) -> str:
    # Folding only the non-ASCII characters: str.translate with the big accent table costs
    # about 0.5 ms on a 4,000-character article, most of which is plain ASCII.
    return _fold_one(match.group())


def positive_leaves(q: wq.Query) -> Iterable[wq.Query]:
    """Leaves outside any NOT: words the user wants to see, not the ones excluded."""
    if isinstance(q, wq.Not):
        return
    children = list(q.children())
    if not children:
        yield q
        return
    for child in children:
        yield from positive_leaves(child)


@dataclass(frozen=True)
class Marks:
    """What to mark in one field's text: single words (index terms) and phrases (tuples of
    terms, in order)."""

    words: frozenset[str] = frozenset()
    phrases: frozenset[tuple[str, ...]] = frozenset()

    def __or__(self, other: Marks) -> Marks:
        return Marks(self.words | other.words, self.phrases | other.phrases)

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


def marks_by_field(q: wq.Query, reader: IndexReader, fields: frozenset[str]) -> dict[str, Marks]:
    """Every index term (expanded for prefix/fuzzy/wildcard) and phrase the query looks for,
    per field."""
    words: dict[str, set[str]] = {}
    phrases: dict[str, set[tuple[str, ...]]] = {}
    for leaf in positive_leaves(q):
        try:
            if leaf.field() not in fields:
                continue
            if isinstance(leaf, wq.Phrase):
                phrases.setdefault(leaf.fieldname, set()).add(tuple(leaf.words))
                continue
            if type(leaf) is wq.Wildcard:  # Whoosh would read the field's whole term table
                terms = [(leaf.fieldname, word) for word in pattern_words(leaf, reader)]
            else:
                terms = leaf.expanded_terms(reader, phrases=True)
        except Exception:  # noqa: BLE001 - a leaf type without terms (Every, NumericRange…) marks nothing
            continue
        for fieldname, text in terms:
            if fieldname in fields:
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                words.setdefault(fieldname, set()).add(word)
    return {
        name: Marks(frozenset(words.get(name, ())), frozenset(phrases.get(name, ())))
        for name in words.keys() | phrases.keys()
    }


def find_matches(text: str, marks: Marks, limit: int = MAX_MATCHES) -> list[Span]:
    """Spans of the marked words and phrases in ``text``, in order, at most ``limit``."""
    if not marks or not text:
        return []
    terms = marks.words | frozenset(word for phrase in marks.phrases for word in phrase)
    # Phrases need every word, even those only part of a phrase; cap the scan generously.
    found = _word_matches(text, terms, limit if not marks.phrases else limit * 8)
    if not marks.phrases:
        return [(start, end) for start, end, _ in found]
    spans = [(start, end) for start, end, hit in found if hit & marks.words]
    spans.extend(_phrase_spans(text, found, marks.phrases))
    spans.sort()
    kept: list[Span] = []
    for start, end in spans:  # a word inside a marked phrase is not marked again
        if kept and start < kept[-1][1]:
            if end > kept[-1][1]:
                kept[-1] = (kept[-1][0], end)
            continue
        kept.append((start, end))
    return kept[:limit]


def _phrase_spans(
    text: str, found: list[tuple[int, int, frozenset[str]]], phrases: frozenset[tuple[str, ...]]
) -> list[Span]:
    spans: list[Span] = []
    for i in range(len(found)):
        for phrase in phrases:
            last = i + len(phrase) - 1
            if last >= len(found) or not all(
                phrase[k] in found[i + k][2]
                and (k == 0 or _only_skipped_words(text[found[i + k - 1][1] : found[i + k][0]]))
                for k in range(len(phrase))
            ):
                continue
            spans.append((found[i][0], found[last][1]))
    return spans


def _only_skipped_words(gap: str) -> bool:
    """Whether the index drops every word in ``gap`` (stop words, one-letter words), so the
    words either side are neighbours in a phrase."""
    return all(
        len(word) < 2 or word in STOP_LIST for word in (fold(m.group()) for m in WORD_RE.finditer(gap))
    )


def _word_matches(text: str, terms: frozenset[str], limit: int) -> list[tuple[int, int, frozenset[str]]]:
    """Each word of ``text`` that is one of ``terms``: its span and which terms it is."""
    folded = text.lower() if text.isascii() else _NON_ASCII.sub(_fold_char, text.lower())
    candidates = _candidate_pattern(terms)
    if len(folded) != len(text) or candidates is None:
        return _find_matches_slowly(text, terms, limit)
    # Only words starting like a query term are stemmed and checked, not every word.
    found: list[tuple[int, int, frozenset[str]]] = []
    for match in candidates.finditer(folded):
        start, end = match.span()
        if start > 0 and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
            continue
        hit = _which_terms(match.group(), terms)
        if hit:
            found.append((start, end, hit))
            if len(found) >= limit:
                break
    return found


def _which_terms(surface: str, terms: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in (surface, stem(surface)) if t in terms)


@functools.lru_cache(maxsize=256)
def _candidate_pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """Words that could stem to a term: stems are prefixes of their words except for a changed
    last letter (happy -> happi), so one letter less of each term is a safe prefix."""
    prefixes = sorted({t[:-1] if len(t) > 3 else t for t in terms}, key=len, reverse=True)
    if not prefixes:
        return None
    return re.compile("(?:" + "|".join(map(re.escape, prefixes)) + r")\w*(?:\.\w+)*")


def _find_matches_slowly(
    text: str, terms: frozenset[str], limit: int
) -> list[tuple[int, int, frozenset[str]]]:
    """Word by word, for text whose folding changes its length (ß -> ss)."""
    found: list[tuple[int, int, frozenset[str]]] = []
    for match in WORD_RE.finditer(text):
        hit = _which_terms(fold(match.group()), terms)
        if hit:
            found.append((*match.span(), hit))
            if len(found) >= limit:
                break
    return found


def _clean(piece: str) -> str:
    if MARK_OPEN in piece or MARK_CLOSE in piece:
        piece = piece.replace(MARK_OPEN, "‹").replace(MARK_CLOSE, "›")
    return _SPACES.sub(" ", piece)


def make_snippet(text: str, spans: list[Span], width: int = SNIPPET_WIDTH) -> str:
    """Up to ``width`` characters around the first match, matched words in «…»."""
    if not text:
        return ""
    first = spans[0][0] if spans else 0
    left = 0 if len(text) <= width else max(0, first - width // 3)
    if left > 0:
        space = text.find(" ", left, first)
        left = space + 1 if space >= 0 else left
    right = min(len(text), left + width)
    if right < len(text):
        space = text.rfind(" ", max(left, spans[0][1] if spans else left), right)
        right = space if space > left else right
    pieces: list[str] = ["…" if left > 0 else ""]
    cursor = left
    for start, end in _merge_adjacent(text, spans):
        if start < cursor:
            continue
        if end > right:
            break
        pieces.append(_clean(text[cursor:start]))
        pieces.append(MARK_OPEN + _clean(text[start:end]) + MARK_CLOSE)
        cursor = end
    pieces.append(_clean(text[cursor:right]))
    if right < len(text):
        pieces.append("…")
    return "".join(pieces).strip()


def _merge_adjacent(text: str, spans: list[Span]) -> list[Span]:
    """Marks a phrase as one «Mark Carney» rather than «Mark» «Carney»."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
