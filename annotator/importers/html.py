"""Saved web pages: the article's text and metadata without menus, banners and comments.

trafilatura does the extraction and metadata (meta tags, JSON-LD, htmldate). When it finds no
article (very short or unusual pages) we fall back to the visible text of <article>/<main>/<body>
without navigation, so a page never imports as empty just because it is not news-shaped. Nothing
is fetched and no script runs: both libraries only parse the string they are given.
"""

from __future__ import annotations

import logging

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.text import normalise_text
from annotator.importers.html_author import page_author
from annotator.importers.html_choice import link_texts, merge_readings
from annotator.importers.html_decode import decode_html
from annotator.importers.html_layout import keeps_text, looks_flattened, without_layout_tables
from annotator.importers.html_text import parse_html, visible_text
from annotator.importers.html_tidy import tidy_paragraphs
from annotator.importers.html_title import split_title
from annotator.importers.metadata import clean_name, clean_title, first_line_title, parse_date
from annotator.importers.quiet_logs import quieter


def extract_html(data: bytes) -> Extracted:
    # trafilatura logs every page it finds too short at WARNING/ERROR; those are our fallback
    # path, not errors a user should see on the console.
    with quieter("trafilatura", logging.CRITICAL):
        return _extract_html(data)


def _extract_html(data: bytes) -> Extracted:
    html = decode_html(data)
    if not html.strip():
        raise ImportFailed("no text in the page")
    precise, balanced = _readings(html)
    found = precise if precise is not None else balanced
    meta = found if found is not None else _metadata_only(html)
    raw_title = clean_title(getattr(meta, "title", None))
    tree = parse_html(html)
    paragraphs = merge_readings(
        _paragraph_list(precise), _paragraph_list(balanced), title=raw_title,
        link_texts=link_texts(tree),
    )
    text = "\n\n".join(tidy_paragraphs(paragraphs, raw_title))
    warnings: tuple[str, ...] = ()
    if not text:
        text = _fallback_text(html)
        warnings = ("no article found; imported the page's visible text",)
    if not text:
        raise ImportFailed("no text in the page")
    url = (getattr(meta, "url", None) or "").strip()
    author = page_author(tree, getattr(meta, "author", None))
    title, site_name = split_title(
        raw_title, site_name=clean_name(getattr(meta, "sitename", None)), author=author, url=url
    )
    return Extracted(
        text=text,
        format="html",
        title=title or first_line_title(text),
        author=author,
        published=parse_date(getattr(meta, "date", None)),
        source=url,
        language=getattr(meta, "language", None) or _lang_attribute(tree),
        site_name=site_name,
        url=url,
        warnings=warnings,
    )


def _readings(html: str) -> tuple[Document | None, Document | None]:
    """trafilatura's precise and balanced readings; read again without layout tables when
    one of them is a layout table flattened into a single row (see ``html_layout``), and keep
    the new readings only if they still hold nearly all the text of the first ones."""
    precise = _trafilatura(html, favor_precision=True)
    balanced = _trafilatura(html, favor_precision=False)
    first = [_paragraph_list(precise), _paragraph_list(balanced)]
    if not any(map(looks_flattened, first)):
        return precise, balanced
    unwrapped = without_layout_tables(html)
    if unwrapped is None:
        return precise, balanced
    again = (_trafilatura(unwrapped, favor_precision=True),
             _trafilatura(unwrapped, favor_precision=False))
    before = first[0] or first[1]
    after = _paragraph_list(again[0]) or _paragraph_list(again[1])
    return again if keeps_text(before, after) else (precise, balanced)


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


def _paragraph_list(document: Document | None) -> list[str]:
    """trafilatura puts each block on its own line; each becomes a paragraph (joined with a
    blank line, which the reader shows as a paragraph break)."""
    if document is None or not document.text:
        return []
    lines = [line.strip() for line in normalise_text(document.text).split("\n")]
    return [line for line in lines if line]


def _metadata_only(html: str) -> object | None:
    try:
        return trafilatura.extract_metadata(html)
    except (ValueError, etree.LxmlError):
        return None


def _fallback_text(html: str) -> str:
    tree = parse_html(html)
    return visible_text(tree) if tree is not None else ""


def _lang_attribute(tree: lxml.html.HtmlElement | None) -> str | None:
    if tree is None:
        return None
    lang = tree.get("lang")
    return lang.strip() or None if lang else None
