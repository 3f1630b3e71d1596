"""Saved searches: name the current query (with its filters), rerun one with a double-click,
rename with F2 or the context menu, delete with Del. Saving under a name already in use asks
before replacing that search."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
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
    rename_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
            self.delete_requested.emit()
            return
        if event.key() == Qt.Key.Key_F2 and self.currentItem():
            self.rename_requested.emit()
            return
        super().keyPressEvent(event)


class SavedSearches(QWidget):
    """``run_query(str)`` when the user picks a saved search. ``current_query`` supplies the
    query the Save button stores (the whole query, filters included); ``ask_name``,
    ``confirm_overwrite`` and ``context_menu`` open dialogs and can be replaced in tests."""

    run_query = Signal(str)

    def __init__(self, library: Library, current_query: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._current_query = current_query
        self.list = SavedSearchList(self)
        self.list.setToolTip("Double-click or press Enter to run; F2 to rename; Del to delete")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
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
        self.list.rename_requested.connect(self.rename_selected)
        self.list.customContextMenuRequested.connect(self._context_menu_at)
        self.list.itemActivated.connect(self._run)
        self.refresh()

    def ask_name(self, query: str, current: str = "") -> str | None:
        title = "Rename saved search" if current else "Save search"
        name, ok = QInputDialog.getText(self, title, f"Name for “{query}”:", text=current)
        return name.strip() if ok and name.strip() else None

    def confirm_overwrite(self, name: str) -> bool:
        answer = QMessageBox.question(
            self, "Replace saved search",
            f"There is already a saved search called “{name}”. Replace it with this search?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def context_menu(self) -> QMenu:
        """The menu for the current saved search (built fresh each time)."""
        menu = QMenu(self)
        menu.addAction("Run", lambda: self._run(self.list.currentItem()))
        menu.addAction("Rename…", self.rename_selected)
        menu.addAction("Delete", self.delete_selected)
        return menu

    def _context_menu_at(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        self.list.setCurrentItem(item)
        self.context_menu().exec(self.list.viewport().mapToGlobal(pos))

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
            existing = self._library.saved_search_named(name)
            if existing is not None and existing.query != query and not self.confirm_overwrite(name):
                return
            self._library.save_search(name, query)
        except AnnotatorError as exc:
            show_error(self, exc)
        self.refresh()

    def rename_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        search: SavedSearch = item.data(SEARCH_ROLE)
        name = self.ask_name(search.query, search.name)
        if name is None or name == search.name:
            return
        try:
            self._library.rename_saved_search(search.id, name)
        except AnnotatorError as exc:
            show_error(self, exc)
        self.refresh()
        self._select(name)

    def _select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).text() == name:
                self.list.setCurrentRow(row)

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

    def _run(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        search: SavedSearch = item.data(SEARCH_ROLE)
        self.run_query.emit(search.query)
