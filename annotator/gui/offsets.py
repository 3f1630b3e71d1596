"""The one place where Qt text positions (UTF-16 code units) and core offsets (Unicode code
points) are converted. Everything else in the GUI goes through an ``OffsetMap``.

A character outside the Basic Multilingual Plane (emoji, CJK Extension B…) is one code point
but two UTF-16 units, so every astral character before a position shifts it by one. We record
the code-point index of each astral character once per document; a conversion is then one
binary search. Texts without astral characters (almost all articles) take a fast path.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts positions for one text. Built in O(n) by a C-level regex scan."""

    __slots__ = ("_astral_points", "_astral_units", "units")

    def __init__(self, text: str) -> None:
        if text.isascii():
            points: list[int] = []
        else:
            points = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_points = points
        # UTF-16 position of the i-th astral character: its code-point index plus the extra
        # unit of every astral character before it.
        self._astral_units = [p + i for i, p in enumerate(points)]
        self.units = len(text) + len(points)

    @property
    def has_astral(self) -> bool:
        return bool(self._astral_points)

    def to_qt(self, offset: int) -> int:
        """Code-point offset -> UTF-16 position."""
        if not self._astral_points:
            return offset
        return offset + bisect_left(self._astral_points, offset)

    def to_core(self, position: int, *, round_up: bool = False) -> int:
        """UTF-16 position -> code-point offset. A position inside a surrogate pair (Qt never
        puts a cursor there, but a raw number might) snaps to the character's start, or to its
        end with ``round_up`` (use that for the end of a span so the character stays inside)."""
        if not self._astral_units:
            return position
        before = bisect_right(self._astral_units, position - 1)  # astral chars starting < position
        if before and self._astral_units[before - 1] == position - 1:
            start = self._astral_points[before - 1]
            return start + 1 if round_up else start
        return position - before

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_to_core(self, start: int, end: int) -> tuple[int, int]:
        return self.to_core(start), self.to_core(end, round_up=True)
