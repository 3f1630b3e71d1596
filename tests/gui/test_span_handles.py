"""Dragging a selected highlight's end handles in the reader, with the real mouse events: the
Library's span, quote and search index follow on release, the reader paints the new extent
while dragging, Escape cancels, the ends never cross, and one undo puts the old span back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.gui.widgets.span_handles import END, START, dragged_span, snapped

from .reader_driver import click_on, find_quote, painted, point_of

SENTENCE = "The US Trade Representative, Daniel Whitcomb, has asked for the tracks"


def open_brief(window) -> None:
    doc = next(d for d in window.library.documents() if d.format == "pdf")
    window.library_pane.select_document(doc.id)


def click_highlight(qtbot, window, quote: str):
    reader = window.reader
    target = next(h for h in window.library.highlights(reader.document_id) if h.text == quote)
    click_on(qtbot, reader, target.start + 1)
    assert reader.selected_highlight == target.id
    return target


def at_left_of(reader, offset: int) -> QPoint:
    """A point just inside character ``offset``'s left edge: the boundary before it."""
    point = point_of(reader, offset, left=True)
    cursor = reader.textCursor()
    cursor.clearSelection()
    reader.setTextCursor(cursor)
    return point


def drag(qtbot, reader, handle: str, to: QPoint, *, release: bool = True) -> None:
    viewport = reader.viewport()
    grab = reader.span_handles.handle_point(handle)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(viewport, pos=(grab + to) / 2)
    qtbot.mouseMove(viewport, pos=to)
    if release:
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=to)


def alt_move(reader, to: QPoint) -> None:
    """A mouse move with Alt held (QTest's moves carry no modifiers)."""
    viewport = reader.viewport()
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(to), QPointF(viewport.mapToGlobal(to)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier)
    QApplication.sendEvent(viewport, event)


def span_of(library: Library, highlight_id: int) -> tuple[int, int, str]:
    h = library.highlight(highlight_id)
    return h.start, h.end, h.text


def highlight_hits(library: Library, word: str) -> set[int]:
    return {h.highlight_id for h in library.search(f"in:highlights {word}", limit=100).hits}


def test_word_snapping_and_clamping() -> None:
    text = "The US Trade Representative, Daniel Whitcomb, has asked"
    inside_asked = text.index("asked") + 2
    assert snapped(text, inside_asked, closing=True) == len(text)
    assert snapped(text, inside_asked, closing=False) == text.index("asked")
    # Off white space: a start moves forward onto the word, an end back off the space.
    assert snapped(text, text.index(" has"), closing=False) == text.index("has")
    assert snapped(text, text.index(" has") + 1, closing=True) == text.index(" has")
    assert snapped(text, text.index(","), closing=True) == text.index(",")  # punctuation stays
    span = (text.index("Daniel"), text.index(", has"))
    assert dragged_span(text, span, START, len(text), snap=True) == (span[1] - 1, span[1])
    assert dragged_span(text, span, END, 0, snap=False) == (span[0], span[0] + 1)


def test_handles_are_painted_at_the_clicked_highlights_ends(window, qtbot) -> None:
    open_brief(window)
    reader = window.reader
    assert reader.span_handles.edges() == {}
    click_highlight(qtbot, window, "Daniel Whitcomb")
    edges = reader.span_handles.edges()
    assert set(edges) == {START, END} and edges[START][0] < edges[END][0]
    image = reader.viewport().grab().toImage()
    colour = reader.palette().color(QPalette.ColorRole.Highlight)
    knobs = [reader.span_handles.handle_point(handle) for handle in (START, END)]
    for point in knobs:
        assert image.pixelColor(point).name() == colour.name(), point
    qtbot.keyClick(reader, Qt.Key.Key_Escape)  # unselects the highlight: the handles go
    assert reader.selected_highlight == 0 and reader.span_handles.edges() == {}
    image = reader.viewport().grab().toImage()
    for point in knobs:
        assert image.pixelColor(point).name() != colour.name(), point


def test_pointer_changes_over_a_handle(window, qtbot) -> None:
    open_brief(window)
    reader = window.reader
    target = click_highlight(qtbot, window, "Daniel Whitcomb")
    viewport = reader.viewport()
    before = viewport.cursor().shape()
    qtbot.mouseMove(viewport, pos=reader.span_handles.handle_point(END))
    assert viewport.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(viewport, pos=at_left_of(reader, target.start - 20))
    assert viewport.cursor().shape() == before


def test_dragging_the_end_into_a_word_takes_the_whole_word_and_undo_restores(window, qtbot) -> None:
    open_brief(window)
    library, reader = window.library, window.reader
    target = click_highlight(qtbot, window, "Daniel Whitcomb")
    sentence, _ = find_quote(reader, library, SENTENCE)
    asked = sentence + SENTENCE.index("asked")
    assert target.id not in highlight_hits(library, "asked")
    steps = window.undo_stack.count()

    drag(qtbot, reader, END, at_left_of(reader, asked + 2), release=False)
    assert painted(reader, asked + 4) is not None  # the preview paints the new extent
    assert span_of(library, target.id)[1] == target.end  # nothing saved yet
    qtbot.mouseRelease(reader.viewport(), Qt.MouseButton.LeftButton, pos=at_left_of(reader, asked + 2))

    assert span_of(library, target.id) == (target.start, asked + 5, "Daniel Whitcomb, has asked")
    assert window.undo_stack.count() == steps + 1
    assert target.id in highlight_hits(library, "asked")
    assert painted(reader, asked + 4) is not None and painted(reader, asked + 5) is None
    assert reader.selected_highlight == target.id
    assert reader.span_handles.edges()[END][0] > reader.span_handles.edges()[START][0]

    window.undo_stack.undo()
    assert span_of(library, target.id) == (target.start, target.end, "Daniel Whitcomb")
    assert painted(reader, asked) is None and painted(reader, target.end - 1) is not None
    assert target.id not in highlight_hits(library, "asked")
    window.undo_stack.redo()
    assert span_of(library, target.id)[2] == "Daniel Whitcomb, has asked"


