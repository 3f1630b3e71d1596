"""Muted secondary text (pane counts, note status, the search hint, codebook counts, the kind
of a search hit) follows a live Light → Dark switch made in Preferences, instead of keeping
the grey it was given at start-up."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QStyleOptionViewItem

from annotator.gui.appearance import dark_palette
from annotator.gui.models.codebook_model import COUNT
from annotator.gui.swatches import muted

from .test_appearance import _light_again_after, choose  # noqa: F401 - autouse: light again after


def muted_labels(window) -> list[QLabel]:
    labels = [window.highlights_pane.count_label, window.highlights_pane.empty_label,
              window.notes.status_label, window.notes.target_label, window.search_panel.hint]
    assert all(isinstance(label, QLabel) for label in labels)
    return labels


def foreground(label: QLabel) -> QColor:
    return label.palette().color(label.foregroundRole())


def codebook_count_colour(window) -> QColor:
    model = window.codebook.model
    actors = model.index(0, 0)
    value = model.index(0, COUNT, actors).data(Qt.ItemDataRole.ForegroundRole)
    return value.color() if isinstance(value, QBrush) else QColor(value)


def kind_colour_in_snippets(window) -> str:
    """The stylesheet the search results' delegate paints a hit's kind label with."""
    tree = window.search_panel.tree
    option = QStyleOptionViewItem()
    option.initFrom(tree.viewport())
    doc = tree.itemDelegateForColumn(0)._document(option, "<span class='kind'>Highlight</span> x", 300)
    return doc.defaultStyleSheet()


def test_muted_text_follows_a_switch_from_light_to_dark(window, qtbot, monkeypatch) -> None:
    choose(qtbot, window, "Light", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    QCoreApplication.processEvents()
    light = muted(QApplication.instance().palette())
    assert light.lightness() > 100
    for label in muted_labels(window):
        assert foreground(label) == light, label.objectName() or label.text()[:30]
    assert codebook_count_colour(window) == light
    assert light.name() in kind_colour_in_snippets(window)

    choose(qtbot, window, "Dark", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    QCoreApplication.processEvents()
    dark = muted(dark_palette())
    assert QApplication.instance().palette().color(QPalette.ColorRole.Base) == dark_palette().color(
        QPalette.ColorRole.Base)
    assert dark != light
    for label in muted_labels(window):
        assert foreground(label) == dark, label.text()[:30]
    assert codebook_count_colour(window) == dark
    assert dark.name() in kind_colour_in_snippets(window)
    # Only the foreground is pinned: the rest of each label's palette is the new theme's.
    hint = window.search_panel.hint
    assert hint.palette().color(QPalette.ColorRole.Link) == dark_palette().color(QPalette.ColorRole.Link)
    assert f"color:{dark_palette().color(QPalette.ColorRole.Link).name()}" in hint.text()  # as drawn

    choose(qtbot, window, "Light", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    QCoreApplication.processEvents()
    for label in muted_labels(window):
        assert foreground(label) == light
    assert codebook_count_colour(window) == light
