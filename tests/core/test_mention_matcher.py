"""The fast mention search finds exactly what the plain regular expression finds."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import mention_matcher
from annotator.core.mention_matcher import MentionMatcher

NAMES = [["Anand", "Anita Anand"], ["Carney", "PM Carney"], ["Mélanie Joly", "Joly"],
         ["USMCA", "CUSMA"], ["is"], ["Kim"]]
PIECES = ["anand", "Anita ANAND", "carney", "PM Carney", "Joly", "MÉLANIE JOLY", "usmca",
          "cusmaS", "is", "kim", "Kim_", "_kim", " ", ", ", ".", "\n", "é", "x", "2",
          "\u017f", "\u212a", "\u0131", "\u0130", "“", "”", "🌍", "ß"]


def reference(names: list[str], text: str) -> list[tuple[int, int, str]]:
    ordered = sorted(set(names), key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)",
                         re.IGNORECASE)
    return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]


def fast(names: list[str], text: str) -> list[tuple[int, int, str]]:
    decoded, matches = MentionMatcher(names).find(text.encode())
    assert decoded == (text if matches else "")
    return [(m.start(), m.end(), m.group(0)) for m in matches]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NAMES), st.lists(st.sampled_from(PIECES), max_size=30))
def test_same_matches_as_the_regular_expression(names: list[str], pieces: list[str]) -> None:
    text = "".join(pieces)
    assert fast(names, text) == reference(names, text)


def test_examples() -> None:
    text = "xAnita Anand met Anand; ANAND_ and Anita anand. \u212aim"
    found = fast(["Anand", "Anita Anand"], text)
    assert found == reference(["Anand", "Anita Anand"], text)
    assert [m[2] for m in found] == ["Anand", "Anand", "Anita anand"]
    assert fast(["Kim"], text) == [(len(text) - 3, len(text), "\u212aim")]  # Kelvin sign


def test_the_lookalikes_are_every_character_ignorecase_equates_with_ascii() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    lookalikes = [chr(c) for c in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(c))]
    assert sorted(m.decode() for m in mention_matcher._LOOKALIKES) == sorted(lookalikes)
