"""Keyword-in-context view: every match centred in a fixed-width line of context, sortable by
the word to its left or right, for concordance reading of search results."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core.search_results import KwicLine

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
LINE_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Left context", "Match", "Right context", "Document")
LEFT, MATCH, RIGHT, DOCUMENT = range(4)


class KwicView(QTableView):
    """``open_line(document_id, start, end)`` on Enter or double-click. Click the Left or Right
    header to sort by the word next to the match on that side."""

    open_line = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(0, len(COLUMNS), self)
        self._model.setHorizontalHeaderLabels(list(COLUMNS))
        self._model.setSortRole(SORT_ROLE)
        self.setModel(self._model)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(LEFT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MATCH, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RIGHT, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.doubleClicked.connect(self._open)

    def set_lines(self, lines: list[KwicLine]) -> None:
        self.setSortingEnabled(False)  # inserting into a sorted model reorders every row
        self._model.removeRows(0, self._model.rowCount())
        for line in lines:
            left = QStandardItem(line.left)
            left.setData(line.left_word, SORT_ROLE)
            left.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            match = QStandardItem(line.match)
            match.setData(line.match.casefold(), SORT_ROLE)
            font = match.font()
            font.setBold(True)
            match.setFont(font)
            right = QStandardItem(line.right)
            right.setData(line.right_word, SORT_ROLE)
            document = QStandardItem(line.title)
            document.setData((line.title.casefold(), line.start), SORT_ROLE)
            for item in (left, match, right, document):
                item.setData(line, LINE_ROLE)
            self._model.appendRow([left, match, right, document])
        self.setSortingEnabled(True)

    def line_count(self) -> int:
        return self._model.rowCount()

    def line_at(self, row: int) -> KwicLine:
        return self._model.item(row, 0).data(LINE_ROLE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        line: KwicLine | None = index.data(LINE_ROLE)
        if line is not None:
            self.open_line.emit(line.document_id, line.start, line.end)
