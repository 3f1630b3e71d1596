"""Category actions of the Codebook pane, driven as a user: the row's context menu, F2, the
answered dialog. After each step the Library's categories and tags are checked, then undo and
redo on the stack."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QInputDialog

from annotator.gui.events import LibraryEvents
from annotator.gui.widgets.codebook_pane import CodebookPane

from .side_panes_sample import Sample
from .test_codebook_pane import click, index_of, shown_rows


@pytest.fixture
def pane(qtbot, sample: Sample) -> CodebookPane:
    widget = CodebookPane(sample.library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(320, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def answer_text(monkeypatch: pytest.MonkeyPatch, *answers: tuple[str, bool]) -> list[tuple]:
    """Answer QInputDialog.getText in turn; returns the calls' arguments."""
    calls: list[tuple] = []
    queue = iter(answers)

    def get_text(*args: object, **kwargs: object) -> tuple[str, bool]:
        calls.append(args)
        return next(queue)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return calls


def category_row(pane: CodebookPane, name: str) -> QModelIndex:
    index = pane.proxy.mapFromSource(pane.model.index_of_category(name))
    assert index.isValid(), f"category {name} is not in the tree"
    return index


def right_click(qtbot, pane: CodebookPane, index: QModelIndex) -> list[QAction]:
    """Select the row as a right press does, and return the actions of the menu it opens."""
    pane.tree.scrollTo(index)
    centre = pane.tree.visualRect(index).center()
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.RightButton, pos=centre)
    menu = pane.context_menu()
    actions = [a for a in menu.actions() if not a.isSeparator()]
    menu.deleteLater()
    return actions


def labels(sample: Sample) -> list[tuple[str, str]]:
    return [(c.name, c.label) for c in sample.library.categories()]


def run_menu_action(actions: list[QAction], text: str) -> None:
    action = next(a for a in actions if a.text() == text)
    assert action.isEnabled(), f"{text} is disabled"
    action.trigger()


def with_stance(pane: CodebookPane, sample: Sample) -> None:
    sample.library.add_category("stance", "Stance")
    pane.refresh()


def test_category_menu_offers_category_actions_and_tag_menu_does_not(
    qtbot, pane: CodebookPane, sample: Sample
) -> None:
    with_stance(pane, sample)
    texts = [a.text() for a in right_click(qtbot, pane, category_row(pane, "stance"))]
    assert texts[:2] == ["Rename category…", "Delete category"]
    assert pane.act_delete_category.isEnabled()
    assert "Rename" not in texts  # tag actions need a tag

    texts = [a.text() for a in right_click(qtbot, pane, index_of(pane, sample.carney.id))]
    assert "Rename category…" not in texts and "Delete category" not in texts


def test_delete_only_for_empty_user_categories(
    qtbot, pane: CodebookPane, sample: Sample
) -> None:
    with_stance(pane, sample)
    right_click(qtbot, pane, category_row(pane, "actor"))
    assert not pane.act_delete_category.isEnabled()  # built-in
    assert pane.act_rename_category.isEnabled()

    sample.library.create_tag("Against", "stance")
    pane.refresh()
    right_click(qtbot, pane, category_row(pane, "stance"))
    assert not pane.act_delete_category.isEnabled()  # has a tag
    pane.edits.delete_category()  # even called directly, nothing happens
    assert "stance" in {c.name for c in sample.library.categories()}
    assert pane.undo_stack.count() == 0


