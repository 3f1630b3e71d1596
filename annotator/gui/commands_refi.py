"""The undo step of a REFI-QDA import: everything one exchange file brought in (documents,
highlights added to documents already here, tags, categories) goes and comes back together."""

from __future__ import annotations

from annotator.core.bundle import BundleResult
from annotator.core.changes import Changes
from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from annotator.core.models import DocumentSnapshot, Highlight, TagSnapshot
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


class RefiImportCommand(LibraryCommand):
    """Records an import that already ran in the background: the first redo does nothing,
    undo removes what it added, a later redo puts it back with the same ids."""

    def __init__(self, library: Library, events: LibraryEvents, result: BundleResult,
                 file_name: str) -> None:
        super().__init__(f"Import {file_name}", events)
        self.library = library
        self.result = result
        self._imported = True
        self.documents: list[DocumentSnapshot] = []
        self.highlights: list[Highlight] = []
        self.tags: list[TagSnapshot] = []

    def _changes(self) -> Changes:
        result = self.result
        touched = set(result.document_ids) | set(result.existing_documents.values())
        return Changes(documents=frozenset(touched),
                       highlights=frozenset(result.highlight_ids),
                       tags=frozenset(result.created_tag_ids),
                       notes=True, codebook=True, documents_added_or_removed=True)

    def do(self) -> Changes:
        if not self._imported:
            for category in self.result.created_categories:
                self.library.add_category(category.key, category.label)
            self.library.restore_tags(self.tags)
            for snapshot in self.documents:
                self.library.restore_document(snapshot)
            if self.highlights:
                self.library.restore_highlights(self.highlights)
            self._imported = True
        return self._changes()

    def undo_action(self) -> Changes:
        result = self.result
        # Highlights and documents first, so removing the tags re-indexes nothing.
        self.highlights = (self.library.delete_highlights(result.highlights_on_existing)
                           if result.highlights_on_existing else [])
        self.documents = self.library.delete_documents(result.document_ids)
        self.tags = self.library.delete_tags(result.created_tag_ids)
        for category in result.created_categories:
            try:
                self.library.delete_category(category.key)
            except InvalidInput:
                pass  # a built-in one, or tags the user added since: it stays
        self._imported = False
        return self._changes()
