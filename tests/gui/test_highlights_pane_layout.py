"""How the Highlights pane lays its cards out: an edit, a jump or a click asks only the visible
cards their size, however long the list; cards rewrap when the pane narrows; the wheel and the
page keys move through the list by cards; keys, tooltips and double-clicks work as in a list."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QUndoStack, QWheelEvent
from PySide6.QtWidgets import QApplication

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Mention
from annotator.gui.commands import push
from annotator.gui.commands_reading import AddHighlightCommand, SetHighlightTagsCommand
from annotator.gui.events import LibraryEvents
from annotator.gui.widgets.highlight_card_delegate import HighlightCardDelegate
from annotator.gui.widgets.highlights_pane import HighlightsPane

from .conftest import copy_sample

ROWS = 2000
# Sentences of three lengths, so the cards are one, two and three lines tall; the last cards
# are all short, so more of them fit in the view than of the first.
SENTENCES = ("Steel tariffs.", "Carney said the talks would cover steel and the future of USMCA.",
         "Premier Ford agreed with Carney that the trade agreement must survive the review, "
         "whatever Washington decides about tariffs on steel, aluminium and cars this year.")


@dataclass(frozen=True)
class Built:
    """A project whose one document has ``ROWS`` tagged sentences, built once for the module."""

    folder: Path
    document_id: int
    usmca_id: int
    starts: tuple[int, ...]  # where each sentence starts, its number before the highlight


@dataclass(frozen=True)
class Long:
    library: Library
    built: Built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("long") / "Long.annotator"
    library = Library.create(folder)
    sentences = [f"{i:04d} {SENTENCES[i % 3 if i < ROWS - 50 else 0]}" for i in range(ROWS)]
    document = library.add_document(Extracted(text=" ".join(sentences), format="txt", title="Long"))
    tariffs = library.create_tag("tariffs", "topic", colour="#ffb26b")
    usmca = library.create_tag("USMCA", "topic", colour="#c3a6ff")
    mentions, starts, at = [], [], 0
    for sentence in sentences:
        # Each highlight leaves the sentence's number out, room for a new one there.
        mentions.append(Mention(document.id, "Long", at + 5, at + len(sentence), sentence[5:], "", ""))
        starts.append(at)
        at += len(sentence) + 1
    library.tag_mentions(tariffs.id, mentions)
    library.close()
    return Built(folder, document.id, usmca.id, tuple(starts))


@pytest.fixture
def long(built: Built, tmp_path: Path) -> Iterator[Long]:
    library = Library.open(copy_sample(built.folder, tmp_path / "Long.annotator"))
    yield Long(library, built)
    library.close()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows the card delegate is asked the size of, from now on."""
    rows: list[int] = []
    measure = HighlightCardDelegate.sizeHint

    def spy(self, option, index):
        rows.append(index.row())
        return measure(self, option, index)

    monkeypatch.setattr(HighlightCardDelegate, "sizeHint", spy)  # before the view exists
    return rows


