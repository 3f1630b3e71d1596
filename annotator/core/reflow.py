"""Hard-wrapped plain text shown as paragraphs, without touching the stored text.

Wire copy, e-mails and text saved from some sites break every line at 65–80 characters; a
reader wider or narrower than that shows ragged half-lines. The stored text (and so every
offset) stays as it was: ``wrap_joins`` only says which line breaks merely wrap a paragraph,
and ``reflowed`` shows those as spaces — the same length, character for character.

A text counts as hard-wrapped when most lines inside its paragraphs come close to one width
between 40 and 100 characters, hardly any line is longer, and most lines end mid-sentence
(text with one sentence per line is not wrapped, however even its lines). A line break then ends a
paragraph when the next line is blank, indented (a first-line indent), a list item, or when
the next line's first word would still have fitted on the line (the line ended early).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

MIN_WIDTH, MAX_WIDTH = 40, 100
# Lines at least this close to the width count as "full" (wrapped by the width, not the author).
_FULL_SLACK = 15
_MIN_INNER_LINES = 4
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)]$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s|\d{1,3}[.)]\s|[a-z][.)]\s)")
PLAIN_TEXT_FORMATS = frozenset({"txt", "md"})


def wrap_width(lines: Sequence[str]) -> int | None:
    """The width a text is hard-wrapped at, or None when it is not hard-wrapped."""
    filled = [line.rstrip() for line in lines if line.strip()]
    inner = [
        lines[i].rstrip() for i in range(len(lines) - 1)
        if lines[i].strip() and lines[i + 1].strip()
    ]
    if len(inner) < _MIN_INNER_LINES:
        return None
    lengths = sorted(len(line) for line in filled)
    width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return None
    if sum(len(line) > width + 10 for line in filled) > 0.05 * len(filled):
        return None  # some paragraphs are one long line: the text is not wrapped
    if sum(bool(_SENTENCE_END.search(line)) for line in inner) > 0.4 * len(inner):
        return None  # lines end where sentences do: one sentence or paragraph per line
    full = sum(len(line) >= width - _FULL_SLACK for line in inner)
    return width if full >= max(3, 0.5 * len(inner)) else None


def wrap_joins(text: str) -> list[int]:
    """Offsets of the line breaks in ``text`` that only wrap a paragraph (shown as spaces)."""
    if "\n" not in text:
        return []
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return []
    joins: list[int] = []
    offset = 0
    for line, following in pairwise(lines):
        offset += len(line)
        if _wraps(line, following, width):
            joins.append(offset)
        offset += 1
    return joins


def _wraps(line: str, following: str, width: int) -> bool:
    if not line.strip() or not following.strip():
        return False
    if _indent(following) > _indent(line) or _LIST_ITEM.match(following):
        return False
    if line.rstrip().endswith("-"):
        return False  # "well-\nknown": a space would split the word
    next_word = following.split()[0]
    return len(line.rstrip()) + 1 + len(next_word) > width


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def reflowed(text: str) -> str:
    """``text`` with its wrapping line breaks shown as spaces; same length, same offsets."""
    joins = wrap_joins(text)
    if not joins:
        return text
    chars = list(text)
    for offset in joins:
        chars[offset] = " "
    return "".join(chars)
