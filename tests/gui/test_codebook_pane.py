"""The Codebook pane, driven as a user: keys, clicks, answered dialogs. After each step the
Library (tags, highlight tags) and the tree are checked, then undo and redo on the stack."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QApplication, QColorDialog, QDialog, QInputDialog, QLineEdit, QMessageBox

from annotator.core.errors import NotFound
from annotator.gui.commands_reading import AddHighlightCommand
from annotator.gui.dialogs.find_mentions import FindMentionsDialog
from annotator.gui.dialogs.merge_tags import MergeTagsDialog
from annotator.gui.dialogs.tag_details import TagDetailsDialog
from annotator.gui.events import LibraryEvents
from annotator.gui.models.codebook_model import COUNT, NAME, TAG_ID_ROLE
from annotator.gui.widgets import codebook_edits as codebook_edits_module
from annotator.gui.widgets.codebook_pane import CodebookPane

from .side_panes_sample import OTTAWA, Sample, span


@pytest.fixture
def pane(qtbot, sample: Sample) -> CodebookPane:
    widget = CodebookPane(sample.library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(320, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(codebook_edits_module, "show_error", lambda parent, exc, action="": shown.append(str(exc)))
    return shown


def index_of(pane: CodebookPane, tag_id: int, column: int = NAME) -> QModelIndex:
    index = pane.proxy.mapFromSource(pane.model.index_of_tag(tag_id))
    assert index.isValid(), f"tag {tag_id} is not in the tree"
    return index.siblingAtColumn(column)


def click(qtbot, pane: CodebookPane, index: QModelIndex, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    pane.tree.scrollTo(index)
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, modifier, pane.tree.visualRect(index).center())


def shown_rows(pane: CodebookPane, parent: QModelIndex = QModelIndex()) -> list[str]:
    """Every visible row as 'name' or 'name  count', depth-first."""
    rows = []
    for row in range(pane.proxy.rowCount(parent)):
        index = pane.proxy.index(row, NAME, parent)
        count = index.siblingAtColumn(COUNT).data() or ""
        rows.append(f"{index.data()} {count}".strip())
        rows += ["  " + r for r in shown_rows(pane, index)]
    return rows


def check_state(index: QModelIndex) -> Qt.CheckState:
    return Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole))


def toolbar_click(qtbot, pane: CodebookPane, action) -> None:
    button = pane.new_button if action is pane.act_new_tag else pane.toolbar.widgetForAction(action)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_tree_shows_categories_tags_counts_swatches(pane: CodebookPane, sample: Sample) -> None:
    assert shown_rows(pane) == [
        "Actors", "  Carney 2", "  Doug Ford 0", "  Mark Carney 1",
        "Topics", "  tariffs 2", "  USMCA 1",
    ]
    name = index_of(pane, sample.carney.id)
    assert not name.data(Qt.ItemDataRole.DecorationRole).isNull()
    count = index_of(pane, sample.carney.id, COUNT)
    assert count.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert check_state(name) == Qt.CheckState.Checked


def test_space_unchecks_a_tag_and_the_reader_is_told(qtbot, pane: CodebookPane, sample: Sample) -> None:
    everything = {t.id for t in sample.library.tags()}
    click(qtbot, pane, index_of(pane, sample.carney.id))
    with qtbot.waitSignal(pane.events.tag_filter_changed) as blocker:
        qtbot.keyPress(pane.tree, Qt.Key.Key_Space)
    assert blocker.args == [everything - {sample.carney.id}]
    actors = pane.proxy.index(0, NAME)
    assert check_state(actors) == Qt.CheckState.PartiallyChecked

    # The category's box checks every tag in it again: no filtering left.
    click(qtbot, pane, actors)
    with qtbot.waitSignal(pane.events.tag_filter_changed) as blocker:
        qtbot.keyPress(pane.tree, Qt.Key.Key_Space)
    assert blocker.args == [None]
    assert pane.tag_filter() is None


def test_f2_renames_and_undo_redo(qtbot, pane: CodebookPane, sample: Sample) -> None:
    click(qtbot, pane, index_of(pane, sample.ford.id))
    qtbot.keyPress(pane.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Premier Doug Ford")
    qtbot.keyPress(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sample.library.tag(sample.ford.id).name == "Premier Doug Ford")
    assert "  Premier Doug Ford 0" in shown_rows(pane)
    assert pane.undo_stack.count() == 1

    pane.undo_stack.undo()
    assert sample.library.tag(sample.ford.id).name == "Doug Ford"
    assert "  Doug Ford 0" in shown_rows(pane)
    pane.undo_stack.redo()
    assert sample.library.tag(sample.ford.id).name == "Premier Doug Ford"


def test_the_rename_button_opens_the_name_for_editing(qtbot, pane: CodebookPane, sample: Sample) -> None:
    click(qtbot, pane, index_of(pane, sample.ford.id))
    toolbar_click(qtbot, pane, pane.act_rename)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Doug Ford"
    qtbot.keyPress(editor, Qt.Key.Key_Escape)
    assert sample.library.tag(sample.ford.id).name == "Doug Ford"
    assert pane.undo_stack.count() == 0


def test_renaming_onto_an_existing_name_shows_the_error(
    qtbot, pane: CodebookPane, sample: Sample, errors: list[str]
) -> None:
    click(qtbot, pane, index_of(pane, sample.carney.id))
    qtbot.keyPress(pane.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Mark Carney")
    qtbot.keyPress(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(errors))
    assert "merge instead" in errors[0]
    assert sample.library.tag(sample.carney.id).name == "Carney"
    assert pane.undo_stack.count() == 0


def test_recolour_through_the_colour_dialog(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#336699"))
    click(qtbot, pane, index_of(pane, sample.usmca.id))
    toolbar_click(qtbot, pane, pane.act_recolour)
    assert sample.library.tag(sample.usmca.id).colour == "#336699"
    # Highlights carry the new colour too (the reader paints from them).
    assert {t.colour for t in sample.library.highlight(sample.h_speaking.id).tags
            if t.id == sample.usmca.id} == {"#336699"}
    pane.undo_stack.undo()
    assert sample.library.tag(sample.usmca.id).colour == "#c3a6ff"
    pane.undo_stack.redo()
    assert sample.library.tag(sample.usmca.id).colour == "#336699"


def test_cancelled_colour_dialog_changes_nothing(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor())
    click(qtbot, pane, index_of(pane, sample.usmca.id))
    toolbar_click(qtbot, pane, pane.act_recolour)
    assert pane.undo_stack.count() == 0


def test_merge_two_actor_spellings_and_undo_splits_them(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    summaries: list[str] = []

    def choose_mark_carney(dialog: MergeTagsDialog) -> int:
        dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(sample.mark_carney.id))
        summaries.append(dialog.summary.text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeTagsDialog, "exec", choose_mark_carney)
    click(qtbot, pane, index_of(pane, sample.carney.id))
    click(qtbot, pane, index_of(pane, sample.mark_carney.id), Qt.KeyboardModifier.ControlModifier)
    assert {t.id for t in pane.selected_tags()} == {sample.carney.id, sample.mark_carney.id}
    toolbar_click(qtbot, pane, pane.act_merge)

    assert summaries and "2 highlights tagged “Carney” will be tagged “Mark Carney”" in summaries[0]
    with pytest.raises(NotFound):
        lib.tag(sample.carney.id)
    mark = lib.tag(sample.mark_carney.id)
    assert mark.highlight_count == 3
    assert set(mark.aliases) == {"PM Carney", "Carney"}
    assert {h.id for h in lib.highlights(tag_ids=[mark.id])} == {
        sample.h_mark.id, sample.h_speaking.id, sample.h_ontario.id}
    assert {t.name for t in lib.highlight(sample.h_speaking.id).tags} == {"Mark Carney", "USMCA"}
    assert shown_rows(pane)[:3] == ["Actors", "  Doug Ford 0", "  Mark Carney 3"]
    assert pane.undo_stack.count() == 1

    pane.undo_stack.undo()
    carney = lib.tag(sample.carney.id)
    assert carney.name == "Carney" and carney.highlight_count == 2
    assert lib.tag(sample.mark_carney.id).aliases == ("PM Carney",)
    assert {h.id for h in lib.highlights(tag_ids=[sample.mark_carney.id])} == {sample.h_mark.id}
    assert {h.id for h in lib.highlights(tag_ids=[carney.id])} == {sample.h_speaking.id, sample.h_ontario.id}
    assert "  Carney 2" in shown_rows(pane) and "  Mark Carney 1" in shown_rows(pane)

    pane.undo_stack.redo()
    assert lib.tag(sample.mark_carney.id).highlight_count == 3
    with pytest.raises(NotFound):
        lib.tag(sample.carney.id)


def test_merge_a_single_tag_into_another_keeps_sub_tags(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    steel = lib.create_tag("steel tariffs", "topic", parent_id=sample.tariffs.id)
    pane.refresh()

    def choose_usmca(dialog: MergeTagsDialog) -> int:
        dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(sample.usmca.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeTagsDialog, "exec", choose_usmca)
    click(qtbot, pane, index_of(pane, sample.tariffs.id))
    toolbar_click(qtbot, pane, pane.act_merge)
    assert lib.tag(steel.id).parent_id == sample.usmca.id
    pane.undo_stack.undo()
    assert lib.tag(steel.id).parent_id == sample.tariffs.id


def test_delete_asks_with_counts_and_highlights_keep_other_tags(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    questions: list[str] = []
    answer = QMessageBox.StandardButton.No

    def ask(parent, title, text, *args, **kwargs):
        questions.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", ask)
    click(qtbot, pane, index_of(pane, sample.carney.id))
    qtbot.keyPress(pane.tree, Qt.Key.Key_Delete)
    assert "Delete the tag “Carney”?" in questions[0] and "2 highlights will lose this tag" in questions[0]
    assert lib.tag(sample.carney.id).name == "Carney"  # answered No

    answer = QMessageBox.StandardButton.Yes
    qtbot.keyPress(pane.tree, Qt.Key.Key_Delete)
    with pytest.raises(NotFound):
        lib.tag(sample.carney.id)
    assert {t.name for t in lib.highlight(sample.h_speaking.id).tags} == {"USMCA"}
    assert {t.name for t in lib.highlight(sample.h_ontario.id).tags} == {"tariffs"}
    assert "  Carney 2" not in shown_rows(pane)

    pane.undo_stack.undo()
    assert {t.name for t in lib.highlight(sample.h_speaking.id).tags} == {"Carney", "USMCA"}
    assert {t.name for t in lib.highlight(sample.h_ontario.id).tags} == {"Carney", "tariffs"}
    assert "  Carney 2" in shown_rows(pane)


def test_deleting_a_parent_then_undo_puts_children_back(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    steel = lib.create_tag("steel tariffs", "topic", parent_id=sample.tariffs.id)
    pane.refresh()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, pane, index_of(pane, sample.tariffs.id))
    toolbar_click(qtbot, pane, pane.act_delete)
    assert lib.tag(steel.id).parent_id is None
    pane.undo_stack.undo()
    assert lib.tag(steel.id).parent_id == sample.tariffs.id
    assert "    steel tariffs 0" in shown_rows(pane)


def test_new_tag_goes_into_the_selected_category(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("NORAD", True))
    click(qtbot, pane, pane.proxy.index(1, NAME))  # Topics
    toolbar_click(qtbot, pane, pane.act_new_tag)
    norad = lib.find_tag("topic", "NORAD")
    assert norad is not None
    assert "  NORAD 0" in shown_rows(pane)
    assert [t.id for t in pane.selected_tags()] == [norad.id]
    pane.undo_stack.undo()
    assert lib.find_tag("topic", "NORAD") is None
    pane.undo_stack.redo()
    assert lib.find_tag("topic", "NORAD").id == norad.id  # same id: later commands stay valid


def test_new_category_is_created_with_its_first_tag(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([("Stance", True), ("Against", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    pane.act_new_category.trigger()
    assert "stance" in {c.name for c in sample.library.categories()}
    assert sample.library.find_tag("stance", "Against") is not None
    assert shown_rows(pane)[-2:] == ["Stance", "  Against 0"]

    # Typing an existing category's label adds to it instead of making a look-alike.
    answers = iter([("Actors", True), ("Pierre Poilievre", True)])
    pane.act_new_category.trigger()
    assert sample.library.find_tag("actor", "Pierre Poilievre") is not None
    assert [c.label for c in sample.library.categories()] == ["Actors", "Topics", "Stance"]


def test_move_under_and_drop_onto_a_tag(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Mark Carney", True))
    click(qtbot, pane, index_of(pane, sample.carney.id))
    pane.act_move.trigger()
    assert lib.tag(sample.carney.id).parent_id == sample.mark_carney.id
    assert "    Carney 2" in shown_rows(pane)
    pane.undo_stack.undo()
    assert lib.tag(sample.carney.id).parent_id is None

    # Drag and drop: what the view hands the model when Doug Ford is dropped on Mark Carney.
    data = pane.proxy.mimeData([index_of(pane, sample.ford.id)])
    target = index_of(pane, sample.mark_carney.id)
    assert pane.proxy.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    # A topic cannot go under an actor.
    topic_data = pane.proxy.mimeData([index_of(pane, sample.usmca.id)])
    assert not pane.proxy.canDropMimeData(topic_data, Qt.DropAction.MoveAction, -1, -1, target)
    pane.proxy.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    qtbot.waitUntil(lambda: lib.tag(sample.ford.id).parent_id == sample.mark_carney.id)
    pane.undo_stack.undo()
    assert lib.tag(sample.ford.id).parent_id is None


def test_aliases_and_description(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: TagDetailsDialog) -> int:
        dialog.aliases_edit.setPlainText("PM Carney\nCarney\n\n carney ")
        dialog.description_edit.setPlainText("The Prime Minister of Canada")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TagDetailsDialog, "exec", fill)
    click(qtbot, pane, index_of(pane, sample.mark_carney.id))
    toolbar_click(qtbot, pane, pane.act_details)
    tag = sample.library.tag(sample.mark_carney.id)
    assert tag.aliases == ("PM Carney", "Carney")
    assert tag.description == "The Prime Minister of Canada"
    assert "Also: PM Carney, Carney" in index_of(pane, tag.id).data(Qt.ItemDataRole.ToolTipRole)
    pane.undo_stack.undo()
    assert sample.library.tag(tag.id).aliases == ("PM Carney",)
    assert sample.library.tag(tag.id).description == ""


def test_filter_box_narrows_the_tree(qtbot, pane: CodebookPane) -> None:
    qtbot.keyClicks(pane.filter_edit, "carn")
    assert shown_rows(pane) == ["Actors", "  Carney 2", "  Mark Carney 1"]
    qtbot.keyPress(pane.filter_edit, Qt.Key.Key_Return)  # straight to the first match
    assert [t.name for t in pane.selected_tags()] == ["Carney"]
    pane.filter_edit.clear()
    assert len(shown_rows(pane)) == 7


def test_find_mentions_opens_the_dialog_for_the_tag(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[FindMentionsDialog] = []
    monkeypatch.setattr(FindMentionsDialog, "exec", lambda d: opened.append(d) or 0)
    click(qtbot, pane, index_of(pane, sample.mark_carney.id))
    toolbar_click(qtbot, pane, pane.act_find_mentions)
    [dialog] = opened
    qtbot.waitUntil(lambda: dialog.ready, timeout=10_000)
    assert (dialog.tag_id, len(dialog.mentions)) == (sample.mark_carney.id, 2)


def test_counts_follow_tagging_elsewhere(qtbot, pane: CodebookPane, sample: Sample) -> None:
    from annotator.gui.commands import push

    push(pane.undo_stack, AddHighlightCommand(
        sample.library, pane.events, sample.ottawa.id, *span(OTTAWA, "Ottawa"), [sample.ford.id]))
    assert "  Doug Ford 1" in shown_rows(pane)
    pane.undo_stack.undo()
    assert "  Doug Ford 0" in shown_rows(pane)


def test_selection_enables_only_fitting_actions(qtbot, pane: CodebookPane, sample: Sample) -> None:
    click(qtbot, pane, pane.proxy.index(0, NAME))  # a category
    assert not pane.act_delete.isEnabled() and not pane.act_rename.isEnabled()
    click(qtbot, pane, index_of(pane, sample.carney.id))
    click(qtbot, pane, index_of(pane, sample.ford.id), Qt.KeyboardModifier.ControlModifier)
    assert pane.act_merge.isEnabled() and pane.act_delete.isEnabled()
    assert not pane.act_rename.isEnabled()  # one tag at a time
    assert index_of(pane, sample.ford.id).data(TAG_ID_ROLE) == sample.ford.id


def test_a_change_while_renaming_waits_for_the_editor(qtbot, pane: CodebookPane, sample: Sample) -> None:
    from annotator.gui.commands import push

    click(qtbot, pane, index_of(pane, sample.ford.id))
    qtbot.keyPress(pane.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Premier Ford")
    # Someone tags a passage meanwhile (the reader, an import finishing…).
    push(pane.undo_stack, AddHighlightCommand(
        sample.library, pane.events, sample.ottawa.id, *span(OTTAWA, "Ottawa"), [sample.usmca.id]))
    assert editor.isVisible() and editor.text() == "Premier Ford"
    qtbot.keyPress(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sample.library.tag(sample.ford.id).name == "Premier Ford")
    qtbot.waitUntil(lambda: "  USMCA 2" in shown_rows(pane))


def test_sub_tag_follows_delete_and_merge_and_comes_back_on_undo(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Library re-parents sub-tags itself now; the tree must show the same thing."""
    lib = sample.library
    steel = lib.create_tag("steel tariffs", "topic", parent_id=sample.tariffs.id)
    pane.refresh()
    before = shown_rows(pane)
    assert "    steel tariffs 0" in before

    # Deleted with its sub-tag selected too: one step, both back under each other on undo.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, pane, index_of(pane, sample.tariffs.id))
    click(qtbot, pane, index_of(pane, steel.id), Qt.KeyboardModifier.ControlModifier)
    toolbar_click(qtbot, pane, pane.act_delete)
    assert {t.name for t in lib.tags("topic")} == {"USMCA"}
    assert pane.undo_stack.count() == 1
    pane.undo_stack.undo()
    assert lib.tag(steel.id).parent_id == sample.tariffs.id
    assert lib.tag(sample.tariffs.id).highlight_count == 2
    assert shown_rows(pane) == before
    pane.undo_stack.redo()
    assert {t.name for t in lib.tags("topic")} == {"USMCA"}
    pane.undo_stack.undo()

    # Merged into USMCA: the sub-tag moves under it, and back under tariffs on undo.
    def choose_usmca(dialog: MergeTagsDialog) -> int:
        dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(sample.usmca.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeTagsDialog, "exec", choose_usmca)
    click(qtbot, pane, index_of(pane, sample.tariffs.id))
    toolbar_click(qtbot, pane, pane.act_merge)
    assert lib.tag(steel.id).parent_id == sample.usmca.id
    assert shown_rows(pane)[-2:] == ["  USMCA 3", "    steel tariffs 0"]
    pane.undo_stack.undo()
    assert lib.tag(steel.id).parent_id == sample.tariffs.id
    assert shown_rows(pane) == before
    pane.undo_stack.redo()
    assert lib.tag(steel.id).parent_id == sample.usmca.id


def test_merging_a_tag_into_its_own_sub_tag(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The target takes its parent's place instead of ending up under itself."""
    lib = sample.library
    steel = lib.create_tag("steel tariffs", "topic", parent_id=sample.tariffs.id)
    pane.refresh()
    before = shown_rows(pane)

    def choose_steel(dialog: MergeTagsDialog) -> int:
        dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(steel.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeTagsDialog, "exec", choose_steel)
    click(qtbot, pane, index_of(pane, sample.tariffs.id))
    toolbar_click(qtbot, pane, pane.act_merge)
    assert lib.tag(steel.id).parent_id is None
    assert "  steel tariffs 2" in shown_rows(pane)
    pane.undo_stack.undo()
    assert lib.tag(steel.id).parent_id == sample.tariffs.id
    assert shown_rows(pane) == before
    pane.undo_stack.redo()
    assert lib.tag(steel.id).parent_id is None
