"""Space between paragraphs in the reader without touching the text.

QPlainTextEdit (chosen for speed on long documents) lays blocks out edge to edge and ignores
``QTextBlockFormat`` margins. ``ParagraphLayout`` is its layout, made to honour each block's
bottom margin: everything the editor places (painting, clicks, the cursor, scrolling, the page
gutter) asks the layout for block rectangles, so the gap is consistent everywhere, and the
characters — hence every offset — are exactly those stored.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

# The gap after a paragraph, as a share of the reader's line height.
PARAGRAPH_GAP = 0.6


class ParagraphLayout(QPlainTextDocumentLayout):
    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        gap = block.blockFormat().bottomMargin()
        if gap and rect.height():
            rect.setHeight(rect.height() + gap)
        return rect


def needs_gaps(text: str, reflowed: bool) -> bool:
    """Whether paragraphs need a gap: text whose paragraphs are already apart (a blank line
    between them, as in most articles) keeps its own spacing. Reflowed PDF text has one
    paragraph per line."""
    return reflowed or "\n\n" not in text


def set_paragraph_gap(document: QTextDocument, gap: float) -> None:
    """Give every block a bottom margin of ``gap`` pixels (0: none), in one edit."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(gap)
    cursor.mergeBlockFormat(fmt)
    cursor.endEditBlock()
