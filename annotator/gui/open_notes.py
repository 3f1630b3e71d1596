"""What a project says when it opens: files moved aside (status bar) and, once per location, a
warning that it sits in a sync client's folder (a box the user closes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMessageBox

if TYPE_CHECKING:
    from annotator.core.library import Library


def show_open_notes(window: QMainWindow, library: Library) -> QMessageBox | None:
    if library.open_note:
        window.statusBar().showMessage(library.open_note, 20000)
    if not library.cloud_warning:
        return None
    text = library.cloud_warning
    box = QMessageBox(QMessageBox.Icon.Warning, "Project in a synced folder",
                      text[0].upper() + text[1:] + ".", QMessageBox.StandardButton.Ok, window)
    box.setModal(False)
    box.show()  # not exec(): the window stays usable, the box stays until read
    window.cloud_warning_box = box  # type: ignore[attr-defined]  # kept alive with the window
    return box
