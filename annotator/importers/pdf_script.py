"""Right-to-left text from PDFs stored as a reader would type it.

Many PDF producers map Arabic glyphs to Unicode *presentation forms* (U+FB50–U+FDFF,
U+FE70–U+FEFF: "beh, initial form"…). They look right but a search for العربية typed with
ordinary letters never finds them, so they are folded to ordinary letters (NFKC on those
characters only; NFKC on the whole text would also rewrite "²", "ﬁ" or full-width forms).

The same forms also tell reading order: in logical order a word starts with an initial or
isolated form and ends with a final or isolated one. pypdf reverses right-to-left runs on the
assumption that glyphs were drawn in visual order; PDFs that drew them in logical order come
out backwards. A run of right-to-left words whose forms say "backwards" is turned around.
"""

from __future__ import annotations

import re
import unicodedata

_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
_RTL_CHARS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
# A run of right-to-left words with the spaces, marks and digits between them.
_RTL_RUN = re.compile(rf"[{_RTL_CHARS}](?:[{_RTL_CHARS}\u064b-\u065f\u0670 0-9٠-٩.,،؛]*[{_RTL_CHARS}])?")
# (first form, last form) of a word read backwards.
_BACKWARDS = frozenset({("final", "initial"), ("final", "isolated"), ("isolated", "initial")})
_CLUSTER = re.compile(r"[0-9٠-٩]+|.[\u064b-\u065f\u0670\u0300-\u036f]*", re.DOTALL)


def logical_rtl_text(text: str) -> str:
    """``text`` with backwards right-to-left runs turned round and presentation forms folded
    to ordinary letters; text without them comes back unchanged."""
    if not _PRESENTATION.search(text):
        return text
    text = _RTL_RUN.sub(_turned_if_backwards, text)
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _turned_if_backwards(match: re.Match[str]) -> str:
    run = match.group()
    forward = backward = 0
    for word in run.split():
        first, last = _form(word[0]), _form(word[-1])
        if first in ("initial", "isolated") and last in ("final", "isolated"):
            forward += first != "isolated" or last != "isolated"
        if (first, last) in _BACKWARDS:
            backward += 1
    if backward <= forward:
        return run
    # Turn round whole letters (a letter keeps its vowel marks after it) and keep numbers,
    # which run left to right inside right-to-left text, as they are.
    return "".join(reversed(_CLUSTER.findall(run)))


def _form(char: str) -> str:
    """"initial", "medial", "final", "isolated" for a presentation form, else ""."""
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith("<"):
        return decomposition[1 : decomposition.index(">")]
    return ""
