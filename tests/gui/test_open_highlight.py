"""Opening a highlight from elsewhere selects that highlight, not a plain stretch of text: its
tag chips and note are in the tag bar and the next tag goes onto it. From the search results,
the Highlights pane, and after Find Mentions tagged some mentions."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog

from annotator.gui.dialogs import find_mentions
from annotator.gui.widgets.search_panel import HIT_ROLE

from .test_highlights_pane import click


def _chips(window) -> list[str]:
    bar = window.tag_bar.current
    return sorted(bar.itemAt(i).widget().name for i in range(bar.count()))


def _assert_selected(window, highlight) -> None:
    reader = window.reader
    assert reader.document_id == highlight.document_id
    assert reader.selected_highlight == highlight.id
    assert not reader.textCursor().hasSelection()
    assert window.tag_bar.target.text().startswith("Highlight:")
    assert _chips(window) == sorted(t.name for t in highlight.tags)


def test_a_highlight_hit_in_the_search_results_opens_as_that_highlight(window, qtbot) -> None:
    library, panel, box = window.library, window.search_panel, window.search_box
    window.focus_search()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(box, "in:highlights sovereignty")
    index = panel.model.index(0, 0, panel.model.index(0, 0))
    hit = index.data(HIT_ROLE)
    assert hit.highlight_id is not None
    panel.tree.setCurrentIndex(index)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    highlight = library.highlight(hit.highlight_id)
    _assert_selected(window, highlight)
    # The next tag goes onto that highlight, not onto a new one over the same words.
    before = len(library.highlights(highlight.document_id))
    window.tagging.apply_typed("NORAD")
    assert "NORAD" in [t.name for t in library.highlight(highlight.id).tags]
    assert len(library.highlights(highlight.document_id)) == before


def test_a_card_in_the_highlights_pane_selects_its_highlight_in_another_document(window, qtbot) -> None:
    library, pane = window.library, window.highlights_pane
    window.side_tabs.setCurrentWidget(pane)
    pane.project_button.click()
    QCoreApplication.processEvents()
    other = next(h for h in library.highlights() if h.document_id != window.reader.document_id and h.note)
    click(qtbot, pane, other.id)
    QCoreApplication.processEvents()
    _assert_selected(window, other)
    assert "✎" in window.tag_bar.target.text() and other.note[:30] in window.tag_bar.target.toolTip()
    window.side_tabs.setCurrentWidget(window.notes)
    qtbot.waitUntil(lambda: window.notes.editor.toPlainText() == other.note, timeout=5_000)


def test_after_find_mentions_tags_them_one_is_selected(window, qtbot, monkeypatch) -> None:
    library = window.library
    norad = library.find_tag("topic", "NORAD")
    window.codebook.select_tag(norad.id)
    before = {h.id for h in library.highlights(tag_ids=[norad.id])}

    def run(dialog: QDialog) -> int:
        qtbot.waitUntil(lambda: dialog.ready, timeout=10_000)
        dialog.tag_checked()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(find_mentions.FindMentionsDialog, "exec", run)
    window.find_mentions()
    made = [h for h in library.highlights(tag_ids=[norad.id]) if h.id not in before]
    assert made
    [chosen] = [h for h in made if h.id == window.reader.selected_highlight]
    _assert_selected(window, chosen)
