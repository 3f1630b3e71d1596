"""The note editor: attached to the selected highlight or the open document, saves by itself,
one undo step per editing burst."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from annotator.gui.commands import push
from annotator.gui.commands_reading import DeleteHighlightsCommand
from annotator.gui.events import LibraryEvents
from annotator.gui.widgets.note_editor import NoteEditor

from .side_panes_sample import Sample


class Window(QWidget):
    """The editor beside another focusable widget, so focus can leave it as it does in the app."""

    def __init__(self, sample: Sample) -> None:
        super().__init__()
        self.events, self.stack = LibraryEvents(), QUndoStack()
        self.editor = NoteEditor(sample.library, self.events, self.stack)
        self.elsewhere = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.elsewhere)


@pytest.fixture
def window(qtbot, sample: Sample) -> Window:
    w = Window(sample)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    w.events.document_opened.emit(sample.ottawa.id)
    return w


def type_into(qtbot, window: Window, text: str) -> None:
    window.editor.editor.setFocus()
    qtbot.waitUntil(window.editor.editor.hasFocus)
    qtbot.keyClicks(window.editor.editor, text)


def test_document_note_is_saved_after_a_pause(qtbot, window: Window, sample: Sample) -> None:
    editor = window.editor
    assert editor.target_label.text() == "Note on document: Ottawa and Washington open talks"
    type_into(qtbot, window, "Read with the Ontario piece")
    qtbot.waitUntil(lambda: sample.library.document(sample.ottawa.id).note == "Read with the Ontario piece")
    assert window.stack.count() == 1
    assert editor.status_label.text() == "Saved"


def test_a_burst_with_pauses_is_one_undo_step(qtbot, window: Window, sample: Sample) -> None:
    lib, hid = sample.library, sample.h_speaking.id
    window.events.highlight_selected.emit(hid)
    assert window.editor.target_label.text().startswith("Note on highlight: “Carney said the talks")
    type_into(qtbot, window, "Carney")
    qtbot.waitUntil(lambda: lib.highlight(hid).note == "Carney")
    type_into(qtbot, window, " frames USMCA")
    qtbot.waitUntil(lambda: lib.highlight(hid).note == "Carney frames USMCA")
    assert window.stack.count() == 1

    window.stack.undo()
    assert lib.highlight(hid).note is None
    assert window.editor.editor.toPlainText() == ""
    window.stack.redo()
    assert lib.highlight(hid).note == "Carney frames USMCA"
    assert window.editor.editor.toPlainText() == "Carney frames USMCA"


def test_leaving_the_editor_saves_at_once_and_ends_the_burst(qtbot, window: Window, sample: Sample) -> None:
    lib = sample.library
    type_into(qtbot, window, "first thought")
    window.elsewhere.setFocus()
    qtbot.waitUntil(window.elsewhere.hasFocus)
    assert lib.document(sample.ottawa.id).note == "first thought"  # no waiting for the timer
    type_into(qtbot, window, ", second thought")
    window.elsewhere.setFocus()
    qtbot.waitUntil(window.elsewhere.hasFocus)
    assert lib.document(sample.ottawa.id).note == "first thought, second thought"
    assert window.stack.count() == 2
    window.stack.undo()
    assert lib.document(sample.ottawa.id).note == "first thought"
    assert window.editor.editor.toPlainText() == "first thought"


def test_picking_another_highlight_saves_to_the_first(qtbot, window: Window, sample: Sample) -> None:
    lib = sample.library
    window.events.highlight_selected.emit(sample.h_mark.id)
    type_into(qtbot, window, "the PM")
    window.events.highlight_selected.emit(sample.h_tariffs.id)  # before the idle timer fires
    assert lib.highlight(sample.h_mark.id).note == "the PM"
    assert lib.highlight(sample.h_tariffs.id).note is None
    assert window.editor.editor.toPlainText() == ""
    window.events.highlight_selected.emit(0)
    assert window.editor.target_label.text().startswith("Note on document:")


def test_deleted_highlight_falls_back_to_the_document(qtbot, window: Window, sample: Sample) -> None:
    lib = sample.library
    lib.set_document_note(sample.ottawa.id, "document note")
    window.events.highlight_selected.emit(sample.h_tariffs.id)
    push(window.stack, DeleteHighlightsCommand(lib, window.events, [sample.h_tariffs.id]))
    assert window.editor.highlight_id is None
    assert window.editor.editor.toPlainText() == "document note"


def test_clearing_a_note_removes_it(qtbot, window: Window, sample: Sample) -> None:
    lib = sample.library
    lib.set_highlight_note(sample.h_mark.id, "old")
    window.events.highlight_selected.emit(sample.h_mark.id)
    assert window.editor.editor.toPlainText() == "old"
    window.editor.editor.setFocus()
    qtbot.waitUntil(window.editor.editor.hasFocus)
    window.editor.editor.selectAll()
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_Backspace)
    window.elsewhere.setFocus()
    qtbot.waitUntil(window.elsewhere.hasFocus)
    assert lib.highlight(sample.h_mark.id).note is None
    window.stack.undo()
    assert lib.highlight(sample.h_mark.id).note == "old"


def test_no_document_no_editing(qtbot, sample: Sample) -> None:
    editor = NoteEditor(sample.library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(editor)
    assert not editor.editor.isEnabled()
    assert editor.target_label.text() == "No document open"


def test_editor_undo_never_reaches_back_into_another_note(qtbot, window: Window, sample: Sample) -> None:
    lib = sample.library
    lib.set_highlight_note(sample.h_tariffs.id, "abc")
    window.events.highlight_selected.emit(sample.h_mark.id)
    type_into(qtbot, window, "abc")  # the same text the next note happens to hold
    window.events.highlight_selected.emit(sample.h_tariffs.id)
    window.editor.editor.setFocus()
    qtbot.waitUntil(window.editor.editor.hasFocus)
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.editor.toPlainText() == "abc"
    assert lib.highlight(sample.h_mark.id).note == "abc"


def test_closing_the_window_saves_at_once(qtbot, window: Window, sample: Sample) -> None:
    """Closing the window within the idle pause must not lose the last words (focus leaves)."""
    type_into(qtbot, window, "last words")
    window.close()
    assert sample.library.document(sample.ottawa.id).note == "last words"
