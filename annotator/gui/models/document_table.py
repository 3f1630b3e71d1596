"""The Library pane's table: one row per document (title, author, published, format,
highlight count, then one editable column per document variable), sorted by real values in
Python (``sort``), filtered by ``DocumentFilterProxy``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from annotator.core.models import Document
from annotator.core.variables import NUMBER, Variable
from annotator.gui.icons import icon

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
VARIABLE_ROLE = Qt.ItemDataRole.UserRole + 3
NAME_ROLE = Qt.ItemDataRole.UserRole + 4  # a column's name in words (for the header's menu)

COLUMNS = ("Title", "Author", "Published", "Type", "Highlights")
TITLE, AUTHOR, PUBLISHED, FORMAT, HIGHLIGHTS = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    """Sorts itself (``sort``) in Python, one key per document: a QSortFilterProxyModel
    sorting 20,000 rows asks ``data`` for a key at every comparison, which took ten seconds
    when a large project opened. Pair it with ``DocumentFilterProxy``, which only filters."""

    # A variable cell was edited: (document id, variable name, new text).
    variable_edited = Signal(int, str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.documents: list[Document] = []
        self.variables: list[Variable] = []
        self.values: dict[int, dict[str, str]] = {}
        self._rows: dict[int, int] = {}
        self._haystacks: list[str] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_documents(self, documents: Sequence[Document],
                      variables: Sequence[Variable] | None = None,
                      values: Mapping[int, dict[str, str]] | None = None) -> None:
        """The documents and, when given, the user's variables and every document's values
        (one column per variable after the fixed ones)."""
        self.beginResetModel()
        self.documents = list(documents)
        if variables is not None:
            self.variables = list(variables)
            self.values = dict(values or {})
        if self._sort is not None:
            self._sort_documents(*self._sort)
        self._reindex_rows()
        self.endResetModel()

    @property
    def sorted_by(self) -> tuple[int, Qt.SortOrder] | None:
        """The column and order the rows are sorted by (None before the first sort)."""
        return self._sort

    def row_of(self, document_id: int) -> int | None:
        return self._rows.get(document_id)

    def set_highlight_counts(self, counts: Mapping[int, int]) -> None:
        """New highlight counts (document id -> count) in place: only those cells change, and
        the rows are re-sorted only when the table is sorted by the count."""
        changed = False
        for doc_id, count in counts.items():
            row = self._rows.get(doc_id)
            if row is None or self.documents[row].highlight_count == count:
                continue
            self.documents[row] = replace(self.documents[row], highlight_count=count)
            self._haystacks = None  # the filter matches the count's text too
            changed = True
            cell = self.index(row, HIGHLIGHTS)
            self.dataChanged.emit(cell, cell)
        if changed and self._sort is not None and self._sort[0] == HIGHLIGHTS:
            self.sort(*self._sort)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self.documents[i.row()].id for i in before]
        self._sort_documents(column, order)
        self._reindex_rows()
        self.changePersistentIndexList(
            before, [self.index(self._rows[doc_id], i.column()) for i, doc_id in zip(before, ids)]
        )
        self.layoutChanged.emit()

    def _sort_documents(self, column: int, order: Qt.SortOrder) -> None:
        # Python's sort is stable in both directions, as Qt's proxy sort was.
        if column >= len(COLUMNS):
            self.documents.sort(key=self._variable_key(column),
                                reverse=order == Qt.SortOrder.DescendingOrder)
            return
        self.documents.sort(key=lambda doc: _sort_key(doc, column),
                            reverse=order == Qt.SortOrder.DescendingOrder)

    def variable_of(self, column: int) -> Variable | None:
        """The variable a column shows (None for the fixed columns)."""
        at = column - len(COLUMNS)
        return self.variables[at] if 0 <= at < len(self.variables) else None

    def _variable_key(self, column: int) -> Any:
        variable = self.variable_of(column)
        name = variable.name if variable else ""
        numeric = variable is not None and variable.type == NUMBER

        def key(doc: Document) -> Any:
            value = self.values.get(doc.id, {}).get(name)
            if value is None:
                return (0, 0.0, "")  # documents without a value first, in both directions
            if numeric:
                return (1, float(value), "")
            return (1, 0.0, value.casefold())

        return key

    def _reindex_rows(self) -> None:
        self._rows = {doc.id: row for row, doc in enumerate(self.documents)}
        self._haystacks = None

    def matches(self, row: int, needle: str) -> bool:
        """Whether any shown cell of ``row`` contains ``needle`` (already case-folded)."""
        if self._haystacks is None:
            self._haystacks = [
                "\n".join(_display(doc, c) for c in range(len(COLUMNS))).casefold()
                for doc in self.documents
            ]
        return needle in self._haystacks[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS) + len(self.variables)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.variable_of(index.column()) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Variable cells only: the edit is handed to the pane (``variable_edited``), which
        applies it as an undoable step (to every selected document) and reloads."""
        variable = self.variable_of(index.column()) if index.isValid() else None
        if variable is None or role != Qt.ItemDataRole.EditRole:
            return False
        doc = self.documents[index.row()]
        text = "" if value is None else str(value)
        if text == self.values.get(doc.id, {}).get(variable.name, ""):
            return False
        self.variable_edited.emit(doc.id, variable.name, text)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            variable = self.variable_of(section)
            if variable is not None:
                if role in (Qt.ItemDataRole.DisplayRole, NAME_ROLE):
                    return variable.name
                if role == Qt.ItemDataRole.ToolTipRole:
                    return (f"Document variable ({variable.type}); double-click a cell to "
                            "edit it, for every selected document at once")
                return None
            if section == HIGHLIGHTS:
                # A narrow column of counts: an icon, named by its tooltip and the header's menu.
                if role == Qt.ItemDataRole.DecorationRole:
                    return icon("tag")
                if role == Qt.ItemDataRole.ToolTipRole:
                    return "Highlights: how many passages of the document are highlighted"
                if role == NAME_ROLE:
                    return COLUMNS[section]
                return None
            if role in (Qt.ItemDataRole.DisplayRole, NAME_ROLE):
                return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.documents[index.row()]
        column = index.column()
        variable = self.variable_of(column)
        if variable is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return self.values.get(doc.id, {}).get(variable.name, "")
            if role == ID_ROLE:
                return doc.id
            if role == VARIABLE_ROLE:
                return variable
            if role == Qt.ItemDataRole.TextAlignmentRole and variable.type == NUMBER:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(doc, column)
        if role == SORT_ROLE:
            return _sort_key(doc, column)
        if role == ID_ROLE:
            return doc.id
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [doc.title]
            if doc.author:
                lines.append(f"by {doc.author}")
            if doc.site_name or doc.source:
                lines.append(doc.site_name or doc.source)
            lines.append(f"{doc.characters:,} characters" + (f", {doc.pages} pages" if doc.pages else ""))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == HIGHLIGHTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _display(doc: Document, column: int) -> str:
    if column == TITLE:
        return doc.title
    if column == AUTHOR:
        return doc.author
    if column == PUBLISHED:
        return doc.published.isoformat() if doc.published else ""
    if column == FORMAT:
        return doc.format.upper()
    return str(doc.highlight_count)


def _sort_key(doc: Document, column: int) -> Any:
    if column == PUBLISHED:
        # Undated documents sort before all dated ones, consistently in both directions.
        return (doc.published or date.min).toordinal()
    if column == HIGHLIGHTS:
        return doc.highlight_count
    return _display(doc, column).casefold()


class DocumentFilterProxy(QSortFilterProxyModel):
    """Filters a ``DocumentTableModel`` by the text typed above the table (any column, case
    insensitive) and hands sorting to the model, keeping the model's order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_filter_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateFilter is deprecated
            self.beginFilterChange()
            self._needle = text.strip().casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = text.strip().casefold()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        assert isinstance(model, DocumentTableModel)
        return model.matches(source_row, self._needle)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)
