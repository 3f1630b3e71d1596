"""Excerpts as tab-separated text with a citation, for "Copy selected excerpts".

One line per excerpt: ``quote<TAB>tags<TAB>note<TAB>citation``, no header, so a paste into a
word processor gives a table and a paste into a spreadsheet gives four columns. Clipboard text
has no quoting convention every target understands, so tabs and line breaks inside a cell are
turned into single spaces instead of being quoted. Cells get the CSV export's formula guard
(``csv_export.neutralise``): a paste into a spreadsheet would run ``=HYPERLINK(…)`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.errors import NotFound
from annotator.core.models import DocumentSummary, Highlight
from annotator.export.csv_export import neutralise

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


def citation(document: DocumentSummary, h: Highlight) -> str:
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

    Reads the metadata of the selection's documents only, in one query; safe on the GUI thread
    for a selection's worth."""
    items = list(highlights)
    if not items:
        return ""
    documents = {d.id: d for d in library.document_summaries({h.document_id for h in items})}
    lines = []
    for h in items:
        document = documents.get(h.document_id)
        if document is None:  # deleted (by another window, say) since it was selected
            raise NotFound(f"no document {h.document_id} for excerpt {h.id}")
        cells = (cell(h.text), cell(tag_list(h)), cell(h.note or ""), citation(document, h))
        lines.append("\t".join(neutralise(c) for c in cells))
    return "\n".join(lines)
