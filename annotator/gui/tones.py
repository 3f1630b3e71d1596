"""Error, warning and success text colours that stay readable in light and dark themes: each
is a shade of its hue picked against the background it is drawn on, dark enough on a light
window, light enough on a dark one, for a WCAG contrast of at least 4.5:1. Widgets toned here
pick their shade again after every palette change (a live Light/Dark switch)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

Tone = Literal["error", "warning", "success"]
MIN_CONTRAST = 4.5  # WCAG AA for body text

# The shade each tone starts from on a light and on a dark background; the pick only moves
# further from the background when that shade falls short of MIN_CONTRAST.
_SEEDS: dict[str, tuple[str, str]] = {
    "error": ("#b00020", "#ff7070"),
    "warning": ("#8a5a00", "#e8a838"),
    "success": ("#1b6e2a", "#62c873"),
}
_TONE_PROPERTY = "annotatorTone"
_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tone_colour(tone: Tone, background: QColor) -> QColor:
    return QColor(_pick(tone, background.rgb()))


@lru_cache(maxsize=64)
def _pick(tone: str, background_rgb: int) -> int:
    background = QColor.fromRgb(background_rgb)
    dark = contrast(QColor("white"), background) > contrast(QColor("black"), background)
    colour = QColor(_SEEDS[tone][1 if dark else 0])
    hue, saturation, lightness, _alpha = colour.getHsl()
    step = 4 if dark else -4
    while contrast(colour, background) < MIN_CONTRAST and 0 < lightness + step < 255:
        lightness += step
        colour = QColor.fromHsl(hue, saturation, lightness)
    return colour.rgb()


def tone_for(widget: QWidget, tone: Tone) -> QColor:
    """The tone's shade for text drawn on ``widget``'s own background."""
    palette = widget.palette()
    return tone_colour(tone, palette.color(widget.backgroundRole()))


class _PaletteFollower(QObject):
    def __init__(self, widget: QWidget, react: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self.widget, self.react = widget, react
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() in _PALETTE_EVENTS:
            self.react(self.widget)
        return False


def follow_palette(widget: QWidget, react: Callable[[QWidget], None]) -> None:
    """Call ``react(widget)`` after every palette change of ``widget`` (one follower per widget:
    a second call replaces the first's reaction)."""
    follower = widget.findChild(_PaletteFollower, "", Qt.FindChildOption.FindDirectChildrenOnly)
    if follower is None:
        _PaletteFollower(widget, react)
    else:
        follower.react = react


def set_tone(widget: QWidget, tone: Tone | None) -> None:
    """Draw ``widget``'s text in ``tone`` (None: its theme's usual colour), now and after every
    palette change."""
    widget.setProperty(_TONE_PROPERTY, tone or "")
    _apply_tone(widget)
    follow_palette(widget, _apply_tone)


def _apply_tone(widget: QWidget) -> None:
    tone = widget.property(_TONE_PROPERTY)
    if not tone:
        unpin(widget)
        return
    pin_foreground(widget, tone_for(widget, tone))


def pin_foreground(widget: QWidget, colour: QColor) -> None:
    """Set ``widget``'s text colour on its own palette, leaving the other roles inherited."""
    palette = widget.palette()
    if palette.color(widget.foregroundRole()) != colour:  # setPalette sends PaletteChange again
        palette.setColor(widget.foregroundRole(), colour)
        widget.setPalette(palette)



def unpin(widget: QWidget) -> None:
    """Drop every colour set on ``widget``'s own palette: it draws in its theme's again."""
    if widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
        widget.setPalette(QPalette())
