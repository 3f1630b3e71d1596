"""How a stack of highlights looks: tag colours tinted for the current theme, overlaps
blended and underlined so the second layer is visible instead of hidden."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat

UNTAGGED_COLOUR = "#b0b0b0"


def is_dark(base: QColor) -> bool:
    return base.lightness() < 128


def tint(colour: QColor, base: QColor) -> QColor:
    """The tag colour as a text background: strong on a light page, muted on a dark one so
    light text stays legible."""
    weight = 0.42 if is_dark(base) else 0.78
    return mix(colour, base, weight)


def mix(a: QColor, b: QColor, weight: float) -> QColor:
    """``weight`` of ``a`` plus the rest of ``b``."""
    return QColor(
        round(a.red() * weight + b.red() * (1 - weight)),
        round(a.green() * weight + b.green() * (1 - weight)),
        round(a.blue() * weight + b.blue() * (1 - weight)),
    )


def blend(colours: list[QColor]) -> QColor:
    n = len(colours)
    return QColor(
        round(sum(c.red() for c in colours) / n),
        round(sum(c.green() for c in colours) / n),
        round(sum(c.blue() for c in colours) / n),
    )


def underline_colour(colour: QColor, base: QColor) -> QColor:
    return colour.lighter(150) if is_dark(base) else colour.darker(190)


class LayerFormats:
    """Char formats for stacks of highlight colours, cached: a document has few distinct
    stacks, and building a QTextCharFormat per segment would dominate painting time."""

    def __init__(self, base: QColor) -> None:
        self.base = base
        self._cache: dict[tuple[str, ...], QTextCharFormat] = {}

    def format_for(self, colours: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._cache.get(colours)
        if fmt is None:
            fmt = self._build(colours)
            self._cache[colours] = fmt
        return fmt

    def _build(self, colours: tuple[str, ...]) -> QTextCharFormat:
        layers = [tint(QColor(c), self.base) for c in colours]
        fmt = QTextCharFormat()
        fmt.setBackground(blend(layers) if len(layers) > 1 else layers[0])
        if len(layers) > 1:
            # The innermost layer draws a line under its text, so an overlap reads as two
            # highlights even when the blended colour is close to one of them.
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.SingleUnderline
                if len(layers) == 2
                else QTextCharFormat.UnderlineStyle.WaveUnderline
            )
            fmt.setUnderlineColor(underline_colour(QColor(colours[-1]), self.base))
        return fmt

    def selected_format(self, colour: str) -> QTextCharFormat:
        """The clicked highlight: a deeper shade and an outline-like underline."""
        fmt = QTextCharFormat()
        strong = mix(QColor(colour), self.base, 0.75 if is_dark(self.base) else 1.0)
        fmt.setBackground(strong.darker(115) if not is_dark(self.base) else strong)
        fmt.setFontUnderline(True)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(underline_colour(QColor(colour), self.base))
        return fmt
