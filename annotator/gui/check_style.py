"""Check boxes you can see in every theme. Fusion outlines an unticked box in the window
colour made darker: on a dark page that is all but the page itself (about 1.1:1), and even
on a light one it falls short of the 3:1 that WCAG asks of a control's boundary. This proxy
style draws Fusion's box, then a frame in a mix of the text and page colours that clears 3:1
against both the page and the box's own fill."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from annotator.gui.widgets.highlight_colours import mix

FRAME_INK = 0.6  # share of the text colour in the frame (the rest: the page colour)
_CHECKS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)


def frame_colour(palette: QPalette) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), FRAME_INK)


class ClearCheckStyle(QProxyStyle):
    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _CHECKS and option.state & QStyle.StateFlag.State_Enabled:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setBrush(QColor(0, 0, 0, 0))  # the frame only: Fusion's fill and tick stay
            painter.setPen(QPen(frame_colour(option.palette), 1))
            box = option.rect.adjusted(0, 0, -1, -1)
            painter.drawRect(box)
            painter.restore()


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
