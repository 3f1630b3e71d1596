"""Undo commands: every user action is one step on the window's QUndoStack.

Each command calls the Library in ``redo``/``undo``; the Library's writes describe what they
changed (``Changes``, built in core), and the command broadcasts them merged, one signal per
step. ``push`` performs the action before the stack sees it; a Library error there is
re-raised to the caller and nothing goes on the stack half done.

In a team project an undo or redo can be refused (another coder changed what it would take
back: ``EditConflict``; the server cannot be reached: ``ServerUnreachable``). The window is
told through ``LibraryEvents.refused`` and keeps the stack true to the database
(``team_notices``): a step that can no longer be undone leaves the stack, one the server did
not answer stays where it was, to retry.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError, ServerUnreachable
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
        self._skip_redo = False  # the next redo() is the stack's, of an action already done
        self._skip_undo = False  # the next undo() only moves the stack back (``put_back``)

    def do(self) -> Changes | None:
        raise AssertionError("subclasses define do()")

    def undo_action(self) -> None:
        raise AssertionError("subclasses define undo_action()")

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        earlier: Changes | None = None
        with self.library.collect_changes() as collected:
            try:
                earlier = self.do()
            except AnnotatorError as exc:
                error = exc
            else:
                error = None
        # A refusal publishes what the views must read again (the other coder's version).
        changes = collected.changes if earlier is None else earlier | collected.changes
        if error is None or collected.writes:
            self.events.emit_changes(changes)
        if error is None:
            self._done_once = True
            self.error = None
        elif self._done_once:
            self._refused(error, undoing=False)
        else:
            self.error = error
            self.setObsolete(True)

    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        with self.library.collect_changes() as collected:
            try:
                self.undo_action()
            except AnnotatorError as exc:
                error: AnnotatorError | None = exc
            else:
                error = None
        if collected.writes or error is None:
            self.events.emit_changes(collected.changes)
        if error is not None:
            self._refused(error, undoing=True)

    def _refused(self, error: AnnotatorError, *, undoing: bool) -> None:
        """An undo or redo the Library refused: the window settles the stack (``team_notices``)."""
        self.events.refused.emit(error, self, undoing)

    def skip_next(self, *, undoing: bool) -> None:
        """Let the stack's next undo (redo) of this step move its index only: the step's
        action did not happen and must not happen twice."""
        if undoing:
            self._skip_undo = True
        else:
            self._skip_redo = True


def push(stack: QUndoStack, command: LibraryCommand) -> None:
    """Perform ``command`` and, done, put it on the stack; raise its Library error (nothing
    goes on the stack). An action the unreachable server refused is kept to retry when the
    window keeps such actions (``LibraryEvents.pending``), and the error says so."""
    command.redo()
    error = command.error
    if error is None:
        command._skip_redo = True
        stack.push(command)
        return
    pending = command.events.pending
    if isinstance(error, ServerUnreachable) and pending is not None:
        command.error = None
        command.setObsolete(False)
        raise pending.keep(command.text(), lambda: push(stack, command), error)
    raise error
