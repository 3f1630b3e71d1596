"""The codebook as a two-column tree (name with swatch, highlight count): categories at the top,
tags nested under their parents. Check states decide which tags the reader paints.

The model never writes to the Library: renames typed into the tree and drops of dragged tags
become ``rename_requested`` / ``move_requested`` signals the pane turns into undo commands, and
the tree is rebuilt from the Library once the command's ``changed`` event arrives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QStandardItem, QStandardItemModel

from annotator.core.library import Library
from annotator.core.models import Category, Tag
from annotator.gui.swatches import muted, swatch_icon

TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 2
TAG_MIME = "application/x-annotator-tag-ids"

NAME, COUNT = 0, 1

AnyIndex = QModelIndex | QPersistentModelIndex


class CodebookModel(QStandardItemModel):
    rename_requested = Signal(int, str)  # tag id, new name
    move_requested = Signal(object, object)  # list of tag ids, new parent id (None: top level)
    checks_changed = Signal()

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self.library = library
        self._tags: dict[int, Tag] = {}
        self._categories: dict[str, Category] = {}
        # Unchecked rather than checked ids, so a new tag starts out visible.
        self.unchecked: set[int] = set()
        self.setHorizontalHeaderLabels(["Tag", "#"])

    # ----------------------------------------------------------------- reading
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Counts are muted in the palette of the moment, so a live Light/Dark switch
        # recolours them with the rest (a colour stored on the items would keep the old one).
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COUNT:
            return muted(QGuiApplication.palette())
        return super().data(index, role)

    def tag(self, tag_id: int) -> Tag | None:
        return self._tags.get(tag_id)

    def tags(self) -> list[Tag]:
        return list(self._tags.values())

    def categories(self) -> list[Category]:
        return list(self._categories.values())

    def category(self, name: str) -> Category | None:
        return self._categories.get(name)

    def category_label(self, name: str) -> str:
        cat = self._categories.get(name)
        return cat.label if cat else name.capitalize()

    def tag_filter(self) -> set[int] | None:
        """The ids to paint, or None when every tag is checked (no filtering)."""
        live = set(self._tags)
        hidden = self.unchecked & live
        return None if not hidden else live - hidden

    def index_of_tag(self, tag_id: int) -> QModelIndex:
        for item in self._items():
            if item.data(TAG_ID_ROLE) == tag_id:
                return item.index()
        return QModelIndex()

    def index_of_category(self, name: str) -> QModelIndex:
        for row in range(self.rowCount()):
            item = self.item(row)
            if item.data(CATEGORY_ROLE) == name and item.data(TAG_ID_ROLE) is None:
                return item.index()
        return QModelIndex()

    def _items(self, parent: QStandardItem | None = None) -> Iterator[QStandardItem]:
        parent = parent or self.invisibleRootItem()
        for row in range(parent.rowCount()):
            child = parent.child(row, NAME)
            yield child
            yield from self._items(child)

    # ----------------------------------------------------------------- building
    def refresh(self) -> None:
        """Rebuild from the Library (a codebook has tens to hundreds of tags: cheap)."""
        categories = self.library.categories()
        tags = self.library.tags()
        self._categories = {c.name: c for c in categories}
        self._tags = {t.id: t for t in tags}
        self.unchecked &= set(self._tags)

        self.beginResetModel()
        self.blockSignals(True)
        try:
            self.removeRows(0, self.rowCount())
            category_items: dict[str, QStandardItem] = {}
            for cat in categories:
                category_items[cat.name] = self._category_item(cat)
            for tag in tags:
                if tag.category not in category_items:
                    category_items[tag.category] = self._category_item(
                        Category(tag.category, tag.category.capitalize(), False)
                    )
            tag_items = {t.id: self._tag_row(t) for t in tags}
            for tag in tags:  # already sorted by category, then name
                row = tag_items[tag.id]
                parent = tag_items.get(tag.parent_id) if tag.parent_id else None
                (parent[NAME] if parent else category_items[tag.category]).appendRow(row)
            for item in category_items.values():
                blank = QStandardItem()
                blank.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.appendRow([item, blank])
            self._sync_checks()
        finally:
            self.blockSignals(False)
            self.endResetModel()

    def _category_item(self, cat: Category) -> QStandardItem:
        item = QStandardItem(cat.label)
        font = QFont()
        font.setBold(True)
        item.setFont(font)
        item.setData(cat.name, CATEGORY_ROLE)
        item.setToolTip(f"{cat.label} (category “{cat.name}” in searches and exports)")
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        return item

    def _tag_row(self, tag: Tag) -> list[QStandardItem]:
        name = QStandardItem(swatch_icon(tag.colour), tag.name)
        name.setData(tag.id, TAG_ID_ROLE)
        name.setData(tag.category, CATEGORY_ROLE)
        name.setToolTip(_tooltip(tag))
        name.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        count = QStandardItem()
        _show_count(count, tag.highlight_count)
        count.setData(tag.id, TAG_ID_ROLE)
        count.setData(tag.category, CATEGORY_ROLE)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        return [name, count]

    def update_counts(self, counts: dict[int, int]) -> bool:
        """Show new highlight counts in place (a tagging edit changes nothing else a row shows).
        False, changing nothing, when a tag is not in the tree: the caller rebuilds instead."""
        if not set(counts) <= set(self._tags):
            return False
        changed = {t for t, n in counts.items() if self._tags[t].highlight_count != n}
        for item in list(self._items()) if changed else ():
            tag_id = item.data(TAG_ID_ROLE)
            if tag_id in changed:
                holder = item.parent() or self.invisibleRootItem()
                _show_count(holder.child(item.row(), COUNT), counts[tag_id])
        for tag_id in changed:
            self._tags[tag_id] = replace(self._tags[tag_id], highlight_count=counts[tag_id])
        return True

    # ----------------------------------------------------------------- check states
    def set_checked(self, tag_ids: set[int], checked: bool) -> None:
        if checked:
            self.unchecked -= tag_ids
        else:
            self.unchecked |= tag_ids
        self._sync_checks()
        self.checks_changed.emit()

    def _sync_checks(self) -> None:
        for row in range(self.rowCount()):
            category = self.item(row)
            ids = [i.data(TAG_ID_ROLE) for i in self._items(category)]
            for item in self._items(category):
                state = (
                    Qt.CheckState.Unchecked
                    if item.data(TAG_ID_ROLE) in self.unchecked
                    else Qt.CheckState.Checked
                )
                if item.checkState() != state:
                    item.setCheckState(state)
            hidden = sum(1 for i in ids if i in self.unchecked)
            state = (
                Qt.CheckState.Checked
                if hidden == 0
                else Qt.CheckState.Unchecked
                if hidden == len(ids)
                else Qt.CheckState.PartiallyChecked
            )
            if category.checkState() != state:
                category.setCheckState(state)

    # ----------------------------------------------------------------- edits from the view
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.itemFromIndex(index)
        if item is None:
            return False
        tag_id = item.data(TAG_ID_ROLE)
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) != Qt.CheckState.Unchecked
            if tag_id is None:
                ids = {i.data(TAG_ID_ROLE) for i in self._items(item)}
            else:
                ids = {tag_id}
            self.set_checked(ids, checked)
            return True
        if role == Qt.ItemDataRole.EditRole and tag_id is not None and index.column() == NAME:
            new = " ".join(str(value).split())
            tag = self._tags.get(tag_id)
            if new and tag is not None and new != tag.name:
                self.rename_requested.emit(tag_id, new)
            return False
        return super().setData(index, value, role)

    # ----------------------------------------------------------------- drag and drop
    def mimeTypes(self) -> list[str]:
        return [TAG_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(i.data(TAG_ID_ROLE) for i in indexes if i.data(TAG_ID_ROLE)))
        data = QMimeData()
        data.setData(TAG_MIME, QByteArray(json.dumps(ids).encode()))
        return data

    def _drop_target(self, data: QMimeData, parent: AnyIndex) -> tuple[list[int], int | None] | None:
        """The dragged tag ids and their new parent, or None when the drop makes no sense
        (another category, onto itself or into its own branch)."""
        if not data.hasFormat(TAG_MIME) or not parent.isValid():
            return None
        ids = [int(i) for i in json.loads(bytes(data.data(TAG_MIME).data()).decode())]
        target = self.itemFromIndex(parent.siblingAtColumn(NAME))
        if target is None or not ids:
            return None
        category = target.data(CATEGORY_ROLE)
        parent_id = target.data(TAG_ID_ROLE)
        for tag_id in ids:
            tag = self._tags.get(tag_id)
            if tag is None or tag.category != category or self.is_within(parent_id, tag_id):
                return None
        moving = [i for i in ids if self._tags[i].parent_id != parent_id]
        return (moving, parent_id) if moving else None

    def is_within(self, candidate: int | None, ancestor: int) -> bool:
        """Whether ``candidate`` is ``ancestor`` or lies in its branch."""
        seen: set[int] = set()
        while candidate is not None and candidate not in seen:
            if candidate == ancestor:
                return True
            seen.add(candidate)
            tag = self._tags.get(candidate)
            candidate = tag.parent_id if tag else None
        return False

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return self._drop_target(data, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        target = self._drop_target(data, parent)
        if target is not None:
            self.move_requested.emit(*target)
        # False: the view must not remove the dragged rows; the refresh after the move does.
        return False


def _show_count(item: QStandardItem, count: int) -> None:
    item.setText(str(count))
    item.setToolTip(f"{count} highlight{'s' if count != 1 else ''}")


def _tooltip(tag: Tag) -> str:
    lines = [tag.name]
    if tag.aliases:
        lines.append("Also: " + ", ".join(tag.aliases))
    if tag.description:
        lines.append(tag.description)
    return "\n".join(lines)
