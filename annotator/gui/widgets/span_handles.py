"""Drag handles on the selected highlight's two ends in the reader, to extend or shrink it with
the mouse (keyboard users keep Set Span).

A handle is a thin bar at the end's character boundary with a round knob (above the start,
below the end), in the palette's Highlight colour: the knob with a Base-coloured rim, the bar
a shade deeper, so both stand out on any tag colour in light and dark themes. Dragging one
moves that end to the boundary under the pointer, snapped to whole words: an end inside a
word goes to the word's edge, and neither end rests on white space. Holding Alt places it on
exact characters instead. The ends never cross (at least one character stays highlighted);
Escape cancels the drag; moving past the reader's top or bottom edge scrolls it. While
dragging, the reader shows the new extent; nothing is saved until the button is released,
when ``span_dragged`` hands the new span over (in core offsets) for one undoable command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QScrollBar, QWidget

from annotator.core.models import Highlight
from annotator.gui.offsets import OffsetMap
from annotator.gui.widgets.highlight_colours import is_dark


class Reader(Protocol):
    """What the handles need of the reader that owns them: its text, spans and painting, and
    the QPlainTextEdit calls used (a Protocol, so this module does not import the reader)."""

    text: str
    offsets: OffsetMap
    highlights: dict[int, Highlight]
    selected_highlight: int

    def selected_qt_span(self) -> tuple[int, int] | None: ...
    def preview_span(self, highlight_id: int, start: int, end: int) -> None: ...
    def viewport(self) -> QWidget: ...
    def document(self) -> QTextDocument: ...
    def blockBoundingGeometry(self, block: QTextBlock) -> QRectF: ...
    def contentOffset(self) -> QPointF: ...
    def cursorForPosition(self, pos: QPoint) -> QTextCursor: ...
    def verticalScrollBar(self) -> QScrollBar: ...
    def palette(self) -> QPalette: ...
    def installEventFilter(self, watcher: QObject) -> None: ...

BAR_WIDTH = 2.0
KNOB_RADIUS = 5.0
GRAB_MARGIN = 6  # pixels either side of the bar that still grab it
START, END = "start", "end"


def _wordlike(character: str) -> bool:
    return character.isalnum() or character in "_-'’"


def snapped(text: str, position: int, *, closing: bool) -> int:
    """``position`` (a code-point boundary) moved to a word edge: out of the word it splits,
    then off white space (forward for a start, back for an end)."""
    size = len(text)
    if 0 < position < size and _wordlike(text[position - 1]) and _wordlike(text[position]):
        if closing:
            while position < size and _wordlike(text[position]):
                position += 1
        else:
            while position > 0 and _wordlike(text[position - 1]):
                position -= 1
    if closing:
        while position > 0 and text[position - 1].isspace():
            position -= 1
    else:
        while position < size and text[position].isspace():
            position += 1
    return position


def dragged_span(
    text: str, span: tuple[int, int], moving: str, position: int, *, snap: bool
) -> tuple[int, int]:
    """The span after its ``moving`` end (START or END) is dragged to ``position``; all in
    code points. The other end stays put and at least one character stays inside."""
    start, end = span
    if snap:
        position = snapped(text, position, closing=moving == END)
    if moving == END:
        return start, max(start + 1, min(position, len(text)))
    return min(max(position, 0), end - 1), end


@dataclass
class _Drag:
    highlight_id: int
    moving: str
    stored: tuple[int, int]  # the span in the Library, restored on cancel
    shown: tuple[int, int]


class SpanHandles(QObject):
    """Watches the reader's viewport for presses on a handle; paints through ``paint``.

    ``span_dragged(highlight_id, start, end)``: a drag ended on a new span (core offsets).
    """

    span_dragged = Signal(int, int, int)

    def __init__(self, reader: Reader) -> None:
        super().__init__(reader)
        self.reader = reader
        self._drag: _Drag | None = None
        self._pressed = False  # the left button went down on a handle and is not up yet
        self._cursor_before: QCursor | None = None  # set while the pointer is over a handle
        # Where the handles were last shown, in document pixels (scrolling moves them), so
        # that spot is repainted when they move.
        self._painted: list[QRect] = []
        viewport = reader.viewport()
        viewport.setMouseTracking(True)  # the pointer's shape changes over a handle
        viewport.installEventFilter(self)
        reader.installEventFilter(self)  # Escape reaches the reader, not its viewport

    # ----------------------------------------------------------------- geometry
    def edges(self) -> dict[str, tuple[float, float, float]]:
        """Each handle's bar as (x, top, bottom) in viewport pixels; empty with no highlight
        selected."""
        span = self.reader.selected_qt_span()
        if span is None:
            return {}
        edges = {}
        for name, position in ((START, span[0]), (END, span[1])):
            edge = self._edge(position, closing=name == END)
            if edge is not None:
                edges[name] = edge
        return edges

    def _edge(self, position: int, *, closing: bool) -> tuple[float, float, float] | None:
        # An end is measured on the line of the character it closes, so an end at a line wrap
        # stays at the right of that line instead of jumping to the next line's start.
        reader = self.reader
        anchor = position - 1 if closing and position > 0 else position
        block = reader.document().findBlock(anchor)
        if not block.isValid() or block.layout() is None:
            return None
        layout = block.layout()
        line = layout.lineForTextPosition(anchor - block.position())
        if not line.isValid():
            return None
        x, _ = line.cursorToX(position - block.position())
        origin = reader.blockBoundingGeometry(block).translated(reader.contentOffset()).topLeft()
        origin += layout.position()
        top = origin.y() + line.y()
        return origin.x() + x, top, top + line.height()

    def handle_at(self, point: QPoint) -> str | None:
        """Which handle (START or END) is under viewport ``point``, if any."""
        best, distance = None, None
        reach = 2 * KNOB_RADIUS + 2
        for name, (x, top, bottom) in self.edges().items():
            area = QRectF(x - GRAB_MARGIN, top - (reach if name == START else 0),
                          2 * GRAB_MARGIN, bottom - top + reach)
            if area.contains(QPointF(point)) and (distance is None or abs(point.x() - x) < distance):
                best, distance = name, abs(point.x() - x)
        return best

    def handle_point(self, name: str) -> QPoint:
        """A point on the handle's knob, where a user would grab it (for tests and tools)."""
        x, top, bottom = self.edges()[name]
        y = top - KNOB_RADIUS if name == START else bottom + KNOB_RADIUS
        return QPoint(round(x), round(y))

    # ----------------------------------------------------------------- painting
    def refresh(self) -> None:
        """Repaint where the handles were and are: the knobs reach past the selection's own
        lines, which is all Qt repaints when the selection moves."""
        reach = 2 * KNOB_RADIUS + 2
        scrolled = self.reader.contentOffset().toPoint()
        now = [QRectF(x - reach, top - reach, 2 * reach, bottom - top + 2 * reach).toAlignedRect()
               .translated(-scrolled) for x, top, bottom in self.edges().values()]
        viewport = self.reader.viewport()
        for rect in self._painted + now:
            viewport.update(rect.translated(scrolled))
        self._painted = now

    def paint(self, painter: QPainter) -> None:
        edges = self.edges()
        if not edges:
            return
        palette = self.reader.palette()
        fill = palette.color(QPalette.ColorRole.Highlight)
        rim = QColor(palette.color(QPalette.ColorRole.Base))
        # The bar a shade deeper (lighter on a dark page) than the knob, so it still shows on a
        # highlight painted in a colour close to the palette's own.
        bar = fill.lighter(140) if is_dark(rim) else fill.darker(150)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for name, (x, top, bottom) in edges.items():
            # The bar solid (a rim would wash out two pixels), the knob rimmed: it sits over
            # the neighbouring line's text.
            painter.fillRect(QRectF(x - BAR_WIDTH / 2, top, BAR_WIDTH, bottom - top), bar)
            painter.setPen(QPen(rim, 1.0))
            painter.setBrush(fill)
            centre_y = top - KNOB_RADIUS if name == START else bottom + KNOB_RADIUS
            painter.drawEllipse(QPointF(x, centre_y), KNOB_RADIUS, KNOB_RADIUS)
        painter.restore()

    # ----------------------------------------------------------------- input
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # While a window is torn down, Python's garbage collector may clear this object's
        # attributes (it and its reader refer to each other) before Qt has destroyed the
        # viewport, which still sends its last events (Leave, Hide) here: nothing to do then.
        reader = getattr(self, "reader", None)
        if reader is None:
            return False
        kind = event.type()
        if watched is reader:
            if self._drag is not None and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
                assert isinstance(event, QKeyEvent)
                if event.key() == Qt.Key.Key_Escape:
                    if kind == QEvent.Type.KeyPress:
                        self.cancel()
                    event.accept()
                    return True
            return False
        if kind == QEvent.Type.Leave and self._drag is None:
            self._show_grab_cursor(False)
        if not isinstance(event, QMouseEvent):
            return False
        point = event.position().toPoint()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonPress and left:
            return self._press(point)
        if kind == QEvent.Type.MouseMove:
            if self._drag is None:
                self._show_grab_cursor(self.handle_at(point) is not None)
                return False
            self._move(point, snap=not event.modifiers() & Qt.KeyboardModifier.AltModifier)
            return True
        if kind == QEvent.Type.MouseButtonRelease and left and self._pressed:
            # After an Escape the release is still ours: the reader never saw the press and
            # would take it for a click beside the highlight.
            self._pressed = False
            if self._drag is not None:
                self._release()
            return True
        if kind == QEvent.Type.MouseButtonDblClick and left:
            return self._press(point)  # on a handle: a second drag, not a word selected
        return False

    def _press(self, point: QPoint) -> bool:
        moving = self.handle_at(point)
        hid = self.reader.selected_highlight
        if moving is None or hid not in self.reader.highlights:
            return False
        highlight = self.reader.highlights[hid]
        stored = (highlight.start, highlight.end)
        self._drag = _Drag(hid, moving, stored, stored)
        self._pressed = True
        self._show_grab_cursor(True)
        return True

    def _move(self, point: QPoint, *, snap: bool) -> None:
        drag = self._drag
        assert drag is not None
        if drag.highlight_id not in self.reader.highlights:
            self._drag = None  # the highlight went away under the drag (undo elsewhere)
            return
        reader = self.reader
        # Past the top or bottom edge each move scrolls a line, so an end can be taken beyond
        # the page on screen.
        bar = reader.verticalScrollBar()
        if point.y() < 0:
            bar.setValue(bar.value() - 1)
        elif point.y() > reader.viewport().height():
            bar.setValue(bar.value() + 1)
        position = reader.offsets.to_core(reader.cursorForPosition(point).position())
        span = dragged_span(reader.text, drag.stored, drag.moving, position, snap=snap)
        if span != drag.shown:
            drag.shown = span
            reader.preview_span(drag.highlight_id, *reader.offsets.span_to_qt(*span))

    def _release(self) -> None:
        drag = self._drag
        assert drag is not None
        self.cancel()  # what is painted goes back to what is stored until the command runs
        if drag.shown != drag.stored and drag.highlight_id in self.reader.highlights:
            self.span_dragged.emit(drag.highlight_id, *drag.shown)

    def cancel(self) -> None:
        """Drop the drag under way, if any, and show the stored span again."""
        drag, self._drag = self._drag, None
        if drag is not None and drag.highlight_id in self.reader.highlights:
            self.reader.preview_span(drag.highlight_id, *self.reader.offsets.span_to_qt(*drag.stored))

    def _show_grab_cursor(self, over: bool) -> None:
        viewport = self.reader.viewport()
        if over and self._cursor_before is None:
            self._cursor_before = viewport.cursor()
            viewport.setCursor(Qt.CursorShape.SizeHorCursor)
        elif not over and self._cursor_before is not None:
            viewport.setCursor(self._cursor_before)
            self._cursor_before = None
