"""Undo commands for the codebook: create, rename, recolour, describe, move, merge, delete tags,
rename and delete categories, and tag found mentions. Each is one step on the window's QUndoStack.

The first ``redo`` performs the action; later redos replay it with the same ids (``tag_id=`` on
create, ``restore_highlights`` for mentions) so commands further up the stack stay valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.codebook import MergeRecord
from annotator.core.errors import NotFound
from annotator.core.library import Library
from annotator.core.models import Category, Highlight, Mention, TagSnapshot
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


class CreateTag(LibraryCommand):
    """New tag (in a new category too: the Library adds a missing category on create)."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        name: str,
        category: str,
        *,
        parent_id: int | None = None,
        colour: str | None = None,
    ) -> None:
        super().__init__(f"New tag “{name.strip()}”", events)
        self.library = library
        self.name, self.category, self.parent_id, self.colour = name, category, parent_id, colour
        self.tag_id: int | None = None
        # The Library adds a missing category on create; undo must take it away again, or
        # an undone "New category…" leaves an empty category behind.
        key = " ".join(category.split()).lower()
        self.new_category = key if key not in {c.name for c in library.categories()} else None

    def do(self) -> None:
        tag = self.library.create_tag(
            self.name, self.category, parent_id=self.parent_id, colour=self.colour, tag_id=self.tag_id
        )
        # Keep id and colour so a redo recreates exactly this tag.
        self.tag_id, self.colour = tag.id, tag.colour

    def undo_action(self) -> None:
        assert self.tag_id is not None
        # Refused once another coder applied the tag: it would come off their highlights.
        self.library.delete_tag(self.tag_id, unless_used_by_others=True)
        # Only while still empty: a tag added to it outside the undo stack keeps it alive.
        if self.new_category is not None and not self.library.tags(self.new_category):
            self.library.delete_category(self.new_category)


class _UpdateTag(LibraryCommand):
    """Sets some of a tag's fields (``update_tag`` keywords), restoring the old values on undo."""

    def __init__(
        self, text: str, library: Library, events: LibraryEvents, tag_id: int, **after: Any
    ) -> None:
        super().__init__(text, events)
        self.library, self.tag_id, self.after = library, tag_id, after
        tag = library.tag(tag_id)
        self.before = {key: getattr(tag, key) for key in after}
        self.done: dict[str, Any] | None = None  # the fields as this edit left them

    def do(self) -> None:
        # A redo expects what the undo left, an undo what the edit left: another coder's
        # edit of the tag in between refuses it (``tag_check``) instead of being taken back.
        expected = None if self.done is None else self.before
        tag = self.library.update_tag(self.tag_id, expected=expected, **self.after)
        self.done = {key: getattr(tag, key) for key in self.after}

    def undo_action(self) -> None:
        self.library.update_tag(self.tag_id, expected=self.done, **self.before)


class RenameTag(_UpdateTag):
    def __init__(self, library: Library, events: LibraryEvents, tag_id: int, name: str) -> None:
        old = library.tag_names([tag_id])[tag_id]
        super().__init__(f"Rename “{old}” to “{name.strip()}”", library, events, tag_id, name=name)


class RecolourTag(_UpdateTag):
    def __init__(self, library: Library, events: LibraryEvents, tag_id: int, colour: str) -> None:
        name = library.tag_names([tag_id])[tag_id]
        super().__init__(f"Recolour “{name}”", library, events, tag_id, colour=colour)


