"""Light or dark: the palette follows the system, or the user's choice in Preferences
(System / Light / Dark, kept in QSettings), and changes live — every widget repaints from
the new palette, the reader re-tints its highlights and the line icons redraw in the new ink.

``ANNOTATOR_COLOUR_SCHEME=dark|light`` overrides both (screenshots, testing).
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from annotator.gui import settings
from annotator.gui.check_style import ClearCheckStyle

ENV = "ANNOTATOR_COLOUR_SCHEME"
_following: set[int] = set()  # applications already listening to the system's scheme


def effective_scheme(app: QApplication) -> Qt.ColorScheme:
    forced = os.environ.get(ENV, "").lower()
    choice = forced if forced in ("light", "dark") else settings.appearance()
    if choice == "dark":
        return Qt.ColorScheme.Dark
    if choice == "light":
        return Qt.ColorScheme.Light
    return QGuiApplication.styleHints().colorScheme()


def apply_appearance(app: QApplication | None = None) -> None:
    """Set the palette for the current choice. When the system asks for dark mode but the
    platform gives a light palette (plain X11, some desktops), draw our own dark one."""
    app = app or QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if effective_scheme(app) == Qt.ColorScheme.Dark:
        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())


def follow_system_colour_scheme(app: QApplication) -> None:
    """Use Fusion (it draws every palette role, dark ones included), apply the choice, and
    re-apply when the system switches."""
    install_style(app)
    apply_appearance(app)
    if id(app) not in _following:
        _following.add(id(app))
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_appearance(app))


def install_style(app: QApplication) -> None:
    """Fusion, with check boxes framed so they show on any palette (check_style)."""
    if "Fusion" in QStyleFactory.keys():
        app.setStyle(ClearCheckStyle("Fusion"))


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#dfe1e5",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#dfe1e5",
        QPalette.ColorRole.PlaceholderText: "#8c8f94",
        QPalette.ColorRole.Text: "#dfe1e5",
        QPalette.ColorRole.Button: "#33363a",
        QPalette.ColorRole.ButtonText: "#dfe1e5",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#6ea8fe",
        QPalette.ColorRole.Light: "#45484d",
        QPalette.ColorRole.Midlight: "#3a3d41",
        QPalette.ColorRole.Mid: "#2f3235",
        QPalette.ColorRole.Dark: "#1a1b1e",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7378"))
    return palette
