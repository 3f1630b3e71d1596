"""Undo commands for settling disagreements into the consensus coder: one step per accept,
merge or copy of agreed passages. Undo deletes exactly the consensus highlights the step wrote
and puts back the ones it replaced; redo writes them again with the same ids."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.adjudication import Adjudicated
from annotator.core.library import Library
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


class AdjudicateCommand(LibraryCommand):
    def __init__(self, library: Library, events: LibraryEvents, text: str,
                 action: Callable[[], Adjudicated]) -> None:
        super().__init__(text, events)
        self.library = library
        self.action = action
        self.done: Adjudicated | None = None

    def do(self) -> None:
        if self.done is None:
            self.done = self.action()
            if not self.done.added and not self.done.removed:
                self.setObsolete(True)  # nothing written: no empty step on the stack
        else:
            self.library.redo_adjudication(self.done)

    def undo_action(self) -> None:
        assert self.done is not None
        self.library.undo_adjudication(self.done)