class SetTagDetails(_UpdateTag):
    """Aliases (what Find mentions also looks for) and the description, edited together."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        tag_id: int,
        *,
        aliases: Sequence[str],
        description: str,
    ) -> None:
        name = library.tag(tag_id).name
        super().__init__(
            f"Edit aliases of “{name}”",
            library,
            events,
            tag_id,
            aliases=tuple(aliases),
            description=description,
        )


class MoveTag(_UpdateTag):
    """Put a tag under another tag of its category, or (``parent_id=None``) at the top."""

    def __init__(
        self, library: Library, events: LibraryEvents, tag_id: int, parent_id: int | None
    ) -> None:
        name = library.tag(tag_id).name
        where = f"under “{library.tag(parent_id).name}”" if parent_id else "to the top level"
        super().__init__(f"Move “{name}” {where}", library, events, tag_id, parent_id=parent_id)


class MergeTags(LibraryCommand):
    """Merge sources into the target: highlights move, source names become aliases, and the
    Library moves the sources' sub-tags under the target (undo puts them back)."""

    def __init__(
        self, library: Library, events: LibraryEvents, source_ids: Sequence[int], target_id: int
    ) -> None:
        target = library.tag(target_id)
        self.source_ids = [i for i in dict.fromkeys(source_ids) if i != target_id]
        names = ", ".join(f"“{library.tag(i).name}”" for i in self.source_ids)
        super().__init__(f"Merge {names} into “{target.name}”", events)
        self.library, self.target_id = library, target_id
        self.record: MergeRecord | None = None
        self.lifted_from: int | None = None  # the target's parent, when it had to move out

    def do(self) -> None:
        # Merging a tag into one of its own sub-tags: the Library would hang the sources'
        # sub-tags (the target's own ancestors among them) under the target, a cycle. Lift the
        # target above the sources' branch first; undo hangs it back where it was.
        self.lifted_from = None
        parents = {t.id: t.parent_id for t in self.library.tags()}
        chain: list[int] = []
        current = parents.get(self.target_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        sources = set(self.source_ids)
        if sources & set(chain):
            highest = max(i for i, tag_id in enumerate(chain) if tag_id in sources)
            above = chain[highest + 1] if highest + 1 < len(chain) else None
            self.lifted_from = parents[self.target_id]
            self.library.update_tag(self.target_id, parent_id=above)
        self.record = self.library.merge_tags(self.source_ids, self.target_id)

    def undo_action(self) -> None:
        assert self.record is not None
        self.library.undo_merge(self.record)
        if self.lifted_from is not None:
            self.library.update_tag(self.target_id, parent_id=self.lifted_from)


class DeleteTags(LibraryCommand):
    """Delete tags in one Library transaction; their highlights stay with their other tags.
    Undo restores each tag with its id, its highlights and its sub-tags, again in one step."""

    def __init__(self, library: Library, events: LibraryEvents, tag_ids: Sequence[int]) -> None:
        self.tag_ids = list(dict.fromkeys(tag_ids))
        names = [library.tag(i).name for i in self.tag_ids]
        text = f"Delete tag “{names[0]}”" if len(names) == 1 else f"Delete {len(names)} tags"
        super().__init__(text, events)
        self.library = library
        self.snapshots: list[TagSnapshot] = []

    def do(self) -> None:
        self.snapshots = self.library.delete_tags(self.tag_ids)

    def undo_action(self) -> None:
        self.library.restore_tags(self.snapshots)


class RenameCategory(LibraryCommand):
    """Change a category's label; its key (used in searches and exports) stays."""

    def __init__(self, library: Library, events: LibraryEvents, name: str, label: str) -> None:
        old = _category(library, name).label
        super().__init__(f"Rename category “{old}” to “{label.strip()}”", events)
        self.library, self.name, self.before, self.after = library, name, old, label

    def do(self) -> None:
        self.library.rename_category(self.name, self.after)

    def undo_action(self) -> None:
        self.library.rename_category(self.name, self.before)


class DeleteCategory(LibraryCommand):
    """Remove an empty user category; undo adds it back with the same key and label."""

    def __init__(self, library: Library, events: LibraryEvents, name: str) -> None:
        category = _category(library, name)
        super().__init__(f"Delete category “{category.label}”", events)
        self.library, self.name, self.label = library, name, category.label

    def do(self) -> None:
        self.library.delete_category(self.name)

    def undo_action(self) -> None:
        self.library.add_category(self.name, self.label)


def _category(library: Library, name: str) -> Category:
    for category in library.categories():
        if category.name == name:
            return category
    raise NotFound(f"no category {name!r}")


class TagMentions(LibraryCommand):
    """Tag the chosen mentions in one step: one new highlight each."""

    def __init__(
        self, library: Library, events: LibraryEvents, tag_id: int, mentions: Sequence[Mention]
    ) -> None:
        name = library.tag(tag_id).name
        count = len(mentions)
        super().__init__(f"Tag {count} mention{'s' if count != 1 else ''} of “{name}”", events)
        self.library, self.tag_id, self.mentions = library, tag_id, list(mentions)
        self.created: list[Highlight] = []
        self.versions: dict[int, int] = {}

    def do(self) -> None:
        if self.created:
            self.library.restore_highlights(self.created)
            self.versions = {h.id: h.version + 1 for h in self.created}  # a restore is a change
        else:
            self.created = self.library.tag_mentions(self.tag_id, self.mentions)
            self.versions = {h.id: h.version for h in self.created}

    def undo_action(self) -> None:
        # Another coder's change to one of them since refuses the undo (see commands_reading).
        self.created = self.library.delete_highlights([h.id for h in self.created], expected=self.versions)
