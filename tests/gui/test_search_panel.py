"""The search panel driven like a user: type, wait for results, Enter opens the hit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.library import Library
from annotator.gui.widgets.search_panel import HIT_ROLE, SearchPanel
from tests.core.helpers import add_text

STEEL = ("Prime Minister Mark Carney said negotiations would continue, but Canada is ready "
         "for retaliation if the steel tariffs stay. Retaliation would target bourbon.")
NORAD = "The NORAD modernisation plan moves ahead after talks in Ottawa."


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.create(tmp_path / "Search.annotator")
    steel = add_text(lib, STEEL, title="Carney on steel")
    add_text(lib, NORAD, title="NORAD news")
    carney = lib.create_tag("Mark Carney", "actor")
    start = STEEL.index("Canada is ready")
    lib.add_highlight(steel.id, start, STEEL.index("stay.") + 5, tag_ids=[carney.id],
                      note="follow up")
    lib.reindex()
    yield lib
    lib.close()


@pytest.fixture
def panel(qtbot, library: Library) -> SearchPanel:
    widget = SearchPanel(library)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    return widget


def wait_for_results(qtbot, panel: SearchPanel) -> None:
    qtbot.waitUntil(lambda: not panel.is_searching() and panel.model.rowCount() > 0, timeout=10_000)


def test_typing_a_query_then_enter_opens_the_first_hit(qtbot, panel: SearchPanel, library: Library) -> None:
    qtbot.keyClicks(panel.query_box, "in:documents bourbon")
    wait_for_results(qtbot, panel)
    assert "1 result" in panel.status.text()
    doc_id = next(d.id for d in library.documents() if d.title == "Carney on steel")
    start = STEEL.index("bourbon")
    with qtbot.waitSignal(panel.open_hit, timeout=5_000) as blocker:
        qtbot.keyClick(panel.query_box, "\r")
    assert blocker.args == [doc_id, start, start + len("bourbon")]


def test_enter_before_the_results_arrive_opens_the_hit_when_they_do(
    qtbot, panel: SearchPanel, library: Library
) -> None:
    doc_id = next(d.id for d in library.documents() if d.title == "Carney on steel")
    (highlight,) = library.highlights(doc_id)
    with qtbot.waitSignal(panel.open_hit, timeout=10_000) as blocker:
        qtbot.keyClicks(panel.query_box, "actor:Carney")
        qtbot.keyClick(panel.query_box, "\r")
    assert blocker.args == [doc_id, highlight.start, highlight.end]


def test_results_are_grouped_by_document_with_marked_snippets(qtbot, panel: SearchPanel) -> None:
    panel.set_query("retaliation")
    wait_for_results(qtbot, panel)
    assert panel.model.rowCount() == 1  # both hits are in the steel article
    group = panel.model.item(0, 0)
    assert group.text().startswith("Carney on steel") and group.rowCount() == 2
    kinds = {group.child(r, 0).data(HIT_ROLE).kind for r in range(group.rowCount())}
    assert kinds == {"document", "highlight"}
    assert all("«" in group.child(r, 0).text() for r in range(group.rowCount()))
    assert panel.kwic.line_count() >= 2
    assert all(panel.kwic.line_at(r).match.casefold() == "retaliation"
               for r in range(panel.kwic.line_count()))


def test_double_click_on_a_hit_opens_it(qtbot, panel: SearchPanel, library: Library) -> None:
    panel.set_query("in:highlights steel")
    wait_for_results(qtbot, panel)
    index = panel.model.index(0, 0, panel.model.index(0, 0))
    hit = index.data(HIT_ROLE)
    with qtbot.waitSignal(panel.open_hit) as blocker:
        panel.tree.doubleClicked.emit(index)
    assert blocker.args == [hit.document_id, hit.start, hit.end]


def test_filters_become_query_fields(qtbot, panel: SearchPanel) -> None:
    panel.actor.setCurrentIndex(panel.actor.findData("Mark Carney"))
    panel.scope.setCurrentIndex(panel.scope.findData("in:highlights"))
    panel.date_from.setText("2020")
    panel.query_box.setText("steel")
    assert panel.full_query() == 'steel in:highlights actor:"Mark Carney" published:[2020 to ]'


def test_a_newer_query_supersedes_an_older_one(qtbot, panel: SearchPanel) -> None:
    panel.set_query("norad")
    panel.set_query("bourbon")
    wait_for_results(qtbot, panel)
    qtbot.wait(200)  # let a late answer to "norad" arrive, if it was going to be shown
    titles = {panel.model.item(r, 0).text() for r in range(panel.model.rowCount())}
    assert all(t.startswith("Carney on steel") for t in titles)


def test_malformed_query_shows_the_reason(qtbot, panel: SearchPanel) -> None:
    panel.set_query("AND")
    qtbot.waitUntil(lambda: not panel.is_searching(), timeout=10_000)
    assert "needs a search term" in panel.status.text()
    assert panel.model.rowCount() == 0


def test_saved_search_round_trip(qtbot, panel: SearchPanel, monkeypatch: pytest.MonkeyPatch) -> None:
    panel.query_box.setText("bourbon")
    monkeypatch.setattr(panel.saved, "ask_name", lambda _query: "Bourbon")
    panel.saved.save_current()
    assert panel.saved.list.count() == 1
    panel.query_box.setText("")
    panel.saved.list.itemActivated.emit(panel.saved.list.item(0))
    assert panel.query_box.text() == "bourbon"
    wait_for_results(qtbot, panel)
    panel.saved.list.setCurrentRow(0)
    panel.saved.delete_selected()
    assert panel.saved.list.count() == 0


def test_query_box_tooltip_is_the_query_help(panel: SearchPanel) -> None:
    from annotator.core.search_results import QUERY_HELP

    assert panel.query_box.toolTip() == QUERY_HELP


def test_library_changes_rerun_the_search(qtbot, library: Library) -> None:
    from annotator.core.changes import Changes
    from annotator.gui.events import LibraryEvents

    events = LibraryEvents()
    panel = SearchPanel(library, events=events)
    qtbot.addWidget(panel)
    panel.set_query("in:highlights bourbon")
    qtbot.waitUntil(lambda: not panel.is_searching(), timeout=10_000)
    assert panel.model.rowCount() == 0
    doc_id = next(d.id for d in library.documents() if d.title == "Carney on steel")
    start = STEEL.index("Retaliation would")
    library.add_highlight(doc_id, start, len(STEEL))
    events.emit_changes(Changes(highlights=frozenset({1})))
    wait_for_results(qtbot, panel)
    assert panel.model.item(0, 0).child(0, 0).data(HIT_ROLE).kind == "highlight"
