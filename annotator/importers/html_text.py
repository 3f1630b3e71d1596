"""Visible text of an HTML tree with paragraph breaks: the fallback for web pages trafilatura
cannot read and the reader for e-book chapters."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from annotator.core.text import normalise_text

SCRIPT_TAGS = ("script", "style", "noscript", "template", "svg", "canvas", "object", "embed")
PAGE_CHROME_TAGS = (
    *SCRIPT_TAGS, "nav", "footer", "header", "aside", "form", "button", "select", "iframe",
)
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "table", "tr", "br", "hr", "dd", "dt", "dl", "figcaption",
)
_INLINE_SPACES = re.compile(r"[ \t\r\f\v]+")


def parse_html(markup: str | bytes) -> lxml.html.HtmlElement | None:
    """lxml's HTML parser never fetches anything (no DTDs, no entities from the network)."""
    try:
        return lxml.html.document_fromstring(markup)
    except (ValueError, etree.LxmlError):
        return None


def visible_text(
    tree: lxml.html.HtmlElement,
    *,
    drop: tuple[str, ...] = PAGE_CHROME_TAGS,
    roots: tuple[str, ...] = ("//article", "//main", "//body"),
) -> str:
    """Text of the first element matching ``roots`` (else the whole tree) without ``drop``
    elements; one paragraph per block element, separated by a blank line. Mutates ``tree``."""
    for element in list(tree.iter(*drop)):
        if element.getparent() is not None:
            element.drop_tree()
    root = _first(tree, roots)
    # text_content() would glue paragraphs together; mark block edges with line breaks first
    # (iteratively: real pages nest deeper than Python's recursion limit).
    for element in root.iter(*_BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = [_INLINE_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n")]
    return normalise_text("\n\n".join(line for line in lines if line))


def _first(tree: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> lxml.html.HtmlElement:
    """The first element matching any of ``xpaths`` in order; ``tree`` itself if none does.
    (Elements must not be truth-tested: an element without children is "false" in lxml.)"""
    for xpath in xpaths:
        found = tree.xpath(xpath)
        if found:
            return found[0]
    return tree
