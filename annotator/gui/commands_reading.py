"""Undo commands for reading and tagging: highlights, their tags, notes and spans, documents
(import, delete, metadata). Tag creation uses ``commands_codebook.CreateTag``.

Each keeps exactly what its undo needs (ids, the Library's snapshots, the values before); what
each write touched comes from the Library itself (see ``commands.LibraryCommand``).

Each also keeps the version of every highlight it wrote (``Highlight.version``) and hands it
back as ``expected=``: in a team project an undo or redo of a highlight another coder changed
since is refused (``EditConflict``) instead of taking back their work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.core.models import DocumentSnapshot, Highlight
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


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
        self.version = 0

    def do(self) -> None:
        if self.highlight is None:
            document_id, start, end, tag_ids, note = self._args
            self.highlight = self.library.add_highlight(
                document_id, start, end, tag_ids=tag_ids, note=note
            )
            self.version = self.highlight.version
        else:
            self.library.restore_highlights([self.highlight])
            self.version = self.highlight.version + 1  # a restore is a change of its own

    def undo_action(self) -> None:
        assert self.highlight is not None
        hid = self.highlight.id
        self.highlight = self.library.delete_highlights([hid], expected={hid: self.version})[0]


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
        self.versions = library.highlight_versions(highlight_ids)
        self.after = {
            hid: [t for t in dict.fromkeys([*tags, *add]) if t not in set(remove)]
            for hid, tags in self.before.items()
        }
        label = ", ".join(library.tag_names([*add, *remove]).values() if names is None else names)
        text = f"Tag “{label}”" if add and not remove else f"Untag “{label}”" if remove and not add else "Change tags"
        super().__init__(text, events)

    def _apply(self, tags: dict[int, list[int]]) -> None:
        """Each highlight in turn; one refused puts back those already changed, so the step is
        done whole or not at all."""
        done: list[int] = []
        other = self.before if tags is self.after else self.after
        try:
            for hid, tag_ids in tags.items():
                self._set(hid, tag_ids)
                done.append(hid)
        except AnnotatorError:
            for hid in done:
                self._set(hid, other[hid])
            raise

    def _set(self, hid: int, tag_ids: list[int]) -> None:
        written = self.library.set_highlight_tags(hid, tag_ids, expected=self.versions.get(hid))
        self.versions[hid] = written.version

    def do(self) -> None:
        self._apply(self.after)

    def undo_action(self) -> None:
        self._apply(self.before)


class DeleteHighlightsCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, highlight_ids: Sequence[int]) -> None:
        count = len(highlight_ids)
        super().__init__("Delete highlight" if count == 1 else f"Delete {count} highlights", events)
        self.library = library
        self.ids = list(highlight_ids)
        self.versions = library.highlight_versions(self.ids)
        self.deleted: list[Highlight] = []

    def do(self) -> None:
        self.deleted = self.library.delete_highlights(self.ids, expected=self.versions)

    def undo_action(self) -> None:
        self.library.restore_highlights(self.deleted)
        self.versions = {h.id: h.version + 1 for h in self.deleted}  # a restore is a change


class SetHighlightSpanCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, highlight_id: int, start: int, end: int) -> None:
        super().__init__("Set highlight span", events)
        self.library = library
        self.highlight_id = highlight_id
        old = library.highlight(highlight_id)
        self.before = (old.start, old.end)
        self.after = (start, end)
        self.version = old.version

    def _span(self, span: tuple[int, int]) -> None:
        self.version = self.library.set_highlight_span(self.highlight_id, *span, expected=self.version).version

    def do(self) -> None:
        self._span(self.after)

    def undo_action(self) -> None:
        self._span(self.before)


class DeleteDocumentsCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, document_ids: Sequence[int]) -> None:
        count = len(document_ids)
        super().__init__("Delete document" if count == 1 else f"Delete {count} documents", events)
        self.library = library
        self.ids = list(document_ids)
        self.snapshots: list[DocumentSnapshot] = []

    def do(self) -> None:
        self.snapshots = self.library.delete_documents(self.ids)

    def undo_action(self) -> None:
        for snapshot in self.snapshots:
            self.library.restore_document(snapshot)


class ImportedDocumentsCommand(LibraryCommand):
    """Records an import that already ran in the background: the first redo broadcasts what
    the import's writes changed (``changes``, collected by the import job), undo removes the
    imported documents, a later redo restores them."""

    def __init__(self, library: Library, events: LibraryEvents, document_ids: Sequence[int],
                 changes: Changes) -> None:
        count = len(document_ids)
        super().__init__("Import document" if count == 1 else f"Import {count} documents", events)
        self.library = library
        self.ids = list(document_ids)
        self.snapshots: list[DocumentSnapshot] = []
        self._import_changes: Changes | None = changes

    def do(self) -> Changes | None:
        if self._import_changes is not None:
            earlier, self._import_changes = self._import_changes, None
            return earlier
        for snapshot in self.snapshots:
            self.library.restore_document(snapshot)
        return None

    def undo_action(self) -> None:
        self.snapshots = self.library.delete_documents(self.ids)


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
        self.before: dict[str, Any] = dict(title=old.title, author=old.author,
                                           published=old.published, source=old.source)
        self.after: dict[str, Any] = dict(title=title, author=author, published=published, source=source)

    def do(self) -> None:
        self.library.update_document(self.document_id, **self.after)

    def undo_action(self) -> None:
        self.library.update_document(self.document_id, **self.before)
