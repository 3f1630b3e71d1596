"""Last touches on a web page's article text: what extraction kept but a reader does not want.

The title repeated as the first paragraph (it is the document's title already), photo captions
that pages render as list items ("- Photo: Jane Doe/Reuters"), and a closing block of teasers
under a "You might also like" heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotator.importers.furniture import is_furniture
from annotator.importers.html_choice import same_as_title

_LIST_MARK = re.compile(r"^\s*[-•*]\s+")
_CAPTION = re.compile(
    r"^(photo|photograph|picture|image|illustration|video|gallery|credit)s?\b.{0,3}[:|]|"
    r"^(photo|image)s? (by|courtesy of)\b",
    re.IGNORECASE,
)
# Headings that open a block of other stories; what follows them to the end is teasers.
_MORE_STORIES = re.compile(
    r"^(you (might|may) also like|related (articles|stories|content|posts|coverage)|"
    r"more stories|more from [\w .'-]{1,40}|most (popular|read|viewed)|recommended( for you)?|"
    r"featured (slide ?shows|videos)|other [\w ]{1,30} columns|read next|trending( now)?|"
    r"more on this (story|topic))\s*:?$",
    re.IGNORECASE,
)
# The block cut off must be the page's tail, not a sub-heading early in a long article.
_TAIL_SHARE = 0.35


def tidy_paragraphs(paragraphs: Sequence[str], title: str) -> list[str]:
    kept = [p for p in paragraphs if not _is_caption_item(p)]
    if len(kept) > 1 and same_as_title(kept[0], title):
        kept = kept[1:]
    return _without_teaser_tail(kept)


def _is_caption_item(paragraph: str) -> bool:
    """A list item that is a photo caption or credit; list items that merely mention a photo
    ("- Photos of the site were published") do not start with the label."""
    if not _LIST_MARK.match(paragraph):
        return False
    bare = _LIST_MARK.sub("", paragraph)
    return bool(_CAPTION.match(bare))


def _without_teaser_tail(paragraphs: list[str]) -> list[str]:
    total = sum(len(p) for p in paragraphs)
    tail = 0
    for index in range(len(paragraphs) - 1, 0, -1):
        tail += len(paragraphs[index])
        if tail > _TAIL_SHARE * total:
            break
        heading = _LIST_MARK.sub("", paragraphs[index]).strip()
        if _MORE_STORIES.match(heading):
            return _without_furniture_tail(paragraphs[:index])
    return _without_furniture_tail(paragraphs)


def _without_furniture_tail(paragraphs: list[str]) -> list[str]:
    while len(paragraphs) > 1 and is_furniture(_LIST_MARK.sub("", paragraphs[-1])):
        paragraphs = paragraphs[:-1]
    return paragraphs
