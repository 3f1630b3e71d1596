"""Small painted pieces shared by the side panes: tag colour swatches and muted text colours
derived from the palette, so they read well in light and dark themes."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel


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


class _FollowsPalette(QObject):
    """Re-mutes its label when the palette changes (a live Light/Dark switch): the muted
    colour is set on the label's own palette, which would otherwise keep the old theme's."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self.label = label
        label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.label and event.type() in _PALETTE_EVENTS:
            _apply_muted(self.label)
        return False


_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def _apply_muted(label: QLabel) -> None:
    palette = label.palette()
    colour = muted(palette)
    if palette.color(label.foregroundRole()) != colour:  # setPalette sends PaletteChange again
        palette.setColor(label.foregroundRole(), colour)
        label.setPalette(palette)


def mute_label(label: QLabel) -> None:
    """Draw a label in the muted secondary-text colour of its palette, now and after every
    palette change."""
    _apply_muted(label)
    if label.findChild(_FollowsPalette) is None:
        _FollowsPalette(label)


def chip_text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on a tag's colour."""
    luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("#1d1d1d") if luminance > 140 else QColor("#ffffff")