def test_rename_category_from_the_menu_then_undo_redo(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = answer_text(monkeypatch, ("  People  and groups ", True))
    run_menu_action(right_click(qtbot, pane, category_row(pane, "actor")), "Rename category…")
    assert calls[0][4] == "Actors"  # the dialog starts from the current label
    assert labels(sample) == [("actor", "People and groups"), ("topic", "Topics")]
    assert shown_rows(pane)[0] == "People and groups"
    # The key stays, so tags, searches and exports are untouched.
    assert {t.category for t in sample.library.tags()} == {"actor", "topic"}
    assert pane.undo_stack.count() == 1

    pane.undo_stack.undo()
    assert labels(sample) == [("actor", "Actors"), ("topic", "Topics")]
    assert shown_rows(pane)[0] == "Actors"
    pane.undo_stack.redo()
    assert labels(sample)[0] == ("actor", "People and groups")


def test_f2_on_a_category_row_renames_it(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_text(monkeypatch, ("Themes", True))
    click(qtbot, pane, category_row(pane, "topic"))
    qtbot.keyPress(pane.tree, Qt.Key.Key_F2)
    assert labels(sample) == [("actor", "Actors"), ("topic", "Themes")]
    pane.undo_stack.undo()
    assert labels(sample)[1] == ("topic", "Topics")


def test_cancelled_or_unchanged_rename_pushes_nothing(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_text(monkeypatch, ("Themes", False), ("Topics", True), ("   ", True))
    click(qtbot, pane, category_row(pane, "topic"))
    for _ in range(3):
        pane.act_rename_category.trigger()
    assert labels(sample)[1] == ("topic", "Topics")
    assert pane.undo_stack.count() == 0


def test_delete_empty_category_then_undo_redo(
    qtbot, pane: CodebookPane, sample: Sample
) -> None:
    with_stance(pane, sample)
    assert shown_rows(pane)[-1] == "Stance"
    run_menu_action(right_click(qtbot, pane, category_row(pane, "stance")), "Delete category")
    assert labels(sample) == [("actor", "Actors"), ("topic", "Topics")]
    assert "Stance" not in shown_rows(pane)

    pane.undo_stack.undo()
    assert labels(sample) == [("actor", "Actors"), ("topic", "Topics"), ("stance", "Stance")]
    assert shown_rows(pane)[-1] == "Stance"
    pane.undo_stack.redo()
    assert [c.name for c in sample.library.categories()] == ["actor", "topic"]


def test_rename_then_delete_then_undo_both_keeps_the_renamed_label(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_stance(pane, sample)
    answer_text(monkeypatch, ("Position", True))
    click(qtbot, pane, category_row(pane, "stance"))
    pane.act_rename_category.trigger()
    pane.act_delete_category.trigger()
    assert [c.name for c in sample.library.categories()] == ["actor", "topic"]
    pane.undo_stack.undo()  # the delete: back with the label it had when deleted
    assert labels(sample)[-1] == ("stance", "Position")
    pane.undo_stack.undo()  # the rename
    assert labels(sample)[-1] == ("stance", "Stance")
    pane.undo_stack.redo()
    pane.undo_stack.redo()
    assert [c.name for c in sample.library.categories()] == ["actor", "topic"]


def test_undo_of_new_category_removes_it_with_its_first_tag(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = sample.library
    answer_text(monkeypatch, ("Stance", True), ("Against", True))
    pane.act_new_category.trigger()
    against = lib.find_tag("stance", "Against")
    assert against is not None
    assert labels(sample)[-1] == ("stance", "Stance")
    assert shown_rows(pane)[-2:] == ["Stance", "  Against 0"]

    pane.undo_stack.undo()
    assert [c.name for c in lib.categories()] == ["actor", "topic"]
    assert lib.tags("stance") == []
    assert "Stance" not in shown_rows(pane)

    pane.undo_stack.redo()
    assert labels(sample)[-1] == ("stance", "Stance")
    assert lib.find_tag("stance", "Against").id == against.id


def test_undo_of_a_new_tag_in_an_existing_category_keeps_the_category(
    qtbot, pane: CodebookPane, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_stance(pane, sample)
    answer_text(monkeypatch, ("Stance", True), ("For", True))
    pane.act_new_category.trigger()
    assert sample.library.find_tag("stance", "For") is not None
    pane.undo_stack.undo()
    assert sample.library.find_tag("stance", "For") is None
    assert labels(sample)[-1] == ("stance", "Stance")  # it was there before: it stays


def test_category_actions_follow_the_selection(qtbot, pane: CodebookPane, sample: Sample) -> None:
    with_stance(pane, sample)
    click(qtbot, pane, index_of(pane, sample.carney.id))
    assert not pane.act_rename_category.isEnabled() and not pane.act_delete_category.isEnabled()
    click(qtbot, pane, category_row(pane, "stance"))
    assert pane.act_rename_category.isEnabled() and pane.act_delete_category.isEnabled()
    # A category with a tag also selected: category actions stay off (which one would they mean?).
    click(qtbot, pane, index_of(pane, sample.ford.id), Qt.KeyboardModifier.ControlModifier)
    assert not pane.act_rename_category.isEnabled()

