"""Coders in the window, driven as a user would: with one coder nothing about coders shows;
with two, cards and tooltips name the coder, the Highlights pane's Coders button and
View › Coders narrow every view, Colour by Coder paints each coder's highlights in their own
colour with a legend, and View › Blind Coding hides the other coders' highlights and counts
(reader, panes, codebook, status bar) and is kept in the project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolTip

from annotator.core.extracted import Extracted
from annotator.core.library import Library, current_user
from annotator.gui.models.document_table import HIGHLIGHTS, ID_ROLE
from annotator.gui.models.highlight_list_model import CODER_ROLE
from annotator.gui.widgets.highlight_colours import tint

from .reader_driver import painted

TEXT = ("Carney met Trump in Ottawa on Tuesday. Tariffs on steel came first, then dairy "
        "quotas and the question of the border.")
ME = current_user()


def _project(folder: Path, *, bob: bool) -> Path:
    with Library.create(folder) as lib:
        doc = lib.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
        carney = lib.create_tag("Carney", "actor")
        tariffs = lib.create_tag("Tariffs", "topic")
        lib.add_highlight(doc.id, 0, 6, tag_ids=[carney.id], note="mine")
        if bob:
            lib._store.user = "bob"
            lib.add_highlight(doc.id, 39, 46, tag_ids=[tariffs.id], note="his")
        lib.reindex()
    return folder


def _open(window_on, folder: Path):
    window = window_on(Library.open(folder))
    window.runner.wait()
    doc = window.library.documents()[0]
    window.library_pane.select_document(doc.id)
    QCoreApplication.processEvents()
    assert window.reader.document_id == doc.id
    window.side_tabs.setCurrentWidget(window.highlights_pane)
    QCoreApplication.processEvents()
    return window, doc.id


def _tooltip_at(window, offset: int) -> str:
    reader = window.reader
    cursor_rect = reader.cursorRect(_cursor_at(reader, offset))
    point = cursor_rect.center() + QPoint(3, 0)
    from PySide6.QtGui import QHelpEvent

    event = QHelpEvent(QEvent.Type.ToolTip, point, reader.viewport().mapToGlobal(point))
    reader.viewportEvent(event)
    return QToolTip.text()


def _cursor_at(reader, offset: int):
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.offsets.to_qt(offset))
    return cursor


def _card_coders(window) -> list[tuple[str, str]]:
    model = window.highlights_pane.model
    return [(model.highlight_at(r).author, model.index(r).data(CODER_ROLE))
            for r in range(model.rowCount())]


def _count_cell(window, doc_id: int) -> str:
    proxy = window.library_pane.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(ID_ROLE) == doc_id:
            return proxy.index(row, HIGHLIGHTS).data()
    raise AssertionError(f"document {doc_id} is not listed")


def _codebook_counts(window) -> dict[str, str]:
    """Tag name -> the count the Codebook pane shows next to it."""
    from annotator.gui.models.codebook_model import COUNT

    model, out = window.codebook.model, {}

    def walk(parent) -> None:
        for row in range(model.rowCount(parent)):
            name = model.index(row, 0, parent)
            count = model.index(row, COUNT, parent).data()
            if count not in (None, ""):
                out[name.data()] = count
            walk(name)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return out


def _menu_action(window, menu_title: str, text: str):
    for top in window.menuBar().actions():
        if top.text() == menu_title:
            for action in top.menu().actions():
                if action.text() == text:
                    return action
    raise AssertionError(f"no {text!r} in {menu_title!r}")


def test_one_coder_shows_no_coder_anywhere(window_on, tmp_path: Path) -> None:
    window, doc_id = _open(window_on, _project(tmp_path / "Alone.annotator", bob=False))
    view = window.coder_view
    assert not view.pane_button.isVisibleTo(window)
    assert not view.status_label.isVisibleTo(window) and not view.legend.isVisibleTo(window)
    assert _card_coders(window) == [(ME, "")]
    assert "coded by" not in _tooltip_at(window, 2)
    assert not _menu_action(window, "&View", "Colour by C&oder").isEnabled()


def test_coder_filter_and_colour_by_coder(window_on, tmp_path: Path) -> None:
    window, doc_id = _open(window_on, _project(tmp_path / "Two.annotator", bob=True))
    view, reader = window.coder_view, window.reader
    assert view.pane_button.isVisibleTo(window)
    assert sorted(_card_coders(window)) == sorted([(ME, ME), ("bob", "bob")])
    assert "coded by bob; " not in _tooltip_at(window, 40) and "coded by bob" in _tooltip_at(window, 40)
    assert _count_cell(window, doc_id) == "2"
    assert _codebook_counts(window) == {"Carney": "1", "Tariffs": "1"}

    # The Highlights pane's Coders button: untick bob.
    menu = view.pane_button.menu()
    menu.aboutToShow.emit()
    [bob] = [a for a in menu.actions() if a.data() == "bob"]
    bob.trigger()
    QCoreApplication.processEvents()
    assert {h.author for h in reader.highlights.values()} == {ME}
    assert painted(reader, 40) is None  # bob's passage is no longer painted
    assert _card_coders(window) == [(ME, ME)]
    assert _count_cell(window, doc_id) == "1"
    assert view.status_label.isVisibleTo(window) and ME in view.status_label.text()
    assert "1 highlight " in window.status_counts.text() + " "
    # Back to every coder from View › Coders.
    view.menu.aboutToShow.emit()
    [every] = [a for a in view.menu.actions() if a.text() == "All Coders"]
    every.trigger()
    QCoreApplication.processEvents()
    assert {h.author for h in reader.highlights.values()} == {ME, "bob"}
    assert not view.status_label.isVisibleTo(window)

    # Colour by coder: each coder's highlights in their own colour, with a legend.
    tag_colour = painted(reader, 40)
    _menu_action(window, "&View", "Colour by C&oder").trigger()
    QCoreApplication.processEvents()
    base = reader.palette().color(reader.palette().ColorRole.Base)
    assert painted(reader, 40) == tint(QColor(view.colours["bob"]), base) != tag_colour
    assert painted(reader, 2) == tint(QColor(view.colours[ME]), base)
    assert view.colours["bob"] != view.colours[ME]
    assert view.legend.isVisibleTo(window) and "bob" in view.legend.text()
    _menu_action(window, "&View", "Colour by C&oder").trigger()
    QCoreApplication.processEvents()
    assert painted(reader, 40) == tag_colour and not view.legend.isVisibleTo(window)


def test_blind_coding_hides_others_and_is_kept(window_on, tmp_path: Path) -> None:
    folder = _project(tmp_path / "Blind.annotator", bob=True)
    window, doc_id = _open(window_on, folder)
    view, reader, library = window.coder_view, window.reader, window.library
    blind = _menu_action(window, "&View", "&Blind Coding")
    blind.trigger()
    QCoreApplication.processEvents()
    assert library.blind_coding()
    assert {h.author for h in reader.highlights.values()} == {ME}
    assert painted(reader, 40) is None
    assert _card_coders(window) == [(ME, "")]  # one coder left to see: no names
    assert _count_cell(window, doc_id) == "1"
    assert "Blind coding" in view.status_label.text() and view.status_label.isVisibleTo(window)
    assert "1 highlight " in window.status_counts.text() + " "
    assert not view.pane_button.isVisibleTo(window)
    counts = {t.name: t.highlight_count for t in library.tags()}
    assert counts == {"Carney": 1, "Tariffs": 0}
    assert _codebook_counts(window) == {"Carney": "1", "Tariffs": "0"}  # as the Codebook shows
    window.close()
    library.close()
    # Kept in the project for this user: reopening is still blind.
    again, _ = _open(window_on, folder)
    assert again.library.blind_coding()
    assert _menu_action(again, "&View", "&Blind Coding").isChecked()
    assert {h.author for h in again.reader.highlights.values()} == {ME}
    _menu_action(again, "&View", "&Blind Coding").trigger()
    QCoreApplication.processEvents()
    assert {h.author for h in again.reader.highlights.values()} == {ME, "bob"}
    assert not again.coder_view.status_label.isVisibleTo(again)


def test_coding_while_only_others_show_brings_your_work_back(window_on, tmp_path: Path, qtbot) -> None:
    from .reader_driver import select_quote

    window, doc_id = _open(window_on, _project(tmp_path / "Review.annotator", bob=True))
    view, reader, library = window.coder_view, window.reader, window.library
    view.show_coders({"bob"})  # reviewing Bob's coding
    QCoreApplication.processEvents()
    assert {h.author for h in reader.highlights.values()} == {"bob"}
    start, _end = select_quote(reader, library, "dairy quotas")
    window.tagging.apply_tags([library.find_tag("topic", "Tariffs").id])
    qtbot.waitUntil(lambda: library.visible_coders() == frozenset({"bob", ME}))
    [mine] = [h for h in library.highlights(doc_id) if h.start == start]
    assert mine.author == ME and mine.id in reader.highlights
    assert painted(reader, start + 1) is not None
    assert mine.id in {h.id for h in window.highlights_pane.model.highlights()}


def test_selecting_another_coders_passage_codes_your_own(window_on, tmp_path: Path, qtbot) -> None:
    """Bob coded "Tariffs" (39:46); Alice selects exactly that passage and tags it: she gets
    her own highlight (what independent coding and agreement need), Bob's stays as he left it;
    the same selection of her own passage then tags hers instead of stacking a twin."""
    from .reader_driver import drag_select, select_quote

    window, doc_id = _open(window_on, _project(tmp_path / "Twins.annotator", bob=True))
    reader, library = window.reader, window.library
    carney = library.find_tag("actor", "Carney").id
    [bobs] = [h for h in library.highlights(doc_id, every_coder=True) if h.author == "bob"]
    drag_select(qtbot, reader, 39, 46)
    window.tagging.apply_tags([carney])
    at_span = [h for h in library.highlights(doc_id) if (h.start, h.end) == (39, 46)]
    assert sorted(h.author for h in at_span) == sorted(["bob", ME])
    assert [t.name for t in library.highlight(bobs.id).tags] == ["Tariffs"]
    [mine] = [h for h in at_span if h.author == ME]
    assert [t.name for t in mine.tags] == ["Carney"]
    # (selected as the keyboard would: a drag from the edge of the selected highlight would
    # take its span handle)
    assert select_quote(reader, library, "Tariffs") == (39, 46)
    window.tagging.apply_tags([library.find_tag("topic", "Tariffs").id])
    assert len([h for h in library.highlights(doc_id) if (h.start, h.end) == (39, 46)]) == 2
    assert sorted(t.name for t in library.highlight(mine.id).tags) == ["Carney", "Tariffs"]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert [h.author for h in library.highlights(doc_id) if (h.start, h.end) == (39, 46)] == ["bob"]


def test_deleting_or_merging_a_tag_says_it_reaches_hidden_coders(
    window_on, tmp_path: Path, monkeypatch
) -> None:
    """The codebook counts only the coders shown, but a tag edit reaches every coder's
    highlights: the confirmation says so (a number under the coder filter, none under blind
    coding), and the edit indeed reaches Bob's highlight."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from annotator.gui.dialogs.merge_tags import MergeTagsDialog

    window, doc_id = _open(window_on, _project(tmp_path / "Edits.annotator", bob=True))
    library, pane = window.library, window.codebook
    tariffs = library.find_tag("topic", "Tariffs").id
    trade = library.create_tag("Trade", "topic").id
    asked: list[str] = []

    def answer(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    pane.select_tag(tariffs)
    pane.act_delete.trigger()  # every coder shown: nothing hidden to mention
    window.coder_view.show_coders({ME})
    pane.select_tag(tariffs)
    pane.act_delete.trigger()
    window.coder_view.set_blind(True)
    pane.select_tag(tariffs)
    pane.act_delete.trigger()
    assert "reaches" not in asked[0] and "1 highlight will lose" in asked[0]
    assert "0 highlights will lose this tag" in asked[1]
    assert "It also reaches 1 highlight of coders not shown now." in asked[1]
    assert "It also reaches other coders' highlights, hidden by blind coding." in asked[2]

    summaries: list[str] = []

    def merge_into_trade(dialog: MergeTagsDialog) -> int:
        dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(trade))
        summaries.append(dialog.summary.text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeTagsDialog, "exec", merge_into_trade)
    pane.select_tag(tariffs)
    pane.act_merge.trigger()
    assert summaries and summaries[0].endswith(
        "It also reaches other coders' highlights, hidden by blind coding.")
    window.coder_view.set_blind(False)
    [bobs] = [h for h in library.highlights(doc_id, every_coder=True) if h.author == "bob"]
    assert [t.name for t in bobs.tags] == ["Trade"]
