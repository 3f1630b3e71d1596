"""Switching documents paints nothing that belongs to the one left behind: the reader's cursor
sits inside a clicked (or just tagged) highlight, and Qt gives a new text the cursor's
character format unless the reader stops it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .reader_driver import click_on, painted, select_quote


def _documents(window):
    pdf = next(d for d in window.library.documents() if d.format == "pdf")
    other = next(d for d in window.library.documents() if d.id != pdf.id and d.highlight_count)
    return pdf, other


def _unhighlighted_backgrounds(window, document_id: int) -> list[int]:
    """Offsets of characters outside every highlight that carry a background anyway. A line
    break is a block boundary, which shows no background (and Qt reports the next block's first
    character for it)."""
    reader, library = window.reader, window.library
    covered = set()
    for h in library.highlights(document_id):
        covered.update(range(h.start, h.end))
    text = library.document_text(document_id)
    return [i for i in range(0, len(text), 7)
            if i not in covered and text[i] != "\n" and painted(reader, i) is not None]


def test_a_clicked_highlight_does_not_colour_the_next_document(window, qtbot) -> None:
    pdf, other = _documents(window)
    window.library_pane.select_document(pdf.id)
    whitcomb = next(h for h in window.library.highlights(pdf.id)
                    if any(t.name == "Daniel Whitcomb" for t in h.tags))
    click_on(qtbot, window.reader, whitcomb.start + 2)
    assert window.reader.selected_highlight == whitcomb.id

    window.library_pane.select_document(other.id)
    assert window.reader.document_id == other.id
    assert _unhighlighted_backgrounds(window, other.id) == []
    # ...and its highlights are still painted.
    assert all(painted(window.reader, h.start) is not None for h in window.library.highlights(other.id))


def test_tagging_then_switching_leaves_the_next_document_plain(window, qtbot) -> None:
    pdf, other = _documents(window)
    window.library_pane.select_document(pdf.id)
    select_quote(window.reader, window.library, "dairy quotas and digital services taxes are handled by")
    window.tagging.focus_picker()
    qtbot.keyClicks(window.tag_bar.picker, "Rebecca Thornton")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)
    assert window.reader.selected_highlight

    window.library_pane.select_document(other.id)
    assert _unhighlighted_backgrounds(window, other.id) == []
    window.library_pane.select_document(pdf.id)
    assert _unhighlighted_backgrounds(window, pdf.id) == []
