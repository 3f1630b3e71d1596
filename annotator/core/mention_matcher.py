"""Where a tag's name or aliases occur in a text: whole words, any case.

The rule is one regular expression, ``(?<!\\w)(?:name|alias…)(?!\\w)`` with IGNORECASE, longest
name first. Run over every article of a big project it costs seconds (Python's engine tries
it at every character), so for names written in ASCII the texts are first searched as UTF-8
bytes: ``bytes.lower`` and ``bytes.find`` run in C and give the few places where the
expression can match, and only those are tried. Texts are handed over as UTF-8 bytes
(SQLite can return them without decoding) and decoded only when something is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


class MentionMatcher:
    def __init__(self, names: Iterable[str]) -> None:
        ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
        if not ordered:
            raise ValueError("no name to look for")
        self.pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)", re.IGNORECASE
        )
        # For ASCII names IGNORECASE equals ASCII case folding, except for a few letters
        # Unicode folds onto ASCII ones (long s, Kelvin sign): those texts take the slow path.
        self._needles = ([n.lower().encode() for n in ordered]
                         if all(n.isascii() for n in ordered) else None)

    def find(self, data: bytes) -> tuple[str, list[re.Match[str]]]:
        """The decoded text (empty when nothing matched) and the matches, in order,
        not overlapping."""
        if self._needles is None or _has_ascii_lookalikes(data):
            text = data.decode("utf-8")
            matches = list(self.pattern.finditer(text))
            return (text if matches else ""), matches
        lowered = data.lower()
        starts = sorted({at for needle in self._needles for at in _occurrences(lowered, needle)})
        if not starts:
            return "", []
        text = data.decode("utf-8")
        found: list[re.Match[str]] = []
        taken_until = char_at = byte_at = 0
        for start in starts:
            # Byte offset to character offset, walking forward (starts are ascending).
            char_at += len(data[byte_at:start].decode("utf-8"))
            byte_at = start
            if char_at < taken_until:
                continue
            match = self.pattern.match(text, char_at)
            if match is not None:
                found.append(match)
                taken_until = match.end()
        return (text if found else ""), found


def _occurrences(haystack: bytes, needle: bytes) -> Iterable[int]:
    at = haystack.find(needle)
    while at != -1:
        yield at
        at = haystack.find(needle, at + 1)


# UTF-8 of the only characters IGNORECASE equates with ASCII letters (checked against every
# code point by tests/core/test_mention_matcher.py): ſ (s), Kelvin sign (k), ı and İ (i).
_LOOKALIKES = tuple(c.encode() for c in ("\u017f", "\u212a", "\u0131", "\u0130"))


def _has_ascii_lookalikes(data: bytes) -> bool:
    return any(mark in data for mark in _LOOKALIKES)
