"""Which line breaks of a plain text only wrapped a paragraph. Wire copy, e-mails and text
saved from some sites are hard-wrapped at 65–80 characters; shown as stored, every line ends
mid-sentence. The reader shows those breaks as spaces (same length, so every offset stays
valid); breaks the author meant — blank lines, an indented first line, list items, short
lines the next word would have fitted on — stay.

Qt-free and cheap: one pass over the lines."""

from __future__ import annotations

import re

MIN_LINES = 6  # fewer lines say nothing about a wrapping habit
MIN_WIDTH, MAX_WIDTH = 40, 100  # a wrap column outside this is not hard wrapping
WRAPPED_SHARE = 0.5  # of the breaks inside paragraphs that must look forced by the width
# Of those, at most this share may end a sentence: wrapped prose breaks mid-sentence far more
# often than not; short one-line paragraphs of like length end one at every break.
SENTENCE_END_SHARE = 0.5
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
# A line that starts a block of its own: indented (a paragraph's first line), a list item, a
# quote, a heading, a table row, a code fence. The break before it is the author's.
_BLOCK_START = re.compile(r"^(\s|[-*•+>#|]\s|\d{1,3}[.)]\s|```)")
_STANDS_ALONE = re.compile(r"^(#|\||```)")  # a heading, table row or fence never runs on


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def _wrap_width(lines: list[str]) -> int:
    """The column the text was wrapped at: the 95th percentile of line lengths (one long URL
    does not move it)."""
    lengths = sorted(len(line) for line in lines if line.strip())
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.95))] if lengths else 0


def _forced(line: str, following: str, width: int) -> bool:
    """The next line's first word would not have fitted on this line: the width broke it."""
    return len(line.rstrip()) + 1 + len(_first_word(following)) > width


def _joinable(line: str, following: str) -> bool:
    return bool(line.strip()) and bool(following.strip()) and not line.endswith("-") \
        and not line.endswith("  ") and _BLOCK_START.match(following) is None \
        and _STANDS_ALONE.match(line) is None


def soft_breaks(text: str) -> list[int]:
    """Offsets of the newlines in ``text`` that only wrapped a paragraph; [] when the text is
    not hard-wrapped (one paragraph per line, as most pasted text is)."""
    lines = text.split("\n")
    if len(lines) < MIN_LINES:
        return []
    width = _wrap_width(lines)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return []
    candidates = [i for i in range(len(lines) - 1) if _joinable(lines[i], lines[i + 1])]
    forced = [i for i in candidates if _forced(lines[i], lines[i + 1], width)]
    if len(forced) < MIN_LINES // 2 or len(forced) < WRAPPED_SHARE * len(candidates):
        return []
    if sum(1 for i in forced if _SENTENCE_END.search(lines[i])) > SENTENCE_END_SHARE * len(forced):
        return []
    offsets: list[int] = []
    position = 0
    chosen = set(forced)
    for i, line in enumerate(lines[:-1]):
        position += len(line)
        if i in chosen:
            offsets.append(position)
        position += 1
    return offsets


def reflowed(text: str) -> str:
    """``text`` with its soft breaks shown as spaces: the same length, character for character
    the same elsewhere."""
    breaks = soft_breaks(text)
    if not breaks:
        return text
    chars = list(text)
    for offset in breaks:
        chars[offset] = " "
    return "".join(chars)
