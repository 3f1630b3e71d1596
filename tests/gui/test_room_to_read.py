"""Room to read: the search panel stays collapsed until there is a query (typed in the one
search box, the toolbar's) or the user opens it, so at 1280×800 the reader keeps at least two
thirds of the window's height."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from .test_search_panel_layout import shown_panel


def _settle(window) -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def test_the_reader_keeps_two_thirds_of_a_1280_by_800_window(window) -> None:
    window.resize(1280, 800)
    _settle(window)
    assert not window.search_panel.isVisible()
    assert window.reader.height() >= window.height() * 2 / 3, (window.reader.height(), window.height())
    # Opened by hand, with nothing to list, the panel is only as tall as its query examples.
    window.actions_.show_search.setChecked(True)
    _settle(window)
    assert window.search_panel.isVisible()
    assert window.search_panel.height() <= window.search_panel.compact_height() + 2
    assert window.reader.height() >= window.height() / 2


def test_typing_in_the_toolbar_box_opens_the_panel_and_clearing_closes_it(window, qtbot) -> None:
    panel, box = window.search_panel, window.search_box
    assert not panel.isVisible()
    assert panel.query_box is box  # one search box: the panel has none of its own showing
    window.focus_search()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(box, "sovereignty")
    assert panel.isVisible() and window.actions_.show_search.isChecked()
    assert panel.model.rowCount() > 0
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    assert not panel.isVisible() and not window.actions_.show_search.isChecked()


def test_a_panel_the_user_opened_stays_open_when_the_query_is_cleared(window, qtbot) -> None:
    panel = shown_panel(window, qtbot)
    box = window.search_box
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(box, "norad")
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    assert panel.isVisible()
