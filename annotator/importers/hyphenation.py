"""Undoing the hyphen a PDF line break put inside a word, without merging real compounds.

A letter, a hyphen, a line break and a lowercase letter is either a word split by the
typesetter ("negoti-|ators") or a compound that happened to break at its hyphen ("well-|known").
The rule, in order, for a break between two lowercase letters:

1. the joined word occurs elsewhere in the document unbroken ("negotiators")  -> join;
2. the hyphenated form occurs elsewhere within a line ("well-known")          -> keep the hyphen;
3. both halves are common standalone words ("well" + "known", "long" + "term") -> keep;
4. otherwise (a half that is no word by itself: "negoti", "ators")             -> join.

The document's own spelling decides whenever it can (1, 2), so a text that writes "e-mail"
or "cooperation" keeps its convention; the word list (3) only breaks the tie for a word seen
once. A capital on either side ("NATO-|led", "Canada-|US") or a digit ("2024-|2025") never
joins. Only the hyphen and the line break go, so the page map stays exact: joining happens
per page before the pages are laid end to end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SPLIT_WORD = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])")
_LETTERS_BEFORE = re.compile(r"[^\W\d_]+$")
_LETTERS_AFTER = re.compile(r"[^\W\d_]+")
# Words and hyphenated compounds as they stand on one line (a line-end break is not one).
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Frequent English words that also stand alone as halves of hyphenated compounds.
COMMON_WORDS = frozenset(
    """
    a about above after age air all an and any area art back bad base based being best big
    black blue body book born bound brand break broad built by call called care case cash
    chain change child city class clear close co cold come control cost could country cross
    cut data day deep door down draw driven east easy end even every eye face fact fair far
    fast fed few field fight figure file fire first five fold force form forward four free
    front full fund game general give go going gold good great green ground group grown half
    hand hard head heavy high hit home hot house how ill in inch income just keep key kind
    known labour land large last late law lead led left level life light like line little
    live long look loss low made main make making man market may mean men mid middle mind
    minded more most mouth much name near new next night no non north not now off oil old on
    one only open or order other out over own owned paid part party pay people place plan
    play point policy post power price pro public quarter rate ready real red related right
    rise road room round rule run safe same scale school sea second see self set shaped short
    side sight size small so social south speed split spread stage stand standing start state
    step stop street style sum sun table take taking term test third three time top town
    trade tree two under up use used user value view wage war water way week well west white
    wide will wing wise word work world worth year yet young
    """.split()
)


def dehyphenate(pages: Sequence[str]) -> list[str]:
    """``pages`` with line-end hyphens removed where they split a word (see the module doc)."""
    words: set[str] = set()
    compounds: set[str] = set()
    for page in pages:
        for token in _TOKEN.findall(page.lower()):
            (compounds if "-" in token else words).add(token)
    return [_SPLIT_WORD.sub(lambda m: _replacement(m, words, compounds), page) for page in pages]


def _replacement(match: re.Match[str], words: set[str], compounds: set[str]) -> str:
    text = match.string
    left_match = _LETTERS_BEFORE.search(text, 0, match.start())
    right_match = _LETTERS_AFTER.match(text, match.end())
    left = left_match.group() if left_match else ""
    right = right_match.group() if right_match else ""
    if not (left[-1:].islower() and right[:1].islower()):
        return match.group(0)
    left, right = left.lower(), right.lower()
    if left + right in words:
        return ""
    if f"{left}-{right}" in compounds:
        return match.group(0)
    if left in COMMON_WORDS and right in COMMON_WORDS:
        return match.group(0)
    return ""
