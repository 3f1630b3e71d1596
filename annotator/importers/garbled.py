"""Text that is not language: what a PDF gives when its font has no usable Unicode map.

Such a text layer comes out as glyph codes read as letters, often the alphabet shifted by a
constant ("5IJTJTBO"SJBM" for "ThisisanArial"). Two signs, either enough on its own:

- shifting every character by one constant turns the text into language (many very common
  words appear that were not there), which no real text does by accident;
- the text is Latin-script letters, yet hardly any of its words is a common word of any
  language we know and most "words" have no vowel at all.

Both are judged on the whole document so one odd table or formula never triggers them.
"""

from __future__ import annotations

import re

GARBLED_WARNING = (
    "the PDF's text layer looks garbled — its font has no Unicode map; search and quotes may "
    "not work"
)
# The most frequent words of the languages researchers here import most (en, fr, de, es, it,
# pt, nl, sv/da/no, pl, cs). A real text in any of them has 15–40 % of its words in this set.
COMMON_WORDS = frozenset(
    """the of and to in a is that for it as was with be by on not he i this are or his from at
    which but have an they you were her she there been one all we their has would will can
    de la le et les des en du un une est que pour qui dans pas par sur au plus ce il elle
    der die und das den von zu mit sich des ist im dem nicht ein eine auch es an auf für als
    el los las del se por con para una su al lo como más pero sus le ya o este
    di che il non per una sono della si gli nel alla anche come
    do da em os no na um uma com não dos das ao
    het een van en dat op te zijn voor met niet aan er
    och att det som på är av för med till den inte har
    og er til af ikke på med som for
    i w z na się nie do to że jest o jak po
    a v se na je že s z do to o ve""".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")
_MIN_WORDS = 40
_MIN_DISTINCT = 20
# Shifts tried: glyph-code tables are offset by small constants (29, 31, 3…).
_SHIFTS = tuple(k for k in range(-64, 65) if k)
_SAMPLE_CHARS = 20_000


def looks_garbled(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample.casefold())
    if len(words) < _MIN_WORDS and len(sample.strip()) < 200:
        return False  # too little text to judge; a short cover page is not worth a warning
    share = common_share(words)
    if share >= 0.08:
        return False
    if _latin_without_vowels(words) and share < 0.02:
        return True
    return _shift_makes_language(sample, share)


def common_share(words: list[str]) -> float:
    return sum(w in COMMON_WORDS for w in words) / len(words) if words else 0.0


def _latin_without_vowels(words: list[str]) -> bool:
    """Distinct words, so a table repeating "kg" or "mm" is not taken for noise."""
    latin = {w for w in words if w.isascii()}
    if len(latin) < _MIN_DISTINCT or len(latin) < 0.8 * len(set(words)):
        return False
    voiceless = sum(not (set(w) & _VOWELS) for w in latin)
    return voiceless > 0.4 * len(latin)


def _shift_makes_language(sample: str, share: float) -> bool:
    """Some constant shift of the printable ASCII text yields common words, where the text as
    it is has almost none."""
    codes = [ord(ch) for ch in sample[:5000] if 32 < ord(ch) < 127]
    if len(codes) < 100:
        return False
    for shift in _SHIFTS:
        shifted = "".join(chr(c + shift) if 32 < c + shift < 127 else " " for c in codes)
        # Garbled layers often lose spaces too: count common words inside letter runs.
        if _common_inside(shifted) > max(0.25, 5 * share):
            return True
    return False


def _common_inside(text: str) -> float:
    """Share of letters covered by common words of three letters or more found anywhere in
    the letter runs (greedy, longest first): real text scores 0.2–0.5, noise near 0."""
    runs = _WORD.findall(text.casefold())
    letters = sum(len(run) for run in runs)
    if not letters:
        return 0.0
    covered = 0
    for run in runs:
        covered += len(run) - len(_LONG_COMMON.sub("", run))
    return covered / letters


_LONG_COMMON = re.compile(
    "|".join(sorted((w for w in COMMON_WORDS if len(w) >= 3 and w.isascii()), key=len, reverse=True))
)
