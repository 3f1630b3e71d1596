"""Keyword in context for phrases and for passages found by their tags."""

from __future__ import annotations

from annotator.core.library import Library
from annotator.gui.widgets.kwic_view import MATCH
from annotator.gui.widgets.search_panel import SearchPanel
from tests.gui.test_search_panel import STEEL, library, panel, wait_for_results  # noqa: F401


def kwic_matches(panel: SearchPanel) -> list[str]:  # noqa: F811
    model = panel.kwic.model()
    return [model.index(row, MATCH).data() for row in range(model.rowCount())]


def test_a_phrase_is_one_kwic_line(qtbot, panel: SearchPanel) -> None:  # noqa: F811
    qtbot.keyClicks(panel.query_box, '"steel tariffs"')
    wait_for_results(qtbot, panel)
    assert kwic_matches(panel) == ["steel tariffs"]


def test_a_passage_found_by_its_tag_shows_its_quote(qtbot, panel: SearchPanel, library: Library) -> None:  # noqa: F811
    qtbot.keyClicks(panel.query_box, 'actor:"Mark Carney"')
    wait_for_results(qtbot, panel)
    (highlight,) = library.highlights()
    assert kwic_matches(panel) == [" ".join(STEEL[highlight.start : highlight.end].split())]
