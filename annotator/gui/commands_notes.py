"""The note editor's undo command: set a highlight's or a document's note, merging the
consecutive saves of one editing burst into one step (the reading commands' note commands
do not merge)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from annotator.core.library import Library
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents

# QUndoCommand.id() values: any constant unique among this project's mergeable commands.
SET_NOTE_COMMAND_ID = 0x4E4F5445  # "NOTE"


class SetNote(LibraryCommand):
    """Set the note of a highlight (``highlight_id``) or, without one, of a document.

    ``burst`` identifies one editing burst of the note editor: pushes with the same target and
    burst merge into one step, so Ctrl+Z takes back the whole burst at once.
    """

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        *,
        document_id: int,
        highlight_id: int | None,
        text: str,
        burst: int = 0,
        seen: int | None = None,
    ) -> None:
        """``seen``: the highlight's version the editor showed when the typing began; a save
        over another coder's change since is refused (without it, the version read now)."""
        super().__init__("Edit note", events)
        self.library = library
        self.document_id, self.highlight_id, self.burst = document_id, highlight_id, burst
        self.version: int | None = None  # the highlight's, as last seen or written
        self.before = self._current()
        if seen is not None:
            self.version = seen
        self.after: str | None = text if text.strip() else None

    def _current(self) -> str | None:
        if self.highlight_id is not None:
            highlight = self.library.highlight(self.highlight_id)
            self.version = highlight.version
            return highlight.note
        return self.library.document(self.document_id).note

    def _write(self, text: str | None) -> None:
        if self.highlight_id is not None:
            # Another coder's change since is refused, not overwritten (see commands_reading).
            self.version = self.library.set_highlight_note(self.highlight_id, text,
                                                           expected=self.version).version
        else:
            self.library.set_document_note(self.document_id, text)

    def do(self) -> None:
        self._write(self.after)

    def undo_action(self) -> None:
        self._write(self.before)

    def id(self) -> int:
        return SET_NOTE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetNote) or other.error is not None:
            return False
        same = (other.document_id, other.highlight_id, other.burst) == (
            self.document_id,
            self.highlight_id,
            self.burst,
        )
        if not same:
            return False
        self.after = other.after
        self.version = other.version
        # A burst that ends where it began leaves nothing to undo.
        self.setObsolete((self.after or "") == (self.before or ""))
        return True
