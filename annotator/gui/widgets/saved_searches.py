"""Saved searches: name the current query, rerun one with a double-click, delete with Del."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.core.models import SavedSearch
from annotator.gui.errors import show_error

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class SavedSearchList(QListWidget):
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


class SavedSearches(QWidget):
    """``run_query(str)`` when the user picks a saved search. ``current_query`` supplies the
    query the Save button stores; ``ask_name`` can be replaced in tests."""

    run_query = Signal(str)

    def __init__(self, library: Library, current_query: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._current_query = current_query
        self.list = SavedSearchList(self)
        self.list.setToolTip("Double-click or press Enter to run; Del to delete")
        self.save_button = QPushButton("Save search…", self)
        self.delete_button = QPushButton("Delete", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Saved searches", self))
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save_current)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list.delete_requested.connect(self.delete_selected)
        self.list.itemActivated.connect(self._run)
        self.refresh()

    def ask_name(self, query: str) -> str | None:
        name, ok = QInputDialog.getText(self, "Save search", f"Name for “{query}”:")
        return name.strip() if ok and name.strip() else None

    def refresh(self) -> None:
        self.list.clear()
        try:
            searches = self._library.saved_searches()
        except AnnotatorError as exc:
            show_error(self, exc)
            return
        for search in searches:
            item = QListWidgetItem(search.name, self.list)
            item.setToolTip(search.query)
            item.setData(SEARCH_ROLE, search)

    def save_current(self) -> None:
        query = self._current_query().strip()
        if not query:
            return
        name = self.ask_name(query)
        if name is None:
            return
        try:
            self._library.save_search(name, query)
        except AnnotatorError as exc:
            show_error(self, exc)
        self.refresh()

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        search: SavedSearch = item.data(SEARCH_ROLE)
        try:
            self._library.delete_saved_search(search.id)
        except AnnotatorError as exc:
            show_error(self, exc)
        self.refresh()

    def _run(self, item: QListWidgetItem) -> None:
        search: SavedSearch = item.data(SEARCH_ROLE)
        self.run_query.emit(search.query)
