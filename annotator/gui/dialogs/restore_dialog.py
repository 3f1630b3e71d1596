"""File › Restore from Backup…: the project's backups with their dates, sizes and counts;
Restore puts the chosen one back (after copying the current database aside), Back Up Now makes
a new one. Restoring closes the project's window and opens it again on the restored database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.errors import show_error

if TYPE_CHECKING:
    from annotator.core.backups import BackupInfo
    from annotator.core.library import Library

_COLUMNS = ("Date", "Size", "Documents", "Highlights", "Made")
_REASONS = {"daily": "daily, on opening", "manual": "by hand", "before-restore": "before a restore",
            "before-upgrade": "before an upgrade", "before-delete": "before deleting documents",
            "before-merge": "before merging tags"}


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class RestoreDialog(QDialog):
    """``chosen`` is the backup to restore once the dialog is accepted."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from Backup")
        self.setMinimumSize(620, 360)
        self.library = library
        self.chosen: BackupInfo | None = None
        self.backups: list[BackupInfo] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.back_up_button = self.buttons.addButton(
            "Back Up Now", QDialogButtonBox.ButtonRole.ActionRole)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = self.buttons.addButton(
            "Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.refresh()

    def refresh(self) -> None:
        self.backups = self.library.backups()
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            self._set_row(row, info)
        folder = self.library.folder / "backups"
        self.intro.setText(
            f"{len(self.backups)} backup{'s' if len(self.backups) != 1 else ''} in {folder}, "
            "newest first. Restoring one replaces the project's database; the current one is "
            "backed up first, so a restore can itself be undone from this list."
            if self.backups else
            f"No backups in {folder} yet. One is made each day the project is opened, before "
            "documents are deleted or tags merged, and when you click Back Up Now.")
        if self.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def _set_row(self, row: int, info: BackupInfo) -> None:
        values: Sequence[str] = (
            info.created.strftime("%Y-%m-%d %H:%M"),
            size_text(info.size),
            f"{info.documents:,}" if info.readable else "unreadable",
            f"{info.highlights:,}" if info.readable else "—",
            _REASONS.get(info.reason, info.reason),
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column in (1, 2, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(str(info.path))
            self.table.setItem(row, column, item)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.readable)

    def back_up_now(self) -> None:
        try:
            self.library.backup()
        except AnnotatorError as exc:
            show_error(self, exc, "Backing up")
            return
        self.refresh()

    def accept(self) -> None:
        info = self.selected()
        if info is None or not info.readable:
            return
        answer = QMessageBox.question(
            self, "Restore from Backup",
            f"Replace the project's database with the backup of "
            f"{info.created:%Y-%m-%d %H:%M} ({info.documents:,} documents, "
            f"{info.highlights:,} highlights)?\n\nThe current database is backed up first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.chosen = info
        super().accept()


class ProjectWindow(Protocol):
    """The window whose project is restored (a QWidget: the dialog is parented to it); a
    Protocol, so this module does not import the main window that calls it."""

    library: Library

    def close(self) -> bool: ...


def restore_from_backup(window: ProjectWindow,
                        reopen: Callable[[Path], None]) -> Path | None:
    """Run the dialog for ``window``'s project; on Restore, close the window (and its Library),
    restore, and ``reopen(folder)`` (also after a failed restore, so the project stays open).
    Returns the backup restored, or None."""
    from annotator.core.library import Library

    dialog = RestoreDialog(window.library, window)  # type: ignore[arg-type]  # a QWidget
    if not dialog.exec() or dialog.chosen is None:
        return None
    folder = window.library.folder
    chosen = dialog.chosen.path
    window.close()
    restored = None
    try:
        Library.restore_backup(folder, chosen)
        restored = chosen
    except AnnotatorError as exc:
        show_error(None, exc, "Restoring the backup")
    reopen(folder)
    return restored
