"""Paints a keyword in context (KWIC): the match centred and bold on a tint of the tag colour,
the text before it elided on the left and the text after it elided on the right, so a column
of mentions lines up on the keyword as in a concordance."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from annotator.gui.swatches import chip_text_colour

BEFORE_ROLE = Qt.ItemDataRole.UserRole + 11
MATCH_ROLE = Qt.ItemDataRole.UserRole + 12
AFTER_ROLE = Qt.ItemDataRole.UserRole + 13
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 14


def one_line(text: str) -> str:
    return " ".join(text.split())


class KeywordInContextDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), QFontMetrics(option.font).height() + 10)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        before = one_line(index.data(BEFORE_ROLE) or "")
        match = one_line(index.data(MATCH_ROLE) or "")
        after = one_line(index.data(AFTER_ROLE) or "")
        rect = opt.rect.adjusted(6, 0, -6, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text

        bold = QFont(opt.font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        metrics = QFontMetrics(opt.font)
        match_width = min(bold_metrics.horizontalAdvance(match) + 6, rect.width() // 2)
        left_edge = rect.left() + (rect.width() - match_width) // 2
        match_rect = QRect(left_edge, rect.top() + 2, match_width, rect.height() - 4)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(opt.palette.color(text_role))
        painter.setFont(opt.font)
        left = QRect(rect.left(), rect.top(), left_edge - rect.left() - 2, rect.height())
        painter.drawText(
            left,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(before, Qt.TextElideMode.ElideLeft, left.width()),
        )
        right = QRect(match_rect.right() + 3, rect.top(), rect.right() - match_rect.right() - 3, rect.height())
        painter.drawText(
            right,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(after, Qt.TextElideMode.ElideRight, right.width()),
        )
        colour = QColor(index.data(COLOUR_ROLE) or opt.palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(match_rect, 3, 3)
        painter.setPen(chip_text_colour(colour))
        painter.setFont(bold)
        painter.drawText(
            match_rect,
            Qt.AlignmentFlag.AlignCenter,
            bold_metrics.elidedText(match, Qt.TextElideMode.ElideRight, match_rect.width() - 4),
        )
        painter.restore()

