"""Small painted pieces shared by the side panes: tag colour swatches and muted text colours
derived from the palette, so they read well in light and dark themes."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel

from annotator.gui.tones import follow_palette, pin_foreground


@lru_cache(maxsize=256)
def swatch_icon(colour: str, size: int = 12) -> QIcon:
    """A rounded square in ``colour`` with a faint outline (pale colours stay visible on white)."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(colour)
        painter.setPen(QPen(fill.darker(140), 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def muted(palette: QPalette) -> QColor:
    """Secondary text: halfway between the text and the background, whatever the theme."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() + base.red()) // 2,
        (text.green() + base.green()) // 2,
        (text.blue() + base.blue()) // 2,
    )


def _apply_muted(label: QLabel) -> None:
    pin_foreground(label, muted(label.palette()))


def mute_label(label: QLabel) -> None:
    """Draw a label in the muted secondary-text colour of its palette, now and after every
    palette change."""
    _apply_muted(label)
    follow_palette(label, _apply_muted)  # the muted colour pinned on the label keeps the old theme's


def chip_text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on a tag's colour."""
    luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("#1d1d1d") if luminance > 140 else QColor("#ffffff")
