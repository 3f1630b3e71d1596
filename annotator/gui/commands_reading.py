"""Undo commands for reading and tagging: highlights, their tags, notes and spans, documents
(import, delete, metadata). Tag creation uses ``commands_codebook.CreateTag``.

Each keeps exactly what its undo needs (ids, the Library's snapshots, the values before) and
returns ``Changes`` naming what it touched, so panels refresh only that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.models import DocumentSnapshot, Highlight
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


def _highlight_changes(
    library: Library, highlights: Sequence[Highlight], rows: Sequence[Highlight] | None
) -> Changes:
    """What adding or removing these highlights changed, with their documents' new counts and
    ``rows``: the highlights as now stored when known (``()`` once deleted; a restored one
    may have lost a tag deleted meanwhile, so its rows are read again)."""
    documents = frozenset(h.document_id for h in highlights)
    return Changes(
        documents=documents,
        highlights=frozenset(h.id for h in highlights),
        tags=frozenset(t.id for h in highlights for t in h.tags),
        notes=any(h.note for h in highlights),
        rows=None if rows is None else tuple(rows),
        document_counts=tuple(library.highlight_counts(documents).items()),
    )


class AddHighlightCommand(LibraryCommand):
    """Highlight ``[start, end)`` (code points) with tags. Redo puts back the same id."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        document_id: int,
        start: int,
        end: int,
        tag_ids: Sequence[int] = (),
        note: str | None = None,
        *,
        names: Sequence[str] | None = None,
    ) -> None:
        """``names``: the tags' names when the caller has them (saves reading them)."""
        label = ", ".join(library.tag_names(tag_ids).values() if names is None else names)
        super().__init__(f"Tag “{label}”" if label else "Add highlight", events)
        self.library = library
        self._args = (document_id, start, end, tuple(tag_ids), note)
        self.highlight: Highlight | None = None

    def do(self) -> Changes:
        if self.highlight is None:
            document_id, start, end, tag_ids, note = self._args
            self.highlight = self.library.add_highlight(
                document_id, start, end, tag_ids=tag_ids, note=note
            )
            return _highlight_changes(self.library, [self.highlight], [self.highlight])
        self.library.restore_highlights([self.highlight])
        return _highlight_changes(self.library, [self.highlight], None)

    def undo_action(self) -> Changes:
        assert self.highlight is not None
        self.library.delete_highlights([self.highlight.id])
        return _highlight_changes(self.library, [self.highlight], ())


class SetHighlightTagsCommand(LibraryCommand):
    """Give highlights a new set of tags (tagging adds to it, untagging removes from it)."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        highlight_ids: Sequence[int],
        *,
        add: Sequence[int] = (),
        remove: Sequence[int] = (),
        names: Sequence[str] | None = None,
    ) -> None:
        """``names``: the added and removed tags' names when the caller has them."""
        self.library = library
        self.before = library.highlight_tag_ids(highlight_ids)
        self.after = {
            hid: [t for t in dict.fromkeys([*tags, *add]) if t not in set(remove)]
            for hid, tags in self.before.items()
        }
        label = ", ".join(library.tag_names([*add, *remove]).values() if names is None else names)
        text = f"Tag “{label}”" if add and not remove else f"Untag “{label}”" if remove and not add else "Change tags"
        super().__init__(text, events)
        self._touched_tags = tuple(dict.fromkeys([*add, *remove]))

    def _apply(self, tags: dict[int, list[int]]) -> Changes:
        rows = tuple(self.library.set_highlight_tags(hid, tag_ids) for hid, tag_ids in tags.items())
        return Changes(
            documents=frozenset(h.document_id for h in rows),
            highlights=frozenset(tags),
            tags=frozenset(self._touched_tags),
            rows=rows,
            same_highlight_counts=True,
        )

    def do(self) -> Changes:
        return self._apply(self.after)

    def undo_action(self) -> Changes:
        return self._apply(self.before)


class DeleteHighlightsCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, highlight_ids: Sequence[int]) -> None:
        count = len(highlight_ids)
        super().__init__("Delete highlight" if count == 1 else f"Delete {count} highlights", events)
        self.library = library
        self.ids = list(highlight_ids)
        self.deleted: list[Highlight] = []

    def do(self) -> Changes:
        self.deleted = self.library.delete_highlights(self.ids)
        return _highlight_changes(self.library, self.deleted, ())

    def undo_action(self) -> Changes:
        self.library.restore_highlights(self.deleted)
        return _highlight_changes(self.library, self.deleted, None)


class SetHighlightSpanCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, highlight_id: int, start: int, end: int) -> None:
        super().__init__("Set highlight span", events)
        self.library = library
        self.highlight_id = highlight_id
        old = library.highlight(highlight_id)
        self.before = (old.start, old.end)
        self.after = (start, end)

    def _set(self, span: tuple[int, int]) -> Changes:
        h = self.library.set_highlight_span(self.highlight_id, *span)
        return Changes(documents=frozenset({h.document_id}), highlights=frozenset({h.id}),
                       rows=(h,), same_highlight_counts=True)

    def do(self) -> Changes:
        return self._set(self.after)

    def undo_action(self) -> Changes:
        return self._set(self.before)


class DeleteDocumentsCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, document_ids: Sequence[int]) -> None:
        count = len(document_ids)
        super().__init__("Delete document" if count == 1 else f"Delete {count} documents", events)
        self.library = library
        self.ids = list(document_ids)
        self.snapshots: list[DocumentSnapshot] = []

    def _changes(self) -> Changes:
        return Changes(
            documents=frozenset(self.ids),
            highlights=frozenset(h.id for s in self.snapshots for h in s.highlights),
            tags=frozenset(t.id for s in self.snapshots for h in s.highlights for t in h.tags),
            documents_added_or_removed=True,
            notes=True,
        )

    def do(self) -> Changes:
        self.snapshots = self.library.delete_documents(self.ids)
        return self._changes()

    def undo_action(self) -> Changes:
        for snapshot in self.snapshots:
            self.library.restore_document(snapshot)
        return self._changes()


class ImportedDocumentsCommand(LibraryCommand):
    """Records an import that already ran in the background: the first redo does nothing,
    undo removes the imported documents, a later redo restores them."""

    def __init__(self, library: Library, events: LibraryEvents, document_ids: Sequence[int]) -> None:
        count = len(document_ids)
        super().__init__("Import document" if count == 1 else f"Import {count} documents", events)
        self.library = library
        self.ids = list(document_ids)
        self.snapshots: list[DocumentSnapshot] = []
        self._imported = True

    def do(self) -> Changes:
        if not self._imported:
            for snapshot in self.snapshots:
                self.library.restore_document(snapshot)
            self._imported = True
        return Changes(documents=frozenset(self.ids), documents_added_or_removed=True)

    def undo_action(self) -> Changes:
        self.snapshots = self.library.delete_documents(self.ids)
        self._imported = False
        return Changes(
            documents=frozenset(self.ids),
            highlights=frozenset(h.id for s in self.snapshots for h in s.highlights),
            documents_added_or_removed=True,
        )


class EditDocumentCommand(LibraryCommand):
    """Edit title, author, published date and source in one step."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        document_id: int,
        *,
        title: str,
        author: str,
        published: date | None,
        source: str,
    ) -> None:
        super().__init__("Edit document details", events)
        self.library = library
        self.document_id = document_id
        old = library.document(document_id)
        self.before = dict(title=old.title, author=old.author, published=old.published, source=old.source)
        self.after = dict(title=title, author=author, published=published, source=source)

    def _set(self, values: dict) -> Changes:
        self.library.update_document(self.document_id, **values)
        return Changes(documents=frozenset({self.document_id}))

    def do(self) -> Changes:
        return self._set(self.after)

    def undo_action(self) -> Changes:
        return self._set(self.before)
