"""Files handed to the app on its command line (a file manager's "Open With Annotator", the
desktop file's ``%F``), or passed on by a second start while it runs, are imported into the
open project, after asking: opening a file must never change a project without the user
agreeing to it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.gui.main_window import MainWindow

if TYPE_CHECKING:
    from annotator.gui.dialogs.import_dialog import ImportDialog

MAX_NAMES = 8


def import_question(project: str, files: list[Path]) -> str:
    names = [f"• {f.name}" for f in files[:MAX_NAMES]]
    if len(files) > MAX_NAMES:
        names.append(f"• … and {len(files) - MAX_NAMES} more")
    what = "this file" if len(files) == 1 else f"these {len(files)} files"
    return f"Import {what} into the project “{project}”?\n\n" + "\n".join(names)


def offer_import(window: MainWindow, files: list[Path]) -> ImportDialog | None:
    """Ask, then import in the background with the usual progress and summary; None if the
    user declined."""
    answer = QMessageBox.question(
        window, "Import Files", import_question(window.library.folder.name, files),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    return window.import_paths(files)


def import_into_front_window(files: list[Path]) -> ImportDialog | None:
    """Files another ``annotator-gui FILE…`` passed on: the active window (else any open one)
    comes to the front and asks."""
    active = QApplication.activeWindow()
    windows = [active] if isinstance(active, MainWindow) else [w for w in MainWindow.open_windows if w.isVisible()]
    if not windows:
        return None
    window = windows[0]
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
    return offer_import(window, files)
