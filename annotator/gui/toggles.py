"""A checked toggle button that looks checked in every theme: Fusion draws a checked button
a shade darker than an unchecked one, which is plain on a light palette but vanishes on a
dark one, so a checked button is filled with a blend of the palette's Highlight instead."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication

from annotator.gui.tones import contrast, follow_palette, unpin
from annotator.gui.widgets.highlight_colours import mix

CHECKED_SHARE = 0.45  # of the Highlight colour in a checked button's face
_READABLE = 4.5


def show_checked_state(button: QAbstractButton) -> None:
    """Fill ``button`` with a Highlight tint while it is checked, in the current theme and
    after every palette change."""
    button.toggled.connect(lambda _on: _apply(button))
    follow_palette(button, _apply)
    _apply(button)


def _apply(button: QAbstractButton) -> None:
    if not button.isChecked():
        unpin(button)
        return
    theme = QApplication.palette(button)  # not the button's: that holds the old theme's tint
    face = mix(theme.color(QPalette.ColorRole.Highlight), theme.color(QPalette.ColorRole.Button), CHECKED_SHARE)
    text = theme.color(QPalette.ColorRole.ButtonText)
    if contrast(text, face) < _READABLE:
        text = theme.color(QPalette.ColorRole.HighlightedText)
    palette = button.palette()
    if (palette.color(QPalette.ColorRole.Button), palette.color(QPalette.ColorRole.ButtonText)) != (face, text):
        palette.setColor(QPalette.ColorRole.Button, face)  # setPalette sends PaletteChange again
        palette.setColor(QPalette.ColorRole.ButtonText, text)
        button.setPalette(palette)

