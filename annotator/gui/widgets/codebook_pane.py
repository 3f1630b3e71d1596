"""The Codebook pane: categories and tags as a tree with swatches, counts and a checkbox per
tag (which highlights the reader paints), with the toolbar and menus that offer the edits
(carried out in codebook_edits as undoable commands)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.models import ACTOR, Category, Tag
from annotator.gui.events import LibraryEvents
from annotator.gui.icons import icon
from annotator.gui.models.codebook_model import CATEGORY_ROLE, COUNT, NAME, TAG_ID_ROLE, CodebookModel
from annotator.gui.widgets.codebook_edits import CodebookEdits
from annotator.gui.widgets.key_pin_menu import PinHooks, add_pin_actions


class _RoomyDelegate(QStyledItemDelegate):
    """A little air between rows: the tree is read and clicked all day."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 4)


class CodebookPane(QWidget):
    """Self-contained: reads through ``library``, writes through commands on ``undo_stack``,
    refreshes on ``events.changed`` and emits ``events.tag_filter_changed`` when checks change.
    """

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.events, self.undo_stack = library, events, undo_stack
        self._collapsed: set[tuple[str, object]] = set()
        self._last_filter: set[int] | None = None
        self._refresh_pending = False
        self.pin_hooks: PinHooks | None = None  # the window's number keys, for "Pin to key"

        self.model = CodebookModel(library, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(NAME)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter tags")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_text_filter)
        self.filter_edit.returnPressed.connect(self._focus_first_match)

        self.tree = QTreeView()
        self.tree.setObjectName("codebookTree")
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(16)
        self.tree.setIconSize(QSize(12, 12))
        delegate = _RoomyDelegate(self.tree)
        delegate.closeEditor.connect(lambda *_args: self._editor_closed())
        self.tree.setItemDelegate(delegate)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.collapsed.connect(lambda index: self._collapsed.add(self._key(index)))
        self.tree.expanded.connect(lambda index: self._collapsed.discard(self._key(index)))
        self.tree.installEventFilter(self)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)

        self.edits = CodebookEdits(self, self)
        self._build_actions()
        self.toolbar = self._build_toolbar()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)  # breathing room inside the side tabs
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)

        # Queued: both arrive from inside the view's editor commit or drop handling, and the
        # command's refresh resets the model the view is still working on.
        queued = Qt.ConnectionType.QueuedConnection
        self.model.rename_requested.connect(self.edits.rename_tag, queued)
        self.model.move_requested.connect(self.edits.move_dropped, queued)
        self.model.checks_changed.connect(self._emit_filter)
        self.tree.selectionModel().selectionChanged.connect(self._update_actions)
        events.changed.connect(self._on_changed)
        self.refresh()

    # ----------------------------------------------------------------- actions
    def _action(
        self, text: str, icon_name: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Shown in menus as a hint; the tree's event filter handles the key itself, so a
            # window-wide Delete or F2 elsewhere never becomes ambiguous.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        return action

    def _build_actions(self) -> None:
        self.act_new_tag = self._action("New tag…", "tag-new", self.edits.new_tag)
        self.act_new_subtag = self._action("New sub-tag…", "tag-new", self.edits.new_subtag)
        self.act_new_category = self._action("New category…", "folder", self.edits.new_category)
        self.act_rename_category = self._action("Rename category…", "rename", self.edits.rename_category, "F2")
        self.act_delete_category = self._action("Delete category", "delete", self.edits.delete_category)
        self.act_rename = self._action("Rename", "rename", self.edits.start_rename, "F2")
        self.act_recolour = self._action("Colour…", "colour", self.edits.recolour_tag)
        self.act_details = self._action("Aliases and description…", "aliases", self.edits.edit_details)
        self.act_move = self._action("Move under…", "up", self.edits.move_tag)
        self.act_merge = self._action("Merge…", "merge", self.edits.merge_tags)
        self.act_delete = self._action("Delete…", "delete", self.edits.delete_tags, "Delete")
        self.act_find_mentions = self._action("Find mentions…", "find-mentions", self.edits.find_mentions)
        self.act_show_all = self._action("Show all tags", "tag", self.show_all)
        self.act_show_only = self._action("Show only selected", "tag", self.show_only_selected)
        self.act_new_tag.setToolTip("New tag in the selected category")
        self.act_delete_category.setToolTip(
            "Delete the selected category (only a user category with no tags)"
        )
        self.act_merge.setToolTip("Merge the selected tags into one; their highlights move")
        self.act_find_mentions.setToolTip(
            "Find untagged mentions of the tag's name and aliases across the project"
        )

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setIconSize(QSize(16, 16))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.new_button = new_button = QToolButton()
        new_button.setDefaultAction(self.act_new_tag)
        new_menu = QMenu(new_button)
        new_menu.addActions([self.act_new_tag, self.act_new_subtag, self.act_new_category])
        new_button.setMenu(new_menu)
        new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        bar.addWidget(new_button)
        bar.addActions([self.act_rename, self.act_recolour, self.act_details])
        bar.addSeparator()
        bar.addActions([self.act_merge, self.act_find_mentions])
        bar.addSeparator()
        bar.addAction(self.act_delete)
        return bar

    def _context_menu(self, pos: object) -> None:
        menu = self.context_menu()
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        """The menu for the selected rows (built apart from showing it, so tests can read it)."""
        self._update_actions()
        menu = QMenu(self)
        tags = self.selected_tags()
        category = self.selected_category()
        if category is not None:
            menu.addActions([self.act_rename_category, self.act_delete_category])
            menu.addSeparator()
        if tags:
            menu.addActions([self.act_rename, self.act_recolour, self.act_details, self.act_move])
            menu.addSeparator()
            menu.addActions([self.act_merge, self.act_find_mentions])
            menu.addSeparator()
            menu.addActions([self.act_show_only, self.act_show_all])
            menu.addSeparator()
            if len(tags) == 1 and self.pin_hooks is not None:
                add_pin_actions(menu, tags[0], self.pin_hooks, {t.id: t.name for t in self.library.tags()})
                menu.addSeparator()
        menu.addActions([self.act_new_tag, self.act_new_subtag, self.act_new_category])
        if tags:
            menu.addSeparator()
            menu.addAction(self.act_delete)
        return menu

    def _update_actions(self) -> None:
        tags = self.selected_tags()
        one = len(tags) == 1
        for action in (self.act_rename, self.act_recolour, self.act_details, self.act_move,
                       self.act_find_mentions, self.act_new_subtag):
            action.setEnabled(one)
        self.act_merge.setEnabled(bool(tags))
        self.act_delete.setEnabled(bool(tags))
        self.act_show_only.setEnabled(bool(tags))
        category = self.selected_category()
        self.act_rename_category.setEnabled(category is not None)
        self.act_delete_category.setEnabled(category is not None and self.is_deletable(category))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Delete and self.tree.state() != QAbstractItemView.State.EditingState:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # the key is ours while the tree has focus
                else:
                    self.edits.delete_tags()
                return True
            # F2 on a category row: categories are renamed through a dialog (the tree's own
            # F2 only edits tag names inline); on a tag row the view's edit trigger handles it.
            if (
                event.key() == Qt.Key.Key_F2
                and self.tree.state() != QAbstractItemView.State.EditingState
                and self.selected_category() is not None
            ):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                else:
                    self.edits.rename_category()
                return True
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- selection
    def selected_tags(self) -> list[Tag]:
        tags = []
        for index in self.tree.selectionModel().selectedRows(NAME):
            tag = self.model.tag(index.data(TAG_ID_ROLE)) if index.data(TAG_ID_ROLE) else None
            if tag is not None:
                tags.append(tag)
        return tags

    def selected_category(self) -> Category | None:
        """The category whose row alone is selected (category actions act on one at a time)."""
        rows = self.tree.selectionModel().selectedRows(NAME)
        if len(rows) != 1 or rows[0].data(TAG_ID_ROLE) is not None:
            return None
        return self.model.category(rows[0].data(CATEGORY_ROLE))

    def is_deletable(self, category: Category) -> bool:
        # The Library refuses the rest; greying the action out says so before the click.
        return not category.builtin and not any(t.category == category.name for t in self.model.tags())

    def current_tag(self) -> Tag | None:
        tags = self.selected_tags()
        return tags[0] if len(tags) == 1 else None

    def current_category_name(self) -> str:
        """Where a new tag goes: the current row's category, else Actors."""
        index = self.tree.currentIndex()
        return index.data(CATEGORY_ROLE) or ACTOR

    def select_tag(self, tag_id: int) -> None:
        index = self.proxy.mapFromSource(self.model.index_of_tag(tag_id))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.scrollTo(index)

    # ----------------------------------------------------------------- refresh
    def _key(self, index: QModelIndex) -> tuple[str, object]:
        tag_id = index.data(TAG_ID_ROLE)
        return ("tag", tag_id) if tag_id is not None else ("cat", index.data(CATEGORY_ROLE))

    def _on_changed(self, changes: Changes) -> None:
        # Counts change only when tag links do, and every command that touches links names the
        # tags; a note or a span edit leaves the codebook alone.
        if not (changes.codebook or changes.tags or changes.documents_added_or_removed):
            return
        if not (changes.codebook or changes.documents_added_or_removed):
            # Tagging, untagging and their undo change only the named tags' counts; updating
            # those cells leaves a name being typed alone.
            if self.model.update_counts(self.library.tag_counts(changes.tags)):
                self._update_actions()
                return
        if self.tree.state() == QAbstractItemView.State.EditingState:
            self._refresh_pending = True  # rebuilding now would close the name being typed
            return
        self.refresh()

    def _editor_closed(self) -> None:
        if self._refresh_pending:
            # After the view has finished closing the editor (and committed a rename).
            QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        self._refresh_pending = False
        scroll = self.tree.verticalScrollBar().value()
        selected = [t.id for t in self.selected_tags()]
        # Category rows too, so a renamed category stays selected for the next action.
        selected_categories = [
            i.data(CATEGORY_ROLE) for i in self.tree.selectionModel().selectedRows(NAME)
            if i.data(TAG_ID_ROLE) is None
        ]
        current = self.tree.currentIndex()
        current_key = self._key(current) if current.isValid() else None
        self.model.refresh()
        self._restore_expansion()
        selection = self.tree.selectionModel()
        sources = [self.model.index_of_tag(tag_id) for tag_id in selected]
        sources += [self.model.index_of_category(name) for name in selected_categories]
        for source in sources:
            index = self.proxy.mapFromSource(source)
            if index.isValid():
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
        if current_key is not None:
            kind, value = current_key
            source = (
                self.model.index_of_tag(int(value)) if kind == "tag" and value is not None
                else self.model.index_of_category(str(value))
            )
            index = self.proxy.mapFromSource(source)
            if index.isValid():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.tree.verticalScrollBar().setValue(scroll)
        self._update_actions()
        self._emit_filter()  # a deleted, unchecked tag may end filtering

    def _restore_expansion(self) -> None:
        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, NAME, parent)
                if self.proxy.hasChildren(index):
                    filtering = bool(self.filter_edit.text())
                    self.tree.setExpanded(index, filtering or self._key(index) not in self._collapsed)
                    walk(index)

        walk(QModelIndex())

    def _apply_text_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._restore_expansion()

    def _focus_first_match(self) -> None:
        """Enter in the filter box goes to the first matching tag, ready for F2, Delete, Space."""
        def first_tag(parent: QModelIndex) -> QModelIndex | None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, NAME, parent)
                if index.data(TAG_ID_ROLE) is not None:
                    return index
                found = first_tag(index)
                if found is not None:
                    return found
            return None

        index = first_tag(QModelIndex())
        if index is not None:
            self.tree.setFocus()
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    # ----------------------------------------------------------------- filter (check boxes)
    def _emit_filter(self) -> None:
        current = self.model.tag_filter()
        if current != self._last_filter:
            self._last_filter = current
            self.events.tag_filter_changed.emit(None if current is None else set(current))

    def tag_filter(self) -> set[int] | None:
        """The tag ids the reader should paint, or None for all."""
        return self.model.tag_filter()

    def show_all(self) -> None:
        self.model.set_checked({t.id for t in self.model.tags()}, True)

    def show_only_selected(self) -> None:
        keep = {t.id for t in self.selected_tags()}
        everything = {t.id for t in self.model.tags()}
        self.model.unchecked = everything - keep
        self.model.set_checked(keep, True)
