"""Widths that fit a text: what QLineEdit.sizeHint computes, for a given text instead of its
seventeen "x"s, and a label that elides rather than clips or widens its row."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QStyle, QStyleOptionFrame

LINE_EDIT_MARGIN = 2  # QLineEdit's own horizontal margin inside the frame, each side


def line_edit_width(edit: QLineEdit, *texts: str) -> int:
    """The width at which ``edit`` shows the widest of ``texts`` whole."""
    metrics = edit.fontMetrics()
    text = max((metrics.horizontalAdvance(t) for t in texts), default=0)
    margins, text_margins = edit.contentsMargins(), edit.textMargins()
    width = (text + 2 * LINE_EDIT_MARGIN + margins.left() + margins.right()
             + text_margins.left() + text_margins.right())
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    size = QSize(width, metrics.height())
    return edit.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, option, size, edit).width()


class ElidedLabel(QLabel):
    """One line of plain text, elided at the right when the label is narrower than the text;
    ``text()`` stays whole and is the tooltip."""

    def __init__(self, text: str = "", parent=None) -> None:  # noqa: ANN001 - QWidget | None
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 6, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                                  self.palette(), self.isEnabled(), shown, self.foregroundRole())
        painter.end()
