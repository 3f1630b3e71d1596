"""The app's side of team projects: the File menu's New/Connect to Team Project…, opening a
team project whose server wants a password (asked for, kept in memory only), and what the
window title and status bar say about where the project lives."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from annotator.core.library import Library
from annotator.core.team import (
    PasswordNeeded,
    TeamConnectionFailed,
    forget_password,
    read_team_file,
    remember_password,
)


class ProjectWindow(Protocol):
    def show_project(self, library: Library) -> None: ...


def window_title(library: Library) -> str:
    if library.team is None:
        return f"{library.name} — Annotator"
    return f"{library.name} — {library.team.describe()} — Annotator"


def status_text(library: Library) -> str:
    if library.team is None:
        return library.name
    return f"{library.name}: {library.team.describe()}"


def server_unreachable(error: Exception) -> bool:
    """A team project's server did not answer or refused the login: the folder is still a
    project (so it stays in the recent list)."""
    return isinstance(error, TeamConnectionFailed)


def open_project(parent: QWidget | None, folder: Path) -> Library | None:
    """``Library.open(folder)``; a team project whose server wants a password asks for it
    (again after a wrong one) until it connects or the user cancels (None)."""
    while True:
        try:
            return Library.open(folder)
        except PasswordNeeded as exc:
            address = read_team_file(folder)
            password, ok = QInputDialog.getText(
                parent, "Team project password",
                f"{exc}.\n\nPassword for {address.user} on {address.server} "
                "(kept only until Annotator closes):",
                QLineEdit.EchoMode.Password)
            if not ok:
                forget_password(address)
                return None
            remember_password(address, password)


def new_team_project(window: ProjectWindow, parent: QWidget | None) -> None:
    _run_dialog(window, parent, "new")


def connect_team_project(window: ProjectWindow, parent: QWidget | None) -> None:
    _run_dialog(window, parent, "connect")


def _run_dialog(window: ProjectWindow, parent: QWidget | None, mode: str) -> None:
    from annotator.gui.dialogs.team_dialog import TeamProjectDialog

    dialog = TeamProjectDialog(parent, mode)
    if dialog.exec() and dialog.library is not None:
        window.show_project(dialog.library)
