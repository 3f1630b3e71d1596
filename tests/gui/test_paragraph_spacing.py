"""Paragraphs in the reader have a gap after them, made by the layout (block bottom margins),
not by the text: the characters and offsets are unchanged and clicks still land on the
highlight under the pointer."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QTextBlock

from annotator.core.models import Document, Highlight, TagRef
from annotator.gui.widgets.reader import Reader

from .reader_driver import click_on
from .test_tagging_workflow import open_pdf_brief

NOW = datetime(2025, 1, 1)


def lines_height(block: QTextBlock) -> float:
    layout = block.layout()
    return sum(layout.lineAt(i).height() for i in range(layout.lineCount()))


def gap_after(reader: Reader, block: QTextBlock) -> float:
    return (reader.blockBoundingGeometry(block.next()).top()
            - reader.blockBoundingGeometry(block).top() - lines_height(block))


def make_reader(qtbot, text: str, fmt: str, highlights=()) -> Reader:
    reader = Reader()
    qtbot.addWidget(reader)
    reader.resize(900, 700)
    reader.show()
    doc = Document(1, "T", "", "", None, NOW, fmt, "", None, "", None, len(text), ())
    reader.show_document(doc, text, list(highlights))
    return reader


def test_pdf_paragraphs_get_a_gap_and_the_text_is_untouched(window, qtbot) -> None:
    open_pdf_brief(window)
    reader = window.reader
    text = window.library.document_text(reader.document_id)
    # Same characters, same places: only wrapped line ends are shown as spaces.
    assert reader.toPlainText().replace("\n", " ") == text.replace("\n", " ")
    first = reader.document().begin()
    assert first.next().isValid()
    assert gap_after(reader, first) >= 0.4 * reader.fontMetrics().lineSpacing()
    # A click on each highlight (scrolled to, below many gaps) selects one covering that spot.
    for h in window.library.highlights(reader.document_id):
        middle = (h.start + h.end) // 2
        click_on(qtbot, reader, middle)
        chosen = reader.highlights[reader.selected_highlight]
        assert chosen.start <= middle < chosen.end, h.text


def test_clicks_land_on_highlights_below_many_gaps(qtbot) -> None:
    paragraphs = [f"Paragraph {n} says the minister met her counterpart on day {n}." for n in range(30)]
    text = "\n".join(paragraphs)
    tag = TagRef(1, "t", "topic", "#f4c542")
    start = text.index("Paragraph 20")
    target = Highlight(7, 1, start + 13, start + 21, text[start + 13:start + 21], (tag,), None, NOW, NOW, "")
    reader = make_reader(qtbot, text, "txt", [target])
    block = reader.document().begin()
    assert gap_after(reader, block) > 0  # one paragraph per line: each gets a gap
    clicked: list[int] = []
    reader.highlight_clicked.connect(clicked.append)
    click_on(qtbot, reader, target.start + 2)
    assert clicked == [7]
    click_on(qtbot, reader, text.index("Paragraph 21") + 2)
    assert clicked == [7, 0]
    assert reader.selection_span() is None


def test_text_with_blank_lines_keeps_its_own_spacing(qtbot) -> None:
    reader = make_reader(qtbot, "First paragraph.\n\nSecond paragraph.\n\nThird.", "txt")
    block = reader.document().begin()
    assert gap_after(reader, block) == 0


def test_the_gap_follows_the_font_size(qtbot) -> None:
    reader = make_reader(qtbot, "One.\nTwo.\nThree.", "txt")
    small = gap_after(reader, reader.document().begin())
    reader.set_font_size(24)
    large = gap_after(reader, reader.document().begin())
    assert large > small > 0
