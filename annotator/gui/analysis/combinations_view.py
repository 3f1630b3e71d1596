"""Retrieval of tag combinations ("Retrieved Segments" with code combinations): the excerpts
carrying tag A AND tag B (in the same highlight, overlapping, in the same paragraph or the
same document), or A but NOT B, grouped by document. Opening one opens the reader there."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core import analysis
from annotator.core.analysis_filter import ResolvedFilter
from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from annotator.core.models import Highlight
from annotator.export.analysis_csv import Table, write_table
from annotator.export.citation import page_reference
from annotator.gui.analysis.filter_bar import FilterBar
from annotator.gui.errors import reporting_errors
from annotator.gui.tasks import Task, TaskRunner

SPAN_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Retrieved:
    highlights: list[Highlight]
    titles: dict[int, str]
    a: int
    b: int
    mode: str
    scope: str


class CombinationsView(QWidget):
    """``open_excerpt(document_id, start, end)``; ``ready()`` once a retrieval is listed."""

    open_excerpt = Signal(int, int, int)
    ready = Signal()

    def __init__(self, library: Library, filters: FilterBar, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.filters = filters
        self.runner = runner
        self.result: Retrieved | None = None
        self.dirty = True
        self._serial = 0
        self.tag_a = QComboBox()
        self.tag_b = QComboBox()
        self.mode = QComboBox()
        self.mode.addItem("AND", analysis.AND)
        self.mode.addItem("but NOT", analysis.NOT)
        self.scope = QComboBox()
        for key in analysis.SCOPES:
            self.scope.addItem(analysis.SCOPE_LABELS[key].lower(), key)
        self.reload_tags()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Excerpt", "Tags", "Page"])
        self.tree.setColumnWidth(0, 520)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._open)
        export = QPushButton("Export CSV…")
        export.clicked.connect(self.choose_export)
        row = QHBoxLayout()
        for widget in (QLabel("Excerpts with"), self.tag_a, self.mode, self.tag_b,
                       QLabel("in the"), self.scope):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        for box in (self.tag_a, self.tag_b, self.mode, self.scope):
            box.currentIndexChanged.connect(lambda _i: self.refresh())

    def reload_tags(self) -> None:
        chosen = self.tag_a.currentData(), self.tag_b.currentData()
        tags = self.library.tags()
        for box, keep, fallback in ((self.tag_a, chosen[0], "actor"),
                                    (self.tag_b, chosen[1], "topic")):
            blocker = box.blockSignals(True)
            box.clear()
            for tag in tags:
                box.addItem(f"{tag.category}: {tag.name}", tag.id)
            index = box.findData(keep)
            if index < 0:
                index = next((i for i, t in enumerate(tags) if t.category == fallback), 0)
            box.setCurrentIndex(index)
            box.blockSignals(blocker)

    def choose(self, a: int, b: int, mode: str = analysis.AND,
               scope: str = analysis.HIGHLIGHT) -> None:
        """Show a combination (the Matrix view's cells lead here too)."""
        for box, value in ((self.tag_a, a), (self.tag_b, b), (self.mode, mode),
                           (self.scope, scope)):
            blocker = box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.blockSignals(blocker)
        self.refresh()

    def refresh(self) -> None:
        a, b = self.tag_a.currentData(), self.tag_b.currentData()
        if a is None or b is None:
            self.summary.setText("The codebook has no tags yet.")
            return
        try:
            f = self.filters.current()
        except InvalidInput:
            return
        mode, scope = self.mode.currentData(), self.scope.currentData()
        self._serial += 1
        serial = self._serial
        self.summary.setText("Retrieving…")
        self.dirty = False

        def job(_report: Any, _cancel: Any) -> Retrieved:
            resolved: ResolvedFilter = self.library.resolve_analysis_filter(f)
            found = self.library.combination_highlights([a], [b], mode, scope, resolved)
            titles = {d.id: d.title for d in self.library.document_summaries(
                {h.document_id for h in found})}
            return Retrieved(found, titles, a, b, mode, scope)

        task = Task(job, name="combination")
        task.signals.finished.connect(lambda result, s=serial: self._show(s, result))
        task.signals.failed.connect(lambda exc: self.summary.setText(f"Could not retrieve: {exc}"))
        self.runner.launch(task)  # signals connected first: a quick job must not finish unheard

    def _show(self, serial: int, result: Retrieved) -> None:
        if serial != self._serial:
            return
        self.result = result
        self.tree.clear()
        by_document: dict[int, QTreeWidgetItem] = {}
        for h in result.highlights:
            parent = by_document.get(h.document_id)
            if parent is None:
                parent = QTreeWidgetItem([result.titles.get(h.document_id, "")])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                self.tree.addTopLevelItem(parent)
                by_document[h.document_id] = parent
            item = QTreeWidgetItem([" ".join(h.text.split()), ", ".join(t.name for t in h.tags),
                                    page_reference(h)])
            item.setData(0, SPAN_ROLE, (h.document_id, h.start, h.end))
            item.setToolTip(0, h.text)
            parent.addChild(item)
        for parent in by_document.values():
            parent.setText(1, f"{parent.childCount()} excerpt{'s' if parent.childCount() != 1 else ''}")
        self.tree.expandAll()
        word = "with" if result.mode == analysis.AND else "without"
        self.summary.setText(
            f"{len(result.highlights):,} excerpt{'s' if len(result.highlights) != 1 else ''} in "
            f"{len(by_document):,} document{'s' if len(by_document) != 1 else ''}: "
            f"{self.tag_a.currentText()} {word} {self.tag_b.currentText()} in the "
            f"{self.scope.currentText()}. Double-click one to open it in the reader.")
        self.ready.emit()

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        span = item.data(0, SPAN_ROLE)
        if span is not None:
            self.open_excerpt.emit(*span)

    def table(self) -> Table:
        rows = [["excerpt_id", "document_id", "document_title", "page", "tags", "text"]]
        if self.result is not None:
            for h in self.result.highlights:
                rows.append([str(h.id), str(h.document_id),
                             self.result.titles.get(h.document_id, ""), page_reference(h),
                             "; ".join(t.name for t in h.tags), h.text])
        return rows

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV",
                                              str(Path.home() / "combination.csv"),
                                              "CSV table (*.csv)")
        if path:
            with reporting_errors(self, "Exporting CSV"):
                write_table(Path(path), self.table())
