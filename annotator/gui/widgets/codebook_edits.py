"""The Codebook pane's edits: each asks what it needs (a name, a colour, a confirmation), then
pushes one undoable command; a refusal from the Library is shown, never raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QColorDialog, QInputDialog, QLineEdit, QMessageBox, QTreeView, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.core.models import Category, Tag
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
from annotator.gui.hidden_work import hidden_work_sentence
from annotator.gui.models.codebook_model import NAME, CodebookModel

TOP_LEVEL = "(top level)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class CodebookView(Protocol):
    """What the edits need of the codebook pane: its selection, and ways to show a result
    (a Protocol, so this module does not import the pane that owns it)."""

    library: Library
    events: LibraryEvents
    undo_stack: QUndoStack
    model: CodebookModel
    tree: QTreeView

    def refresh(self) -> None: ...
    def current_tag(self) -> Tag | None: ...
    def selected_tags(self) -> list[Tag]: ...
    def select_tag(self, tag_id: int) -> None: ...
    def current_category_name(self) -> str: ...
    def selected_category(self) -> Category | None: ...
    def is_deletable(self, category: Category) -> bool: ...


class CodebookEdits:
    """Acts on the pane's selection; ``dialog_parent`` (the pane) parents every dialog asked."""

    def __init__(self, pane: CodebookView, dialog_parent: QWidget) -> None:
        self.pane = pane
        self.dialog_parent = dialog_parent
        self.library, self.events, self.undo_stack = pane.library, pane.events, pane.undo_stack

    def _push(self, command: LibraryCommand, action: str) -> bool:
        try:
            push(self.undo_stack, command)
        except AnnotatorError as exc:
            show_error(self.dialog_parent, exc, action)
            return False
        return True

    def _make(self, build: Callable[[], LibraryCommand], action: str) -> bool:
        """Build and push; a tag deleted meanwhile (say, by undo) fails as a readable error."""
        try:
            command = build()
        except AnnotatorError as exc:
            show_error(self.dialog_parent, exc, action)
            self.pane.refresh()
            return False
        return self._push(command, action)

    def new_tag(self, parent_tag: Tag | None = None) -> None:
        category = parent_tag.category if parent_tag else self.pane.current_category_name()
        label = self.pane.model.category_label(category)
        where = f"under “{parent_tag.name}”" if parent_tag else f"in {label}"
        name, ok = QInputDialog.getText(self.dialog_parent, "New tag", f"Name of the new tag {where}:")
        if not ok or not name.strip():
            return
        command = CreateTag(
            self.library, self.events, name, category, parent_id=parent_tag.id if parent_tag else None
        )
        if self._push(command, "Creating the tag") and command.tag_id is not None:
            self.pane.select_tag(command.tag_id)

    def new_subtag(self) -> None:
        tag = self.pane.current_tag()
        if tag is not None:
            self.new_tag(tag)

    def new_category(self) -> None:
        """A category is created with its first tag: one step to undo (which removes both),
        and no empty category left behind by a cancelled second question."""
        category, ok = QInputDialog.getText(
            self.dialog_parent, "New category", "Name of the new category (e.g. Stance, Region):"
        )
        if not ok or not category.strip():
            return
        name, ok = QInputDialog.getText(
            self.dialog_parent, "New category", f"First tag in “{category.strip()}”:"
        )
        if not ok or not name.strip():
            return
        # "Actors" typed here means the built-in "actor" category, not a second one beside it.
        wanted = category.strip().casefold()
        key = next(
            (c.name for c in self.pane.model.categories() if wanted in (c.name.casefold(), c.label.casefold())),
            category.strip(),
        )
        command = CreateTag(self.library, self.events, name, key)
        if self._push(command, "Creating the category") and command.tag_id is not None:
            self.pane.select_tag(command.tag_id)

    def rename_category(self) -> None:
        category = self.pane.selected_category()
        if category is None:
            return
        label, ok = QInputDialog.getText(
            self.dialog_parent,
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
        category = self.pane.selected_category()
        if category is None or not self.pane.is_deletable(category):
            return
        self._make(
            lambda: DeleteCategory(self.library, self.events, category.name),
            "Deleting the category",
        )

    def start_rename(self) -> None:
        tag = self.pane.current_tag()
        if tag is not None:
            self.pane.select_tag(tag.id)
            self.pane.tree.edit(self.pane.tree.currentIndex().siblingAtColumn(NAME))

    def rename_tag(self, tag_id: int, name: str) -> None:
        self._make(lambda: RenameTag(self.library, self.events, tag_id, name), "Renaming the tag")

    def recolour_tag(self) -> None:
        tag = self.pane.current_tag()
        if tag is None:
            return
        colour = QColorDialog.getColor(QColor(tag.colour), self.dialog_parent, f"Colour of “{tag.name}”")
        if not colour.isValid() or colour.name().lower() == tag.colour.lower():
            return
        self._make(
            lambda: RecolourTag(self.library, self.events, tag.id, colour.name()),
            "Changing the colour",
        )

    def edit_details(self) -> None:
        tag = self.pane.current_tag()
        if tag is None:
            return
        answer = TagDetailsDialog.ask(tag, self.dialog_parent)
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
        tag = self.pane.current_tag()
        if tag is None:
            return
        options = [t for t in self.pane.model.tags()
                   if t.category == tag.category and not self.pane.model.is_within(t.id, tag.id)]
        names = [TOP_LEVEL, *(t.name for t in options)]
        current = next((i + 1 for i, t in enumerate(options) if t.id == tag.parent_id), 0)
        choice, ok = QInputDialog.getItem(
            self.dialog_parent, "Move tag", f"Move “{tag.name}” under:", names, current, False
        )
        if not ok:
            return
        parent_id = None if choice == TOP_LEVEL else next(t.id for t in options if t.name == choice)
        if parent_id != tag.parent_id:
            self._make(lambda: MoveTag(self.library, self.events, tag.id, parent_id), "Moving the tag")

    def move_dropped(self, tag_ids: list[int], parent_id: int | None) -> None:
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
        tags = self.pane.selected_tags()
        if not tags:
            return
        candidates = [t for t in self.pane.model.tags() if t.category == tags[0].category]
        answer = MergeTagsDialog.ask(
            tags, candidates, self.dialog_parent,
            hidden_work=lambda ids: hidden_work_sentence(self.library, ids))
        if answer is None:
            return
        source_ids, target_id = answer
        if self._make(lambda: MergeTags(self.library, self.events, source_ids, target_id),
                      "Merging the tags"):
            self.pane.select_tag(target_id)

    def delete_tags(self) -> None:
        tags = self.pane.selected_tags()
        if not tags:
            return
        count = sum(t.highlight_count for t in tags)
        if len(tags) == 1:
            question = f"Delete the tag “{tags[0].name}”?"
        else:
            question = f"Delete {len(tags)} tags ({', '.join(t.name for t in tags)})?"
        which = 'this tag' if len(tags) == 1 else 'these tags'
        hidden = hidden_work_sentence(self.library, [t.id for t in tags])
        detail = (
            f"{_plural(count, 'highlight')} will lose {which}; "
            "the highlights themselves stay, with their other tags. "
            f"{hidden + ' ' if hidden else ''}You can undo this."
        )
        answer = QMessageBox.question(
            self.dialog_parent,
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
        tag = self.pane.current_tag()
        if tag is None:
            return
        try:
            dialog = FindMentionsDialog(self.library, self.events, self.undo_stack, tag.id, self.dialog_parent)
        except AnnotatorError as exc:
            show_error(self.dialog_parent, exc, "Finding mentions")
            return
        dialog.exec()
