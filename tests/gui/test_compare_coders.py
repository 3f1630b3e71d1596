"""Tools › Compare Coders driven as a user would: the agreement table matches the core's figures
and exports the CLI's CSV; the disagreement browser lists the passages coders differ on side by
side; accepting, merging and editing write the consensus coder's highlights, which the database
then holds, and undo takes back exactly those."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton, QTreeWidgetItem

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.export.agreement_csv import agreement_table
from annotator.gui.compare.agreement_view import ALPHA_U, KAPPA, PERCENT
from tests.core.helpers import add_text, new_library

TEXT = ("Carney said the tariffs would stay in place. The minister disagreed at length. "
        "Nobody else spoke about trade that day. The opposition asked for a vote on the deal.")
OTHER = "A second article about steel quotas and the minister's answer to the opposition."


@pytest.fixture
def two_coders(tmp_path: Path) -> Library:
    library = new_library(tmp_path)
    doc = add_text(library, TEXT, title="Tariff debate").id
    other = add_text(library, OTHER, title="Steel quotas").id
    tariffs = library.create_tag("tariffs", "topic").id
    carney = library.create_tag("Mark Carney", "actor").id
    steel = library.create_tag("steel", "topic").id
    for who, d, start, end, tags in (("ann", doc, 0, 44, [tariffs]),
                                     ("bob", doc, 7, 44, [tariffs, carney]),
                                     ("ann", doc, 45, 78, [carney]),
                                     ("bob", doc, 80, 100, [tariffs]),
                                     ("ann", doc, 120, 160, [tariffs]),
                                     ("bob", doc, 120, 160, [tariffs]),
                                     ("ann", other, 0, 40, [steel]),
                                     ("bob", other, 0, 40, [steel])):
        library._store.user = who
        library.add_highlight(d, start, end, tag_ids=tags)
    library._store.user = "me"
    return library


def consensus(library: Library) -> list[tuple[int, int, set[str]]]:
    return sorted((h.start, h.end, {t.name for t in h.tags}) for h in library.highlights()
                  if h.author == "consensus")


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_item(qtbot, tree, item: QTreeWidgetItem, *, double: bool = False) -> None:
    tree.scrollToItem(item)
    point = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    if double:
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)


def passage_items(tree) -> list[QTreeWidgetItem]:
    return [tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())]


def open_compare(qtbot, window_on, library: Library):
    main = window_on(library)
    compare_menu = next(a for a in main.menuBar().actions() if a.text() == "&Tools").menu()
    action = next(a for a in compare_menu.actions() if a.text() == "Compare &Coders…")
    with qtbot.waitSignal(main.actions_.compare_coders.triggered, timeout=1000):
        action.trigger()
    win = main.compare_window
    qtbot.waitUntil(lambda: not win.agreement.job.running, timeout=20_000)
    return main, win


def show_disagreements(qtbot, win) -> None:
    bar = win.tabs.tabBar()
    with qtbot.waitSignal(win.disagreements.ready, timeout=20_000):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())


def test_agreement_table_matches_the_core_and_exports_the_cli_csv(qtbot, window_on, two_coders,
                                                                   tmp_path, monkeypatch) -> None:
    _main, win = open_compare(qtbot, window_on, two_coders)
    table = win.agreement.table
    expected = two_coders.coder_agreement(["ann", "bob"])
    shown = {table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(table.rowCount())}
    assert set(shown) == {r.tag for r in expected}
    tariffs = next(r for r in expected if r.tag == "topic:tariffs")
    row = shown["topic:tariffs"]
    assert table.item(row, PERCENT).text() == f"{tariffs.percent_agreement:.1%}"
    assert table.item(row, KAPPA).text() == f"{tariffs.cohen_kappa:.3f}"
    assert table.item(row, ALPHA_U).text() == f"{tariffs.krippendorff_alpha_u:.3f}"
    summary = win.agreement.summary.text()
    assert "left out" in summary and f"{tariffs.left_out:,}" in summary

    out = tmp_path / "agreement.csv"
    monkeypatch.setattr("annotator.gui.compare.agreement_view.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(out), ""))
    click(qtbot, win.agreement.export_button)
    with out.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == agreement_table(expected)

    # Narrowing to one tag recounts only that tag.
    with qtbot.waitSignal(win.agreement.ready, timeout=20_000):
        win.tags.choose(["actor:Mark Carney"])
    assert table.rowCount() == 1 and table.item(0, 0).data(Qt.ItemDataRole.UserRole) == "actor:Mark Carney"

    # Fewer than two coders: said plainly, nothing computed.
    win.coders.set_ticked("bob", False)
    assert "Tick two or more coders" in win.agreement.summary.text()
    assert table.rowCount() == 0 and not win.agreement.export_button.isEnabled()


def test_disagreements_side_by_side_accept_merge_undo(qtbot, window_on, two_coders) -> None:
    main, win = open_compare(qtbot, window_on, two_coders)
    show_disagreements(qtbot, win)
    view = win.disagreements
    items = passage_items(view.tree)
    assert [it.text(1) for it in items] == ["different tags; different boundaries",
                                            "only ann tagged it", "only bob tagged it"]
    assert view.tree.topLevelItem(0).text(0).startswith("Tariff debate")

    click_item(qtbot, view.tree, items[0])
    bob_side = view.sides.columns["bob"].browser.toPlainText()
    assert "Mark Carney" in bob_side and "7–44" in bob_side
    assert "Nothing tagged here" in view.sides.columns["consensus"].browser.toPlainText()

    with qtbot.waitSignal(view.ready, timeout=20_000):
        click(qtbot, win.findChild(QPushButton, "accept:bob"))
    assert consensus(two_coders) == [(7, 44, {"tariffs", "Mark Carney"})]
    # On to the next unsettled passage; the settled one says what the consensus holds.
    assert view.current_passage().start == 45
    assert passage_items(view.tree)[0].text(3).startswith("✓")

    with qtbot.waitSignal(view.ready, timeout=20_000):
        click(qtbot, view.merge_button)
    assert consensus(two_coders) == [(7, 44, {"tariffs", "Mark Carney"}), (45, 78, {"Mark Carney"})]

    undo = next(b for b in win.findChildren(QToolButton)
                if b.defaultAction() is not None and b.defaultAction().text().startswith("Undo"))
    with qtbot.waitSignal(view.ready, timeout=20_000):
        click(qtbot, undo)
    assert consensus(two_coders) == [(7, 44, {"tariffs", "Mark Carney"})]
    with qtbot.waitSignal(view.ready, timeout=20_000):
        click(qtbot, undo)
    assert consensus(two_coders) == []
    assert main.undo_stack.count() == 2 and main.undo_stack.index() == 0


def test_open_and_edit_in_reader(qtbot, window_on, two_coders) -> None:
    main, win = open_compare(qtbot, window_on, two_coders)
    show_disagreements(qtbot, win)
    view = win.disagreements
    first = passage_items(view.tree)[0]
    click_item(qtbot, view.tree, first, double=True)
    passage = view.current_passage()
    ann = passage.side("ann")[0]
    assert main.reader.document_id == passage.document_id
    assert main.reader.selected_highlight == ann.id
    assert {(s, e) for s, e, _c in main.reader.marks} == {(0, 44), (7, 44)}

    with qtbot.waitSignal(view.ready, timeout=20_000):
        click(qtbot, view.edit_button)
    made = [h for h in two_coders.highlights() if h.author == "consensus"]
    assert sorted((h.start, h.end) for h in made) == [(0, 44), (7, 44)]  # the merge, to adjust
    assert main.reader.selected_highlight in {h.id for h in made}
    # Adjusting it in the reader keeps it the consensus coder's.
    chosen = main.reader.selected_highlight
    main.reader.select_span(0, 30)
    main.actions_.set_span.trigger()
    edited = two_coders.highlight(chosen)
    assert (edited.start, edited.end, edited.author) == (0, 30, "consensus")


def test_groups_are_pooled(qtbot, window_on, two_coders) -> None:
    doc = two_coders.documents()[0].id
    two_coders._store.user = "cat"
    two_coders.add_highlight(doc, 45, 78, tag_ids=[next(t.id for t in two_coders.tags() if t.name == "Mark Carney")])
    two_coders._store.user = "me"
    _main, win = open_compare(qtbot, window_on, two_coders)
    with qtbot.waitSignal(win.agreement.ready, timeout=20_000):
        win.coders.set_ticked("cat", True)
    with qtbot.waitSignal(win.agreement.ready, timeout=20_000):
        win.coders.set_group("bob", "bob+cat")
    with qtbot.waitSignal(win.agreement.ready, timeout=20_000):
        win.coders.set_group("cat", "bob+cat")
    assert win.agreement.comparison.units == ("ann", "bob+cat")
    headers = [win.agreement.table.horizontalHeaderItem(c).text()
               for c in range(win.agreement.table.columnCount())]
    assert headers[-2:] == ["ann (chars)", "bob+cat (chars)"]
    show_disagreements(qtbot, win)
    # Pooled, bob+cat tagged [45,78) as ann did: that passage is no longer a disagreement.
    assert [p.start for p in win.disagreements.passages()] == [0, 80]


def test_each_coder_against_the_consensus(qtbot, window_on, two_coders) -> None:
    first = two_coders.review_disagreements(["ann", "bob"]).passages[0]
    two_coders.accept_side(first, "ann")
    _main, win = open_compare(qtbot, window_on, two_coders)
    with qtbot.waitSignal(win.agreement.ready, timeout=20_000):
        win.coders.set_ticked("consensus", True)
    with qtbot.waitSignal(win.agreement.ready, timeout=20_000):
        win.coders.set_ticked("bob", False)
    rows = {r.tag: r for r in two_coders.coder_agreement(["ann", "consensus"])}
    table = win.agreement.table
    assert {table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount())} == set(rows)
    show_disagreements(qtbot, win)
    view = win.disagreements
    # Settling into a coder being compared makes no sense: the buttons say why they are off.
    assert not view.merge_button.isEnabled() and "compared coders" in view.settle_note.text()


def test_keys_settle_without_the_mouse(qtbot, window_on, two_coders) -> None:
    _main, win = open_compare(qtbot, window_on, two_coders)
    show_disagreements(qtbot, win)
    view = win.disagreements
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow(), timeout=5000)
    click_item(qtbot, view.tree, passage_items(view.tree)[0])
    with qtbot.waitSignal(view.ready, timeout=20_000):
        qtbot.keyClick(view.tree, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert consensus(two_coders) == [(7, 44, {"tariffs", "Mark Carney"})]
    assert view.current_passage().start == 45  # on to the next unsettled one
    with qtbot.waitSignal(view.ready, timeout=20_000):
        qtbot.keyClick(view.tree, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert consensus(two_coders) == [(7, 44, {"tariffs", "Mark Carney"}), (45, 78, {"Mark Carney"})]


def test_a_closed_window_reads_nothing_and_catches_up_when_shown(qtbot, window_on, two_coders) -> None:
    main, win = open_compare(qtbot, window_on, two_coders)
    win.close()
    doc = two_coders.documents()[0].id
    two_coders._store.user = "dan"  # another coder's work arriving while the window is closed
    made = two_coders.add_highlight(doc, 150, 160, tag_ids=[two_coders.tags()[0].id])
    main.events.emit_changes(Changes(documents=frozenset({doc}), highlights=frozenset({made.id})))
    assert win._stale and not win.agreement.job.running and not win._due.isActive()
    main.actions_.compare_coders.trigger()
    assert "dan" in [win.coders.item(r, 0).data(Qt.ItemDataRole.UserRole)
                     for r in range(win.coders.rowCount())]


def test_a_project_with_one_coder_says_why_nothing_is_compared(qtbot, window_on, tmp_path) -> None:
    library = new_library(tmp_path, "Solo.annotator")
    doc = add_text(library, TEXT).id
    library._store.user = "me"
    library.add_highlight(doc, 0, 10, new_tags=[("topic", "tariffs")])
    _main, win = open_compare(qtbot, window_on, library)
    assert "only by me" in win.agreement.summary.text()
    assert win.agreement.table.rowCount() == 0


def test_an_answer_arriving_after_its_view_was_deleted_is_dropped(qtbot) -> None:
    # A Compare Coders window closed (and deleted) while its figures were still being computed
    # must not have the late answer land on its deleted widgets.
    import threading

    from PySide6.QtCore import QCoreApplication, QObject

    from annotator.gui.compare.latest_job import LatestJob
    from annotator.gui.tasks import TaskRunner

    runner = TaskRunner()
    owner = QObject()
    job = LatestJob(runner, "agreement", owner)
    release = threading.Event()
    heard: list[object] = []
    job.run(lambda: release.wait(10) and "figures", heard.append, heard.append)
    assert job.running
    owner.deleteLater()
    qtbot.waitUntil(lambda: not job.running, timeout=5000)  # destroyed: forgotten at once
    release.set()
    runner.wait()
    QCoreApplication.processEvents()  # deliver the worker's queued finished signal
    assert heard == []


@pytest.mark.parametrize("answer", ["No", "Yes"])
def test_compare_under_blind_coding_asks_before_showing_other_coders(
    qtbot, window_on, two_coders: Library, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    two_coders.set_blind_coding(True)
    asked: list[str] = []

    def reply(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", reply)
    main = window_on(two_coders)
    main.actions_.compare_coders.trigger()
    assert asked and "Blind coding is on" in asked[0]
    if answer == "No":
        assert two_coders.blind_coding() and getattr(main, "compare_window", None) is None
    else:
        assert not two_coders.blind_coding() and not main.coder_view.act_blind.isChecked()
        assert main.compare_window.isVisible()
