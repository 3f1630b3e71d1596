"""The search panel in a 1440x900 window: every filter shows its whole content, and with
nothing to list the panel is a few lines of query examples that leave the room to the reader."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle

from annotator.gui.widgets import search_hint
from annotator.gui.widgets.search_filters import WIDEST_DATE, DateBox
from annotator.gui.widgets.search_hint import SYNTAX_LINK, SearchHint
from annotator.gui.widgets.search_panel import SearchPanel

LONG_ACTOR = "International Association of Independent Tanker Owners and Operators"


def shown_panel(window, qtbot) -> SearchPanel:  # noqa: ANN001
    window.resize(1440, 900)
    panel = window.search_panel
    window.actions_.show_search.setChecked(True)
    qtbot.waitUntil(panel.isVisible)
    QCoreApplication.processEvents()
    assert window.size() == QSize(1440, 900)
    return panel


def test_dates_show_a_whole_iso_date_and_the_combos_their_longest_entry(window, qtbot) -> None:  # noqa: ANN001
    panel = shown_panel(window, qtbot)
    for box in (panel.date_from, panel.date_to):
        frame = box.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, box)
        needed = QFontMetrics(box.font()).horizontalAdvance(WIDEST_DATE) + 2 * frame
        assert box.width() >= needed, f"{box.placeholderText()!r} box is {box.width()} px, needs {needed}"
        assert box.visibleRegion().boundingRect().width() == box.width()  # not clipped either
    for combo in (panel.scope, panel.actor, panel.topic):
        assert combo.width() >= combo.minimumSizeHint().width(), combo.currentText()
        assert combo.width() >= combo.sizeHint().width(), combo.currentText()  # its longest entry
        assert combo.visibleRegion().boundingRect().width() == combo.width(), combo.currentText()
    longest = max((panel.actor.itemText(i) for i in range(panel.actor.count())),
                  key=panel.actor.fontMetrics().horizontalAdvance)
    assert panel.actor.width() > panel.actor.fontMetrics().horizontalAdvance(longest)


def test_typing_a_whole_date_keeps_it_readable(window, qtbot) -> None:  # noqa: ANN001
    panel = shown_panel(window, qtbot)
    qtbot.keyClicks(panel.date_from, "2026-12-01")
    box = panel.date_from
    text_room = box.style().subElementRect(QStyle.SubElement.SE_LineEditContents, _frame_option(box), box)
    assert text_room.width() >= QFontMetrics(box.font()).horizontalAdvance("2026-12-01")


def _frame_option(box: DateBox):  # noqa: ANN202
    from PySide6.QtWidgets import QStyleOptionFrame

    option = QStyleOptionFrame()
    box.initStyleOption(option)
    return option


def test_no_results_is_a_short_hint_and_results_take_the_room(window, qtbot) -> None:  # noqa: ANN001
    panel = shown_panel(window, qtbot)
    split = window.centre_split
    assert panel.hint.isVisible() and not panel.tabs.isVisible()
    assert "Search Syntax" in panel.hint.text() and "actor:Carney" in panel.hint.text()
    empty_height = panel.height()
    assert empty_height <= split.height() // 4, f"an empty panel takes {empty_height} of {split.height()} px"

    panel.query_box.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(panel.query_box, "tariffs")
    QCoreApplication.processEvents()
    assert panel.tabs.isVisible() and not panel.hint.isVisible()
    assert panel.model.rowCount() > 0
    assert panel.height() > empty_height + 100

    panel.query_box.clear()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(panel.query_box, "zzqxv")
    QCoreApplication.processEvents()
    assert panel.hint.isVisible() and not panel.tabs.isVisible()
    assert SearchHint.NO_MATCH.split(".")[0] in panel.hint.text()
    assert panel.height() == panel.compact_height() <= split.height() // 4  # one status line more


def test_the_hint_links_to_the_search_syntax_help(window, qtbot, monkeypatch) -> None:  # noqa: ANN001
    panel = shown_panel(window, qtbot)
    opened: list[str] = []
    monkeypatch.setattr(search_hint.SearchSyntaxDialog, "exec",
                        lambda dialog: opened.append(dialog.windowTitle()) or 0)
    panel.hint.linkActivated.emit(SYNTAX_LINK)
    assert opened == ["Search Syntax"]


def test_a_very_long_tag_name_is_elided_in_its_combo_but_searched_whole(window, qtbot) -> None:  # noqa: ANN001
    window.library.create_tag(LONG_ACTOR, "actor")
    panel = shown_panel(window, qtbot)
    panel.refresh_filters()
    QCoreApplication.processEvents()
    index = panel.actor.findData(LONG_ACTOR)
    assert index > 0 and panel.actor.itemText(index) != LONG_ACTOR and "…" in panel.actor.itemText(index)
    assert panel.actor.width() < panel.actor.fontMetrics().horizontalAdvance(LONG_ACTOR)
    assert panel.actor.width() >= panel.actor.minimumSizeHint().width()
    panel.actor.setCurrentIndex(index)
    assert f'actor:"{LONG_ACTOR}"' in panel.full_query()
    assert panel.date_to.visibleRegion().boundingRect().width() == panel.date_to.width()