def test_alt_places_the_start_on_an_exact_character(window, qtbot) -> None:
    open_brief(window)
    library, reader = window.library, window.reader
    target = click_highlight(qtbot, window, "Daniel Whitcomb")
    sentence, _ = find_quote(reader, library, SENTENCE)
    inside = sentence + SENTENCE.index("Representative") + 3
    to = at_left_of(reader, inside)
    viewport = reader.viewport()
    grab = reader.span_handles.handle_point(START)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, grab)
    alt_move(reader, to)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, to)
    assert span_of(library, target.id) == (inside, target.end, "resentative, Daniel Whitcomb")
    assert painted(reader, inside) is not None and painted(reader, inside - 1) is None


def test_a_start_dragged_past_the_end_keeps_one_character(window, qtbot) -> None:
    open_brief(window)
    library, reader = window.library, window.reader
    target = click_highlight(qtbot, window, "Daniel Whitcomb")
    sentence, _ = find_quote(reader, library, SENTENCE)
    drag(qtbot, reader, START, at_left_of(reader, sentence + SENTENCE.index("tracks")))
    assert span_of(library, target.id) == (target.end - 1, target.end, "b")
    assert painted(reader, target.end - 2) is None and painted(reader, target.end - 1) is not None


def test_escape_cancels_a_drag(window, qtbot) -> None:
    open_brief(window)
    library, reader = window.library, window.reader
    target = click_highlight(qtbot, window, "Daniel Whitcomb")
    steps = window.undo_stack.count()
    to = at_left_of(reader, target.start - 10)
    drag(qtbot, reader, START, to, release=False)
    assert painted(reader, target.start - 3) is not None
    qtbot.keyClick(reader, Qt.Key.Key_Escape)
    assert painted(reader, target.start - 3) is None
    qtbot.mouseRelease(reader.viewport(), Qt.MouseButton.LeftButton, pos=to)
    assert span_of(library, target.id) == (target.start, target.end, target.text)
    assert window.undo_stack.count() == steps
    assert reader.selected_highlight == target.id  # the Escape was the drag's, not the reader's


TEXT = (
    "Reactions \U0001F600\U0001F44D poured in.\n\n"
    "Then Mark Carney spoke about tariffs \U0001F1E8\U0001F1E6 and more."
)


@pytest.fixture
def astral_window(window_on, tmp_path: Path):
    library = Library.create(tmp_path / "Astral.annotator")
    doc = library.add_document(Extracted(text=TEXT, format="txt", title="Emoji"))
    tag = library.create_tag("Mark Carney", "actor", colour="#f4c542")
    start = TEXT.index("Mark Carney")
    library.add_highlight(doc.id, start, start + len("Mark Carney"), tag_ids=[tag.id])
    return window_on(library)


def test_offsets_after_emoji_stay_exact(astral_window, qtbot) -> None:
    window = astral_window
    library, reader = window.library, window.reader
    target = click_highlight(qtbot, window, "Mark Carney")
    spoke = TEXT.index("spoke")
    drag(qtbot, reader, END, at_left_of(reader, spoke + 1))
    assert span_of(library, target.id) == (target.start, spoke + 5, "Mark Carney spoke")
    assert target.id in highlight_hits(library, "spoke")

    after_flag = TEXT.index(" and more")
    to = at_left_of(reader, after_flag)
    grab = reader.span_handles.handle_point(END)
    qtbot.mousePress(reader.viewport(), Qt.MouseButton.LeftButton, pos=grab)
    alt_move(reader, to)
    qtbot.mouseRelease(reader.viewport(), Qt.MouseButton.LeftButton, pos=to)
    assert span_of(library, target.id)[2] == "Mark Carney spoke about tariffs \U0001F1E8\U0001F1E6"
    assert painted(reader, after_flag - 1) is not None and painted(reader, after_flag) is None
    window.undo_stack.undo()
    assert span_of(library, target.id)[2] == "Mark Carney spoke"


def test_dragging_past_the_bottom_edge_scrolls_to_take_more(window_on, qtbot, tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {n} says something about tariffs and the review." for n in range(200)]
    text = "\n\n".join(paragraphs)
    library = Library.create(tmp_path / "Long.annotator")
    doc = library.add_document(Extracted(text=text, format="txt", title="Long"))
    first = library.add_highlight(doc.id, 0, len("Paragraph 0"))
    window = window_on(library)
    reader = window.reader
    click_highlight(qtbot, window, "Paragraph 0")
    viewport = reader.viewport()
    below = QPoint(viewport.width() // 2, viewport.height() + 20)
    grab = reader.span_handles.handle_point(END)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grab)
    for _ in range(60):
        qtbot.mouseMove(viewport, pos=below)
        below += QPoint(0, 1)  # a moving pointer, as a hand holds it past the edge
    assert reader.verticalScrollBar().value() > 0
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=below)
    last_visible = reader.offsets.to_core(reader.cursorForPosition(QPoint(0, viewport.height() - 1)).position())
    end = library.highlight(first.id).end
    assert end > text.index("Paragraph 20") and end >= last_visible - 80
