"""The search panel in a 1440x900 window: every filter shows its whole content, with
nothing to list the panel is a few lines of query examples that leave the room to the reader,
and results fit its width with rows as tall as their snippets."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QSize
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QStyle

from annotator.gui.widgets import search_hint
from annotator.gui.widgets.search_filters import WIDEST_DATE, DateBox
from annotator.gui.widgets.search_hint import SYNTAX_LINK, SearchHint
from annotator.gui.widgets.search_panel import HTML_ROLE, SearchPanel

LONG_ACTOR = "International Association of Independent Tanker Owners and Operators"


def shown_panel(window, qtbot) -> SearchPanel:
    window.resize(1440, 900)
    panel = window.search_panel
    window.actions_.show_search.setChecked(True)
    qtbot.waitUntil(panel.isVisible)
    QCoreApplication.processEvents()
    assert window.size() == QSize(1440, 900)
    return panel


def type_query(panel: SearchPanel, qtbot, text: str) -> None:
    """Type ``text`` into the query box (replacing what is there) and wait for its results."""
    panel.query_box.setFocus()
    panel.query_box.selectAll()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(panel.query_box, text)
    QCoreApplication.processEvents()


def test_dates_show_a_whole_iso_date_and_the_combos_their_longest_entry(window, qtbot) -> None:
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


def test_typing_a_whole_date_keeps_it_readable(window, qtbot) -> None:
    panel = shown_panel(window, qtbot)
    qtbot.keyClicks(panel.date_from, "2026-12-01")
    box = panel.date_from
    text_room = box.style().subElementRect(QStyle.SubElement.SE_LineEditContents, _frame_option(box), box)
    assert text_room.width() >= QFontMetrics(box.font()).horizontalAdvance("2026-12-01")


def _frame_option(box: DateBox):
    from PySide6.QtWidgets import QStyleOptionFrame

    option = QStyleOptionFrame()
    box.initStyleOption(option)
    return option


def test_no_results_is_a_short_hint_and_results_take_the_room(window, qtbot) -> None:
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


def test_the_hint_links_to_the_search_syntax_help(window, qtbot, monkeypatch) -> None:
    panel = shown_panel(window, qtbot)
    opened: list[str] = []
    monkeypatch.setattr(search_hint.SearchSyntaxDialog, "exec",
                        lambda dialog: opened.append(dialog.windowTitle()) or 0)
    panel.hint.linkActivated.emit(SYNTAX_LINK)
    assert opened == ["Search Syntax"]


def test_a_very_long_tag_name_is_elided_in_its_combo_but_searched_whole(window, qtbot) -> None:
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


def hit_rows(panel: SearchPanel) -> list[QModelIndex]:
    model = panel.model
    return [model.index(row, 0, model.index(group, 0))
            for group in range(model.rowCount()) for row in range(model.rowCount(model.index(group, 0)))]


def short_rows(panel: SearchPanel) -> list[str]:
    """Hit rows drawn shorter than their snippet needs at the width they are drawn at, with the
    number of lines it wraps to (the snippet is laid out here, not by the app's delegate)."""
    tree = panel.tree
    short = []
    for index in hit_rows(panel):
        rect = tree.visualRect(index)
        doc = QTextDocument()
        doc.setDefaultFont(tree.font())
        doc.setHtml(index.data(HTML_ROLE))
        doc.setTextWidth(rect.width())
        if rect.height() < doc.size().height():
            short.append(f"{index.data()[:30]!r}: {rect.height()} px for {doc.size().height():.0f}")
    return short


def test_results_fit_the_panel_and_rows_are_as_tall_as_their_snippets(window, qtbot) -> None:
    panel = shown_panel(window, qtbot)
    type_query(panel, qtbot, "tariffs")
    tree, header = panel.tree, panel.tree.header()
    rows = hit_rows(panel)
    assert len(rows) > 3

    scrollbar = tree.horizontalScrollBar()
    assert scrollbar.maximum() == 0 and not scrollbar.isVisible()
    assert header.length() <= tree.viewport().width()
    tags_heading = QFontMetrics(header.font()).horizontalAdvance("Tags")
    assert tree.columnWidth(1) >= max(header.sectionSizeHint(1), tags_heading)
    for column in (1, 2):  # whole, inside the view
        assert tree.columnViewportPosition(column) + tree.columnWidth(column) <= tree.viewport().width()
    tagged = next(index for index in rows if index.siblingAtColumn(1).data())
    assert tree.columnWidth(1) >= QFontMetrics(tree.font()).horizontalAdvance(tagged.siblingAtColumn(1).data())
    assert tree.columnWidth(0) > tree.columnWidth(1) + tree.columnWidth(2)  # the snippets get the room

    assert short_rows(panel) == []
    tall = max(tree.visualRect(index).height() for index in rows)
    assert tall > 2 * QFontMetrics(tree.font()).lineSpacing()  # some snippets wrap to several lines

    # Narrower: the snippets wrap to more lines and the rows grow with them.
    window.resize(1100, 900)
    qtbot.waitUntil(lambda: tree.columnWidth(0) < 300)
    qtbot.waitUntil(lambda: short_rows(panel) == [])
    assert max(tree.visualRect(index).height() for index in rows) > tall
    assert tree.horizontalScrollBar().maximum() == 0


def test_a_tags_column_width_the_user_chose_survives_the_next_search(window, qtbot) -> None:
    panel = shown_panel(window, qtbot)
    type_query(panel, qtbot, "tariffs")
    fitted = panel.tree.columnWidth(1)
    chosen = fitted + 37
    panel.tree.header().resizeSection(1, chosen)  # as dragging the column's edge does
    type_query(panel, qtbot, "Carney")
    assert hit_rows(panel)
    assert panel.tree.columnWidth(1) == chosen
