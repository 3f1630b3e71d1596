"""Which of trafilatura's two readings of a page to keep, paragraph by paragraph.

Precision mode drops comments, teasers and link lists, but on some layouts (reviews with a
summary box, pages split into sections, listicles) it keeps only a fragment of the article.
Balanced mode keeps more, including what precision rightly dropped: the title again, photo
captions, the header's date and comment count, related-story links. Choosing one of the two by
length alone gets one kind of page wrong or the other; so the result is the balanced text in
its order, where each paragraph precision did not keep has to earn its place: it is not the
title again, not a caption, page furniture or a "Related: …" teaser, not a repeat of text
already kept, and not part of a run of links (a link list); a lone linked line between kept
paragraphs stays, as listicles link each item's heading.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

import lxml.html

from annotator.importers.furniture import is_furniture
from annotator.importers.text_meta import is_date_line

# Added paragraphs whose word pairs are mostly already kept repeat the article (a table row
# that holds a whole section, a summary box quoting the lead). Pairs, not words: any sentence
# in the article's language is mostly words the article already used.
_REPEAT_SHARE = 0.6
_WORD = re.compile(r"\w+")
_LIST_MARK = re.compile(r"^\s*[-•*]\s+")
_TEASER = re.compile(r"^\[?(related|read|read more|see also|more|watch|listen)\s*:", re.IGNORECASE)


def merge_readings(
    precise: Sequence[str],
    balanced: Sequence[str],
    *,
    title: str,
    link_texts: Iterable[str] = (),
) -> list[str]:
    """The paragraphs to keep: ``balanced`` filtered as the module says; ``precise`` alone when
    balanced found nothing."""
    if not balanced:
        return list(precise)
    kept = set(precise)
    if not kept:
        return list(balanced)
    precise_pairs = word_pairs(" ".join(precise))
    links = {" ".join(text.split()) for text in link_texts if len(text.split()) >= 2}
    linked = [p not in kept and _is_link(p, links) for p in balanced]
    allowed = {
        paragraph for index, paragraph in enumerate(balanced)
        if paragraph not in kept and _earns_place(paragraph, title, precise_pairs)
        and not (linked[index] and _in_link_run(linked, index))
    }
    in_balanced = set(balanced)
    return [p for p in balanced if p in kept or p in allowed] + [
        p for p in precise if p not in in_balanced
    ]


def _earns_place(paragraph: str, title: str, precise_pairs: Counter[str]) -> bool:
    bare = _LIST_MARK.sub("", paragraph).strip()
    if not bare or same_as_title(bare, title):
        return False
    if is_furniture(bare) or is_date_line(bare) or _TEASER.match(bare):
        return False
    pairs = word_pairs(bare)
    total = sum(pairs.values())
    repeated = sum((pairs & precise_pairs).values())
    return not (total >= 6 and repeated >= _REPEAT_SHARE * total)


def same_as_title(paragraph: str, title: str) -> bool:
    """The title again, as a heading in the body: same words, case and quote style aside."""
    if not title:
        return False
    return _words(paragraph) == _words(title) and len(paragraph) <= 1.3 * len(title) + 10


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.casefold()))


def word_pairs(text: str) -> Counter[str]:
    """Consecutive word pairs, case folded: how much of one text another repeats."""
    words = _WORD.findall(text.casefold())
    return Counter(f"{a} {b}" for a, b in pairwise(words))


def _is_link(paragraph: str, links: set[str]) -> bool:
    """Whether the paragraph is (mostly) the text of one link."""
    bare = " ".join(_LIST_MARK.sub("", paragraph).split()).strip("[]")
    return bare in links or any(len(link) >= 0.8 * len(bare) and link in bare for link in links)


def _in_link_run(linked: Sequence[bool], index: int) -> bool:
    """A link next to another link, or at the very start or end of the page: a link list."""
    if index == 0 or index == len(linked) - 1:
        return True
    return linked[index - 1] or linked[index + 1]


def link_texts(tree: lxml.html.HtmlElement | None) -> list[str]:
    """The text of every link on the page, for ``merge_readings``."""
    if tree is None:
        return []
    return [" ".join(" ".join(a.itertext()).split()) for a in tree.iter("a")]
