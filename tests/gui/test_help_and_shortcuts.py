"""Ctrl+Shift+N goes to the Notes tab's editor; the find bar counts matches; Ctrl+Shift+F
reaches the search box; the Help menu's dialogs say what the keys and the query language do."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QMessageBox

from annotator import __version__
from annotator.core.changes import Changes
from annotator.core.search_results import QUERY_HELP
from annotator.gui.dialogs.help_dialogs import SearchSyntaxDialog, ShortcutsDialog, UserGuideDialog

from .reader_driver import click_on
from .test_tagging_workflow import open_pdf_brief

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_n_without_a_highlight_writes_the_documents_note_even_with_the_side_hidden(window, qtbot) -> None:
    open_pdf_brief(window)
    reader, library = window.reader, window.library
    qtbot.keyClick(reader, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # hide the side panes
    assert not window.side_tabs.isVisible()
    window.side_tabs.setCurrentWidget(window.codebook)
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_N, CTRL_SHIFT)
    notes = window.notes
    assert window.side_tabs.isVisible() and window.side_tabs.currentWidget() is notes
    assert notes.editor.hasFocus() and notes.highlight_id is None
    qtbot.keyClicks(notes.editor, "Compare with the June brief.")
    reader.setFocus()
    assert library.document(reader.document_id).note == "Compare with the June brief."
    window.undo_stack.undo()
    assert not library.document(reader.document_id).note


def test_ctrl_shift_n_appends_to_the_clicked_highlights_note(window, qtbot) -> None:
    open_pdf_brief(window)
    reader, library = window.reader, window.library
    target = next(h for h in library.highlights(reader.document_id) if h.text == "Daniel Whitcomb")
    library.set_highlight_note(target.id, "US trade representative.")
    window.events.changed.emit(Changes(documents=frozenset({target.document_id}),
                                       highlights=frozenset({target.id}), notes=True))
    click_on(qtbot, reader, target.start + 2)
    qtbot.keyClick(reader, Qt.Key.Key_N, CTRL_SHIFT)
    editor = window.notes.editor
    assert editor.hasFocus() and editor.toPlainText() == "US trade representative."
    assert editor.textCursor().position() == len(editor.toPlainText())  # typing goes at the end
    qtbot.keyClicks(editor, " Lead on tracks.")
    reader.setFocus()
    assert library.highlight(target.id).note == "US trade representative. Lead on tracks."


def test_find_bar_shows_which_match_of_how_many(window, qtbot) -> None:
    open_pdf_brief(window)
    reader = window.reader
    total = window.library.document_text(reader.document_id).lower().count("canad")
    assert total >= 3
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    qtbot.keyClicks(bar.edit, "canad")
    assert bar.status.text() == f"1 of {total}"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.status.text() == f"2 of {total}"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.status.text() == f"{total} of {total}  (wrapped around)"
    qtbot.mouseClick(bar.case, Qt.MouseButton.LeftButton)  # Match case: "canad" is never lower case
    assert bar.status.text() == "No matches"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert bar.status.text() == ""


def test_ctrl_shift_f_and_ctrl_k_focus_the_search_box(window, qtbot) -> None:
    for key in (Qt.Key.Key_F, Qt.Key.Key_K):
        window.reader.setFocus()
        modifiers = CTRL_SHIFT if key == Qt.Key.Key_F else Qt.KeyboardModifier.ControlModifier
        qtbot.keyClick(window.reader, key, modifiers)
        assert window.search_box.hasFocus()
    assert window.search_box.toolTip() == QUERY_HELP


def test_help_menu_shortcuts_syntax_and_about(window, qtbot, monkeypatch) -> None:
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    items = {a.text(): a for a in help_menu.actions() if not a.isSeparator()}
    assert set(items) == {"&User Guide", "&Keyboard Shortcuts", "&Search Syntax", "&About Annotator"}

    shown: list[object] = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    monkeypatch.setattr(SearchSyntaxDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    items["&Keyboard Shortcuts"].trigger()
    [shortcuts] = shown
    table = shortcuts.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    assert ("Ctrl+Shift+N", "Edit Note") in rows
    assert ("Ctrl+K or Ctrl+Shift+F", "Search") in rows
    assert ("Ctrl+T", "Tag Selection") in rows
    assert ("1 … 9", "Apply recent tag 1 to 9 to the selection or clicked highlight") in rows
    assert {keys for keys, _ in rows} >= {"Drag a handle", "Alt+drag a handle", "Escape while dragging"}
    assert all(keys for keys, _ in rows)

    items["&Search Syntax"].trigger()
    assert shown[1].text.toPlainText() == QUERY_HELP

    about: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: about.append(text)))
    items["&About Annotator"].trigger()
    assert len(about) == 1 and __version__ in about[0]
    text = QTextDocumentFragment.fromHtml(about[0]).toPlainText()
    assert str(window.library.folder) in text
    for name, version in (("Qt", qVersion()), ("SQLAlchemy", metadata.version("SQLAlchemy")),
                          ("Whoosh", metadata.version("whoosh-reloaded")),
                          ("pypdf", metadata.version("pypdf")),
                          ("PySide6", metadata.version("PySide6-Essentials"))):
        assert f"{name}\n {version}" in text


def test_user_guide_opens_from_the_help_menu_and_f1(window, qtbot, monkeypatch) -> None:
    shown: list[UserGuideDialog] = []
    monkeypatch.setattr(UserGuideDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    [guide] = shown
    text = guide.browser.toPlainText()
    for section in ("Quick start", "The query language", "Keyboard shortcuts", "Where your project lives",
                    "Backing up"):
        assert section in text
    assert QUERY_HELP.splitlines()[2].strip() in text  # the app's own query help, not a copy
    assert "Ctrl+T" in text and "Tag Selection" in text  # the window's shortcuts as they are
    assert str(window.library.folder) in text and "{{" not in text
    assert guide.browser.document().toMarkdown().count("|") > 20  # the shortcuts are a table
