"""Pages laid out with tables (older sites, archives, mailing-list front ends such as LWN's).

trafilatura reads a table as data: a layout table holding the whole page comes out as one
"| … |" row of the entire article, and the real data tables nested inside it are lost. When an
extraction shows that shape, the page is read again with its layout tables turned into plain
blocks, so paragraphs are paragraphs and nested data tables are tables again.
"""

from __future__ import annotations

from collections.abc import Sequence

import lxml.html
from lxml import etree

from annotator.importers.html_choice import word_pairs
from annotator.importers.html_text import parse_html

_PROSE_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article")
_TABLE_PARTS = ("thead", "tbody", "tfoot", "tr", "td", "th", "caption")
_LAYOUT_ATTRIBUTES = ("colspan", "rowspan", "cellspacing", "cellpadding", "border", "width",
                      "valign", "align")
# A table holding at least this much text, mostly inside paragraphs/headings, lays out a page.
_MIN_LAYOUT_CHARS = 500
_PROSE_SHARE = 0.5
# A "| … |" row this long and holding this share of the text is a flattened layout table.
_FLATTENED_ROW_CHARS = 1000
_FLATTENED_SHARE = 0.4
# The second reading must keep this share of the first one's word pairs: some layouts hide
# the article's opening in a cell that the second reading then drops.
_KEPT_SHARE = 0.9


def looks_flattened(paragraphs: Sequence[str]) -> bool:
    """Whether an extraction is one table row swallowing most of the page."""
    total = sum(len(p) for p in paragraphs)
    return any(
        p.startswith("|") and p.rstrip().endswith("|") and len(p) >= _FLATTENED_ROW_CHARS
        and len(p) >= _FLATTENED_SHARE * total
        for p in paragraphs
    )


def keeps_text(before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether ``after`` holds nearly all the word pairs of ``before``."""
    wanted = word_pairs(" ".join(before))
    total = sum(wanted.values())
    return not total or sum((wanted & word_pairs(" ".join(after))).values()) >= _KEPT_SHARE * total


def without_layout_tables(html: str) -> str | None:
    """``html`` with its layout tables turned into ``div``s (data tables, nested or not, stay);
    None when the page has no layout table."""
    tree = parse_html(html)
    if tree is None:
        return None
    changed = False
    for table in list(tree.iter("table")):
        if table.tag == "table" and _is_layout(table):
            _unwrap(table)
            changed = True
    return etree.tostring(tree, encoding="unicode", method="html") if changed else None


def _text_length(element: lxml.html.HtmlElement) -> int:
    return len(" ".join(" ".join(element.itertext()).split()))


def _is_layout(table: lxml.html.HtmlElement) -> bool:
    total = _text_length(table)
    if total < _MIN_LAYOUT_CHARS:
        return False
    prose = sum(
        _text_length(block) for block in table.iterdescendants(*_PROSE_BLOCKS)
        if next(block.iterancestors(*_PROSE_BLOCKS), None) is None
    )
    return prose >= _PROSE_SHARE * total


def _unwrap(table: lxml.html.HtmlElement) -> None:
    """The table and its own rows and cells become ``div``s; nested tables keep theirs."""
    parts = [
        part for part in table.iterdescendants(*_TABLE_PARTS)
        if next(part.iterancestors("table"), None) is table
    ]
    for element in (table, *parts):
        element.tag = "div"
        for attribute in _LAYOUT_ATTRIBUTES:
            element.attrib.pop(attribute, None)
