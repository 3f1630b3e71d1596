"""The Library table's header: the title gets the room, every title has its full text as a
tooltip, and the columns (widths, hidden, sort) are as the user left them next time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, Qt

from annotator.core.library import Library
from annotator.gui.main_window import MainWindow
from annotator.gui.models.document_table import AUTHOR, HIGHLIGHTS, ID_ROLE, PUBLISHED, TITLE


def open_window(qtbot, project: Path) -> MainWindow:
    window = MainWindow(Library.open(project))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.runner.wait()
    QCoreApplication.processEvents()
    return window


def test_title_column_gets_most_of_the_width_and_a_full_tooltip(window) -> None:
    table = window.library_pane.table
    widths = {c: table.columnWidth(c) for c in range(table.model().columnCount()) if not table.isColumnHidden(c)}
    assert widths[TITLE] > 1.5 * max(w for c, w in widths.items() if c != TITLE)
    # Enough for about 22 characters at the default pane width (it was 10).
    assert widths[TITLE] >= table.fontMetrics().horizontalAdvance("x" * 22)
    for row in range(table.model().rowCount()):
        index = table.model().index(row, TITLE)
        title = window.library.document(index.data(ID_ROLE)).title
        assert index.data(Qt.ItemDataRole.ToolTipRole).splitlines()[0] == title


def test_header_menu_widths_and_sort_persist_to_the_next_window(qtbot, sample_project: Path) -> None:
    first = open_window(qtbot, sample_project)
    pane = first.library_pane
    table, header = pane.table, pane.table.horizontalHeader()
    assert table.isColumnHidden(AUTHOR)
    menu = pane.header_menu()
    labels = {a.text(): a for a in menu.actions()}
    assert set(labels) == {"Author", "Published", "Type", "Highlights"}
    labels["Author"].trigger()          # show the author
    labels["Highlights"].trigger()      # hide the count
    assert not table.isColumnHidden(AUTHOR) and table.isColumnHidden(HIGHLIGHTS)
    header.resizeSection(PUBLISHED, 120)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_centre_of(header, TITLE))
    assert header.sortIndicatorSection() == TITLE
    order = header.sortIndicatorOrder()
    titles = [table.model().index(r, TITLE).data() for r in range(table.model().rowCount())]
    first.close()

    second = open_window(qtbot, sample_project)
    table2, header2 = second.library_pane.table, second.library_pane.table.horizontalHeader()
    assert not table2.isColumnHidden(AUTHOR)
    assert table2.isColumnHidden(HIGHLIGHTS)
    assert header2.sectionSize(PUBLISHED) == 120
    assert (header2.sortIndicatorSection(), header2.sortIndicatorOrder()) == (TITLE, order)
    assert [table2.model().index(r, TITLE).data() for r in range(table2.model().rowCount())] == titles
    second.close()


def _centre_of(header, section: int) -> QPoint:
    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)


def test_the_title_column_can_be_dragged_wider_than_the_pane_and_the_count_says_highlights(window, qtbot) -> None:
    pane = window.library_pane
    table, header = pane.table, pane.table.horizontalHeader()
    # The count's header is an icon named by its tooltip ("Hl." was a riddle).
    model = table.model()
    assert not model.headerData(HIGHLIGHTS, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole).isNull()
    assert model.headerData(HIGHLIGHTS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith("Highlights")
    fitted = header.sectionSize(TITLE)
    # Drag the title's right edge 300 px to the right, as a user would.
    edge = header.sectionViewportPosition(TITLE) + header.sectionSize(TITLE) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(header.viewport(), pos=QPoint(edge + 150, y))
    qtbot.mouseMove(header.viewport(), pos=QPoint(edge + 300, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 300, y))
    assert header.sectionSize(TITLE) >= fitted + 250
    QCoreApplication.processEvents()
    assert table.horizontalScrollBar().maximum() > 0  # the rest of the row is a scroll away
    window.main_split.setSizes([450, 700, 290])
    QCoreApplication.processEvents()
    assert header.sectionSize(TITLE) >= fitted + 250  # kept while the pane changes size
    # A double-click on the edge fits the titles to the pane again.
    edge = header.sectionViewportPosition(TITLE) + header.sectionSize(TITLE) - 1
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    QCoreApplication.processEvents()
    assert table.horizontalScrollBar().maximum() == 0
