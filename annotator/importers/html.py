"""Saved web pages: the article's text and metadata without menus, banners and comments.

trafilatura does the extraction and metadata (meta tags, JSON-LD, htmldate). When it finds no
article (very short or unusual pages) we fall back to the visible text of <article>/<main>/<body>
without navigation, so a page never imports as empty just because it is not news-shaped. Nothing
is fetched and no script runs: both libraries only parse the string they are given.
"""

from __future__ import annotations

import logging

import trafilatura
from lxml import etree
from trafilatura.settings import Document

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.text import normalise_text
from annotator.importers.html_author import page_author
from annotator.importers.html_decode import decode_html
from annotator.importers.html_text import parse_html, visible_text
from annotator.importers.metadata import (
    clean_name,
    clean_title,
    first_line_title,
    parse_date,
)

# trafilatura logs every page it finds too short at WARNING/ERROR; those are our fallback path,
# not errors a user should see on the console.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# Below this share of the balanced extraction, a precision-mode result is taken to be a fragment.
_FRAGMENT_SHARE = 0.7


def extract_html(data: bytes) -> Extracted:
    html = decode_html(data)
    if not html.strip():
        raise ImportFailed("no text in the page")
    document = _extract_article(html)
    text = _paragraphs(document.text if document is not None else "")
    warnings: tuple[str, ...] = ()
    if not text:
        text = _fallback_text(html)
        warnings = ("no article found; imported the page's visible text",)
    if not text:
        raise ImportFailed("no text in the page")
    meta = document if document is not None else _metadata_only(html)
    title = clean_title(getattr(meta, "title", None)) or first_line_title(text)
    url = (getattr(meta, "url", None) or "").strip()
    return Extracted(
        text=text,
        format="html",
        title=title,
        author=page_author(parse_html(html), getattr(meta, "author", None)),
        published=parse_date(getattr(meta, "date", None)),
        source=url,
        language=getattr(meta, "language", None) or _lang_attribute(html),
        site_name=clean_name(getattr(meta, "sitename", None)),
        url=url,
        warnings=warnings,
    )


def _extract_article(html: str) -> Document | None:
    """Precision mode first: it drops comments, teasers and link lists that balanced mode
    keeps. On some layouts (reviews with a summary box, pages split into sections) it keeps
    only a fragment of the article, though; when balanced mode finds much more text, the
    fragment is the worse error, so take the balanced result."""
    precise = _trafilatura(html, favor_precision=True)
    balanced = _trafilatura(html, favor_precision=False)
    precise_len = len(precise.text or "") if precise is not None else 0
    balanced_len = len(balanced.text or "") if balanced is not None else 0
    if balanced is not None and precise_len < _FRAGMENT_SHARE * balanced_len:
        return balanced
    return precise


def _trafilatura(html: str, *, favor_precision: bool) -> Document | None:
    try:
        result = trafilatura.bare_extraction(
            html,
            include_comments=False,
            favor_precision=favor_precision,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            deduplicate=False,
        )
    except (ValueError, etree.LxmlError) as exc:
        raise ImportFailed(f"not a readable web page: {exc}") from exc
    return result if isinstance(result, Document) else None


def _paragraphs(raw: str | None) -> str:
    """trafilatura puts each block on its own line; a blank line between blocks is what the
    reader shows as a paragraph break."""
    if not raw:
        return ""
    lines = [line.strip() for line in normalise_text(raw).split("\n")]
    return "\n\n".join(line for line in lines if line)


def _metadata_only(html: str) -> object | None:
    try:
        return trafilatura.extract_metadata(html)
    except (ValueError, etree.LxmlError):
        return None


def _fallback_text(html: str) -> str:
    tree = parse_html(html)
    return visible_text(tree) if tree is not None else ""


def _lang_attribute(html: str) -> str | None:
    tree = parse_html(html)
    if tree is None:
        return None
    lang = tree.get("lang")
    return lang.strip() or None if lang else None
