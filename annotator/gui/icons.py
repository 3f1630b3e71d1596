"""Toolbar and menu icons: our own line SVGs from resources/icons, drawn in the palette's text
colour so they read in light and dark themes alike."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from annotator.paths import resources_dir

_SIZES = (16, 20, 24, 32, 48)
_INK = "#000000"  # the stroke colour the SVG files are drawn with, replaced at load time


def icon(name: str) -> QIcon:
    """A themed icon by file stem (``"import"`` -> resources/icons/import.svg)."""
    palette = QGuiApplication.palette()
    colour = palette.color(QPalette.ColorRole.WindowText).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    return _icon(name, colour, disabled)


@lru_cache(maxsize=128)
def _icon(name: str, colour: str, disabled: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    result = QIcon()
    if not path.is_file():
        return result
    source = path.read_text(encoding="utf-8")
    for mode, ink in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled)):
        renderer = QSvgRenderer(QByteArray(source.replace(_INK, ink).encode("utf-8")))
        for size in _SIZES:
            pixmap = QPixmap(QSize(size, size))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


def app_icon() -> QIcon:
    path = resources_dir() / "icons" / "app.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
