"""The export dialog's document picker: a filter box over a check list of every document.

A project can hold 20,000 documents, so the list is a model over ``DocumentSummary`` tuples
(one SQL query, no ``QListWidgetItem`` per document) and a view that asks only for the rows it
shows; the filter runs in ``QSortFilterProxyModel`` over a prepared lower-case string per row.
Ticks are a set of document ids held by the model, so filtering never loses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.models import DocumentSummary

ID_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class DocumentChecklist(QAbstractListModel):
    """One checkable row per document, ``Title  (2025-06-14)``. ``checks_changed`` after
    every change of the ticked set."""

    checks_changed = Signal()

    def __init__(self, documents: Sequence[DocumentSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._documents = list(documents)
        self._row_of = {d.id: row for row, d in enumerate(self._documents)}
        self._checked: set[int] = set()

    # ----------------------------------------------------------------- Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._documents)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self._documents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{doc.title}  ({doc.published.isoformat()})" if doc.published else doc.title
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if doc.id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(p for p in (doc.title, doc.author, doc.source) if p)
        if role == ID_ROLE:
            return doc.id
        if role == FILTER_ROLE:
            when = doc.published.isoformat() if doc.published else ""
            return f"{doc.title}\n{doc.author}\n{when}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable)

    def setData(
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        doc_id = self._documents[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(doc_id)
        else:
            self._checked.discard(doc_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checks_changed.emit()
        return True

    # ----------------------------------------------------------------- ticks
    def checked_ids(self) -> list[int]:
        """Ticked document ids in list order."""
        return sorted(self._checked, key=self._row_of.__getitem__)

    def set_checked(self, document_ids: Iterable[int]) -> None:
        """Tick exactly these documents (ids of no document are ignored)."""
        wanted = {i for i in document_ids if i in self._row_of}
        if wanted == self._checked:
            return
        self._checked = wanted
        if self._documents:
            self.dataChanged.emit(self.index(0), self.index(len(self._documents) - 1),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checks_changed.emit()

    def total(self) -> int:
        return len(self._documents)

    def checked_count(self) -> int:
        return len(self._checked)


class DocumentPicker(QWidget):
    """Filter box, the check list, "Tick shown" and "Untick all". ``changed`` when the
    ticked set changes."""

    changed = Signal()

    def __init__(self, documents: Sequence[DocumentSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentChecklist(documents, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by title, author or date")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setUniformItemSizes(True)  # no per-row size query: 20,000 rows stay cheap
        self.view.setMinimumHeight(90)
        self.tick_shown_button = QPushButton("Tick shown")
        self.tick_shown_button.setToolTip("Tick every document the filter shows")
        self.tick_shown_button.clicked.connect(self.tick_shown)
        self.untick_button = QPushButton("Untick all")
        self.untick_button.clicked.connect(lambda: self.model.set_checked(()))
        self.summary = QLabel()

        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, stretch=1)
        buttons.addWidget(self.tick_shown_button)
        buttons.addWidget(self.untick_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, stretch=1)
        layout.addLayout(buttons)
        self.model.checks_changed.connect(self._checks_changed)
        self._show_summary()

    def shown_ids(self) -> list[int]:
        return [int(self.proxy.index(row, 0).data(ID_ROLE)) for row in range(self.proxy.rowCount())]

    def tick_shown(self) -> None:
        self.model.set_checked({*self.model.checked_ids(), *self.shown_ids()})

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._show_summary()

    def _checks_changed(self) -> None:
        self._show_summary()
        self.changed.emit()

    def _show_summary(self) -> None:
        ticked, total = self.model.checked_count(), self.model.total()
        shown = self.proxy.rowCount()
        parts = [f"{shown:,} of {total:,} shown"] if shown != total else [f"{total:,} documents"]
        parts.append(f"{ticked:,} ticked" if ticked else "none ticked: all")
        self.summary.setText(", ".join(parts))
