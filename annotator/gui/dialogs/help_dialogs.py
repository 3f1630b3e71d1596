"""Help menu dialogs: the user guide, every keyboard shortcut (read from the window's own
actions, so the list cannot drift from what the keys do), the search query language, and
About."""

from __future__ import annotations

import html
import platform
import sys
from importlib import metadata
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.core.search_results import QUERY_HELP
from annotator.core.versions import library_versions
from annotator.paths import guide_path, user_data_dir

# Keys (and the reader's handle drags) handled by widgets rather than by actions, so no
# QAction knows them.
WIDGET_KEYS = (
    ("Reader", "1 … 9", "Apply recent tag 1 to 9 to the selection or clicked highlight"),
    ("Reader", "Delete", "Delete the clicked highlight"),
    ("Reader", "Escape", "Clear the selection and the clicked highlight"),
    ("Reader", "Drag a handle", "Move the clicked highlight's start or end, to whole words"),
    ("Reader", "Alt+drag a handle", "Move it to the exact character"),
    ("Reader", "Escape while dragging", "Cancel the drag; the highlight keeps its extent"),
    ("Tag entry", "Enter", "Apply the typed tags (separate several with commas)"),
    ("Tag entry", "Escape", "Back to the reader without tagging"),
    ("Find bar", "Enter / F3", "Next match"),
    ("Find bar", "Shift+Enter / Shift+F3", "Previous match"),
    ("Find bar", "Escape", "Close the find bar"),
)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every action with a shortcut, then the widgets' own keys."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            what = action.text().replace("&", "").rstrip("…").rstrip(".")
            rows.append(("Window", " or ".join(keys), what))
    return rows + list(WIDGET_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Does"])
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(_close_buttons(self))
        self.resize(640, 560)


class SearchSyntaxDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search Syntax")
        intro = QLabel("Type a query in the toolbar's search box (Ctrl+K or Ctrl+Shift+F) and press Enter.")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(QUERY_HELP, self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(_close_buttons(self))
        width = self.text.fontMetrics().horizontalAdvance("x" * 100)
        self.resize(width + 60, 520)


def guide_markdown(actions: list[QAction], project: Path) -> str:
    """The shipped guide with what only the running app knows filled in: the query language
    and the shortcuts as the app has them, and where this project and the data folder are."""
    try:
        text = guide_path().read_text(encoding="utf-8")
    except OSError as exc:
        return (f"# User guide missing\n\nThe guide could not be read from `{guide_path()}` "
                f"({exc.strerror or exc}); the installation is incomplete.")
    shortcuts = ["| Where | Keys | Does |", "|---|---|---|"]
    shortcuts += [" | ".join(("", where, keys.replace("|", "\\|"), what, "")).strip()
                  for where, keys, what in shortcut_rows(actions)]
    fenced = "```\n" + QUERY_HELP.rstrip("\n") + "\n```"
    return (text.replace("{{QUERY_HELP}}", fenced)
            .replace("{{SHORTCUTS}}", "\n".join(shortcuts))
            .replace("{{PROJECT}}", str(project))
            .replace("{{DATA_FOLDER}}", str(user_data_dir())))


class UserGuideDialog(QDialog):
    def __init__(self, actions: list[QAction], project: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotator User Guide")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_markdown(actions, project))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_close_buttons(self))
        self.resize(760, 680)


def about_versions() -> list[tuple[str, str]]:
    """What a bug report needs: our version and the versions of what we run on."""
    return [
        ("Annotator", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", _distribution_version("PySide6-Essentials") or PySide6.__version__),
        *library_versions().items(),
    ]


def _distribution_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def about_html(project: Path | None) -> str:
    rows = "".join(f"<tr><td>{html.escape(name)}</td><td>&nbsp;{html.escape(version)}</td></tr>"
                   for name, version in about_versions())
    folder = (f"<p>Project folder:<br><code>{html.escape(str(project))}</code></p>"
              if project is not None else "")
    return (
        f"<h3>Annotator {__version__}</h3>"
        "<p>Read, highlight and tag news articles and reports by actor and topic, take notes, "
        "search everything and export excerpts with citations.</p>"
        "<p>Everything stays on this computer: a project is a folder holding its database, "
        "search index and a copy of every imported file.</p>"
        f"{folder}<table>{rows}</table>"
        f"<p><small>{html.escape(sys.platform)} · MIT licence</small></p>"
    )


def show_about(parent: QWidget | None, project: Path | None = None) -> None:
    QMessageBox.about(parent, "About Annotator", about_html(project))


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons
