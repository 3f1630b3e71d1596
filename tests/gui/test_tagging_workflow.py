"""A researcher's session on the sample project, driven through the real widgets: select,
tag with Ctrl+T, create a topic, use key 1, write a note, undo and redo. After each step the
database and the painted formats are checked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.gui.widgets import tag_picker
from annotator.gui.widgets.highlight_colours import tint

from .reader_driver import click_on, drag_select, find_quote, painted, select_quote

QUOTE = "dairy quotas and digital services taxes are handled by"


def open_pdf_brief(window) -> None:
    """The sample's policy brief: two pages, a few highlights, nothing on QUOTE yet."""
    doc = next(d for d in window.library.documents() if d.format == "pdf")
    window.library_pane.select_document(doc.id)
    assert window.reader.document_id == doc.id


def highlights_on(library, document_id, start, end):
    return [h for h in library.highlights(document_id) if (h.start, h.end) == (start, end)]


def expected_colour(window, colour: str) -> QColor:
    return tint(QColor(colour), window.reader.palette().color(window.reader.palette().ColorRole.Base))


def test_opening_the_sample_shows_documents_and_painted_highlights(window) -> None:
    library = window.library
    assert window.library_pane.model.rowCount() == len(library.documents()) == 4
    doc_id = window.reader.document_id
    assert doc_id is not None
    assert window.reader.toPlainText().replace("\n", " ") == library.document_text(doc_id).replace("\n", " ")
    for h in library.highlights(doc_id):
        assert painted(window.reader, h.start) is not None, h.text
    assert "4 documents" in window.status_counts.text()


