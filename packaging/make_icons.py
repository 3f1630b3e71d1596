"""Regenerate the desktop icons from resources/icons/app.svg:
``.venv/bin/python packaging/make_icons.py``.

The hicolor PNGs are committed rather than made at build time: the build backend runs in an
isolated environment with neither Qt nor an SVG rasteriser, and a desktop (GNOME's dock, KDE's
task switcher, file managers' "Open with") looks for PNGs at the exact sizes. A test checks the
committed files match the SVG (tests/test_desktop_integration.py).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

APP_ID = "io.github.annotator.annotator"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "app.svg"
HICOLOR = ROOT / "packaging" / "icons" / "hicolor"


def png_path(size: int, root: Path = HICOLOR) -> Path:
    return root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def svg_path(root: Path = HICOLOR) -> Path:
    return root / "scalable" / "apps" / f"{APP_ID}.svg"


def render(size: int) -> bytes:
    """The app icon as PNG bytes, ``size`` pixels square (needs a QGuiApplication)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main(root: Path = HICOLOR) -> int:
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        target = png_path(size, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(size))
    svg_path(root).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, svg_path(root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
