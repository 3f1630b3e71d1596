"""The Highlights pane: the open document's highlights in reading order, or (toggle) every
highlight in the project narrowed to one tag, or to a combination of two (tag A AND tag B in
the same highlight, or A but NOT B), by document. Selecting one tells the reader to show it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError, NotFound
from annotator.core.library import Library
from annotator.core.models import Highlight
from annotator.gui.commands import LibraryCommand, push
from annotator.gui.commands_reading import DeleteHighlightsCommand, SetHighlightTagsCommand
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.icons import icon
from annotator.gui.models.highlight_list_model import HighlightListModel
from annotator.gui.swatches import mute_label, swatch_icon
from annotator.gui.toggles import show_checked_state
from annotator.gui.widgets.card_list import CardList
from annotator.gui.widgets.highlight_card_delegate import HighlightCardDelegate

ALL_TAGS = -1
# More changed highlights than this (Find mentions tags hundreds at once) re-read the list
# instead of inserting rows one by one.
IN_PLACE_LIMIT = 200


class HighlightsPane(QWidget):
    """Follows ``events.document_opened`` and ``events.highlight_selected``; emits
    ``highlight_selected`` (and, for another document, ``document_opened`` first) when the user
    picks a highlight; deletes and untags through commands on ``undo_stack``."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.events, self.undo_stack = library, events, undo_stack
        self.document_id: int | None = None
        self._syncing = False  # True while the selection follows an event, not the user
        self._emitting = False  # True while we announce the user's pick to the others
        # While hidden (another side tab in front) changes only mark the list stale and the
        # highlight picked elsewhere is remembered; both are applied when the pane is shown.
        self._stale = False
        self._follow: int | None = None
        self._follow_soon: int | None = None  # selected in the reader, to show once the loop turns
        # The window's reader already holds the open document's highlights (read off the GUI
        # thread): given this, the pane lists those instead of reading them again on the GUI
        # thread (50 ms for 2,000). It returns None while they are still on their way;
        # ``highlights_arrived`` then fills the list.
        self.shown_highlights: Callable[[int], list[Highlight] | None] | None = None

        self.document_button = self._scope_button("This document")
        self.project_button = self._scope_button("All documents")
        self.document_button.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.document_button)
        scope.addButton(self.project_button)
        scope.buttonToggled.connect(lambda _b, checked: checked and self.reload())
        self.tag_combo = QComboBox()
        self.tag_combo.setToolTip("Show only highlights with this tag")
        self.tag_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag_combo.setMinimumContentsLength(10)
        self.tag_combo.currentIndexChanged.connect(lambda _i: self.reload())
        # Retrieval of combinations: with a tag chosen above, AND or NOT a second tag.
        self.combine_combo = QComboBox()
        self.combine_combo.addItem("only", None)
        self.combine_combo.addItem("AND", "and")
        self.combine_combo.addItem("but NOT", "not")
        self.combine_combo.setToolTip("Combine with a second tag: highlights carrying both, or "
                                      "the first but not the second")
        self.tag_b_combo = QComboBox()
        self.tag_b_combo.setToolTip("The second tag")
        self.tag_b_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag_b_combo.setMinimumContentsLength(10)
        self.combine_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.tag_b_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.count_label = QLabel()
        mute_label(self.count_label)

        self.model = HighlightListModel(self)
        self.view = CardList()
        self.view.setObjectName("highlightList")
        self.view.setModel(self.model)
        delegate = HighlightCardDelegate(self.view)
        delegate.follow(self.model)
        self.view.setItemDelegate(delegate)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setWordWrap(True)
        self.view.setMouseTracking(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        mute_label(self.empty_label)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        self.act_copy = QAction(icon("tag"), "Copy quote", self)
        self.act_copy.setShortcut(QKeySequence.StandardKey.Copy)
        self.act_copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_copy.triggered.connect(self.copy_quotes)
        self.act_delete = QAction(icon("delete"), "Delete highlight", self)
        self.act_delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_delete.triggered.connect(self.delete_selected)

        top = QHBoxLayout()
        top.setSpacing(0)
        top.addWidget(self.document_button)
        top.addWidget(self.project_button)
        top.addSpacing(6)
        top.addWidget(self.tag_combo, 1)
        top.addStretch(0)
        self.top_row = top  # the coder filter's button joins it (``coder_view``)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)  # breathing room inside the side tabs
        layout.setSpacing(4)
        layout.addLayout(top)
        combine = QHBoxLayout()
        combine.setSpacing(4)
        combine.addWidget(self.combine_combo)
        combine.addWidget(self.tag_b_combo, 1)
        layout.addLayout(combine)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count_label)

        events.document_opened.connect(self._document_opened)
        events.highlight_selected.connect(self._highlight_selected)
        events.changed.connect(self._on_changed)
        self._fill_tag_combo()
        self.reload()

    def _scope_button(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setAutoRaise(False)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        show_checked_state(button)
        return button

    # ----------------------------------------------------------------- state
    @property
    def project_wide(self) -> bool:
        return self.project_button.isChecked()

    def set_project_wide(self, on: bool) -> None:
        (self.project_button if on else self.document_button).setChecked(True)

    def tag_filter(self) -> int | None:
        value = self.tag_combo.currentData()
        return None if value in (None, ALL_TAGS) else int(value)

    def set_tag_filter(self, tag_id: int | None) -> None:
        index = self.tag_combo.findData(ALL_TAGS if tag_id is None else tag_id)
        if index >= 0:
            self.tag_combo.setCurrentIndex(index)

    def combination(self) -> tuple[str, int] | None:
        """``("and" | "not", second tag id)`` when the list shows a combination."""
        mode, other = self.combine_combo.currentData(), self.tag_b_combo.currentData()
        if not self.project_wide or self.tag_filter() is None or mode is None \
                or other in (None, ALL_TAGS):
            return None
        return mode, int(other)

    def set_combination(self, tag_id: int, mode: str | None, other_id: int | None) -> None:
        """Show every highlight with ``tag_id`` AND (or but NOT) ``other_id``."""
        self.set_project_wide(True)
        for combo, value in ((self.tag_b_combo, other_id), (self.combine_combo, mode)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.set_tag_filter(tag_id)
        self.reload()

    def selected_highlights(self) -> list[Highlight]:
        self._follow_now()  # a selection the reader made a moment ago counts
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.highlight_at(r) for r in rows]

    # ----------------------------------------------------------------- loading
    def _fill_tag_combo(self) -> None:
        tags = self.library.tags()
        for combo, first in ((self.tag_combo, "All tags"), (self.tag_b_combo, "second tag…")):
            self._fill_tags(combo, first, tags)

    def _fill_tags(self, combo: QComboBox, first: str, tags: list) -> None:
        wanted = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(first, ALL_TAGS)
        labels = {c.name: c.label for c in self.library.categories()}
        category = None
        for tag in tags:
            if tag.category != category:
                category = tag.category
                combo.insertSeparator(combo.count())
            combo.addItem(swatch_icon(tag.colour), tag.name, tag.id)
            combo.setItemData(
                combo.count() - 1, f"{labels.get(tag.category, tag.category)}: {tag.name}",
                Qt.ItemDataRole.ToolTipRole,
            )
        index = combo.findData(wanted) if wanted is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def reload(self) -> None:
        """Re-read what the pane shows, keeping the selection and the scroll position."""
        self._stale = False
        selected = {h.id for h in self.selected_highlights()}
        current = self.view.currentIndex()
        current_id = self.model.highlight_at(current.row()).id if current.isValid() else None
        scroll = self.view.verticalScrollBar().value()
        self.tag_combo.setVisible(self.project_wide)
        self.combine_combo.setVisible(self.project_wide and self.tag_filter() is not None)
        self.tag_b_combo.setVisible(self.combine_combo.isVisible()
                                    and self.combine_combo.currentData() is not None)
        if self.project_wide:
            tag_id = self.tag_filter()
            combination = self.combination()
            if combination is not None and tag_id is not None:
                mode, other = combination
                highlights = self.library.combination_highlights([tag_id], [other], mode)
            else:
                highlights = self.library.highlights(tag_ids=None if tag_id is None else [tag_id])
            titles = {d.id: d.title for d in self.library.documents()}
            self.model.set_highlights(highlights, titles)
        elif self.document_id is not None:
            known = self.shown_highlights(self.document_id) if self.shown_highlights else None
            self.model.set_highlights(known if known is not None else self.library.highlights(self.document_id))
        else:
            self.model.set_highlights([])
        self._syncing = True
        try:
            selection = self.view.selectionModel()
            for row, highlight in enumerate(self.model.highlights()):
                if highlight.id in selected:
                    selection.select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)
                if highlight.id == current_id:
                    selection.setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._syncing = False
        self.view.verticalScrollBar().setValue(scroll)
        self._update_labels()

    def _update_labels(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(f"{count} highlight{'s' if count != 1 else ''}")
        if count:
            self.stack.setCurrentWidget(self.view)
            return
        if self.project_wide and self.combination() is not None:
            text = ("No highlight carries both tags." if self.combination_mode() == "and"
                    else "Every highlight with the first tag also carries the second.")
        elif self.project_wide:
            text = "No highlights with this tag." if self.tag_filter() else "No highlights in the project yet."
        elif self.document_id is None:
            text = "Open a document to see its highlights."
        else:
            text = "No highlights in this document yet.\nSelect a passage in the reader and tag it."
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    def combination_mode(self) -> str | None:
        combination = self.combination()
        return combination[0] if combination else None

    # ----------------------------------------------------------------- events
    def _document_opened(self, document_id: int) -> None:
        if document_id == self.document_id:
            return
        self.document_id = document_id
        if not self.project_wide:
            self._reload_when_shown()

    def _reload_when_shown(self) -> None:
        if not self.isVisible():
            self._stale = True
        elif not self.project_wide and self.document_id is not None and self.shown_highlights \
                and self.shown_highlights(self.document_id) is None:
            self.model.set_highlights([])  # the window is still reading them
            self._update_labels()
            self.empty_label.setText("Loading highlights…")
            self._stale = True
        else:
            self.reload()

    def highlights_arrived(self, document_id: int) -> None:
        """The window's reader has the document's highlights now (see ``shown_highlights``)."""
        if document_id == self.document_id and not self.project_wide and self._stale and self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()
        if self._follow is not None:
            highlight_id, self._follow = self._follow, None
            self._highlight_selected(highlight_id)

    def _highlight_selected(self, highlight_id: int) -> None:
        if self._emitting:
            return  # our own announcement coming back: keep the user's (multi-)selection
        if not self.isVisible():
            self._follow = highlight_id  # scrolling a hidden list would size every card
            return
        # Once the event loop turns, after the reader has painted the edit that selected it:
        # scrolling to a new card lays out the list, which the reader need not wait for.
        pending = self._follow_soon is not None
        self._follow_soon = highlight_id
        if not pending:
            QTimer.singleShot(0, self._follow_now)

    def _follow_now(self) -> None:
        """Select and show the card the reader selected, if that is still to do."""
        highlight_id, self._follow_soon = self._follow_soon, None
        if highlight_id is None or not self.isVisible():
            return
        self._syncing = True
        try:
            row = self.model.row_of(highlight_id) if highlight_id else -1
            if row < 0:
                self.view.selectionModel().clearSelection()
                return
            index = self.model.index(row)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.view.scrollTo(index)
        finally:
            self._syncing = False

    def _on_changed(self, changes: Changes) -> None:
        full = False
        if changes.codebook:
            wanted = self.tag_filter()
            self._fill_tag_combo()
            full = self.tag_filter() != wanted  # the filtered tag was deleted: all tags now
        if changes.documents_added_or_removed and self.document_id is not None:
            try:
                self.library.document(self.document_id)
            except NotFound:
                self.document_id = None
        # Codebook edits (a recolour names every highlight of its tag) only replace rows,
        # unless a tag filter makes highlights come and go.
        filtered = self.project_wide and self.tag_filter() is not None
        many = len(changes.highlights) > IN_PLACE_LIMIT and (filtered or not changes.codebook)
        full = (full or changes.documents_added_or_removed or many
                # Project-wide cards name their documents: a title may have changed.
                or (self.project_wide and bool(changes.documents) and not changes.highlights))
        if not (full or changes.highlights or changes.tag_refs):
            return  # tag, category, note or document edits that no card shows
        if full or self._stale or not self.isVisible():
            self._reload_when_shown()
            return
        if changes.highlights:
            known = changes.fresh_rows()
            self._update_in_place(changes.highlights, None if known is None else list(known.values()))
        if changes.tag_refs:  # a renamed or recoloured tag: its cards show the new chips
            retagged = changes.retagged(self.model.highlights())
            self._update_in_place(frozenset(h.id for h in retagged), retagged)

    def _update_in_place(self, highlight_ids: frozenset[int], fresh: list[Highlight] | None = None) -> None:
        """Bring only the changed highlights up to date (``fresh``: as they now are, when the
        change says; else re-read); the other cards keep their rows, sizes, selection and
        scroll position."""
        if fresh is None:
            fresh = self.library.highlights(None if self.project_wide else self.document_id,
                                            highlight_ids=highlight_ids)
        if self.project_wide:
            tag_id = self.tag_filter()
            belongs = (lambda h: True) if tag_id is None else (lambda h: tag_id in h.tag_ids)
        else:
            document_id = self.document_id
            belongs = lambda h: h.document_id == document_id  # noqa: E731
        shown = self.library.visible_coders()
        if shown is not None:  # an undo may bring back a highlight of a coder not shown
            placed = belongs
            belongs = lambda h: placed(h) and h.author in shown  # noqa: E731
        self._syncing = True  # rows removed under the selection are not the user's pick
        try:
            self.model.update_highlights(sorted(highlight_ids), fresh, belongs)
        finally:
            self._syncing = False
        self._update_labels()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return
        current = self.view.currentIndex()
        if not current.isValid() or not self.view.selectionModel().isSelected(current):
            return
        highlight = self.model.highlight_at(current.row())
        self._emitting = True
        try:
            if highlight.document_id != self.document_id:
                self.document_id = highlight.document_id
                self.events.document_opened.emit(highlight.document_id)
            self.events.highlight_selected.emit(highlight.id)
        finally:
            self._emitting = False

    # ----------------------------------------------------------------- actions
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) or event.matches(QKeySequence.StandardKey.Copy):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # ours while the list has focus, whatever the window binds
                elif event.matches(QKeySequence.StandardKey.Copy):
                    self.copy_quotes()
                else:
                    self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu | None:
        """The menu for the selected highlights: copy, remove one of their tags, delete."""
        highlights = self.selected_highlights()
        if not highlights:
            return None
        menu = QMenu(self)
        self.act_copy.setText("Copy quote" if len(highlights) == 1 else f"Copy {len(highlights)} quotes")
        menu.addAction(self.act_copy)
        tags = {t.id: t for h in highlights for t in h.tags}
        remove = menu.addMenu("Remove tag")
        remove.setEnabled(bool(tags))
        for tag in sorted(tags.values(), key=lambda t: (t.category, t.name.casefold())):
            action = remove.addAction(swatch_icon(tag.colour), tag.name)
            action.triggered.connect(lambda _c=False, t=tag.id: self.remove_tag(t))
        menu.addSeparator()
        self.act_delete.setText(
            "Delete highlight" if len(highlights) == 1 else f"Delete {len(highlights)} highlights"
        )
        menu.addAction(self.act_delete)
        return menu

    def copy_quotes(self) -> None:
        quotes = [" ".join(h.text.split()) for h in self.selected_highlights()]
        if quotes:
            QGuiApplication.clipboard().setText("\n\n".join(quotes))

    def _push(self, command: LibraryCommand, action: str) -> None:
        try:
            push(self.undo_stack, command)
        except AnnotatorError as exc:
            show_error(self, exc, action)

    def delete_selected(self) -> None:
        highlights = self.selected_highlights()
        if not highlights:
            return
        # Keep the keyboard user's place: the next card takes the deleted one's row.
        row = min(self.model.row_of(h.id) for h in highlights)
        self._push(DeleteHighlightsCommand(self.library, self.events, [h.id for h in highlights]),
                   "Deleting the highlight")
        if self.model.rowCount():
            index = self.model.index(min(row, self.model.rowCount() - 1))
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def remove_tag(self, tag_id: int) -> None:
        ids = [h.id for h in self.selected_highlights() if tag_id in h.tag_ids]
        if ids:
            self._push(SetHighlightTagsCommand(self.library, self.events, ids, remove=[tag_id]),
                       "Removing the tag")

    def sizeHint(self) -> QSize:
        return QSize(300, 400)
