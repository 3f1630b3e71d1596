"""EPUB e-books: chapters in reading (spine) order as plain text, OPF metadata.

Chapters are XHTML, read with the same visible-text routine as the web-page fallback but
keeping headers (in a book they are chapter titles, not site chrome). DRM-protected books
cannot be read and are refused with that reason.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import date
from urllib.parse import unquote

from lxml import etree

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.text import normalise_text
from annotator.importers.html_text import SCRIPT_TAGS, parse_html, visible_text
from annotator.importers.limits import ImportLimits
from annotator.importers.metadata import clean_name, clean_title, first_line_title, parse_date
from annotator.importers.zip_package import check_markup, open_zip, parse_xml, read_member

KIND = "an EPUB e-book"
_NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_XHTML_TYPES = {"application/xhtml+xml", "text/html"}


def extract_epub(data: bytes, limits: ImportLimits = ImportLimits()) -> Extracted:  # noqa: B008
    archive = open_zip(data, KIND)
    with archive:
        if "META-INF/encryption.xml" in archive.namelist():
            raise ImportFailed("this e-book is DRM-protected and cannot be read")
        opf_path = _opf_path(archive)
        opf = parse_xml(read_member(archive, opf_path, KIND), opf_path, KIND)
        chapters = []
        running = 0
        # A chapter listed twice in the spine is read once: twenty entries pointing at one
        # huge chapter must not cost twenty readings.
        for name in dict.fromkeys(_spine(opf, opf_path)):
            chapters.append(_chapter_text(archive, name))
            running += len(chapters[-1])
            limits.check_running_chars(running)
    text = normalise_text("\n\n".join(c for c in chapters if c))
    if not text:
        raise ImportFailed("no text in the e-book")
    title, author, published, language = _metadata(opf)
    return Extracted(text=text, format="epub", title=title or first_line_title(text),
                     author=author, published=published, language=language)


def _opf_path(archive: zipfile.ZipFile) -> str:
    container = parse_xml(read_member(archive, "META-INF/container.xml", KIND),
                          "container.xml", KIND)
    rootfile = container.find(".//container:rootfile", _NS)
    path = rootfile.get("full-path") if rootfile is not None else None
    if not path:
        raise ImportFailed(f"not {KIND}: container.xml names no package file")
    return path


def _spine(opf: etree._Element, opf_path: str) -> list[str]:
    base = posixpath.dirname(opf_path)
    manifest = {
        item.get("id"): item
        for item in opf.iterfind("opf:manifest/opf:item", _NS)
        if item.get("id") and item.get("href")
    }
    names: list[str] = []
    for ref in opf.iterfind("opf:spine/opf:itemref", _NS):
        item = manifest.get(ref.get("idref"))
        if item is None or item.get("media-type") not in _XHTML_TYPES:
            continue
        href = unquote(item.get("href", "").split("#", 1)[0])
        names.append(posixpath.normpath(posixpath.join(base, href)))
    return names


def _chapter_text(archive: zipfile.ZipFile, name: str) -> str:
    if name not in archive.NameToInfo:
        return ""  # a spine entry pointing at a missing file: skip it, keep the rest
    # Size and damage errors are not skipped: they say why the book is refused.
    markup = read_member(archive, name, KIND)
    check_markup(markup, name)
    # The HTML parser does not understand a DOCTYPE's internal subset and would keep its
    # closing "]>" as text; entities it declares are never resolved anyway.
    tree = parse_html(_INTERNAL_SUBSET.sub(b"<!DOCTYPE html>", markup, count=1))
    return visible_text(tree, drop=SCRIPT_TAGS, roots=("//body",)) if tree is not None else ""


def _metadata(opf: etree._Element) -> tuple[str, str, date | None, str | None]:
    def first(tag: str) -> str:
        found = opf.find(f"opf:metadata/dc:{tag}", _NS)
        return (found.text or "").strip() if found is not None else ""

    creators = [c.text.strip() for c in opf.iterfind("opf:metadata/dc:creator", _NS) if c.text]
    return (clean_title(first("title")), clean_name("; ".join(creators)),
            parse_date(first("date")), first("language") or None)
