"""The reader's coding stripes, as MAXQDA, NVivo and QualCoder draw them: beside the text, one
thin bar per tag of each highlight, in the tag's colour, from the highlight's first line to its
last; overlapping highlights stand side by side. Hovering a stripe names its tag, a click
selects its highlight; a small mark at a highlight's first line says it has a note.

Only the highlights on screen are laid out and painted (the reader opens documents with
thousands), found by bisecting a list of spans sorted by start that is rebuilt only when the
highlights change."""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.core.models import Highlight, TagRef
from annotator.gui.widgets.highlight_colours import UNTAGGED_COLOUR


class Reader(Protocol):
    """What the stripes need of the reader that owns them: its highlights and spans, which
    of them it shows, and the QPlainTextEdit calls used (a Protocol, so this module does not
    import the reader)."""

    highlights: dict[int, Highlight]
    selected_highlight: int
    spans_version: int

    def spans(self) -> dict[int, tuple[int, int]]: ...
    def shows(self, highlight: Highlight) -> bool: ...
    def shows_tag(self, tag_id: int) -> bool: ...
    def choose_highlight(self, highlight_id: int) -> None: ...
    def viewport(self) -> QWidget: ...
    def document(self) -> QTextDocument: ...
    def blockBoundingGeometry(self, block: QTextBlock) -> QRectF: ...
    def contentOffset(self) -> QPointF: ...
    def cursorForPosition(self, pos: QPoint) -> QTextCursor: ...
    def textCursor(self) -> QTextCursor: ...
    def setTextCursor(self, cursor: QTextCursor) -> None: ...

STRIPE = 4  # px wide
STRIPE_GAP = 2
MAX_COLUMNS = 6  # side by side; deeper overlaps share the outermost column
NOTE_MARK = 8  # px, the note mark's column at the left
STRIPES_WIDTH = NOTE_MARK + 4 + MAX_COLUMNS * (STRIPE + STRIPE_GAP)


@dataclass(frozen=True, slots=True)
class Stripe:
    rect: QRect
    highlight_id: int
    tag: TagRef | None  # None: an untagged highlight


