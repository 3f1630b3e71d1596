"""Paints one highlight as a compact card, as Zotero's annotation sidebar does: a bar in its
tags' colours, document and page, up to three lines of the quote, tag chips, and the note."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from annotator.core.models import Highlight
from annotator.gui.icons import icon
from annotator.gui.models.highlight_list_model import (
    CODER_ROLE,
    DOCUMENT_TITLE_ROLE,
    HIGHLIGHT_ROLE,
    HighlightListModel,
)
from annotator.gui.pixmap_cache import PixmapCache
from annotator.gui.swatches import chip_text_colour, muted

PAD = 8
BAR = 4  # width of the colour bar
GAP = 4  # between the card's lines
QUOTE_LINES = 3
UNTAGGED = "#b0b0b0"
MAX_CACHED = 200_000  # card sizes kept; a project-wide list of every highlight fits
MAX_PIXMAPS = 96  # cards kept drawn: several screens' worth (a card is ~100 KB)

AnyIndex = QModelIndex | QPersistentModelIndex


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
    return small


def quote_lines(text: str, font: QFont, width: int, limit: int = QUOTE_LINES) -> list[str]:
    """The quote wrapped to ``width``, at most ``limit`` lines, the last elided if cut."""
    text = " ".join(text.split())
    if width <= 0 or not text:
        return [text] if text else []
    layout = QTextLayout(text, font)
    layout.beginLayout()
    lines: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    out = [text[start:start + length].rstrip() for start, length in lines[:limit]]
    if len(lines) > limit:
        rest = text[lines[limit - 1][0]:]
        out[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return out


def _palette_key(palette: QPalette) -> tuple[int, ...]:
    """What a card's look takes from the palette (``cacheKey`` differs per option copy)."""
    roles = (QPalette.ColorRole.Base, QPalette.ColorRole.Text, QPalette.ColorRole.Highlight,
             QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Midlight,
             QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Window)
    return tuple(palette.color(role).rgba() for role in roles)


def _quote_width(view_width: int) -> int:
    return max(view_width - 2 * PAD - BAR - 6, 40)


