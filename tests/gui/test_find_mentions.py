"""Find mentions: untagged occurrences listed in context, ticked by default, tagged in one
undoable step."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from annotator.gui.dialogs.find_mentions import CONTEXT, DOCUMENT, FindMentionsDialog
from annotator.gui.events import LibraryEvents

from .side_panes_sample import ONTARIO, OTTAWA, Sample, span


@pytest.fixture
def dialog(qtbot, sample: Sample) -> FindMentionsDialog:
    widget = FindMentionsDialog(sample.library, LibraryEvents(), QUndoStack(), sample.mark_carney.id)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.ready, timeout=10_000)
    return widget


def opened(qtbot, tag_id: int, sample: Sample) -> FindMentionsDialog:
    widget = FindMentionsDialog(sample.library, LibraryEvents(), QUndoStack(), tag_id)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.ready, timeout=10_000)
    return widget


def checked_rows(dialog: FindMentionsDialog) -> list[bool]:
    return [dialog.model.item(r, DOCUMENT).checkState() == Qt.CheckState.Checked
            for r in range(dialog.model.rowCount())]


def mark_carney_spans(sample: Sample) -> set[tuple[int, int, int]]:
    return {(h.document_id, h.start, h.end)
            for h in sample.library.highlights(tag_ids=[sample.mark_carney.id])}


def test_lists_untagged_mentions_of_name_and_aliases_in_context(dialog: FindMentionsDialog) -> None:
    # "Mark Carney" in the Ottawa article is already tagged: only the alias and Ontario remain.
    assert dialog.model.rowCount() == 2
    rows = [(dialog.model.item(r, DOCUMENT).text(), dialog.model.item(r, CONTEXT).text())
            for r in range(2)]
    assert rows[0][0] == "Ottawa and Washington open talks"
    assert "tariffs on steel. [PM Carney] added that" in rows[0][1]
    assert rows[1][0] == "Tariff pause: reactions in Ontario"
    assert "[Mark Carney] called it" in rows[1][1]
    assert checked_rows(dialog) == [True, True]
    assert dialog.tag_button.text() == "Tag 2 mentions"
    assert "2 untagged mentions" in dialog.summary.text()


def test_ticks_select_all_none_and_the_button_counts(qtbot, dialog: FindMentionsDialog) -> None:
    first = dialog.model.index(0, DOCUMENT)
    dialog.view.setFocus()
    dialog.view.setCurrentIndex(first)
    qtbot.keyPress(dialog.view, Qt.Key.Key_Space)
    assert checked_rows(dialog) == [False, True]
    assert dialog.tag_button.text() == "Tag 1 mention"

    qtbot.mouseClick(dialog.select_none_button, Qt.MouseButton.LeftButton)
    assert checked_rows(dialog) == [False, False]
    assert not dialog.tag_button.isEnabled()
    qtbot.mouseClick(dialog.select_all_button, Qt.MouseButton.LeftButton)
    assert checked_rows(dialog) == [True, True]
    assert dialog.tag_button.isEnabled() and dialog.tag_button.text() == "Tag 2 mentions"


def test_tag_mentions_is_one_step_and_undo_removes_them_all(
    qtbot, dialog: FindMentionsDialog, sample: Sample
) -> None:
    lib, stack = sample.library, dialog.undo_stack
    before = mark_carney_spans(sample)
    with qtbot.waitSignal(dialog.events.changed) as changed:
        qtbot.mouseClick(dialog.tag_button, Qt.MouseButton.LeftButton)
    expected = {(sample.ottawa.id, *span(OTTAWA, "PM Carney")),
                (sample.ontario.id, *span(ONTARIO, "Mark Carney"))}
    assert mark_carney_spans(sample) == before | expected
    assert stack.count() == 1 and stack.undoText() == "Tag 2 mentions of “Mark Carney”"
    assert changed.args[0].documents == {sample.ottawa.id, sample.ontario.id}
    assert dialog.result() == dialog.DialogCode.Accepted
    assert lib.find_mentions(sample.mark_carney.id) == []

    stack.undo()
    assert mark_carney_spans(sample) == before
    assert len(lib.find_mentions(sample.mark_carney.id)) == 2
    stack.redo()
    assert mark_carney_spans(sample) == before | expected


def test_only_ticked_mentions_are_tagged(qtbot, dialog: FindMentionsDialog, sample: Sample) -> None:
    dialog.model.item(0, DOCUMENT).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.tag_button, Qt.MouseButton.LeftButton)
    added = mark_carney_spans(sample) - {(sample.ottawa.id, sample.h_mark.start, sample.h_mark.end)}
    assert added == {(sample.ontario.id, *span(ONTARIO, "Mark Carney"))}


def test_no_mentions_left_says_so(qtbot, sample: Sample) -> None:
    dialog = opened(qtbot, sample.usmca.id, sample)
    # Both USMCA mentions: one inside a USMCA highlight, the other untagged.
    assert dialog.model.rowCount() == 1
    lib = sample.library
    lib.tag_mentions(sample.usmca.id, lib.find_mentions(sample.usmca.id))
    again = opened(qtbot, sample.usmca.id, sample)
    assert again.model.rowCount() == 0
    assert "already tagged" in again.summary.text()
    assert not again.tag_button.isEnabled()


def test_the_dialog_opens_before_the_search_ends_and_closing_stops_it(
    qtbot, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large project takes a while: the dialog shows progress, and Close cancels the job
    (the library's search sees the cancel and stops) without tagging anything."""
    import threading

    from annotator.core.errors import Cancelled

    release = threading.Event()
    stopped: list[bool] = []
    real = sample.library.find_mentions

    def slow(tag_id, *, progress=None, cancel=None, **kw):
        release.wait(5)
        try:
            if cancel is not None and cancel.cancelled:
                raise Cancelled("stopped")
            return real(tag_id, progress=progress, cancel=cancel, **kw)
        except Cancelled:
            stopped.append(True)
            raise

    monkeypatch.setattr(sample.library, "find_mentions", slow)
    before = mark_carney_spans(sample)
    dialog = FindMentionsDialog(sample.library, LibraryEvents(), QUndoStack(), sample.mark_carney.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ready and dialog.bar.isVisible()
    assert "Looking for mentions" in dialog.summary.text() and not dialog.tag_button.isEnabled()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: stopped == [True], timeout=5_000)
    assert mark_carney_spans(sample) == before and dialog.result() == dialog.DialogCode.Rejected
