"""OpenDocument text (.odt) read straight from its XML: paragraphs, headings, lists and tables
in document order; footnotes gathered at the end; comments left out; meta.xml metadata."""

from __future__ import annotations

import zipfile
from datetime import date

from lxml import etree

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.text import normalise_text
from annotator.importers.metadata import (
    clean_name,
    clean_title,
    first_line_title,
    parse_date,
)
from annotator.importers.zip_package import open_zip, parse_xml, read_member

KIND = "an OpenDocument text (.odt)"
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
_T = "{" + _NS["text"] + "}"
_TABLE = "{" + _NS["table"] + "}"
_OFFICE = "{" + _NS["office"] + "}"
_PARAGRAPHS = {_T + "p", _T + "h"}
_CONTAINERS = {_T + "list", _T + "list-item", _T + "list-header", _T + "section",
               _T + "index-body", _OFFICE + "text"}
_SKIPPED = {_OFFICE + "annotation", _OFFICE + "annotation-end", _T + "note-citation",
            _T + "tracked-changes", _T + "sequence-decls", _T + "table-of-content"}


def extract_odt(data: bytes) -> Extracted:
    archive = open_zip(data, KIND)
    with archive:
        if _is_encrypted(archive):
            raise ImportFailed(
                "this OpenDocument file is password-protected; save it without a password first"
            )
        content = parse_xml(read_member(archive, "content.xml", KIND), "content.xml", KIND)
        meta = _meta(archive)
    body = content.find("office:body/office:text", _NS)
    if body is None:
        raise ImportFailed(f"not {KIND}: no text body (a spreadsheet or presentation?)")
    notes: list[str] = []
    blocks = _blocks(body, notes)
    if notes:
        blocks += ["Notes", *notes]
    text = normalise_text("\n\n".join(blocks))
    if not text:
        raise ImportFailed("no text in the document")
    title, author, published = meta
    return Extracted(text=text, format="odt", title=title or first_line_title(text),
                     author=author, published=published)


def _is_encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


def _meta(archive: zipfile.ZipFile) -> tuple[str, str, date | None]:
    try:
        root = parse_xml(read_member(archive, "meta.xml", KIND), "meta.xml", KIND)
    except ImportFailed:
        return "", "", None  # meta.xml is optional and its absence is no reason to refuse

    def first(path: str) -> str:
        found = root.find(path, _NS)
        return found.text or "" if found is not None else ""

    author = first("office:meta/meta:initial-creator") or first("office:meta/dc:creator")
    return (clean_title(first("office:meta/dc:title")), clean_name(author),
            parse_date(first("office:meta/meta:creation-date")))


def _blocks(body: etree._Element, notes: list[str]) -> list[str]:
    """Walk with an explicit stack: nested lists and sections can be deep."""
    blocks: list[str] = []
    stack = [iter(body)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if tag in _PARAGRAPHS:
            text = _inline_text(element, notes).strip()
            if text:
                blocks.append(text)
        elif tag == _TABLE + "table":
            table = _table_text(element, notes)
            if table:
                blocks.append(table)
        elif tag in _CONTAINERS:
            stack.append(iter(element))
    return blocks


def _inline_text(paragraph: etree._Element, notes: list[str]) -> str:
    parts: list[str] = [paragraph.text or ""]
    for child in paragraph:
        tag = child.tag
        if not isinstance(tag, str):
            # Comments, processing instructions, unexpanded entities: no reading text of their
            # own, but the text after them belongs to the paragraph.
            parts.append(child.tail or "")
            continue
        if tag == _T + "note":
            body = child.find("text:note-body", _NS)
            if body is not None:
                note = " ".join(_blocks(body, notes))
                if note:
                    notes.append(note)
        elif tag == _T + "s":
            parts.append(" " * int(child.get(_T + "c", "1") or 1))
        elif tag == _T + "tab":
            parts.append("\t")
        elif tag == _T + "line-break":
            parts.append("\n")
        elif tag not in _SKIPPED:
            parts.append(_inline_text(child, notes))
        parts.append(child.tail or "")
    return "".join(parts)


def _table_text(table: etree._Element, notes: list[str]) -> str:
    rows: list[str] = []
    for row in table.iter(_TABLE + "table-row"):
        cells = []
        for cell in row:
            if cell.tag != _TABLE + "table-cell":
                continue
            cells.append(" ".join(" ".join(_blocks(cell, notes)).split()))
        # ODF pads rows with repeated empty cells up to the sheet width; drop the padding.
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append("\t".join(cells))
    return "\n".join(rows)
