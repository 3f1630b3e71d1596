"""The reader: a document's text with its highlights painted in their tags' colours.

Speed (../shared/design/STACK.md): highlights are char formats set in one edit block on a
read-only document whose own undo is off; a change repaints only the stretch it touched. The
single selected highlight is the only extra selection, with drag handles on its ends
(span_handles). Positions inside this widget are UTF-16 units; ``OffsetMap`` converts to and
from the core's code points.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.models import Document, Highlight
from annotator.core.text import merge_intervals
from annotator.gui.coder_labels import coded_by
from annotator.gui.offsets import OffsetMap
from annotator.gui.widgets.coding_stripes import STRIPES_WIDTH, CodingStripes
from annotator.gui.widgets.highlight_colours import UNTAGGED_COLOUR, LayerFormats
from annotator.gui.widgets.highlight_layers import segments
from annotator.gui.widgets.page_gutter import PageGutter
from annotator.gui.widgets.reader_layout import PARAGRAPH_GAP, ParagraphLayout, needs_gaps, set_paragraph_gap
from annotator.gui.widgets.reader_text import REFLOW_FORMATS, display_text
from annotator.gui.widgets.span_handles import SpanHandles

GUTTER_WIDTH = 48
# A comfortable measure for running text, wide enough that PDF lines (hard-wrapped at about
# 90 characters) do not wrap again.
LINE_CHARACTERS = 96
SERIF_CANDIDATES = ("Source Serif 4", "Source Serif Pro", "Noto Serif", "DejaVu Serif",
                    "Liberation Serif", "Georgia", "Times New Roman")


def mark_format(colour: str) -> QTextCharFormat:
    """A thick underline in ``colour``: a compared coder's passage, over whatever is painted."""
    char_format = QTextCharFormat()
    char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    char_format.setUnderlineColor(QColor(colour))
    char_format.setFontUnderline(True)
    return char_format


def reader_font_family(preferred: str = "") -> str:
    families = set(QFontDatabase.families())
    for family in (preferred, *SERIF_CANDIDATES):
        if family and family in families:
            return family
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()


