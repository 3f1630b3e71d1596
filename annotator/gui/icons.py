"""Toolbar and menu icons: our own line SVGs from resources/icons, drawn in the palette's text
colour so they read in light and dark themes alike."""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from annotator.paths import resources_dir

_SIZES = (16, 20, 24, 32, 48)
_INK = "#000000"  # the stroke colour the SVG files are drawn with, replaced at load time
log = logging.getLogger(__name__)


def icon(name: str) -> QIcon:
    """A themed icon by file stem (``"import"`` -> resources/icons/import.svg). It is drawn
    in the palette's ink each time it is painted, so it follows a switch to dark mode live."""
    if _missing(resources_dir() / "icons" / f"{name}.svg"):
        return QIcon()
    return QIcon(_InkIconEngine(name))


@cache
def _missing(path: Path) -> bool:
    """Whether the icon file is absent, warned about once: a button without its icon still
    works, but an install that lost its resources must not go unnoticed."""
    if path.is_file():
        return False
    log.warning("icon missing: %s (the installation is incomplete; reinstall Annotator)", path)
    return True


class _InkIconEngine(QIconEngine):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        palette = QGuiApplication.palette()
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Normal
        ink = palette.color(group, QPalette.ColorRole.WindowText).name()
        return _pixmap(self.name, ink, max(1, size.width()), max(1, size.height()))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        pixmap = self.pixmap(QSize(round(rect.width() * ratio), round(rect.height() * ratio)), mode, state)
        painter.drawPixmap(rect, pixmap)

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal,
                       state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(s, s) for s in _SIZES]

    def clone(self) -> QIconEngine:
        return _InkIconEngine(self.name)


@lru_cache(maxsize=512)
def _pixmap(name: str, ink: str, width: int, height: int) -> QPixmap:
    source = (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(source.replace(_INK, ink).encode("utf-8")))
    pixmap = QPixmap(QSize(width, height))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    path = resources_dir() / "icons" / "app.svg"
    return QIcon() if _missing(path) else QIcon(str(path))
