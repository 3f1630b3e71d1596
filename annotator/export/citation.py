"""Excerpts as tab-separated text with a citation, for "Copy selected excerpts".

One line per excerpt: ``quote<TAB>tags<TAB>note<TAB>citation``, no header, so a paste into a
word processor gives a table and a paste into a spreadsheet gives four columns. Clipboard text
has no quoting convention every target understands, so tabs and line breaks inside a cell are
turned into single spaces instead of being quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.models import Document, Highlight

if TYPE_CHECKING:
    from annotator.core.library import Library


def cell(value: str) -> str:
    """One line of text: every run of whitespace (tabs and newlines included) is one space."""
    return " ".join(value.split())


def page_reference(h: Highlight) -> str:
    """``p. 3``, ``pp. 3–4`` (en dash, as style guides want) or empty for unpaged sources."""
    if h.page is None:
        return ""
    if h.page_end is None or h.page_end == h.page:
        return f"p. {h.page}"
    return f"pp. {h.page}–{h.page_end}"


def citation(document: Document, h: Highlight) -> str:
    """``Title, Author, 2025-06-14, p. 3``, leaving out the parts the source lacks."""
    parts = [
        document.title,
        document.author,
        document.published.isoformat() if document.published else "",
        page_reference(h),
    ]
    return ", ".join(cell(p) for p in parts if p and p.strip())


def tag_list(h: Highlight) -> str:
    """Actors, then topics, then ``category:name`` for other categories, joined with ``; ``."""
    return "; ".join([*h.actors, *h.topics, *h.other_tags])


def excerpts_as_tsv_with_citation(library: Library, highlights: Iterable[Highlight]) -> str:
    """The highlights, in the order given, as tab-separated lines (see the module docstring).

    Reads document metadata once per call; safe on the GUI thread for a selection's worth."""
    items = list(highlights)
    if not items:
        return ""
    documents = {d.id: d for d in library.documents()}
    lines = []
    for h in items:
        doc = documents.get(h.document_id) or library.document(h.document_id)
        lines.append(
            "\t".join((cell(h.text), cell(tag_list(h)), cell(h.note or ""), citation(doc, h)))
        )
    return "\n".join(lines)
