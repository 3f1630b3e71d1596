"""The Codebook pane: categories and tags as a tree with swatches, counts and a checkbox per
tag (which highlights the reader paints), and every codebook edit as an undoable command."""

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
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.core.models import ACTOR, Category, Tag
from annotator.gui.commands import LibraryCommand, push
from annotator.gui.commands_codebook import (
    CreateTag,
    DeleteCategory,
    DeleteTags,
    MergeTags,
    MoveTag,
    RecolourTag,
    RenameCategory,
    RenameTag,
    SetTagDetails,
)
from annotator.gui.dialogs.find_mentions import FindMentionsDialog
from annotator.gui.dialogs.merge_tags import MergeTagsDialog
from annotator.gui.dialogs.tag_details import TagDetailsDialog
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.icons import icon
from annotator.gui.models.codebook_model import CATEGORY_ROLE, COUNT, NAME, TAG_ID_ROLE, CodebookModel

TOP_LEVEL = "(top level)"


class _RoomyDelegate(QStyledItemDelegate):
    """A little air between rows: the tree is read and clicked all day."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 4)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
        self.model.rename_requested.connect(self.rename_tag, queued)
        self.model.move_requested.connect(self._move_dropped, queued)
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
        self.act_new_tag = self._action("New tag…", "tag-new", self.new_tag)
        self.act_new_subtag = self._action("New sub-tag…", "tag-new", self.new_subtag)
        self.act_new_category = self._action("New category…", "folder", self.new_category)
        self.act_rename_category = self._action("Rename category…", "rename", self.rename_category, "F2")
        self.act_delete_category = self._action("Delete category", "delete", self.delete_category)
        self.act_rename = self._action("Rename", "rename", self.start_rename, "F2")
        self.act_recolour = self._action("Colour…", "colour", self.recolour_tag)
        self.act_details = self._action("Aliases and description…", "aliases", self.edit_details)
        self.act_move = self._action("Move under…", "up", self.move_tag)
        self.act_merge = self._action("Merge…", "merge", self.merge_tags)
        self.act_delete = self._action("Delete…", "delete", self.delete_tags, "Delete")
        self.act_find_mentions = self._action("Find mentions…", "find-mentions", self.find_mentions)
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
        self.act_delete_category.setEnabled(category is not None and self._deletable(category))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Delete and self.tree.state() != QAbstractItemView.State.EditingState:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # the key is ours while the tree has focus
                else:
                    self.delete_tags()
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
                    self.rename_category()
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

    def _deletable(self, category: Category) -> bool:
        # The Library refuses the rest; greying the action out says so before the click.
        return not category.builtin and not any(t.category == category.name for t in self.model.tags())

    def current_tag(self) -> Tag | None:
        tags = self.selected_tags()
        return tags[0] if len(tags) == 1 else None

    def _selected_category(self) -> str:
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

    # ----------------------------------------------------------------- commands
    def _push(self, command: LibraryCommand, action: str) -> bool:
        try:
            push(self.undo_stack, command)
        except AnnotatorError as exc:
            show_error(self, exc, action)
            return False
        return True

    def _make(self, build: Callable[[], LibraryCommand], action: str) -> bool:
        """Build and push; a tag deleted meanwhile (say, by undo) fails as a readable error."""
        try:
            command = build()
        except AnnotatorError as exc:
            show_error(self, exc, action)
            self.refresh()
            return False
        return self._push(command, action)

    def new_tag(self, parent_tag: Tag | None = None) -> None:
        category = parent_tag.category if parent_tag else self._selected_category()
        label = self.model.category_label(category)
        where = f"under “{parent_tag.name}”" if parent_tag else f"in {label}"
        name, ok = QInputDialog.getText(self, "New tag", f"Name of the new tag {where}:")
        if not ok or not name.strip():
            return
        command = CreateTag(
            self.library, self.events, name, category, parent_id=parent_tag.id if parent_tag else None
        )
        if self._push(command, "Creating the tag") and command.tag_id is not None:
            self.select_tag(command.tag_id)

    def new_subtag(self) -> None:
        tag = self.current_tag()
        if tag is not None:
            self.new_tag(tag)

    def new_category(self) -> None:
        """A category is created with its first tag: one step to undo (which removes both),
        and no empty category left behind by a cancelled second question."""
        category, ok = QInputDialog.getText(
            self, "New category", "Name of the new category (e.g. Stance, Region):"
        )
        if not ok or not category.strip():
            return
        name, ok = QInputDialog.getText(
            self, "New category", f"First tag in “{category.strip()}”:"
        )
        if not ok or not name.strip():
            return
        # "Actors" typed here means the built-in "actor" category, not a second one beside it.
        wanted = category.strip().casefold()
        key = next(
            (c.name for c in self.model.categories() if wanted in (c.name.casefold(), c.label.casefold())),
            category.strip(),
        )
        command = CreateTag(self.library, self.events, name, key)
        if self._push(command, "Creating the category") and command.tag_id is not None:
            self.select_tag(command.tag_id)

    def rename_category(self) -> None:
        category = self.selected_category()
        if category is None:
            return
        label, ok = QInputDialog.getText(
            self,
            "Rename category",
            f"New name for “{category.label}” (searches and exports keep using “{category.name}”):",
            QLineEdit.EchoMode.Normal,
            category.label,
        )
        label = " ".join(label.split())
        if not ok or not label or label == category.label:
            return
        self._make(
            lambda: RenameCategory(self.library, self.events, category.name, label),
            "Renaming the category",
        )

    def delete_category(self) -> None:
        """No question asked: only an empty category can go, and undo brings it back."""
        category = self.selected_category()
        if category is None or not self._deletable(category):
            return
        self._make(
            lambda: DeleteCategory(self.library, self.events, category.name),
            "Deleting the category",
        )

    def start_rename(self) -> None:
        tag = self.current_tag()
        if tag is not None:
            self.select_tag(tag.id)
            self.tree.edit(self.tree.currentIndex().siblingAtColumn(NAME))

    def rename_tag(self, tag_id: int, name: str) -> None:
        self._make(lambda: RenameTag(self.library, self.events, tag_id, name), "Renaming the tag")

    def recolour_tag(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        colour = QColorDialog.getColor(QColor(tag.colour), self, f"Colour of “{tag.name}”")
        if not colour.isValid() or colour.name().lower() == tag.colour.lower():
            return
        self._make(
            lambda: RecolourTag(self.library, self.events, tag.id, colour.name()),
            "Changing the colour",
        )

    def edit_details(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        answer = TagDetailsDialog.ask(tag, self)
        if answer is None:
            return
        aliases, description = answer
        if tuple(aliases) == tag.aliases and description == tag.description:
            return
        self._make(
            lambda: SetTagDetails(
                self.library, self.events, tag.id, aliases=aliases, description=description
            ),
            "Saving aliases",
        )

    def move_tag(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        options = [t for t in self.model.tags()
                   if t.category == tag.category and not self.model.is_within(t.id, tag.id)]
        names = [TOP_LEVEL, *(t.name for t in options)]
        current = next((i + 1 for i, t in enumerate(options) if t.id == tag.parent_id), 0)
        choice, ok = QInputDialog.getItem(
            self, "Move tag", f"Move “{tag.name}” under:", names, current, False
        )
        if not ok:
            return
        parent_id = None if choice == TOP_LEVEL else next(t.id for t in options if t.name == choice)
        if parent_id != tag.parent_id:
            self._make(lambda: MoveTag(self.library, self.events, tag.id, parent_id), "Moving the tag")

    def _move_dropped(self, tag_ids: list[int], parent_id: int | None) -> None:
        if len(tag_ids) == 1:
            self._make(lambda: MoveTag(self.library, self.events, tag_ids[0], parent_id), "Moving the tag")
            return
        # Several tags dragged at once: one undo step for the whole drop.
        self.undo_stack.beginMacro(f"Move {len(tag_ids)} tags")
        try:
            for tag_id in tag_ids:
                if not self._make(lambda t=tag_id: MoveTag(self.library, self.events, t, parent_id),
                                  "Moving the tags"):
                    break
        finally:
            self.undo_stack.endMacro()

    def merge_tags(self) -> None:
        tags = self.selected_tags()
        if not tags:
            return
        candidates = [t for t in self.model.tags() if t.category == tags[0].category]
        answer = MergeTagsDialog.ask(tags, candidates, self)
        if answer is None:
            return
        source_ids, target_id = answer
        if self._make(lambda: MergeTags(self.library, self.events, source_ids, target_id),
                      "Merging the tags"):
            self.select_tag(target_id)

    def delete_tags(self) -> None:
        tags = self.selected_tags()
        if not tags:
            return
        count = sum(t.highlight_count for t in tags)
        if len(tags) == 1:
            question = f"Delete the tag “{tags[0].name}”?"
        else:
            question = f"Delete {len(tags)} tags ({', '.join(t.name for t in tags)})?"
        detail = (
            f"{_plural(count, 'highlight')} will lose {'this tag' if len(tags) == 1 else 'these tags'}; "
            "the highlights themselves stay, with their other tags. You can undo this."
        )
        answer = QMessageBox.question(
            self,
            "Delete tag" if len(tags) == 1 else "Delete tags",
            f"{question}\n\n{detail}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._make(lambda: DeleteTags(self.library, self.events, [t.id for t in tags]),
                   "Deleting the tag")

    def find_mentions(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        try:
            dialog = FindMentionsDialog(self.library, self.events, self.undo_stack, tag.id, self)
        except AnnotatorError as exc:
            show_error(self, exc, "Finding mentions")
            return
        dialog.exec()
