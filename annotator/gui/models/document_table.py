"""The Library pane's table: one row per document (title, author, published, format,
highlight count), sortable by real values through ``SORT_ROLE``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.models import Document

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Title", "Author", "Published", "Type", "Hl.")
TITLE, AUTHOR, PUBLISHED, FORMAT, HIGHLIGHTS = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.documents: list[Document] = []

    def set_documents(self, documents: Sequence[Document]) -> None:
        self.beginResetModel()
        self.documents = list(documents)
        self.endResetModel()

    def row_of(self, document_id: int) -> int | None:
        for row, doc in enumerate(self.documents):
            if doc.id == document_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == HIGHLIGHTS:
                return "Highlights"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.documents[index.row()]
        column = index.column()
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
