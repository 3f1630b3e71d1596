"""How a stack of highlights looks: tag colours tinted for the current theme; where
highlights nest, the inner one keeps its colour and the outer one underlines it, so the
second layer is visible instead of hidden."""

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
        # A nested highlight keeps its own colour (the innermost layer is the background);
        # the layer around it shows as a line under the text in its colour, and every layer
        # has its own stripe in the margin (coding_stripes).
        fmt = QTextCharFormat()
        fmt.setBackground(tint(QColor(colours[-1]), self.base))
        if len(colours) > 1:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.SingleUnderline
                if len(colours) == 2
                else QTextCharFormat.UnderlineStyle.WaveUnderline
            )
            fmt.setUnderlineColor(underline_colour(QColor(colours[-2]), self.base))
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
