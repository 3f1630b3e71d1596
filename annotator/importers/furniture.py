"""Page furniture in text copied or saved from a web page: "top of page", "Skip to content",
"Advertisement", "Share this article", cookie notices, photo credits.

Such lines are dropped from the start and the end of the text, and between paragraphs only
when they stand alone and match a known phrase exactly (or are a photo credit). A line that
continues a sentence is never dropped: the line before it must be blank or end a sentence.
The original file is kept byte for byte in the project, so nothing is lost for good.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Compared case-insensitively after trimming spaces and trailing punctuation/arrows.
KNOWN_PHRASES = frozenset(
    """top of page | bottom of page | back to top | skip to content | skip to main content |
    skip to navigation | jump to content | advertisement | advertisements | advertising | ad |
    sponsored | sponsored content | supported by | share | share this | share this article |
    share this story | share this page | share on facebook | share on twitter | share on x |
    share on linkedin | share via email | tweet | email | print | print this page | copy link |
    link copied | comments | comment | view comments | show comments | leave a comment |
    add a comment | continue reading | continue reading the main story |
    story continues below advertisement | article continues below advertisement |
    article continues below | read more | read more here | see more | show more | load more |
    related | related articles | related stories | related content | related posts |
    more on this story | more from | most popular | most read | trending | trending now |
    recommended | recommended for you | you might also like | you may also like |
    sign up for our newsletter | subscribe to our newsletter | sign up | subscribe |
    subscribe now | log in | login | sign in | register | menu | main menu | open menu |
    close menu | close | search | toggle navigation | navigation | home | listen |
    listen to this article | save | save article | saved | follow | follow us | gift article |
    accept | accept all | accept all cookies | reject all | manage cookies | cookie settings |
    cookie policy | privacy policy | terms of use | terms of service | contact us | about us |
    all rights reserved | loading | loading… | tags | topics | temas | themen | sujets |
    etiquetas | schlagwörter | mots-clés""".split("|")
)
KNOWN = frozenset(" ".join(phrase.split()) for phrase in KNOWN_PHRASES)

def _compiled(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


# Patterns for lines that are furniture whatever their exact words; anchored and for short
# lines only (see MAX_PATTERN_CHARS), so a paragraph that mentions cookies stays. Photo credits
# are dropped anywhere they stand alone; the others only at the top and the bottom, where a
# line such as "More on the budget" cannot be a sub-heading of the article.
_CREDITS = _compiled(
    # "Photo: Jane Doe/Reuters", "Photograph: AP", "Image credit: Getty Images"
    r"(photo|photograph|picture|image|illustration|video)( credit)?s?\s*[:|]\s*\S.*",
    r"(photo|image) (by|courtesy of)\s+\S.*",
    r"credit\s*:\s*\S.*",
)
_EDGE_ONLY = _compiled(
    r"(we|this (web)?site) uses? cookies\b.*",
    r".*\bby (continuing|using this (web)?site)\b.*\bcookies\b.*",
    r"(©|\(c\)|copyright)\s*\d{4}\b.*",
    r"share (on|via) \w+( \w+)?",
    r"follow us on \w+.*",
    r"\d{1,2} min(ute)?s? read",
    r"(\d+|no) comments?",
    r"more (from|on) [\w ]{1,40}",
)
MAX_PATTERN_CHARS = 160
_TRAILING = " \t.:;!>»›→↑|·•*-–—"
_SENTENCE_END = re.compile(r"""[.!?…:;"”’')\]]\s*$""")


def is_furniture(line: str, *, at_edge: bool = True) -> bool:
    """Whether ``line`` on its own is page furniture: a known phrase or a photo credit, and at
    the top or bottom of the text (``at_edge``) also cookie notices, copyright lines…"""
    bare = line.strip()
    if not bare or len(bare) > MAX_PATTERN_CHARS:
        return False
    if _is_known_phrase(bare):
        return True
    patterns = (*_CREDITS, *_EDGE_ONLY) if at_edge else _CREDITS
    return any(pattern.fullmatch(bare) for pattern in patterns)


def _is_known_phrase(bare: str) -> bool:
    key = " ".join(bare.strip(_TRAILING).split()).casefold()
    return key in KNOWN


def strip_furniture(text: str) -> tuple[str, tuple[str, ...]]:
    """(text without furniture lines, the lines left out in reading order).

    Lines are only ever removed whole, with at most the blank line that separated them, so
    every other character is kept exactly."""
    lines = text.split("\n")
    drop = _furniture_lines(lines)
    if not drop:
        return text, ()
    kept: list[str] = []
    for index, line in enumerate(lines):
        if index in drop:
            continue
        if not line.strip() and kept and not kept[-1].strip():
            continue  # the blank line after a dropped one would double a paragraph gap
        kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    left_out = tuple(lines[i].strip() for i in sorted(drop))
    return "\n".join(kept), left_out


def _furniture_lines(lines: Sequence[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    drop: set[int] = set()
    # From the top and from the bottom: every furniture line until the first real one.
    for order in (filled, filled[::-1]):
        for index in order:
            if not is_furniture(lines[index]) or not _stands_alone(lines, index):
                break
            drop.add(index)
    # Between paragraphs: only a line that is a paragraph of its own.
    for index in filled:
        if index in drop:
            continue
        above = lines[index - 1].strip() if index else ""
        below = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if not above and not below and is_furniture(lines[index], at_edge=False):
            drop.add(index)
    if len(drop) == len(filled):
        return set()  # a file of nothing but such lines is what the user meant to import
    return drop


def _stands_alone(lines: Sequence[str], index: int) -> bool:
    """A furniture line at an edge may sit right under another line only when that line ends a
    sentence (or is furniture itself); otherwise it continues the sentence above."""
    if index == 0 or not lines[index - 1].strip():
        return True
    above = lines[index - 1].strip()
    return bool(_SENTENCE_END.search(above)) or is_furniture(above)


def furniture_summary(left_out: Sequence[str], *, shown: int = 6) -> str:
    """"left out 3 lines of page furniture: top of page, Comments, bottom of page"; "" if none."""
    if not left_out:
        return ""
    names = [line if len(line) <= 40 else line[:39] + "…" for line in left_out[:shown]]
    more = f" and {len(left_out) - shown} more" if len(left_out) > shown else ""
    noun = "line" if len(left_out) == 1 else "lines"
    return f"left out {len(left_out)} {noun} of page furniture: {', '.join(names)}{more}"
