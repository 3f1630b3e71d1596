"""Pixmaps drawn once per look: cards and chips that come back unchanged are copied, not
drawn again (each draw is a dozen QPainter calls from Python)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap


class PixmapCache:
    """Pixmaps by a key naming everything they show; past ``limit`` the least recently used go."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._items: dict[Hashable, QPixmap] = {}  # least recently used first

    def get(self, key: Hashable, size: QSize, ratio: float, draw: Callable[[QPixmap], None]) -> QPixmap:
        """The pixmap for ``key``, drawn by ``draw`` onto a transparent ``size`` (in device
        independent pixels, at ``ratio``) the first time."""
        pixmap = self._items.pop(key, None)
        if pixmap is None:
            pixmap = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            draw(pixmap)
            while len(self._items) >= self._limit:
                self._items.pop(next(iter(self._items)))
        self._items[key] = pixmap
        return pixmap

    def clear(self) -> None:
        self._items.clear()