class HighlightCardDelegate(QStyledItemDelegate):
    """Card sizes are cached per highlight with what they follow from (width, quote, whether
    it has a note), so they survive resets and in-place updates and are measured
    again only when one of those changes: the view asks the visible cards their size again
    each time it lays out (a row coming or going, a resize), and wrapping a quote is the
    dear part. A font or style change on the view forgets them all."""

    def __init__(self, parent: QAbstractItemView) -> None:
        super().__init__(parent)
        self._sizes: dict[int, tuple[tuple[object, ...], QSize]] = {}  # id -> (key, size)
        # id -> ((width, quote, font), wrapped lines): painting a card wrapped its quote anew, and an
        # edit repaints every card in view (6 ms a tagging with the Highlights tab in front).
        self._lines: dict[int, tuple[tuple[int, str, str], list[str]]] = {}
        self._pixmaps = PixmapCache(MAX_PIXMAPS)
        self._model: HighlightListModel | None = None
        parent.installEventFilter(self)

    def follow(self, model: HighlightListModel) -> None:
        """Read the rows straight from ``model``: asking each index for its data was half of
        a cached size's cost."""
        self._model = model

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._sizes.clear()
            self._lines.clear()
            self._pixmaps.clear()
        return super().eventFilter(watched, event)

    def _content_width(self, option: QStyleOptionViewItem) -> int:
        widget = option.widget
        width = option.rect.width()
        if widget is not None and hasattr(widget, "viewport"):
            width = widget.viewport().width()
        return _quote_width(width)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        if self._model is not None:
            highlight: Highlight | None = self._model.highlight_at(index.row())
        else:
            highlight = index.data(HIGHLIGHT_ROLE)
        if highlight is None:
            return super().sizeHint(option, index)
        width = self._content_width(option)
        key = (width, highlight.text, bool(highlight.note))
        cached = self._sizes.get(highlight.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        if len(self._sizes) > MAX_CACHED:
            self._sizes.clear()
            self._lines.clear()
        metrics = QFontMetrics(option.font)
        small = QFontMetrics(_small(option.font))
        lines = max(1, len(self._wrapped(highlight, option.font, width)))
        height = PAD + lines * metrics.lineSpacing()
        # The meta line (document title, page): its room is kept even when both are empty,
        # so a card's height never depends on them.
        height += small.lineSpacing() + GAP
        height += GAP + small.height() + 4  # chip row (also says "no tags")
        if highlight.note:
            height += GAP + small.lineSpacing()
        size = QSize(width, height + PAD)
        self._sizes[highlight.id] = (key, size)
        return size

    def _wrapped(self, highlight: Highlight, font: QFont, width: int) -> list[str]:
        """``quote_lines`` of the highlight, kept per card."""
        key = (width, highlight.text, font.key())
        cached = self._lines.get(highlight.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        lines = quote_lines(highlight.text, font, width)
        self._lines[highlight.id] = (key, lines)
        return lines

    @staticmethod
    def _meta(highlight: Highlight, index: AnyIndex) -> tuple[str, str]:
        title = index.data(DOCUMENT_TITLE_ROLE) or ""
        page = f"p. {highlight.page}" if highlight.page else ""
        coder = index.data(CODER_ROLE) or ""  # the right-hand side names the coder, if several
        page = f"{page} · {coder}" if page and coder else page or coder
        return (title, page) if title or page else ("", "")

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """Cards are drawn once into a pixmap kept for what they show: a highlight coming or
        going moves every card below it, and each was drawn again (half a millisecond of
        Python apiece, a dozen per tagging with the Highlights tab in front)."""
        highlight: Highlight | None = index.data(HIGHLIGHT_ROLE)
        if highlight is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = opt.rect.size()
        key = (highlight, index.data(DOCUMENT_TITLE_ROLE) or "", index.data(CODER_ROLE) or "",
               size.width(), size.height(),
               int(opt.state.value if hasattr(opt.state, "value") else opt.state),
               _palette_key(opt.palette), opt.font.key(), ratio)

        def draw(pixmap: QPixmap) -> None:
            card = QStyleOptionViewItem(opt)
            card.rect = QRect(QPoint(0, 0), size)
            card_painter = QPainter(pixmap)
            self._paint_card(card_painter, card, highlight, index)
            card_painter.end()

        pixmap = self._pixmaps.get(key, size, ratio, draw)
        painter.drawPixmap(opt.rect.topLeft(), pixmap)

    def _paint_card(self, painter: QPainter, opt: QStyleOptionViewItem, highlight: Highlight,
                    index: AnyIndex) -> None:
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        quiet = ink if selected else muted(palette)
        font, small = opt.font, _small(opt.font)
        metrics, small_metrics = QFontMetrics(font), QFontMetrics(small)
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)

        painter.save()
        # A hairline between cards, from the palette so it shows in dark themes too.
        painter.setPen(palette.color(QPalette.ColorRole.Midlight if not selected else QPalette.ColorRole.Highlight))
        painter.drawLine(opt.rect.left() + PAD, opt.rect.bottom(), opt.rect.right() - PAD, opt.rect.bottom())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_bar(painter, highlight, QRect(rect.left(), rect.top(), BAR, rect.height()))
        x = rect.left() + BAR + 6
        width = rect.right() - x
        y = rect.top()

        title, page = self._meta(highlight, index)
        if title or page:
            painter.setFont(small)
            painter.setPen(quiet)
            line = QRect(x, y, width, small_metrics.lineSpacing())
            page_width = small_metrics.horizontalAdvance(page) + 6 if page else 0
            painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, page)
            painter.drawText(
                line.adjusted(0, 0, -page_width, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                small_metrics.elidedText(title, Qt.TextElideMode.ElideRight, width - page_width),
            )
            y += small_metrics.lineSpacing() + GAP

        painter.setFont(font)
        painter.setPen(ink)
        for text in self._wrapped(highlight, font, self._content_width(opt)) or [""]:
            painter.drawText(QRect(x, y, width, metrics.lineSpacing()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y += metrics.lineSpacing()

        y += GAP
        self._paint_chips(painter, highlight, QRect(x, y, width, small_metrics.height() + 4), small, quiet)
        y += small_metrics.height() + 4

        if highlight.note:
            y += GAP
            note_icon = icon("note").pixmap(QSize(12, 12))
            painter.drawPixmap(QPoint(x, y + (small_metrics.lineSpacing() - 12) // 2), note_icon)
            italic = QFont(small)
            italic.setItalic(True)
            painter.setFont(italic)
            painter.setPen(quiet)
            note = " ".join(highlight.note.split())
            painter.drawText(
                QRect(x + 16, y, width - 16, small_metrics.lineSpacing()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QFontMetrics(italic).elidedText(note, Qt.TextElideMode.ElideRight, width - 16),
            )
        painter.restore()

    @staticmethod
    def _paint_bar(painter: QPainter, highlight: Highlight, rect: QRect) -> None:
        """One segment per tag, so a highlight with two tags shows both colours."""
        colours = [t.colour for t in highlight.tags] or [UNTAGGED]
        segment = rect.height() / len(colours)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, colour in enumerate(colours):
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(
                QRectF(rect.left(), rect.top() + i * segment, rect.width(), segment), 2, 2
            )

    @staticmethod
    def _paint_chips(
        painter: QPainter, highlight: Highlight, rect: QRect, font: QFont, quiet: QColor
    ) -> None:
        metrics = QFontMetrics(font)
        painter.setFont(font)
        if not highlight.tags:
            painter.setPen(quiet)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "no tags")
            return
        x = rect.left()
        for i, tag in enumerate(highlight.tags):
            chip_width = metrics.horizontalAdvance(tag.name) + 12
            remaining = len(highlight.tags) - i
            more = f"+{remaining}"
            if x + chip_width > rect.right() and i > 0:
                painter.setPen(quiet)
                painter.drawText(QRect(x, rect.top(), rect.right() - x, rect.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, more)
                return
            chip = QRectF(x, rect.top(), min(chip_width, rect.right() - x), rect.height())
            colour = QColor(tag.colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(chip, rect.height() / 2, rect.height() / 2)
            painter.setPen(chip_text_colour(colour))
            painter.drawText(
                chip.toRect(),
                Qt.AlignmentFlag.AlignCenter,
                metrics.elidedText(tag.name, Qt.TextElideMode.ElideRight, int(chip.width()) - 8),
            )
            x += chip_width + 4
