"""The reader's left margin: page numbers of paged sources (PDF) beside the line where each
page begins, with a hairline. The stored text and its offsets stay untouched."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class PageGutter(QWidget):
    def __init__(self, reader: QPlainTextEdit) -> None:
        super().__init__(reader)
        self.reader = reader
        self.page_blocks: dict[int, int] = {}  # block number -> page number starting there

    def set_pages(self, page_blocks: dict[int, int]) -> None:
        self.page_blocks = page_blocks
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.page_blocks:
            return
        painter = QPainter(self)
        palette = self.palette()
        ink = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(ink)
        font = self.font()
        font.setPointSizeF(max(7.0, self.reader.font().pointSizeF() * 0.72))
        painter.setFont(font)
        block = self.reader.firstVisibleBlock()
        offset = self.reader.contentOffset()
        top_margin = self.reader.viewport().y()
        while block.isValid():
            geometry = self.reader.blockBoundingGeometry(block).translated(offset)
            top = round(geometry.top()) + top_margin
            if top > event.rect().bottom():
                break
            page = self.page_blocks.get(block.blockNumber())
            if page is not None and block.isVisible():
                line_height = round(block.layout().lineAt(0).height()) if block.layout().lineCount() else 16
                rect = QRect(0, top, self.width() - 10, line_height)
                painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"p. {page}")
                painter.drawLine(self.width() - 6, top + 2, self.width() - 6, top + line_height - 2)
            block = block.next()
        painter.end()
