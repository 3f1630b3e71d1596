"""The Analysis window: Matrix, Frequencies, Timeline and Combinations views over one shared
filter bar. Opened from the toolbar; this module (and so matplotlib) is imported only then.
Only the visible view counts; the others count when they are shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from annotator.gui.analysis.combinations_view import CombinationsView
from annotator.gui.analysis.filter_bar import FilterBar
from annotator.gui.analysis.frequencies_view import FrequenciesView
from annotator.gui.analysis.matrix_view import MatrixView
from annotator.gui.analysis.timeline_view import TimelineView
from annotator.gui.dialogs.excerpt_report_dialog import ExcerptReportDialog
from annotator.gui.events import LibraryEvents
from annotator.gui.tasks import TaskRunner

OpenExcerpt = Callable[[int, int, int], None]


class AnalysisWindow(QMainWindow):
    def __init__(self, library: Library, events: LibraryEvents,
                 selected_documents: Callable[[], list[int]], open_excerpt: OpenExcerpt,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle(f"Analysis — {library.name}")
        self.runner = TaskRunner(self)
        self.filters = FilterBar(library, selected_documents)
        self.matrix = MatrixView(library, self.filters, self.runner)
        self.frequencies = FrequenciesView(library, self.filters, self.runner)
        self.timeline = TimelineView(library, self.filters, self.runner)
        self.combinations = CombinationsView(library, self.filters, self.runner)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for view, label in ((self.matrix, "Matrix"), (self.frequencies, "Frequencies"),
                            (self.timeline, "Timeline"), (self.combinations, "Combinations")):
            self.tabs.addTab(view, label)
        for view in (self.matrix, self.combinations):
            view.open_excerpt.connect(open_excerpt)
        report = QPushButton("Excerpt Report…")
        report.setToolTip("Every excerpt of chosen tags, grouped by tag, as Markdown, HTML, "
                          "Word or printed, with these filters")
        report.clicked.connect(self.open_report)
        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        top.addWidget(report)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.resize(1180, 760)
        self.filters.changed.connect(self._filters_changed)
        self.tabs.currentChanged.connect(lambda _i: self._count_if_dirty())
        events.changed.connect(self._library_changed)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._count_if_dirty()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel_all()
        self.runner.wait()  # no count may still be reading when the Library closes
        super().closeEvent(event)

    def views(self) -> list[MatrixView | FrequenciesView | TimelineView | CombinationsView]:
        return [self.matrix, self.frequencies, self.timeline, self.combinations]

    def _count_if_dirty(self) -> None:
        view = self.tabs.currentWidget()
        if getattr(view, "dirty", False):
            view.refresh()  # type: ignore[union-attr]

    def _filters_changed(self) -> None:
        for view in self.views():
            view.dirty = True
        self._count_if_dirty()

    def _library_changed(self, changes: Changes) -> None:
        """Tags, highlights or documents changed in the main window: the counts are stale."""
        if changes.codebook or changes.tags:
            self.matrix.reload_axes()
            self.frequencies.reload_choices()
            self.timeline.reload_tags()
            self.combinations.reload_tags()
        if changes.documents:
            self.filters.reload_variables()
        self._filters_changed()

    def open_report(self) -> None:
        try:
            current = self.filters.current()
        except InvalidInput:
            current = None
        ticked = self.timeline.ticked()
        ExcerptReportDialog(self.library, self, current, ticked).exec()
