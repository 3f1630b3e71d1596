"""Showing a compared passage in the main window's reader: its document opened, one highlight
selected (so the tag bar and span handles act on it) and every coder's highlights there
underlined in the coder's colour."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from annotator.gui.events import LibraryEvents
from annotator.gui.widgets.reader import Reader

Mark = tuple[int, int, str]


class ReaderHost(Protocol):
    reader: Reader
    events: LibraryEvents
    highlights_loaded: SignalInstance

    def open_document(self, document_id: int, *, announce: bool = True) -> None: ...
    def raise_(self) -> None: ...
    def activateWindow(self) -> None: ...


def show_passage(main: ReaderHost, document_id: int, highlight_id: int, marks: list[Mark]) -> None:
    main.open_document(document_id)
    reader = main.reader
    if reader.document_id != document_id:
        return

    def finish(*_loaded: object) -> None:
        if reader.document_id != document_id:
            return
        reader.set_marks(marks)
        if highlight_id:
            main.events.highlight_selected.emit(highlight_id)
        main.raise_()
        main.activateWindow()

    if highlight_id and highlight_id not in reader.highlights:
        # A long document's highlights are still being read in the background.
        def loaded(loaded_id: int) -> None:
            main.highlights_loaded.disconnect(loaded)
            if loaded_id == document_id:
                finish()

        main.highlights_loaded.connect(loaded)
        return
    finish()
