"""Public search result models and the query-language help text.

Snippets mark matched words with guillemets: ``the «tariffs» were raised``. The form reads
well in a terminal and in JSON; ``snippet_html`` turns it into ``<b>…</b>`` for Qt. Literal
guillemets in the source text are shown as ‹ › inside snippets so the marks stay unambiguous.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

HitKind = Literal["document", "highlight", "note"]

# What a search says when the index cannot answer (the app rebuilds it in the background).
INDEX_DAMAGED = "The search index is damaged and is being rebuilt; results may be incomplete."
INDEX_MISSING = "The search index is being built; results will appear when it is ready."
INDEX_NOTICES = (INDEX_DAMAGED, INDEX_MISSING)

MARK_OPEN = "«"
MARK_CLOSE = "»"


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result.

    ``start``/``end`` are code-point offsets into the document text: the highlight's span for
    highlight and highlight-note hits, the first match for document hits (None when the match
    was only in metadata such as the title, or for a note on the whole document). ``matches``
    lists every matched word's span in the document text (capped), for keyword-in-context.
    """

    kind: HitKind
    document_id: int
    title: str
    highlight_id: int | None
    page: int | None
    score: float
    snippet: str
    start: int | None
    end: int | None
    tags: tuple[str, ...] = ()  # "category:name"
    published: date | None = None
    matches: tuple[tuple[int, int], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "document_id": self.document_id,
            "title": self.title,
            "highlight_id": self.highlight_id,
            "page": self.page,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "start": self.start,
            "end": self.end,
            "tags": list(self.tags),
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    hits: tuple[Hit, ...]
    total: int  # every match, not only the ``len(hits)`` returned
    elapsed_ms: float
    warnings: tuple[str, ...] = ()


def snippet_html(snippet: str) -> str:
    """The snippet as rich text for Qt: escaped, with matched words in bold."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(MARK_OPEN, "<b>").replace(MARK_CLOSE, "</b>")


def snippet_plain(snippet: str) -> str:
    """The snippet without match marks."""
    return snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


QUERY_HELP = """\
Search words are matched in any form (negotiation finds negotiations) and without accents or case,
in a document's text, title, author, source and notes, and in a passage's quote, note and tags.
  tariff retaliation          both words (AND is implied)
  "trade war"                 the exact phrase
  tariffs OR duties           either word (OR binds tighter than AND: carney tariffs OR duties
                              means carney AND (tariffs OR duties))
  NOT china   -china          leave out matches with the word
  (canada OR mexico) NOT us   group with parentheses
  negotiat*                   words starting with negotiat
  Hoekstra~   Hoekstra~2      close spellings (one or two letters off)
Fields:
  actor:Carney  actor:"Mark Carney"   passages tagged with the actor (aliases count too)
  topic:tariffs  tag:NORAD  stance:hawkish   a topic, any tag, or a tag of your own category
  title:budget  author:"Jane Hoekstra"  source:nytimes  note:"follow up"  format:pdf
  page:12  page:[10 to 20]
  published:2025  published:2025-06  published:2025-06-14  published:[2025-06-01 to 2025-06-30]
  published:>=2025-06
  outlet:"Globe and Mail"  country:CA  wordcount:>=800   documents whose variable has the value
                              (and their passages); a tag category of the same name wins
  in:documents  in:highlights  in:notes      search only there
Example: actor:Carney topic:tariffs retaliation published:2025-06"""


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One match centred in fixed-width context, for concordance (keyword-in-context) reading.

    ``left`` is right-aligned to ``width`` characters and ``right`` left-aligned, so lines set
    in a fixed-width font put every match in one column. ``left_word``/``right_word`` are the
    folded neighbouring words, the keys for sorting by left or right context."""

    document_id: int
    title: str
    start: int
    end: int
    left: str
    match: str
    right: str
    left_word: str
    right_word: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def kwic_line(text: str, start: int, end: int, *, document_id: int = 0, title: str = "",
              width: int = 40) -> KwicLine:
    """The match ``text[start:end]`` with ``width`` characters of context on each side."""
    left = _one_line(text[max(0, start - width * 2) : start])
    right = _one_line(text[end : end + width * 2])
    if start > 0 and text[start - 1].isspace():
        left += " "
    if end < len(text) and text[end].isspace():
        right = " " + right
    left = left[-width:].rjust(width)
    right = right[:width].ljust(width)
    left_words = left.split()
    right_words = right.split()
    return KwicLine(
        document_id=document_id,
        title=title,
        start=start,
        end=end,
        left=left,
        match=_one_line(text[start:end]),
        right=right,
        left_word=left_words[-1].casefold().strip(".,;:!?\"'()«»“”") if left_words else "",
        right_word=right_words[0].casefold().strip(".,;:!?\"'()«»“”") if right_words else "",
    )
