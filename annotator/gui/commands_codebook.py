"""Undo commands for the codebook: create, rename, recolour, describe, move, merge, delete tags,
and tag found mentions. Each is one step on the window's QUndoStack.

The first ``redo`` performs the action; later redos replay it with the same ids (``tag_id=`` on
create, ``restore_highlights`` for mentions) so commands further up the stack stay valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.library_codebook import MergeRecord
from annotator.core.library_highlights import Mention
from annotator.core.models import Highlight, TagSnapshot
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


def tag_changes(library: Library, tag_ids: Iterable[int], highlight_ids: Iterable[int] = ()) -> Changes:
    """Changes for a codebook edit: the tags, and the highlights (and their documents) whose
    painted colour or chips follow from them."""
    hids = frozenset(highlight_ids)
    docs = frozenset(h.document_id for h in library.highlights(highlight_ids=hids)) if hids else frozenset()
    return Changes(tags=frozenset(tag_ids), highlights=hids, documents=docs, codebook=True)


def _tagged(library: Library, tag_id: int) -> tuple[int, ...]:
    return library.tag_snapshot(tag_id).highlight_ids


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

    def do(self) -> Changes:
        tag = self.library.create_tag(
            self.name, self.category, parent_id=self.parent_id, colour=self.colour, tag_id=self.tag_id
        )
        # Keep id and colour so a redo recreates exactly this tag.
        self.tag_id, self.colour = tag.id, tag.colour
        return tag_changes(self.library, [tag.id])

    def undo_action(self) -> Changes:
        assert self.tag_id is not None
        self.library.delete_tag(self.tag_id)
        return tag_changes(self.library, [self.tag_id])


class _UpdateTag(LibraryCommand):
    """Sets some of a tag's fields (``update_tag`` keywords), restoring the old values on undo."""

    def __init__(
        self, text: str, library: Library, events: LibraryEvents, tag_id: int, **after: Any
    ) -> None:
        super().__init__(text, events)
        self.library, self.tag_id, self.after = library, tag_id, after
        tag = library.tag(tag_id)
        self.before = {key: getattr(tag, key) for key in after}

    def _apply(self, values: dict[str, Any]) -> Changes:
        self.library.update_tag(self.tag_id, **values)
        return tag_changes(self.library, [self.tag_id], _tagged(self.library, self.tag_id))

    def do(self) -> Changes:
        return self._apply(self.after)

    def undo_action(self) -> Changes:
        return self._apply(self.before)


class RenameTag(_UpdateTag):
    def __init__(self, library: Library, events: LibraryEvents, tag_id: int, name: str) -> None:
        old = library.tag(tag_id).name
        super().__init__(f"Rename “{old}” to “{name.strip()}”", library, events, tag_id, name=name)


class RecolourTag(_UpdateTag):
    def __init__(self, library: Library, events: LibraryEvents, tag_id: int, colour: str) -> None:
        name = library.tag(tag_id).name
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

    def _apply(self, values: dict[str, Any]) -> Changes:
        self.library.update_tag(self.tag_id, **values)
        return tag_changes(self.library, [self.tag_id])


class MergeTags(LibraryCommand):
    """Merge sources into the target: highlights move, source names become aliases. Sub-tags of
    a source follow it under the target (the Library would otherwise drop them to the top
    level); undo puts them back under their restored source."""

    def __init__(
        self, library: Library, events: LibraryEvents, source_ids: Sequence[int], target_id: int
    ) -> None:
        target = library.tag(target_id)
        self.source_ids = [i for i in dict.fromkeys(source_ids) if i != target_id]
        names = ", ".join(f"“{library.tag(i).name}”" for i in self.source_ids)
        super().__init__(f"Merge {names} into “{target.name}”", events)
        self.library, self.target_id = library, target_id
        self.record: MergeRecord | None = None
        self.children: dict[int, int] = {}  # child tag id -> the source it sat under

    def do(self) -> Changes:
        sources = set(self.source_ids)
        target = self.library.tag(self.target_id)
        self.children = {
            t.id: t.parent_id
            for t in self.library.tags()
            if t.parent_id in sources and t.id not in sources
        }
        self.record = self.library.merge_tags(self.source_ids, self.target_id)
        for child_id in self.children:
            if self.library.tag(child_id).category == target.category and child_id != self.target_id:
                self.library.update_tag(child_id, parent_id=self.target_id)
        return self._changes()

    def undo_action(self) -> Changes:
        assert self.record is not None
        self.library.undo_merge(self.record)
        for child_id, parent_id in self.children.items():
            self.library.update_tag(child_id, parent_id=parent_id)
        return self._changes()

    def _changes(self) -> Changes:
        assert self.record is not None
        moved = {h for snap in self.record.sources for h in snap.highlight_ids}
        return tag_changes(self.library, [self.target_id, *self.source_ids], moved)


class DeleteTags(LibraryCommand):
    """Delete tags; their highlights stay with their other tags. Undo restores each tag with
    its id, its highlights and the sub-tags that moved up when it went."""

    def __init__(self, library: Library, events: LibraryEvents, tag_ids: Sequence[int]) -> None:
        self.tag_ids = list(dict.fromkeys(tag_ids))
        names = [library.tag(i).name for i in self.tag_ids]
        text = f"Delete tag “{names[0]}”" if len(names) == 1 else f"Delete {len(names)} tags"
        super().__init__(text, events)
        self.library = library
        self.deleted: list[tuple[TagSnapshot, list[int]]] = []

    def do(self) -> Changes:
        self.deleted = []
        for tag_id in self.tag_ids:
            children = [t.id for t in self.library.tags() if t.parent_id == tag_id]
            self.deleted.append((self.library.delete_tag(tag_id), children))
        return self._changes()

    def undo_action(self) -> Changes:
        # Reverse order, so a parent deleted before its child is back before the child's
        # parent link is restored.
        for snapshot, children in reversed(self.deleted):
            self.library.restore_tag(snapshot)
            for child_id in children:
                self.library.update_tag(child_id, parent_id=snapshot.tag.id)
        return self._changes()

    def _changes(self) -> Changes:
        hids = {h for snap, _ in self.deleted for h in snap.highlight_ids}
        return tag_changes(self.library, self.tag_ids, hids)


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

    def do(self) -> Changes:
        if self.created:
            self.library.restore_highlights(self.created)
        else:
            self.created = self.library.tag_mentions(self.tag_id, self.mentions)
        return self._changes()

    def undo_action(self) -> Changes:
        self.library.delete_highlights([h.id for h in self.created])
        return self._changes()

    def _changes(self) -> Changes:
        return Changes(
            highlights=frozenset(h.id for h in self.created),
            documents=frozenset(h.document_id for h in self.created),
            tags=frozenset({self.tag_id}),
        )
