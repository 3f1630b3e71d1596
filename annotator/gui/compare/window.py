"""The Compare Coders window (Tools › Compare Coders…): whom to compare and on which tags above,
then the Agreement and Disagreements tabs. Figures and passages are computed off the GUI thread,
for the visible tab only, again whenever the coders, tags or the project's coding change."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.gui.compare.agreement_view import AgreementView
from annotator.gui.compare.coder_picker import CoderTable, TagChooser
from annotator.gui.compare.disagreement_view import DisagreementView
from annotator.gui.compare.reader_link import show_passage
from annotator.gui.errors import reporting_errors
from annotator.gui.events import LibraryEvents
from annotator.gui.icons import icon
from annotator.gui.tasks import TaskRunner

OpenPassage = Callable[[int, int, list], None]
AGREEMENT, DISAGREEMENTS = 0, 1


class CompareWindow(QMainWindow):
    def __init__(self, library: Library, events: LibraryEvents, undo_stack: QUndoStack,
                 open_passage: OpenPassage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setObjectName("compareWindow")
        self.setWindowTitle(f"Compare Coders — {library.name}")
        self.runner = TaskRunner(self)
        self.coders = CoderTable()
        self.tags = TagChooser()
        self.consensus_label = QLabel()
        self.consensus_label.setObjectName("consensusLabel")
        rename = QPushButton("Rename…")
        rename.setToolTip("Name the coder adjudicated passages are written as (for the whole project)")
        rename.clicked.connect(self.rename_consensus)
        self.agreement = AgreementView(library, self.runner)
        self.disagreements = DisagreementView(library, events, undo_stack, self.runner)
        self.disagreements.open_passage.connect(open_passage)
        self.agreement.disagreements_asked.connect(self.show_disagreements)

        side = QGridLayout()
        side.setHorizontalSpacing(8)
        side.addWidget(QLabel("Compare on"), 0, 0)
        side.addWidget(self.tags, 0, 1)
        side.addWidget(self.consensus_label, 1, 0)
        side.addWidget(rename, 1, 1)
        undo_row = QHBoxLayout()
        for action in (undo_stack.createUndoAction(self, "Undo"), undo_stack.createRedoAction(self, "Redo")):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            undo_row.addWidget(button)
            self.addAction(action)
            if action.text().startswith("Undo"):
                action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
                action.setIcon(icon("undo"))
            else:
                action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
                action.setIcon(icon("redo"))
        undo_row.addStretch(1)
        side.addLayout(undo_row, 2, 0, 1, 2)
        side.setRowStretch(3, 1)
        hint = QLabel("Tick the coders to compare. Coders given the same group name are pooled "
                      "and compared as one coder. Tick the consensus coder and one other to see "
                      "how far that coder agrees with the settled coding.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7280;")
        hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        chooser = QGroupBox("Coders")
        chooser_layout = QHBoxLayout(chooser)
        chooser_layout.addWidget(self.coders, 3)
        chooser_layout.addSpacing(8)
        chooser_layout.addLayout(side)
        chooser_layout.addSpacing(8)
        chooser_layout.addWidget(hint, 2)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.agreement, "Agreement")
        self.tabs.addTab(self.disagreements, "Disagreements")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(chooser)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.resize(1240, 860)
        self.dirty = {AGREEMENT: True, DISAGREEMENTS: True}
        self._stale = False
        self._due = QTimer(self)
        self._due.setSingleShot(True)
        self._due.setInterval(250)  # a burst of edits (an import, an undo) counts once
        self._due.timeout.connect(self._recount)
        self.coders.changed.connect(self._recount)
        self.tags.changed.connect(self._recount)
        self.tabs.currentChanged.connect(lambda _i: self._compute_if_dirty())
        events.changed.connect(self._library_changed)
        self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel_all()
        self.runner.wait()  # nothing may still read when the Library closes
        super().closeEvent(event)

    # ----------------------------------------------------------------- state
    def reload(self) -> None:
        """Read the coders, tags and consensus coder's name again, then count."""
        self._reload_choices()
        self._recount()

    def _recount(self) -> None:
        self.dirty = {AGREEMENT: True, DISAGREEMENTS: True}
        self._compute_if_dirty()

    def _compute_if_dirty(self) -> None:
        tab = self.tabs.currentIndex()
        if not self.dirty.get(tab):
            return
        self.dirty[tab] = False
        comparison, reason = self.coders.comparison(self.tags.chosen())
        view = self.agreement if tab == AGREEMENT else self.disagreements
        view.compute(comparison, reason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:  # the coding changed while the window was closed
            self._stale = False
            self.reload()

    def _library_changed(self, changes: Changes) -> None:
        if not self.isVisible():
            self._stale = True  # nothing is read for a closed window; it catches up when shown
            return
        if changes.highlights or changes.tags or changes.codebook or changes.documents_added_or_removed:
            if changes.codebook or changes.documents_added_or_removed or changes.highlights:
                # New coders or tags may have appeared; ticks and groups are kept.
                QTimer.singleShot(0, self._reload_choices)
            self._due.start()

    def _reload_choices(self) -> None:
        consensus = self.library.consensus_coder()
        self.consensus_label.setText(f"Consensus: <b>{html.escape(consensus)}</b>")
        blocked = self.coders.blockSignals(True), self.tags.blockSignals(True)
        self.coders.set_coders(self.library.coder_summaries(), consensus)
        self.tags.set_tags([(t.category, t.name) for t in self.library.tags()])
        self.coders.blockSignals(blocked[0])
        self.tags.blockSignals(blocked[1])

    # ----------------------------------------------------------------- actions
    def show_disagreements(self, tag: str) -> None:
        self.disagreements.show_tag(tag)
        self.tabs.setCurrentIndex(DISAGREEMENTS)
        self.disagreements.show_tag(tag)

    def rename_consensus(self) -> None:
        name, ok = QInputDialog.getText(self, "Consensus Coder",
                                        "Adjudicated passages are written as this coder:",
                                        text=self.library.consensus_coder())
        if ok:
            with reporting_errors(self, "Renaming the consensus coder"):
                self.library.set_consensus_coder(name)
                self.reload()


def open_compare_window(main: Any) -> CompareWindow:
    """The main window's Compare Coders window (made once, then raised)."""
    window: CompareWindow | None = getattr(main, "compare_window", None)
    if window is None:
        window = CompareWindow(main.library, main.events, main.undo_stack,
                               lambda d, h, marks: show_passage(main, d, h, marks), main)
        window.setWindowFlag(Qt.WindowType.Window, True)
        main.compare_window = window
    window.show()
    window.raise_()
    window.activateWindow()
    return window
