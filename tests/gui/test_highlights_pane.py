"""The Highlights pane: follows the open document, tells the reader which highlight was picked,
switches to a project-wide view by tag, deletes and untags through undoable commands."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QImage, QUndoStack
from PySide6.QtWidgets import QApplication

from annotator.core.errors import NotFound
from annotator.gui.appearance import dark_palette
from annotator.gui.commands import push
from annotator.gui.commands_notes import SetNote
from annotator.gui.events import LibraryEvents
from annotator.gui.widgets.highlights_pane import HighlightsPane

from .side_panes_sample import Sample


@pytest.fixture
def pane(qtbot, sample: Sample) -> HighlightsPane:
    return open_pane(qtbot, sample)


def open_pane(qtbot, sample: Sample) -> HighlightsPane:
    """A Highlights pane shown on the sample's Ottawa article."""
    widget = HighlightsPane(sample.library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(320, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.events.document_opened.emit(sample.ottawa.id)
    return widget


def shown(pane: HighlightsPane) -> list[str]:
    return [pane.model.index(r).data() for r in range(pane.model.rowCount())]


def row_index(pane: HighlightsPane, highlight_id: int) -> QModelIndex:
    row = pane.model.row_of(highlight_id)
    assert row >= 0, f"highlight {highlight_id} is not listed"
    return pane.model.index(row)


def click(qtbot, pane: HighlightsPane, highlight_id: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    index = row_index(pane, highlight_id)
    pane.view.scrollTo(index)
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, modifier,
                     pane.view.visualRect(index).center())


def test_lists_the_open_documents_highlights_in_reading_order(pane: HighlightsPane, sample: Sample) -> None:
    assert shown(pane) == [
        "Mark Carney",
        "Carney said the talks would cover the future of USMCA",
        "tariffs on steel",
    ]
    assert pane.count_label.text() == "3 highlights"
    pane.events.document_opened.emit(sample.ontario.id)
    assert shown(pane) == ["Mark Carney called it a first step"]


def test_clicking_a_highlight_tells_the_reader(qtbot, pane: HighlightsPane, sample: Sample) -> None:
    with qtbot.waitSignal(pane.events.highlight_selected) as blocker:
        click(qtbot, pane, sample.h_tariffs.id)
    assert blocker.args == [sample.h_tariffs.id]


def test_follows_a_highlight_picked_elsewhere_without_echoing(qtbot, pane: HighlightsPane, sample: Sample) -> None:
    echoed: list[int] = []
    pane.events.highlight_selected.connect(echoed.append)
    pane.events.highlight_selected.emit(sample.h_speaking.id)
    assert [h.id for h in pane.selected_highlights()] == [sample.h_speaking.id]
    assert echoed == [sample.h_speaking.id]  # only the original emission, no echo
    pane.events.highlight_selected.emit(0)
    assert pane.selected_highlights() == []


def test_project_wide_view_filtered_by_tag_opens_the_other_document(
    qtbot, pane: HighlightsPane, sample: Sample
) -> None:
    qtbot.mouseClick(pane.project_button, Qt.MouseButton.LeftButton)
    assert pane.project_wide and pane.tag_combo.isVisible()
    assert len(shown(pane)) == 4
    pane.tag_combo.setCurrentIndex(pane.tag_combo.findData(sample.tariffs.id))
    assert shown(pane) == ["tariffs on steel", "Mark Carney called it a first step"]

    heard: list[tuple[str, int]] = []
    pane.events.document_opened.connect(lambda d: heard.append(("document", d)))
    pane.events.highlight_selected.connect(lambda h: heard.append(("highlight", h)))
    click(qtbot, pane, sample.h_ontario.id)
    assert heard == [("document", sample.ontario.id), ("highlight", sample.h_ontario.id)]
    # Opening the other document does not throw the project-wide list away.
    assert shown(pane) == ["tariffs on steel", "Mark Carney called it a first step"]

    heard.clear()
    click(qtbot, pane, sample.h_tariffs.id)
    assert heard == [("document", sample.ottawa.id), ("highlight", sample.h_tariffs.id)]
    qtbot.mouseClick(pane.document_button, Qt.MouseButton.LeftButton)
    assert len(shown(pane)) == 3


def test_delete_key_deletes_selected_highlights_undoably(qtbot, pane: HighlightsPane, sample: Sample) -> None:
    lib = sample.library
    click(qtbot, pane, sample.h_mark.id)
    click(qtbot, pane, sample.h_tariffs.id, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyPress(pane.view, Qt.Key.Key_Delete)
    for gone in (sample.h_mark.id, sample.h_tariffs.id):
        with pytest.raises(NotFound):
            lib.highlight(gone)
    assert shown(pane) == ["Carney said the talks would cover the future of USMCA"]
    assert pane.undo_stack.count() == 1

    pane.undo_stack.undo()
    assert lib.highlight(sample.h_mark.id).tag_ids == {sample.mark_carney.id}
    assert len(shown(pane)) == 3
    pane.undo_stack.redo()
    assert len(shown(pane)) == 1


def test_context_menu_removes_a_tag(qtbot, pane: HighlightsPane, sample: Sample) -> None:
    click(qtbot, pane, sample.h_speaking.id)
    menu = pane.context_menu()
    assert [a.text() for a in menu.actions() if a.text()] == ["Copy quote", "Remove tag", "Delete highlight"]
    remove = next(a.menu() for a in menu.actions() if a.text() == "Remove tag")
    assert [a.text() for a in remove.actions()] == ["Carney", "USMCA"]
    next(a for a in remove.actions() if a.text() == "USMCA").trigger()
    assert sample.library.highlight(sample.h_speaking.id).tag_ids == {sample.carney.id}
    chips = row_index(pane, sample.h_speaking.id).data(Qt.ItemDataRole.AccessibleTextRole)
    assert chips.endswith("(Carney)")
    pane.undo_stack.undo()
    assert sample.library.highlight(sample.h_speaking.id).tag_ids == {sample.carney.id, sample.usmca.id}


def test_copy_quote(qtbot, pane: HighlightsPane, sample: Sample) -> None:
    click(qtbot, pane, sample.h_tariffs.id)
    qtbot.keyClick(pane.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "tariffs on steel"


def test_notes_and_tag_renames_show_up(pane: HighlightsPane, sample: Sample) -> None:
    push(pane.undo_stack, SetNote(sample.library, pane.events, document_id=sample.ottawa.id,
                                  highlight_id=sample.h_tariffs.id, text="steel first"))
    assert pane.model.highlight_at(pane.model.row_of(sample.h_tariffs.id)).note == "steel first"
    assert "Note: steel first" in row_index(pane, sample.h_tariffs.id).data(Qt.ItemDataRole.ToolTipRole)


def test_empty_states_say_what_to_do(qtbot, sample: Sample) -> None:
    pane = HighlightsPane(sample.library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(pane)
    assert pane.stack.currentWidget() is pane.empty_label
    assert "Open a document" in pane.empty_label.text()


def test_a_tag_change_repaints_its_card_without_asking_every_card_its_size(
    qtbot, sample: Sample, monkeypatch
) -> None:
    from annotator.gui.commands_reading import SetHighlightTagsCommand
    from annotator.gui.widgets.highlight_card_delegate import HighlightCardDelegate

    asked: list[int] = []
    measure = HighlightCardDelegate.sizeHint

    def spy(self, option, index):
        asked.append(self._model.highlight_at(index.row()).id)
        return measure(self, option, index)

    monkeypatch.setattr(HighlightCardDelegate, "sizeHint", spy)  # before the view exists
    pane = open_pane(qtbot, sample)
    QGuiApplication.processEvents()
    rects = {h.id: pane.view.visualRect(row_index(pane, h.id)) for h in pane.model.highlights()}
    assert len(rects) > 2
    asked.clear()
    push(pane.undo_stack, SetHighlightTagsCommand(sample.library, pane.events, [sample.h_tariffs.id],
                                                  add=[sample.usmca.id]))
    QGuiApplication.processEvents()
    chips = row_index(pane, sample.h_tariffs.id).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "USMCA" in chips
    assert set(asked) <= {sample.h_tariffs.id}  # no relayout of the whole list
    assert {h.id: pane.view.visualRect(row_index(pane, h.id)) for h in pane.model.highlights()} == rects


def test_a_new_note_makes_its_card_taller_and_moves_the_cards_below(pane: HighlightsPane, sample: Sample) -> None:
    first, below = pane.model.highlights()[:2]
    before = pane.view.visualRect(row_index(pane, first.id))
    below_top = pane.view.visualRect(row_index(pane, below.id)).top()
    push(pane.undo_stack, SetNote(sample.library, pane.events, document_id=sample.ottawa.id,
                                  highlight_id=first.id, text="first in the list"))
    QGuiApplication.processEvents()
    after = pane.view.visualRect(row_index(pane, first.id))
    assert after.height() > before.height()
    assert pane.view.visualRect(row_index(pane, below.id)).top() > below_top


def mean_difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per pixel and channel, 0 to 255."""
    assert a.size() == b.size()
    total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(pa.red() - pb.red()) + abs(pa.green() - pb.green()) + abs(pa.blue() - pb.blue())
    return total / (3 * a.width() * a.height())


def test_a_checked_scope_button_looks_checked_in_dark_mode_too(qtbot, pane: HighlightsPane) -> None:
    app = QApplication.instance()
    light = app.palette()
    button = pane.project_button
    carried: QImage | None = None
    try:
        for palette in (app.style().standardPalette(), dark_palette()):
            app.setPalette(palette)  # as Preferences ▸ Appearance does, with the pane open
            QApplication.processEvents()
            if button.isChecked():  # checked in the light theme, then switched to dark
                carried = button.grab().toImage()
            qtbot.mouseClick(pane.document_button, Qt.MouseButton.LeftButton)
            assert not button.isChecked()
            unchecked = button.grab().toImage()
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert button.isChecked() and pane.project_wide
            checked = button.grab().toImage()
            difference = mean_difference(checked, unchecked)
            assert difference > 15, f"checked and unchecked differ by {difference:.1f} of 255"
            face = checked.pixelColor(checked.width() // 2, 3)
            assert face != unchecked.pixelColor(unchecked.width() // 2, 3)
        assert carried is not None and mean_difference(carried, checked) < 1  # the dark tint, not the light one
    finally:
        app.setPalette(light)


def card_image(pane: HighlightsPane, highlight_id: int) -> QImage:
    QGuiApplication.processEvents()
    return pane.view.viewport().grab(pane.view.visualRect(row_index(pane, highlight_id))).toImage()


def test_kept_card_drawings_follow_a_recolour_a_selection_and_its_undo(qtbot, pane: HighlightsPane,
                                                                       sample: Sample) -> None:
    """Cards are drawn once per look and kept: a recoloured tag, a selected card and an undone
    recolour must each show as a fresh drawing would."""
    from annotator.gui.commands_codebook import RecolourTag

    card = sample.h_tariffs.id
    tag = sample.h_tariffs.tags[0]
    plain = card_image(pane, card)
    push(pane.undo_stack, RecolourTag(sample.library, pane.events, tag.id, "#00c000"))
    recoloured = card_image(pane, card)
    assert mean_difference(plain, recoloured) > 0.5
    green = [recoloured.pixelColor(x, y) for y in range(recoloured.height()) for x in range(12)]
    assert any(c.green() > 150 and c.red() < 80 and c.blue() < 80 for c in green)  # the colour bar
    click(qtbot, pane, card)
    assert mean_difference(recoloured, card_image(pane, card)) > 5  # drawn selected
    pane.undo_stack.undo()
    kept = card_image(pane, card)
    assert mean_difference(recoloured, kept) > 0.5
    pane.view.itemDelegate()._pixmaps.clear()  # what a fresh drawing shows
    pane.view.viewport().update()
    assert mean_difference(kept, card_image(pane, card)) == 0


def test_a_pixmap_cache_draws_each_look_once_and_drops_the_least_recently_used(qtbot) -> None:
    from PySide6.QtCore import QSize

    from annotator.gui.pixmap_cache import PixmapCache

    drawn: list[str] = []
    cache = PixmapCache(2)

    def get(key: str):
        return cache.get(key, QSize(4, 3), 2.0, lambda pixmap: drawn.append(key))

    first = get("a")
    assert (first.width(), first.height(), first.devicePixelRatio()) == (8, 6, 2.0)
    assert get("a") is first or get("a").cacheKey() == first.cacheKey()
    get("b")
    get("a")  # "b" is now the least recently used
    get("c")
    get("a")
    get("b")
    assert drawn == ["a", "b", "c", "b"]
