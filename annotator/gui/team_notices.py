"""What the window tells a coder when the team project refused an undo or redo, and how it keeps
the undo stack true to the database.

Another coder changed what the step would take back ("changed by bob at 10:42"): the views
already show bob's version (the refusal published it), the step leaves the stack (it can no
longer be undone or redone) and a message says why. The server did not answer: the step stays
where it was and waits to be retried (``team_pending``).

The refusal arrives inside the stack's own undo/redo, which moves its index regardless; the
stack is settled, and the message shown, once it is done (a zero-delay timer). A step may be a
macro of several commands: it is settled once, as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMainWindow

from annotator.core.errors import AnnotatorError, ServerUnreachable
from annotator.core.library import Library
from annotator.gui.commands import LibraryCommand
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.team_pending import PendingActions


class TeamNotices(QObject):
    """Owned by the main window: settles refused steps, keeps what the server did not take."""

    def __init__(self, window: QMainWindow, library: Library, events: LibraryEvents,
                 stack: QUndoStack) -> None:
        super().__init__(window)
        self.window, self.stack = window, stack
        self.pending = PendingActions(window, library)
        events.pending = self.pending
        events.refused.connect(self._refused)
        self._settling: set[tuple[int, bool]] = set()

    @contextmanager
    def server_down_noted(self) -> Iterator[None]:
        """Around a view's refresh: a server that does not answer is said in the status bar
        instead of breaking the refresh (the view shows what it had; it reads again later)."""
        try:
            yield
        except ServerUnreachable as error:
            self.window.statusBar().showMessage(f"Server unreachable: {error}", 8000)

    def _refused(self, error: AnnotatorError, command: LibraryCommand, undoing: bool) -> None:
        # The step being undone sits just below the index; the one being redone at it.
        position = self.stack.index() - 1 if undoing else self.stack.index()
        if (position, undoing) in self._settling:
            return  # another command of the same macro: the step is settled once
        self._settling.add((position, undoing))
        step = f"{'Undo' if undoing else 'Redo'} {self.stack.text(position) or command.text()}"
        waiting = isinstance(error, ServerUnreachable)
        retrying = self.pending.retrying
        if waiting:
            error = self.pending.keep(step, self.stack.undo if undoing else self.stack.redo, error)
        else:
            self.window.statusBar().showMessage(f"{step} refused: {error}", 10000)
        QTimer.singleShot(0, lambda: self._settle(position, undoing, error, step,
                                                  drop=not waiting, quiet=waiting and retrying))

    def _settle(self, position: int, undoing: bool, error: AnnotatorError, step: str, *,
                drop: bool, quiet: bool) -> None:
        self._settling.discard((position, undoing))
        top = self.stack.command(position)
        if top is not None:
            if drop:
                top.setObsolete(True)  # the stack deletes it instead of doing it
            else:
                for command in _commands_of(top):
                    command.skip_next(undoing=not undoing)
            # Moving back over the step: a redo after an undo, an undo after a redo.
            (self.stack.redo if undoing else self.stack.undo)()
        if not quiet:  # a retry that failed again says so in the status bar only
            show_error(self.window, error, step)


def _commands_of(step: QUndoCommand) -> list[LibraryCommand]:
    """The Library commands a stack step runs: itself, or a macro's children."""
    if isinstance(step, LibraryCommand):
        return [step]
    children = [step.child(i) for i in range(step.childCount())]
    return [c for c in children if isinstance(c, LibraryCommand)]
