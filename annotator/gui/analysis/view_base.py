"""What every Analysis view shares: its controls row, the chart, a caption saying what is
counted, the export buttons (PNG, SVG, PDF, CSV) and counting off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.analysis_filter import ResolvedFilter
from annotator.core.errors import AnnotatorError, InvalidInput
from annotator.core.library import Library
from annotator.export.analysis_csv import Table, write_table
from annotator.gui.analysis.charts import ChartCanvas, save_picture
from annotator.gui.analysis.filter_bar import FilterBar
from annotator.gui.errors import reporting_errors
from annotator.gui.tasks import Task, TaskRunner

_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)",
            "pdf": "PDF document (*.pdf)", "csv": "CSV table (*.csv)"}


class AnalysisView(QWidget):
    """Subclasses build ``controls`` (a row of widgets), and implement ``compute`` (runs off
    the GUI thread, returns the result), ``draw`` (on the GUI thread) and ``table`` (the
    numbers as rows for CSV). ``ready()`` is emitted once a result is drawn."""

    ready = Signal()
    file_stem = "analysis"

    def __init__(self, library: Library, filters: FilterBar, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.filters = filters
        self.runner = runner
        self.result: Any = None
        self.resolved: ResolvedFilter | None = None
        self.dirty = True
        self._serial = 0
        self.canvas = ChartCanvas()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: palette(mid);")
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for kind in ("png", "svg", "pdf", "csv"):
            button = QPushButton(f"Export {kind.upper()}…")
            button.setToolTip(f"Save this view's {'numbers' if kind == 'csv' else 'chart'} "
                              f"as {kind.upper()}")
            button.clicked.connect(lambda _c=False, k=kind: self.choose_export(k))
            buttons.addWidget(button)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.controls)
        self.body.addWidget(self.canvas, 1)
        self.body.addWidget(self.caption)
        self.body.addLayout(buttons)

    # ----------------------------------------------------------------- counting
    def refresh(self) -> None:
        """Count again with the current filter and controls (off the GUI thread)."""
        try:
            f = self.filters.current()
        except InvalidInput:
            return
        self._serial += 1
        serial = self._serial
        self.caption.setText("Counting…")
        params = self.parameters()

        def job(_report: Any, _cancel: Any) -> tuple[ResolvedFilter, Any]:
            resolved = self.library.resolve_analysis_filter(f)
            return resolved, self.compute(resolved, params)

        task = Task(job, name=self.file_stem)
        task.signals.finished.connect(lambda result, s=serial: self._arrived(s, result))
        task.signals.failed.connect(lambda exc, s=serial: self._failed(s, exc))
        self.runner.launch(task)  # signals connected first: a quick job must not finish unheard
        self.dirty = False

    def _arrived(self, serial: int, result: tuple[ResolvedFilter, Any]) -> None:
        if serial != self._serial:
            return
        self.resolved, self.result = result
        self.redraw()
        self.ready.emit()

    def _failed(self, serial: int, exc: Exception) -> None:
        if serial != self._serial:
            return
        self.caption.setText(f"Could not count: {exc}")
        self.ready.emit()

    def redraw(self) -> None:
        if self.result is None:
            return
        self.canvas.figure.clear()
        self.draw(self.result)
        self.canvas.draw_idle()
        self.caption.setText(self.describe(self.result))

    # ----------------------------------------------------------------- subclass hooks
    def parameters(self) -> Any:
        """The controls' state, read on the GUI thread for ``compute``."""
        return None

    def compute(self, resolved: ResolvedFilter, params: Any) -> Any:
        raise NotImplementedError

    def draw(self, result: Any) -> None:
        raise NotImplementedError

    def describe(self, result: Any) -> str:
        return ""

    def table(self) -> Table:
        raise NotImplementedError

    def filter_note(self) -> str:
        note = self.resolved.filter.describe() if self.resolved else ""
        return f" Filtered by {note}." if note else ""

    # ----------------------------------------------------------------- export
    def choose_export(self, kind: str) -> None:
        if self.result is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, f"Export {kind.upper()}",
                                              str(Path.home() / f"{self.file_stem}.{kind}"),
                                              _FILTERS[kind])
        if path:
            with reporting_errors(self, f"Exporting {kind.upper()}"):
                self.export(Path(path))

    def export(self, path: Path) -> None:
        """Write the chart (png, svg, pdf) or the numbers (csv), by the file's suffix."""
        if self.result is None:
            raise AnnotatorError("nothing counted yet")
        if path.suffix.lower() == ".csv":
            write_table(path, self.table())
        else:
            save_picture(self.canvas.figure, path)
