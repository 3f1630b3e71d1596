"""Which way a REFI-QDA file counts positions in one source, and mapping them to our offsets.

The standard counts Unicode code points of the plain-text file. Real tools also count UTF-16
code units (astral characters such as emoji count twice), count or skip a byte-order mark, and
count a CRLF line break as two characters or as one. We store the text with the BOM dropped and
CRLF as LF, so every convention maps onto our code points; which one a file used is detected
per source by checking selections whose ``name`` quotes their text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

_SPECIAL = re.compile("\r\n|[\U00010000-\U0010ffff]")
_ELLIPSIS = ("…", "...")


@dataclass(frozen=True, slots=True)
class Convention:
    utf16: bool = False  # positions count UTF-16 code units
    crlf_two: bool = True  # a CRLF counts as two characters (the file as written)
    bom_counted: bool = False  # a leading byte-order mark counts as a character

    def describe(self, raw: str) -> str:
        parts = ["UTF-16 code units" if self.utf16 else "code points"]
        if "\r\n" in raw:
            parts.append("CRLF counted as two characters" if self.crlf_two
                         else "CRLF counted as one character")
        if raw.startswith("\ufeff"):
            parts.append("the byte-order mark counted" if self.bom_counted
                         else "the byte-order mark not counted")
        return ", ".join(parts)


STANDARD = Convention()


def stored_text(raw: str) -> str:
    """The text as we keep it: no leading BOM, LF line breaks; nothing else changes."""
    raw = raw.removeprefix("\ufeff")
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def is_plain(raw: str) -> bool:
    """True when every convention counts alike (no BOM, no CRLF, nothing beyond the BMP)."""
    return not raw.startswith("\ufeff") and "\r\n" not in raw and not _SPECIAL.search(raw)


def position_map(raw: str, convention: Convention) -> Callable[[int], int | None]:
    """Position in ``convention`` -> offset into ``stored_text(raw)``; None when it falls
    inside a character (half a surrogate pair) or beyond the text."""
    # Each special character: (its first unit, its stored offset, units it takes, stored chars).
    specials: list[tuple[int, int, int, int]] = []
    unit = stored = index = 0
    if raw.startswith("\ufeff"):
        width = 1 if convention.bom_counted else 0
        specials.append((0, 0, width, 0))
        unit, index = width, 1
    for match in _SPECIAL.finditer(raw, index):
        gap = match.start() - index
        unit += gap
        stored += gap
        width = (2 if convention.crlf_two else 1) if match.group() == "\r\n" else (
            2 if convention.utf16 else 1)
        specials.append((unit, stored, width, 1))
        unit += width
        stored += 1
        index = match.end()
    total = unit + len(raw) - index
    starts = [s[0] for s in specials]

    def convert(position: int) -> int | None:
        if position < 0 or position > total:
            return None
        k = bisect_right(starts, position) - 1
        if k < 0:
            return position
        first, at, width, taken = specials[k]
        if position < first + width and position != first:
            if taken == 0:  # inside a counted BOM: the text's start
                return at
            return at if width == 2 and taken == 1 and raw_crlf(k) else None
        if position == first:
            return at
        return at + taken + position - first - width

    def raw_crlf(k: int) -> bool:
        return crlf_flags[k]

    crlf_flags = _crlf_flags(raw, specials)
    return convert


def _crlf_flags(raw: str, specials: Sequence[tuple[int, int, int, int]]) -> list[bool]:
    flags = [False] * len(specials)
    k = 1 if raw.startswith("\ufeff") else 0
    for match in _SPECIAL.finditer(raw, k):
        flags[k] = match.group() == "\r\n"
        k += 1
    return flags


def candidates(raw: str) -> list[Convention]:
    """The conventions that count this text differently, the standard's first."""
    utf16 = (False, True) if _SPECIAL.search(raw) and any(
        ord(c) > 0xFFFF for c in raw) else (False,)
    crlf = (True, False) if "\r\n" in raw else (True,)
    bom = (False, True) if raw.startswith("\ufeff") else (False,)
    return [Convention(u, c, b) for u, c, b in product(utf16, crlf, bom)]


def quotes_match(name: str, quote: str) -> bool:
    """Whether a selection's ``name`` is (the start of) its quote, or the quote is the start of
    the name: tools shorten long quotes, some with an ellipsis."""
    a = " ".join(name.split()).casefold()
    for mark in _ELLIPSIS:
        if a.endswith(mark):
            a = a[: -len(mark)].rstrip()
    b = " ".join(quote.split()).casefold()
    if not a or not b:
        return False
    return a.startswith(b) or b.startswith(a)


def detect(raw: str, named: Sequence[tuple[int, int, str]], sample: int = 60,
           ) -> tuple[Convention, int, int]:
    """The convention under which most named selections quote their text: (convention,
    matches, selections checked). Ties go to the earlier candidate (the standard first)."""
    options = candidates(raw)
    checked = [item for item in named if item[2].strip()][:sample]
    if len(options) == 1 or not checked:
        return options[0], 0, len(checked)
    text = stored_text(raw)
    best, best_score = options[0], -1
    for option in options:
        convert = position_map(raw, option)
        score = 0
        for start, end, name in checked:
            s, e = convert(start), convert(end)
            if s is not None and e is not None and s < e and quotes_match(name, text[s:e]):
                score += 1
        if score > best_score:
            best, best_score = option, score
    return best, best_score, len(checked)