def test_ctrl_t_existing_actor_enter_creates_a_painted_highlight(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    start, end = select_quote(reader, library, QUOTE)
    assert painted(reader, start) is None

    qtbot.keyClick(reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    picker = window.tag_bar.picker
    assert picker.hasFocus()
    qtbot.keyClicks(picker, "Rebecca Thornton")
    qtbot.keyClick(picker, Qt.Key.Key_Return)

    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert highlight.text == QUOTE
    assert [t.name for t in highlight.tags] == ["Rebecca Thornton"]
    thornton = library.find_tag("actor", "Rebecca Thornton")
    assert painted(reader, start) == expected_colour(window, thornton.colour)
    assert painted(reader, end - 1) == expected_colour(window, thornton.colour)
    assert painted(reader, end) is None
    assert picker.text() == ""


def test_alias_typed_in_the_picker_applies_its_tag(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    start, end = select_quote(reader, library, QUOTE)
    window.tagging.focus_picker()
    qtbot.keyClicks(window.tag_bar.picker, "general thornton")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert [t.name for t in highlight.tags] == ["Rebecca Thornton"]


def test_new_name_creates_a_topic_in_the_chosen_category_and_second_tag_joins(window, qtbot, monkeypatch) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    asked: list[str] = []

    def choose(parent, name, categories, **_asked):
        asked.append(name)
        assert {c.name for c in categories} >= {"actor", "topic"}
        return "topic"

    monkeypatch.setattr(tag_picker, "choose_category", choose)
    start, end = drag_select_quote(qtbot, window, QUOTE)
    window.tagging.focus_picker()
    qtbot.keyClicks(window.tag_bar.picker, "border security")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)

    assert asked == ["border security"]
    tag = library.find_tag("topic", "border security")
    assert tag is not None and tag.category == "topic"
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert [t.id for t in highlight.tags] == [tag.id]
    assert painted(reader, start) == expected_colour(window, tag.colour)

    # The new highlight stays selected, so a second tag goes onto the same passage.
    qtbot.keyClicks(window.tag_bar.picker, "Mark Carney")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert sorted(t.name for t in highlight.tags) == ["Mark Carney", "border security"]
    assert len(library.highlights(reader.document_id)) == len(highlights_before(window)) + 1

    # One undo step takes the whole "new tag + highlight" back, including the new tag.
    window.undo_stack.undo()  # the second tag
    window.undo_stack.undo()  # the highlight and the new tag
    assert highlights_on(library, reader.document_id, start, end) == []
    assert library.find_tag("topic", "border security") is None
    assert painted(reader, start) is None


def highlights_before(window):
    return [h for h in window.library.highlights(window.reader.document_id) if h.text != QUOTE]


def drag_select_quote(qtbot, window, quote: str) -> tuple[int, int]:
    start, end = find_quote(window.reader, window.library, quote)
    drag_select(qtbot, window.reader, start, end)
    assert window.reader.selection_span() == (start, end)
    return start, end


def test_key_1_applies_the_most_recent_tag(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    first_recent = window.tagging.recent[0]
    start, end = select_quote(reader, library, QUOTE)
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_1)
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert [t.id for t in highlight.tags] == [first_recent]
    # Tagging with another tag makes it number 1.
    start2, end2 = select_quote(reader, library, "Security spending is where the pressure is most visible")
    window.tagging.apply_tags([library.find_tag("topic", "NORAD").id])
    assert window.tagging.recent[0] == library.find_tag("topic", "NORAD").id
    assert window.tag_bar.recent_tags()[0].name == "NORAD"
    assert highlights_on(library, reader.document_id, start2, end2)


def test_click_a_highlight_then_note_untag_delete_and_undo(window, qtbot, monkeypatch) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    target = next(h for h in library.highlights(reader.document_id) if h.text == "Daniel Whitcomb")
    selected: list[int] = []
    window.events.highlight_selected.connect(selected.append)

    click_on(qtbot, reader, target.start + 3)
    assert reader.selected_highlight == target.id
    assert selected[-1] == target.id
    assert "Daniel Whitcomb" in window.tag_bar.target.text()

    qtbot.keyClick(reader, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    notes = window.notes
    assert window.side_tabs.currentWidget() is notes and notes.editor.hasFocus()
    assert notes.highlight_id == target.id
    qtbot.keyClicks(notes.editor, "Chief US negotiator.")
    reader.setFocus()  # leaving the editor saves the note
    assert library.highlight(target.id).note == "Chief US negotiator."

    window.undo_stack.undo()
    assert library.highlight(target.id).note is None
    window.undo_stack.redo()
    assert library.highlight(target.id).note == "Chief US negotiator."

    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_Delete)
    assert target.id not in {h.id for h in library.highlights(reader.document_id)}
    assert painted(reader, target.start) is None

    window.undo_stack.undo()
    restored = library.highlight(target.id)
    assert (restored.start, restored.end, restored.note) == (target.start, target.end, "Chief US negotiator.")
    assert painted(reader, target.start) == expected_colour(window, target.tags[0].colour)


def test_set_span_to_selection_extends_the_clicked_highlight(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    target = next(h for h in library.highlights(reader.document_id) if h.text == "Daniel Whitcomb")
    click_on(qtbot, reader, target.start + 1)
    assert reader.selected_highlight == target.id
    start, end = select_quote(reader, library, "The US Trade Representative, Daniel Whitcomb")
    window.actions_.set_span.trigger()
    assert (library.highlight(target.id).start, library.highlight(target.id).end) == (start, end)
    assert painted(reader, start) is not None
    window.undo_stack.undo()
    assert (library.highlight(target.id).start, library.highlight(target.id).end) == (target.start, target.end)
    assert painted(reader, start) is None


def test_undo_redo_with_shortcuts_restore_database_and_painting(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    start, end = select_quote(reader, library, QUOTE)
    window.tagging.apply_typed("Mark Carney")
    [highlight] = highlights_on(library, reader.document_id, start, end)
    colour = painted(reader, start)
    assert colour is not None

    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert highlights_on(library, reader.document_id, start, end) == []
    assert painted(reader, start) is None

    qtbot.keyClick(reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [again] = highlights_on(library, reader.document_id, start, end)
    assert again.id == highlight.id and [t.name for t in again.tags] == ["Mark Carney"]
    assert painted(reader, start) == colour


def test_overlapping_highlights_are_layered_not_hidden(window) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    outer_start, outer_end = select_quote(
        reader, library, "such as steel and aluminium duties, dairy quotas and digital services taxes"
    )
    window.tagging.apply_typed("critical minerals")
    inner_start, _ = select_quote(reader, library, "dairy quotas")
    window.tagging.apply_typed("Mark Carney")
    outer_only = painted(reader, outer_start)
    both = painted(reader, inner_start)
    assert outer_only is not None and both is not None and both != outer_only
    from .reader_driver import underlined

    assert underlined(reader, inner_start) and not underlined(reader, outer_start)


def test_tag_filter_hides_and_shows_highlights(window) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    carney = library.find_tag("actor", "Mark Carney")
    highlights = library.highlights(reader.document_id)
    others = [h for h in highlights if carney.id not in {t.id for t in h.tags}]
    mine = [h for h in highlights if carney.id in {t.id for t in h.tags}]
    assert others and mine
    window.events.tag_filter_changed.emit({carney.id})
    assert all(painted(reader, h.start) is not None for h in mine)
    assert all(painted(reader, h.start) is None for h in others if not _overlaps(h, mine))
    window.events.tag_filter_changed.emit(None)
    assert all(painted(reader, h.start) is not None for h in highlights)


def _overlaps(h, group) -> bool:
    return any(o.start < h.end and h.start < o.end for o in group)


def test_find_bar_ctrl_f_next_and_escape(window, qtbot) -> None:
    open_pdf_brief(window)
    reader = window.reader
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "Whitcomb")
    first = reader.textCursor().selectionStart()
    assert reader.textCursor().selectedText() == "Whitcomb"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    second = reader.textCursor().selectionStart()
    assert second > first and reader.textCursor().selectedText() == "Whitcomb"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert reader.textCursor().selectionStart() == first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_tagging_an_existing_highlights_exact_passage_adds_to_it(window) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    target = next(h for h in library.highlights(reader.document_id) if h.text == "Daniel Whitcomb")
    count = len(library.highlights(reader.document_id))
    select_quote(reader, library, "Daniel Whitcomb")
    window.tagging.apply_typed("USMCA review")
    assert len(library.highlights(reader.document_id)) == count
    assert sorted(t.name for t in library.highlight(target.id).tags) == ["Daniel Whitcomb", "USMCA review"]


def test_hovering_a_highlight_shows_its_tags_and_note(window) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from .reader_driver import point_of

    open_pdf_brief(window)
    library, reader = window.library, window.reader
    noted = next(h for h in library.highlights(reader.document_id) if h.note)
    point = point_of(reader, noted.start + 2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, reader.viewport().mapToGlobal(point))
    QApplication.sendEvent(reader.viewport(), event)
    text = QToolTip.text()
    assert noted.tags[0].name in text
    assert noted.note.split()[0] in text


def test_escape_in_the_picker_returns_to_the_reader_without_tagging(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    count = len(library.highlights(reader.document_id))
    select_quote(reader, library, QUOTE)
    qtbot.keyClick(reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.tag_bar.picker, "zzz")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Escape)
    assert reader.hasFocus() and window.tag_bar.picker.text() == ""
    assert len(library.highlights(reader.document_id)) == count
    assert reader.selection_span() is not None  # the selection is still there to tag


def test_side_panes_follow_the_opened_document_and_the_clicked_highlight(window, qtbot) -> None:
    open_pdf_brief(window)
    doc_id = window.reader.document_id
    qtbot.waitUntil(lambda: window.highlights_pane.document_id == doc_id)
    qtbot.waitUntil(lambda: window.notes.document_id == doc_id)
    target = next(h for h in window.library.highlights(doc_id) if h.text == "Daniel Whitcomb")
    click_on(qtbot, window.reader, target.start + 2)
    qtbot.waitUntil(lambda: window.notes.highlight_id == target.id)


def test_copy_excerpt_with_citation_of_the_clicked_highlight(window, qtbot) -> None:
    from PySide6.QtGui import QGuiApplication

    open_pdf_brief(window)
    target = next(h for h in window.library.highlights(window.reader.document_id) if h.text == "Daniel Whitcomb")
    click_on(qtbot, window.reader, target.start + 2)
    window.actions_.copy_excerpts.trigger()
    copied = QGuiApplication.clipboard().text()
    quote, tags, _note, citation = copied.rstrip("\n").split("\t")
    assert "Daniel Whitcomb" in quote and "Daniel Whitcomb" in tags
    assert "Before the USMCA review" in citation
