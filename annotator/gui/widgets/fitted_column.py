"""A table column that takes the width the other columns leave (as a stretched one would)
until the user drags its edge: then it keeps the width chosen, wider than the view if need be
(the table scrolls sideways), so a long title can be read whole. A double-click on its edge
fits it to the view again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView


class FittedColumn(QObject):
    def __init__(self, table: QTableView, column: int) -> None:
        super().__init__(table)
        self.table, self.column = table, column
        self.chosen = False  # the user set the width
        self._fitting = False
        header = table.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)
        header.sectionHandleDoubleClicked.connect(self._handle_double_clicked)
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        """Give the column what the view's width leaves after the other shown columns."""
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != self.column and not header.isSectionHidden(c))
        width = max(header.minimumSectionSize(), self.table.viewport().width() - others)
        self._fitting = True
        try:
            header.resizeSection(self.column, width)
        finally:
            self._fitting = False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if self._fitting:
            return
        if column == self.column:
            self.chosen = True  # a drag on its edge (or a restored width the user had set)
        elif not self.chosen:
            self.fit()

    def _handle_double_clicked(self, column: int) -> None:
        if column == self.column:
            self.chosen = False
            self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self.chosen:
            self.fit()
        return False
