"""Undo commands: every user action is one step on the window's QUndoStack.

Each command calls the Library in ``redo``/``undo``; the Library's writes describe what they
changed (``Changes``, built in core), and the command broadcasts them merged, one signal per
step. The first ``redo`` (run by ``QUndoStack.push``) performs the action; a Library error
there is re-raised to the caller and the command is made obsolete so it never sits on the
stack half done.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.gui.events import LibraryEvents


class LibraryCommand(QUndoCommand):
    """Base: subclasses set ``library`` and implement ``do()`` and ``undo_action()``.

    ``do`` may return ``Changes`` of work done before the command was made (an import that
    ran in the background), broadcast with those of its own writes."""

    library: Library

    def __init__(self, text: str, events: LibraryEvents) -> None:
        super().__init__(text)
        self.events = events
        self.error: AnnotatorError | None = None
        self._done_once = False

    def do(self) -> Changes | None:
        raise AssertionError("subclasses define do()")

    def undo_action(self) -> None:
        raise AssertionError("subclasses define undo_action()")

    def redo(self) -> None:
        try:
            with self.library.collect_changes() as collected:
                earlier = self.do()
        except AnnotatorError as exc:
            if self._done_once:
                raise
            self.error = exc
            self.setObsolete(True)
            return
        self._done_once = True
        self.events.emit_changes(collected.changes if earlier is None else earlier | collected.changes)

    def undo(self) -> None:
        with self.library.collect_changes() as collected:
            self.undo_action()
        self.events.emit_changes(collected.changes)


def push(stack: QUndoStack, command: LibraryCommand) -> None:
    """Push and perform ``command``; raise its Library error (nothing stays on the stack)."""
    stack.push(command)
    if command.error is not None:
        raise command.error
