"""REFI-QDA test helpers: the official schemas (read from ../shared, never copied), reading an
exported package back, and comparing two projects' exchange content."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from annotator.core.library import Library
from tests.conftest import shared_data


@cache
def _project_schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def project_schema() -> etree.XMLSchema:
    return _project_schema(str(shared_data("refi-qda", "schema", "Project.xsd")))


@cache
def _codebook_schema(path: str) -> etree.XMLSchema:
    # The published Codebook.xsd was copied out of a PDF: its hyphens are U+2010 and the spaces
    # between "xsd:element" and "name=" (and between attributes) are gone, so no validator
    # reads it as it is. Undo exactly those two artefacts, in memory; the content stays theirs.
    raw = Path(path).read_text(encoding="utf-8").replace("\u2010", "-")
    raw = re.sub(r"<xsd:(element|complexType|attribute|simpleType|restriction|pattern)"
                 r"(name|base|value)=", r"<xsd:\1 \2=", raw)
    raw = re.sub(r'(\w+="[^"]*")(?=\w)', r"\1 ", raw)
    return etree.XMLSchema(etree.fromstring(raw.encode("utf-8")))


def codebook_schema() -> etree.XMLSchema:
    return _codebook_schema(str(shared_data("refi-qda", "schema", "Codebook.xsd")))


def assert_valid(schema: etree.XMLSchema, document: etree._Element) -> None:
    ok = schema.validate(document)
    assert ok, "\n".join(str(e) for e in schema.error_log)


NS = {"q": "urn:QDA-XML:project:1.0"}


def read_qde(path: Path) -> tuple[etree._Element, dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        members = {name: zf.read(name) for name in zf.namelist() if name != "project.qde"}
    return root, members


def exchange_content(library: Library) -> dict[str, Any]:
    """What a REFI round trip must keep, without our ids: per document (by title) its text,
    details, note and highlights as (start, end, quote, tags, note, author); the codebook as
    (category label, tag path, colour, description, aliases)."""
    categories = {c.name: c.label for c in library.categories()}
    tags = {t.id: t for t in library.tags()}

    def path(tag_id: int) -> tuple[str, ...]:
        tag = tags[tag_id]
        return (*path(tag.parent_id), tag.name) if tag.parent_id in tags else (tag.name,)

    codebook = sorted((categories[t.category], path(t.id), t.colour, t.description, t.aliases)
                      for t in tags.values())
    documents = {}
    for doc in library.documents():
        text = library.document_text(doc.id)
        highlights = sorted(
            (h.start, h.end, h.text, tuple(sorted((categories[t.category], t.name) for t in h.tags)),
             h.note or "", h.author)
            for h in library.highlights(doc.id))
        for start, end, quote, *_ in highlights:
            assert text[start:end] == quote
        documents[doc.title] = (text, doc.author, doc.published, doc.source, doc.note or "",
                                highlights)
    return {"codebook": codebook, "documents": documents,
            "categories": sorted(categories.values())}