class Reader(QPlainTextEdit):
    """``highlight_clicked(int)``: a click landed in a highlight (0: outside any).
    ``recent_tag_key(int)``: keys 1–9 pressed (index 0–8). ``delete_requested()``: Delete key.
    """

    highlight_clicked = Signal(int)
    recent_tag_key = Signal(int)
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setCursorWidth(0)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.document_id: int | None = None
        self.offsets = OffsetMap("")
        self.text = ""  # the stored text (code points), for the handles' word snapping
        self.highlights: dict[int, Highlight] = {}
        self.tag_filter: set[int] | None = None
        # Set by ``coder_view``: coder -> colour when painting by coder (None: by tag), the
        # coders whose highlights may show (None: all), and whether to name coders at all.
        self.coder_colours: dict[str, str] | None = None
        self.coders_shown: frozenset[str] | None = None
        self.show_coders = False
        self.selected_highlight = 0
        # Core spans underlined in a colour each (coders' passages shown side by side in the
        # reader by the disagreement browser); cleared when another document opens.
        self.marks: list[tuple[int, int, str]] = []
        self.context_actions: list = []
        self._spans: dict[int, tuple[int, int]] = {}  # highlight id -> UTF-16 span
        self._formats = LayerFormats(self.palette().color(QPalette.ColorRole.Base))
        self._gutter = PageGutter(self)
        self.stripes = CodingStripes(self)
        self.spans_version = 0  # bumped whenever a highlight's span comes, goes or moves
        document = QTextDocument(self)
        document.setDocumentLayout(ParagraphLayout(document))
        self.setDocument(document)
        self._gaps = False  # whether the open document's paragraphs get a gap after them
        self._font_family = reader_font_family()
        self.set_font_size(13)
        self._match_page_colours()
        self.updateRequest.connect(self._margin_update)
        self.span_handles = SpanHandles(self)

    def _margin_update(self, *_args: object) -> None:
        self._gutter.update()
        self.stripes.update()

    # ----------------------------------------------------------------- appearance
    def set_font(self, family: str, size: int) -> None:
        self._font_family = reader_font_family(family)
        self.set_font_size(size)

    def set_font_size(self, size: int) -> None:
        font = QFont(self._font_family)
        font.setPointSize(size)
        font.setStyleHint(QFont.StyleHint.Serif)
        self.setFont(font)
        self._update_margins()
        self._set_gaps()

    def _set_gaps(self) -> None:
        gap = round(self.fontMetrics().lineSpacing() * PARAGRAPH_GAP) if self._gaps else 0
        if self.document().begin().blockFormat().bottomMargin() != gap:
            set_paragraph_gap(self.document(), gap)

    def font_size(self) -> int:
        return self.font().pointSize()

    def _match_page_colours(self) -> None:
        # The margins around the text column are part of the page, not the window behind it.
        # Only Window is set on our own palette, so every other role keeps following the
        # application's (a copy of self.palette() would pin them all to today's theme).
        palette = QPalette()
        palette.setResolveMask(0)
        palette.setColor(QPalette.ColorRole.Window, self.palette().color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self._gutter.setPalette(palette)
        self.stripes.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            base = self.palette().color(QPalette.ColorRole.Base)
            if self.palette().color(QPalette.ColorRole.Window) != base:
                self._match_page_colours()  # the page's margins were set from the old palette
            if base != self._formats.base:
                self._formats = LayerFormats(base)
                self.repaint_all()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_margins()

    def _update_margins(self) -> None:
        """Centre a text column of about LINE_CHARACTERS characters; the page gutter and the
        coding stripes live in the left margin."""
        measure = self.fontMetrics().averageCharWidth() * LINE_CHARACTERS
        spare = max(0, self.width() - measure - GUTTER_WIDTH - STRIPES_WIDTH - 24)
        side = spare // 2
        left, right = GUTTER_WIDTH + STRIPES_WIDTH + side, side + 24
        if self.viewportMargins().left() != left or self.viewportMargins().right() != right:
            self.setViewportMargins(left, 12, right, 0)
        self._gutter.setGeometry(side, 0, GUTTER_WIDTH, self.height())
        self.stripes.setGeometry(side + GUTTER_WIDTH, 0, STRIPES_WIDTH, self.height())

    # ----------------------------------------------------------------- content
    def show_document(self, document: Document, text: str, highlights: Iterable[Highlight]) -> None:
        """Show a document and paint all its highlights (the open path: one edit block)."""
        self.span_handles.cancel()
        self.document_id = document.id
        self.offsets = OffsetMap(text)
        self.text = text
        self.selected_highlight = 0
        self.marks = []
        self.setExtraSelections([])
        self.document().setUndoRedoEnabled(False)
        shown = display_text(text, document.format)
        self._set_plain_text(shown)
        self.document().setUndoRedoEnabled(False)
        self._gaps = needs_gaps(shown, document.format.lower() in REFLOW_FORMATS)
        self._set_gaps()
        self.highlights = {h.id: h for h in highlights}
        self._spans = {h.id: self.offsets.span_to_qt(h.start, h.end) for h in self.highlights.values()}
        self.spans_version += 1
        self._paint(None, None)
        self._set_pages(document)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def clear_document(self) -> None:
        self.span_handles.cancel()
        self.document_id = None
        self.offsets = OffsetMap("")
        self.text = ""
        self.highlights = {}
        self._spans = {}
        self.spans_version += 1
        self.selected_highlight = 0
        self.marks = []
        self.setExtraSelections([])
        self._set_plain_text("")
        self._gaps = False
        self._gutter.set_pages({})

    def _set_plain_text(self, text: str) -> None:
        """Replace the text with no formats at all. QPlainTextEdit gives a new text the
        cursor's character format, and the cursor sits in whatever highlight was last clicked
        or tagged: left alone, that colour would flood the next document."""
        cursor = QTextCursor(self.document())
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(text)

    def _set_pages(self, document: Document) -> None:
        blocks: dict[int, int] = {}
        if len(document.page_map) > 1:
            doc = self.document()
            for page in document.page_map:
                if page.end > page.start:
                    block = doc.findBlock(self.offsets.to_qt(page.start))
                    blocks.setdefault(block.blockNumber(), page.number)
        self._gutter.set_pages(blocks)

    # ----------------------------------------------------------------- painting
    def _visible(self, highlight: Highlight) -> bool:
        if self.tag_filter is None:
            return True
        return any(t.id in self.tag_filter for t in highlight.tags)

    shows = _visible  # whether the codebook's checks let this highlight show

    def shows_tag(self, tag_id: int) -> bool:
        return self.tag_filter is None or tag_id in self.tag_filter

    def spans(self) -> dict[int, tuple[int, int]]:
        """Highlight id -> its span as shown (UTF-16); read, do not change."""
        return self._spans

    def _colour(self, highlight: Highlight) -> str:
        if self.coder_colours is not None:
            return self.coder_colours.get(highlight.author, UNTAGGED_COLOUR)
        for tag in highlight.tags:
            if self.tag_filter is None or tag.id in self.tag_filter:
                return tag.colour
        return UNTAGGED_COLOUR

    def _paint(self, lo: int | None, hi: int | None) -> None:
        """Set the formats of ``[lo, hi)`` (everything when None) from the highlights."""
        if lo is None or hi is None:
            self._paint_ranges(None)
        else:
            self._paint_ranges([(lo, hi)])

    def _paint_ranges(self, ranges: list[tuple[int, int]] | None) -> None:
        """Set the formats of each of ``ranges`` (sorted, disjoint; None: everything) from
        the highlights, in one edit block."""
        cursor = QTextCursor(self.document())
        keep = QTextCursor.MoveMode.KeepAnchor
        set_position, set_format = cursor.setPosition, cursor.setCharFormat
        if ranges is None:
            jobs: list[tuple[int | None, int | None, list[tuple[int, int, int]]]] = [
                (None, None, [(s, e, hid) for hid, (s, e) in self._spans.items()])]
        else:
            # Each highlight goes to the ranges it overlaps: one pass over the spans, so a
            # recoloured tag's few hundred scattered highlights cost no more than one range.
            ends = [hi for _, hi in ranges]
            buckets: list[list[tuple[int, int, int]]] = [[] for _ in ranges]
            for hid, (s, e) in self._spans.items():
                i = bisect_right(ends, s)
                while i < len(ranges) and ranges[i][0] < e:
                    buckets[i].append((s, e, hid))
                    i += 1
            jobs = [(lo, hi, spans) for (lo, hi), spans in zip(ranges, buckets)]
        format_for = self._formats.format_for
        cursor.beginEditBlock()
        for lo, hi, spans in jobs:
            if lo is not None and hi is not None:
                set_position(lo)
                set_position(hi, keep)
                set_format(QTextCharFormat())
            colours = {hid: self._colour(self.highlights[hid]) for _, _, hid in spans}
            if self.tag_filter is not None:
                spans = [s for s in spans if self._visible(self.highlights[s[2]])]
            for start, end, ids in segments(spans, lo, hi):
                set_position(start)
                set_position(end, keep)
                set_format(format_for(tuple(colours[i] for i in ids)))
        cursor.endEditBlock()
        self.stripes.update()

    def repaint_all(self) -> None:
        if self.document_id is None:
            return
        self._paint(0, self.document().characterCount() - 1)
        self._show_selection()

    def update_highlights(self, changed: Iterable[Highlight], removed: Iterable[int] = ()) -> None:
        """Repaint only the stretch touched by these highlights (old and new spans)."""
        touched: list[tuple[int, int]] = []
        for hid in removed:
            if hid in self._spans:
                touched.append(self._spans.pop(hid))
                self.highlights.pop(hid, None)
        shown = self.coders_shown
        for h in changed:
            if h.document_id != self.document_id:
                continue
            if shown is not None and h.author not in shown:
                # Another coder's highlight while only some coders show (blind coding): an
                # edit of it (an undo, a colleague's change) must not paint it here.
                if h.id in self._spans:
                    touched.append(self._spans.pop(h.id))
                    self.highlights.pop(h.id, None)
                continue
            if h.id in self._spans:
                touched.append(self._spans[h.id])
            span = self.offsets.span_to_qt(h.start, h.end)
            self._spans[h.id] = span
            self.highlights[h.id] = h
            touched.append(span)
        if not touched:
            return
        self.spans_version += 1
        self._paint_ranges(merge_intervals(touched))
        if self.selected_highlight and self.selected_highlight not in self.highlights:
            self.selected_highlight = 0
        self._show_selection()

    def set_tag_filter(self, tag_ids: set[int] | None) -> None:
        self.tag_filter = set(tag_ids) if tag_ids is not None else None
        self.repaint_all()

    # ----------------------------------------------------------------- selection
    def select_highlight(self, highlight_id: int, *, scroll: bool = True) -> None:
        self.selected_highlight = highlight_id if highlight_id in self.highlights else 0
        self._show_selection()
        if scroll and self.selected_highlight:
            start, end = self._spans[self.selected_highlight]
            cursor = QTextCursor(self.document())
            cursor.setPosition(end)
            self.setTextCursor(cursor)
            cursor.setPosition(start)
            self.setTextCursor(cursor)
            self.centerCursor()

    def preview_span(self, highlight_id: int, start: int, end: int) -> None:
        """Paint ``highlight_id`` over UTF-16 ``[start, end)`` without saving anything (a
        handle being dragged); the next update_highlights paints what is stored."""
        old = self._spans.get(highlight_id)
        if old is None or old == (start, end):
            return
        self._spans[highlight_id] = (start, end)
        self.spans_version += 1
        self._paint_ranges(merge_intervals([old, (start, end)]))
        self._show_selection()

    def selected_qt_span(self) -> tuple[int, int] | None:
        """The selected highlight's span as shown (UTF-16), or None."""
        return self._spans.get(self.selected_highlight) if self.selected_highlight else None

    def set_marks(self, marks: Iterable[tuple[int, int, str]]) -> None:
        """Underline these core spans, each in its colour, over the painted highlights."""
        self.marks = list(marks)
        self._show_selection()

    def _extra(self, start: int, end: int, char_format: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = char_format
        return selection

    def _show_selection(self) -> None:
        self.span_handles.refresh()
        self.stripes.update()
        shown = [self._extra(*self.offsets.span_to_qt(s, e), mark_format(colour))
                 for s, e, colour in self.marks]
        hid = self.selected_highlight
        if hid and hid in self._spans:
            start, end = self._spans[hid]
            shown.append(self._extra(start, end,
                                     self._formats.selected_format(self._colour(self.highlights[hid]))))
        self.setExtraSelections(shown)

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as core offsets (code points), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.document_id is None:
            return None
        start, end = self.offsets.span_to_core(cursor.selectionStart(), cursor.selectionEnd())
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` given in core offsets (used by search hits and tests)."""
        qs, qe = self.offsets.span_to_qt(start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(qs)
        cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def highlight_at(self, position: int) -> int:
        """The innermost highlight covering the character at UTF-16 ``position`` (0: none)."""
        best, best_len = 0, None
        for hid, (start, end) in self._spans.items():
            if start <= position < end and self._visible(self.highlights[hid]):
                if best_len is None or end - start < best_len:
                    best, best_len = hid, end - start
        return best

    def char_format_at(self, offset: int) -> QTextCharFormat:
        """The painted format of the character at core ``offset`` (for tests and tools)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(offset) + 1)
        return cursor.charFormat()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        self.span_handles.paint(painter)
        painter.end()

    # ----------------------------------------------------------------- input
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self.click_at(event.position().toPoint())

    def click_at(self, point: QPoint) -> None:
        """Select the highlight under ``point`` (viewport coordinates). The cursor lands
        between characters, so the character after it is tried first, then the one before."""
        position = self.cursorForPosition(point).position()
        self.choose_highlight(self.highlight_at(position) or self.highlight_at(position - 1))

    def choose_highlight(self, highlight_id: int) -> None:
        """The user picked this highlight (0: none), by a click in the text or on a stripe."""
        self.selected_highlight = highlight_id
        self._show_selection()
        self.highlight_clicked.emit(highlight_id)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            position = self.cursorForPosition(event.pos()).position()
            hid = self.highlight_at(position) or self.highlight_at(position - 1)
            if hid:
                QToolTip.showText(event.globalPos(), self._tooltip(self.highlights[hid]), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, highlight: Highlight) -> str:
        """Tags and note of a highlight, shown on hover."""
        tags = ", ".join(t.name for t in highlight.tags) or "no tags"
        lines = [f"<b>{html.escape(tags)}</b>"]
        if highlight.note:
            note = highlight.note if len(highlight.note) <= 300 else highlight.note[:299] + "…"
            lines.append(html.escape(note).replace("\n", "<br>"))
        if highlight.page:
            lines.append(f"<i>page {highlight.page}</i>")
        if self.show_coders:
            lines.append(f"<i>{html.escape(coded_by(highlight))}</i>")
        return "<br>".join(lines)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.recent_tag_key.emit(key - Qt.Key.Key_1)
            return
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
            return
        if plain and key == Qt.Key.Key_Escape and (self.selected_highlight or self.textCursor().hasSelection()):
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.selected_highlight = 0
            self._show_selection()
            self.highlight_clicked.emit(0)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.addSeparator()
        copy = menu.addAction("Copy")
        copy.setEnabled(self.textCursor().hasSelection())
        copy.triggered.connect(self.copy)
        menu.exec(event.globalPos())