class CodingStripes(QWidget):
    def __init__(self, reader: Reader) -> None:
        super().__init__(reader)  # type: ignore[arg-type]  # the reader is a QWidget
        self.reader = reader
        self.setMouseTracking(True)
        self.stripes: list[Stripe] = []  # as last painted, for hover and clicks
        self.note_marks: list[tuple[QRect, int]] = []
        self._version = -1
        self._starts: list[int] = []
        self._sorted: list[tuple[int, int, int]] = []  # (start, end, highlight id), UTF-16
        self._longest = 0

    # ----------------------------------------------------------------- layout
    def _index(self) -> None:
        if self._version == self.reader.spans_version:
            return
        self._version = self.reader.spans_version
        self._sorted = sorted((s, e, hid) for hid, (s, e) in self.reader.spans().items())
        self._starts = [s for s, _, _ in self._sorted]
        self._longest = max((e - s for s, e, _ in self._sorted), default=0)

    def on_screen(self) -> list[tuple[int, int, int]]:
        """The spans that show between the first and the last visible line."""
        self._index()
        if not self._sorted:
            return []
        viewport = self.reader.viewport()
        first = self.reader.cursorForPosition(QPoint(0, 0)).position()
        last = self.reader.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        lo = bisect_left(self._starts, first - self._longest)
        hi = bisect_right(self._starts, last)
        return [span for span in self._sorted[lo:hi] if span[1] > first]

    def layout_stripes(self) -> None:
        """Place a stripe for each tag of each highlight on screen, and the note marks."""
        reader = self.reader
        stripes: list[Stripe] = []
        marks: list[tuple[QRect, int]] = []
        column_ends: list[int] = []  # per column, the bottom of the last stripe in it
        right = self.width() - 2
        for start, end, hid in self.on_screen():
            highlight = reader.highlights.get(hid)
            if highlight is None or not reader.shows(highlight):
                continue
            top, bottom = self._y(start), self._y(max(start, end - 1), bottom=True)
            tags: list[TagRef | None] = [t for t in highlight.tags if reader.shows_tag(t.id)] or [None]
            for tag in tags:
                column = next((i for i, b in enumerate(column_ends) if b < top), len(column_ends))
                if column == len(column_ends):
                    column_ends.append(bottom)
                else:
                    column_ends[column] = bottom
                column = min(column, MAX_COLUMNS - 1)
                x = right - (column + 1) * (STRIPE + STRIPE_GAP) + STRIPE_GAP
                stripes.append(Stripe(QRect(x, top, STRIPE, max(2, bottom - top)), hid, tag))
            if highlight.note:
                marks.append((QRect(1, top + 2, NOTE_MARK - 1, NOTE_MARK + 1), hid))
        self.stripes, self.note_marks = stripes, marks

    def _y(self, position: int, *, bottom: bool = False) -> int:
        reader = self.reader
        block = reader.document().findBlock(position)
        geometry = reader.blockBoundingGeometry(block).translated(reader.contentOffset())
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
        y = geometry.top() + reader.viewport().y()
        if line is not None and line.isValid():
            return round(y + (line.y() + line.height() if bottom else line.y()))
        return round(y + (geometry.height() if bottom else 0))

    # ----------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        self.layout_stripes()
        if not self.stripes:
            return
        painter = QPainter(self)
        palette = self.palette()
        selected = self.reader.selected_highlight
        ink = palette.color(QPalette.ColorRole.Text)
        for stripe in self.stripes:
            colour = QColor(stripe.tag.colour if stripe.tag is not None else UNTAGGED_COLOUR)
            painter.fillRect(stripe.rect, colour)
            if stripe.highlight_id == selected:
                painter.setPen(ink)
                painter.drawRect(stripe.rect.adjusted(-1, -1, 0, 0))
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(muted)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        for rect, _hid in self.note_marks:
            # A sheet with its corner turned: "this passage has a note".
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            painter.drawLine(rect.left() + 2, rect.top() + 3, rect.right() - 2, rect.top() + 3)
            painter.drawLine(rect.left() + 2, rect.top() + 5, rect.right() - 2, rect.top() + 5)
        painter.end()

    # ----------------------------------------------------------------- hover and clicks
    def item_at(self, point: QPoint) -> tuple[int, str] | None:
        """(highlight id, what to say about it) under ``point``; stripes are hit a pixel wide
        either side, they are thin."""
        for rect, hid in self.note_marks:
            if rect.adjusted(-1, -1, 1, 1).contains(point):
                highlight = self.reader.highlights[hid]
                return hid, _note_tip(highlight)
        for stripe in reversed(self.stripes):
            if stripe.rect.adjusted(-1, 0, 1, 0).contains(point):
                highlight = self.reader.highlights[stripe.highlight_id]
                return stripe.highlight_id, _stripe_tip(highlight, stripe.tag)
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = self.item_at(event.pos())
            if found is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), found[1], self)
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self.item_at(event.position().toPoint())
        self.setCursor(Qt.CursorShape.PointingHandCursor if found else Qt.CursorShape.ArrowCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        found = self.item_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and found is not None:
            cursor = self.reader.textCursor()
            if cursor.hasSelection():
                cursor.clearSelection()
                self.reader.setTextCursor(cursor)
            self.reader.choose_highlight(found[0])
            event.accept()
            return
        super().mousePressEvent(event)


def _quote(highlight: Highlight, limit: int = 80) -> str:
    text = " ".join(highlight.text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stripe_tip(highlight: Highlight, tag: TagRef | None) -> str:
    name = tag.name if tag is not None else "no tags"
    others = [t.name for t in highlight.tags if tag is None or t.id != tag.id]
    lines = [f"<b>{html.escape(name)}</b>", f"“{html.escape(_quote(highlight))}”"]
    if others:
        lines.append("also: " + html.escape(", ".join(others)))
    if highlight.note:
        lines.append("<i>has a note</i>")
    return "<br>".join(lines)


def _note_tip(highlight: Highlight) -> str:
    note = highlight.note if len(highlight.note) <= 300 else highlight.note[:299] + "…"
    return "<b>Note</b><br>" + html.escape(note).replace("\n", "<br>")



