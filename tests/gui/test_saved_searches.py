"""Saved searches driven like a user: the filters are saved with the query, F2 and the
context menu rename, and saving under a used name asks first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from annotator.gui.widgets import saved_searches as saved_module
from annotator.gui.widgets.search_panel import HIT_ROLE, SearchPanel
from tests.gui.test_search_panel import library, panel, wait_for_results  # noqa: F401 - fixtures


def _save_as(qtbot, panel: SearchPanel, monkeypatch: pytest.MonkeyPatch, name: str) -> None:  # noqa: F811
    monkeypatch.setattr(panel.saved, "ask_name", lambda _query, _current="": name)
    qtbot.mouseClick(panel.saved.save_button, Qt.MouseButton.LeftButton)


def _names(library: Library) -> dict[str, str]:  # noqa: F811
    return {s.name: s.query for s in library.saved_searches()}


def test_the_filters_are_saved_with_the_query_and_come_back(
    qtbot, panel: SearchPanel, library: Library, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    qtbot.keyClicks(panel.query_box, "retaliation")
    panel.actor.setCurrentIndex(panel.actor.findData("Mark Carney"))
    panel.scope.setCurrentIndex(panel.scope.findData("in:highlights"))
    _save_as(qtbot, panel, monkeypatch, "Carney retaliation")
    assert _names(library) == {
        "Carney retaliation": 'retaliation in:highlights actor:"Mark Carney"'
    }
    panel.actor.setCurrentIndex(0)
    panel.scope.setCurrentIndex(0)
    panel.query_box.clear()
    panel.saved.list.setCurrentRow(0)
    qtbot.keyClick(panel.saved.list, Qt.Key.Key_Return)
    wait_for_results(qtbot, panel)
    assert panel.full_query() == 'retaliation in:highlights actor:"Mark Carney"'  # not doubled
    parent = panel.model.item(0, 0)
    hits = [parent.child(r, 0).data(HIT_ROLE) for r in range(parent.rowCount())]
    assert [h.kind for h in hits] == ["highlight"]


def test_f2_renames_the_selected_saved_search(
    qtbot, panel: SearchPanel, library: Library, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    qtbot.keyClicks(panel.query_box, "bourbon")
    _save_as(qtbot, panel, monkeypatch, "Bourbon")
    panel.saved.list.setCurrentRow(0)
    asked: list[str] = []

    def ask(_query: str, current: str = "") -> str:
        asked.append(current)
        return "Bourbon tariffs"

    monkeypatch.setattr(panel.saved, "ask_name", ask)
    qtbot.keyClick(panel.saved.list, Qt.Key.Key_F2)
    assert asked == ["Bourbon"]  # the dialog starts from the old name
    assert _names(library) == {"Bourbon tariffs": "bourbon"}
    assert panel.saved.list.currentItem().text() == "Bourbon tariffs"


def test_the_context_menu_renames_and_refuses_a_taken_name(
    qtbot, panel: SearchPanel, library: Library, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    for query, name in (("bourbon", "Bourbon"), ("norad", "NORAD")):
        panel.query_box.setText(query)
        _save_as(qtbot, panel, monkeypatch, name)
    errors: list[str] = []
    monkeypatch.setattr(saved_module, "show_error", lambda _parent, exc: errors.append(str(exc)))
    panel.saved.list.setCurrentRow(0)  # "Bourbon" (sorted by name)
    monkeypatch.setattr(panel.saved, "ask_name", lambda _query, _current="": "NORAD")
    menu = panel.saved.context_menu()
    rename = next(a for a in menu.actions() if a.text() == "Rename…")
    rename.trigger()
    assert errors and "already a saved search" in errors[0]
    assert _names(library) == {"Bourbon": "bourbon", "NORAD": "norad"}


@pytest.mark.parametrize("replace", [False, True])
def test_saving_under_a_used_name_asks_before_replacing(
    qtbot, panel: SearchPanel, library: Library, monkeypatch: pytest.MonkeyPatch, replace: bool  # noqa: F811
) -> None:
    panel.query_box.setText("bourbon")
    _save_as(qtbot, panel, monkeypatch, "Trade")
    asked: list[str] = []
    monkeypatch.setattr(panel.saved, "confirm_overwrite", lambda name: asked.append(name) or replace)
    panel.query_box.setText("norad")
    _save_as(qtbot, panel, monkeypatch, "Trade")
    assert asked == ["Trade"]
    assert _names(library) == {"Trade": "norad" if replace else "bourbon"}


def test_library_rename_saved_search(tmp_path: Path) -> None:
    with Library.create(tmp_path / "Saved.annotator") as lib:
        first = lib.save_search("One", "steel")
        lib.save_search("Two", "norad")
        assert lib.rename_saved_search(first.id, "  Uno ").name == "Uno"
        assert lib.saved_search_named("Uno") is not None and lib.saved_search_named("One") is None
        with pytest.raises(InvalidInput):
            lib.rename_saved_search(first.id, "Two")
        with pytest.raises(InvalidInput):
            lib.rename_saved_search(first.id, " ")
        assert lib.rename_saved_search(first.id, "Uno").name == "Uno"  # its own name is fine