def open_pane(qtbot, library: Library, document_id: int, width: int = 320) -> HighlightsPane:
    pane = HighlightsPane(library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(pane)
    pane.resize(width, 600)
    pane.show()
    qtbot.waitExposed(pane)
    pane.events.document_opened.emit(document_id)
    settle(pane)
    return pane


def settle(pane: HighlightsPane) -> None:
    """Run what the change queued (the view lays out later) and paint the cards."""
    QGuiApplication.processEvents()
    QGuiApplication.processEvents()
    pane.view.viewport().repaint()


def top_row(pane: HighlightsPane) -> int:
    return pane.view.indexAt(QPoint(10, 2)).row()


def wheel(pane: HighlightsPane, notches: float) -> None:
    """Turn the wheel over the cards, towards the end of the list for positive ``notches``."""
    viewport = pane.view.viewport()
    at = QPointF(viewport.rect().center())
    event = QWheelEvent(at, QPointF(viewport.mapToGlobal(at)), QPoint(), QPoint(0, int(-120 * notches)),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(viewport, event)
    settle(pane)


def test_tagging_a_new_passage_asks_only_the_visible_cards_their_size(qtbot, long: Long, asked: list[int]) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id)
    assert pane.model.rowCount() == ROWS
    pane.events.highlight_selected.emit(pane.model.highlight_at(ROWS // 2).id)
    settle(pane)
    asked.clear()

    # Tagging the number of sentence 1001: a new card in the middle of the list.
    start = long.built.starts[ROWS // 2 + 1]
    command = AddHighlightCommand(long.library, pane.events, long.built.document_id, start, start + 4,
                                  tag_ids=[long.built.usmca_id])
    push(pane.undo_stack, command)
    settle(pane)
    assert pane.model.rowCount() == ROWS + 1
    assert pane.model.row_of(command.highlight.id) == ROWS // 2 + 1
    assert len(asked) < 200, f"{len(asked)} cards asked their size for one new highlight"

    asked.clear()
    pane.undo_stack.undo()
    settle(pane)
    assert pane.model.rowCount() == ROWS
    assert len(asked) < 200, f"{len(asked)} cards asked their size for one removed highlight"


def test_changing_the_first_and_last_cards_asks_only_the_visible_ones(qtbot, long: Long, asked: list[int]) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id)
    asked.clear()
    ends = [pane.model.highlight_at(0).id, pane.model.highlight_at(ROWS - 1).id]
    push(pane.undo_stack, SetHighlightTagsCommand(long.library, pane.events, ends, add=[long.built.usmca_id]))
    settle(pane)
    assert "USMCA" in pane.model.index(ROWS - 1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert len(asked) < 200, f"{len(asked)} cards asked their size for a change to the first and last"


def test_a_narrower_pane_rewraps_a_long_quote_into_a_taller_card(qtbot, long: Long) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id, width=900)
    longest = pane.model.index(2)  # the three-line sentence
    wide = pane.view.visualRect(longest).height()
    pane.resize(220, 600)
    settle(pane)
    narrow = pane.view.visualRect(longest)
    assert narrow.height() > wide
    assert narrow.width() <= pane.view.viewport().width()
    # The card below moved down to make room.
    assert pane.view.visualRect(pane.model.index(3)).top() >= narrow.bottom()


def test_one_wheel_notch_scrolls_one_card(qtbot, long: Long) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id)
    assert top_row(pane) == 0
    wheel(pane, 1)
    assert top_row(pane) == 1
    wheel(pane, 3)
    assert top_row(pane) == 4
    wheel(pane, 0.5)  # half a notch from a trackpad waits for the other half
    assert top_row(pane) == 4
    wheel(pane, 0.5)
    assert top_row(pane) == 5
    wheel(pane, -2)
    assert top_row(pane) == 3


def test_page_down_moves_a_view_of_cards_and_keeps_the_current_one_in_sight(qtbot, long: Long) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id)
    view = pane.view
    view.setFocus()
    view.setCurrentIndex(pane.model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    settle(pane)
    row = view.currentIndex().row()
    assert row > 3
    assert view.viewport().rect().contains(view.visualRect(view.currentIndex()))
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    settle(pane)
    assert view.currentIndex().row() < row
    assert view.viewport().rect().contains(view.visualRect(view.currentIndex()))


def test_a_card_just_below_the_view_is_scrolled_into_sight(qtbot, long: Long) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id)
    view = pane.view
    below = next(row for row in range(ROWS) if view.visualRect(pane.model.index(row)).bottom()
                 > view.viewport().height())
    pane.events.highlight_selected.emit(pane.model.highlight_at(below).id)
    settle(pane)
    assert [h.id for h in pane.selected_highlights()] == [pane.model.highlight_at(below).id]
    assert view.viewport().rect().contains(view.visualRect(pane.model.index(below)))
    far = ROWS - 10
    pane.events.highlight_selected.emit(pane.model.highlight_at(far).id)
    settle(pane)
    assert view.viewport().rect().contains(view.visualRect(pane.model.index(far)))


def test_picking_a_highlight_far_down_the_list_asks_only_the_cards_it_shows(
    qtbot, long: Long, asked: list[int]
) -> None:
    pane = open_pane(qtbot, long.library, long.built.document_id)
    asked.clear()
    for row in (ROWS // 2, 10, ROWS - 1):
        pane.events.highlight_selected.emit(pane.model.highlight_at(row).id)
        settle(pane)
        assert pane.view.viewport().rect().contains(pane.view.visualRect(pane.model.index(row)))
    assert len(asked) < 200, f"{len(asked)} cards asked their size for three jumps"

    # Scrolled far from the current card, a click on a card in view repaints the old one.
    pane.view.verticalScrollBar().setValue(ROWS // 4)
    settle(pane)
    asked.clear()
    clicked = pane.view.indexAt(QPoint(10, 5))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=pane.view.visualRect(clicked).center())
    settle(pane)
    assert [h.id for h in pane.selected_highlights()] == [pane.model.highlight_at(clicked.row()).id]
    assert len(asked) < 200, f"{len(asked)} cards asked their size for a click"


def test_arrow_keys_tooltips_and_double_click_work_on_the_cards(qtbot, long: Long) -> None:
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    pane = open_pane(qtbot, long.library, long.built.document_id)
    view = pane.view
    view.setFocus()
    view.setCurrentIndex(pane.model.index(0))
    for _ in range(12):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert [h.id for h in pane.selected_highlights()] == [pane.model.highlight_at(12).id]
    assert view.viewport().rect().contains(view.visualRect(view.currentIndex()))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(pane.selected_highlights()) == 2

    card = view.visualRect(view.currentIndex()).center()
    tooltip = QHelpEvent(QHelpEvent.Type.ToolTip, card, view.viewport().mapToGlobal(card))
    QApplication.sendEvent(view.viewport(), tooltip)
    assert QToolTip.text() == pane.model.index(13).data(Qt.ItemDataRole.ToolTipRole)
    QToolTip.hideText()

    with qtbot.waitSignal(view.activated, timeout=1000) as blocker:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=card)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=card)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card)
    assert blocker.args[0].row() == 13
