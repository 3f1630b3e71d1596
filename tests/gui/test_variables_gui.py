"""Document variables in the window: defined in the Variables dialog, edited in the Library
table (one edit sets every selected document), every step undoable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox

from annotator.gui.dialogs.variables_dialog import VariablesDialog
from tests.core.analysis_fixture import build


def _column(pane, name: str) -> int:
    model = pane.model
    return next(c for c in range(model.columnCount())
                if model.headerData(c, Qt.Orientation.Horizontal) == name)


def test_define_edit_several_documents_and_undo(qtbot, window_on, tmp_path: Path) -> None:
    fx = build(tmp_path)
    main = window_on(fx.library)
    pane = main.library_pane
    dialog = VariablesDialog(fx.library, main.events, main.undo_stack, main)
    qtbot.addWidget(dialog)
    dialog.define("outlet", "choice", ["Globe", "Star"])
    assert [v.name for v in fx.library.variables() if not v.builtin] == ["outlet"]
    assert dialog.table.item(0, 0).text() == "outlet"
    column = _column(pane, "outlet")
    pane.table.setColumnHidden(column, False)

    # Make the first document current (the reader opens it), select a second one too,
    # then edit the outlet cell of the first, as a double-click does.
    selection = pane.table.selectionModel()
    first = pane._proxy_index(fx.docs[0])
    cell = pane.proxy.index(first.row(), column)
    flags = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(cell, flags.ClearAndSelect | flags.Rows)
    qtbot.waitUntil(lambda: main.reader.document_id == fx.docs[0])
    selection.select(pane._proxy_index(fx.docs[1]), flags.Select | flags.Rows)
    assert sorted(pane.selected_document_ids()) == fx.docs[:2]
    pane.table.edit(cell)
    editors = pane.table.findChildren(QComboBox)
    assert len(editors) == 1  # a one-of-list variable is edited with its values
    editor = editors[0]
    editor.setCurrentText("Star")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(fx.library.all_document_variables()) == 2, timeout=5_000)
    assert fx.library.all_document_variables() == {fx.docs[0]: {"outlet": "Star"},
                                                   fx.docs[1]: {"outlet": "Star"}}
    qtbot.waitUntil(lambda: pane.model.values.get(fx.docs[0]) == {"outlet": "Star"})

    main.undo_stack.undo()
    assert fx.library.all_document_variables() == {}
    main.undo_stack.undo()  # the definition itself
    assert [v.name for v in fx.library.variables() if not v.builtin] == []
    assert pane.model.columnCount() == 5
    main.undo_stack.redo()
    main.undo_stack.redo()
    assert fx.library.all_document_variables()[fx.docs[1]] == {"outlet": "Star"}


def test_a_bad_value_is_refused_with_a_message_and_changes_nothing(
        qtbot, window_on, tmp_path: Path, unexpected_message_boxes) -> None:
    fx = build(tmp_path)
    fx.library.define_variable("words", "number")
    main = window_on(fx.library)
    main.library_pane.set_variable([fx.docs[0]], "words", "many")
    assert any("Words is a number, not 'many'" in m for m in unexpected_message_boxes)
    unexpected_message_boxes.clear()
    assert fx.library.all_document_variables() == {}
    assert main.undo_stack.count() == 0


def test_csv_import_is_one_undoable_step(qtbot, window_on, tmp_path: Path, unexpected_message_boxes) -> None:
    fx = build(tmp_path)
    fx.library.define_variable("outlet")
    fx.library.set_document_variable(fx.docs[0], "outlet", "Globe")
    main = window_on(fx.library)
    path = tmp_path / "vars.csv"
    path.write_text("id,outlet,words,published\n1,Star,800,\n2,Post,1200,2024-05-01\n",
                    encoding="utf-8")
    dialog = VariablesDialog(fx.library, main.events, main.undo_stack, main)
    qtbot.addWidget(dialog)
    dialog.import_csv(path)
    assert any("set 5 values on 2 documents; created words" in m for m in unexpected_message_boxes)
    unexpected_message_boxes.clear()
    assert fx.library.all_document_variables()[2] == {"outlet": "Post", "words": "1200"}
    assert "words" in [pane_name for pane_name in (
        main.library_pane.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(main.library_pane.model.columnCount()))]
    main.undo_stack.undo()
    assert fx.library.all_document_variables() == {1: {"outlet": "Globe"}}
    assert [v.name for v in fx.library.variables() if not v.builtin] == ["outlet"]
    assert fx.library.document(2).published is None
