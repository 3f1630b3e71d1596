"""One broadcast for every change a user action makes, so each panel refreshes only what it
shows (the Library returns/describes ``Changes``; commands emit them here)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.changes import Changes


class LibraryEvents(QObject):
    """Owned by the main window and handed to every panel and undo command.

    ``changed(Changes)``: after any write (do, undo or redo).
    ``document_opened(int)``: the reader shows another document.
    ``highlight_selected(int)``: a highlight was picked in any panel (0 for none).
    ``tag_filter_changed(object)``: the set of tag ids the reader paints (None: all).
    """

    changed = Signal(object)
    document_opened = Signal(int)
    highlight_selected = Signal(int)
    tag_filter_changed = Signal(object)
    # Document variables were defined, changed or deleted (the Library table's columns).
    variables_changed = Signal()
    # An undo (True) or redo (False) the Library refused: (error, command, undoing).
    refused = Signal(object, object, bool)

    # Actions the unreachable team server refused, kept to retry (``team_pending``); None
    # until a window keeps them.
    pending: Any = None

    def emit_changes(self, changes: Changes) -> None:
        self.changed.emit(changes)
