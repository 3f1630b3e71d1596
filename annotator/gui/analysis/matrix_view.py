"""The Matrix view: a heatmap of tag combinations with the counts written in, totals, row
or column percentages on demand and sortable rows and columns. Hovering a cell says what it
counts; clicking it lists the excerpts behind it, and opening one opens the reader there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Rectangle
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core import analysis
from annotator.core.analysis import AxisItem, Matrix
from annotator.core.analysis_filter import ResolvedFilter
from annotator.core.library import Library
from annotator.core.models import Highlight
from annotator.export.analysis_csv import Table, matrix_table
from annotator.gui.analysis.charts import shorten
from annotator.gui.analysis.filter_bar import FilterBar
from annotator.gui.analysis.view_base import AnalysisView
from annotator.gui.tasks import Task, TaskRunner

MAX_ROWS = 60  # more rows than a chart can label; the CSV has them all
COUNTS, ROW_PERCENT, COLUMN_PERCENT = "Counts", "Row %", "Column %"
HEAT = LinearSegmentedColormap.from_list("annotator-heat", ["#f7fbff", "#c6dbef", "#6baed6",
                                                            "#2171b5", "#08306b"])
EXCERPT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class MatrixParams:
    rows: str
    columns: str
    scope: str


class MatrixView(AnalysisView):
    """``open_excerpt(document_id, start, end)``: the user opened an excerpt of a cell.
    ``excerpts_listed()``: a clicked cell's excerpts are in ``excerpts``."""

    open_excerpt = Signal(int, int, int)
    excerpts_listed = Signal()
    file_stem = "matrix"

    def __init__(self, library: Library, filters: FilterBar, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(library, filters, runner, parent)
        self.rows = QComboBox()
        self.columns = QComboBox()
        self.scope = QComboBox()
        for key in analysis.SCOPES:
            self.scope.addItem(analysis.SCOPE_LABELS[key], key)
        self.show_as = QComboBox()
        self.show_as.addItems([COUNTS, ROW_PERCENT, COLUMN_PERCENT])
        self.sort_rows = QComboBox()
        self.sort_rows.addItems(["Rows A–Z", "Rows by total"])
        self.sort_columns = QComboBox()
        self.sort_columns.addItems(["Columns A–Z", "Columns by total"])
        self.totals = QCheckBox("Totals")
        self.totals.setChecked(True)
        self.reload_axes()
        for label, widget in (("Rows", self.rows), ("Columns", self.columns),
                              ("Scope", self.scope)):
            self.controls.addWidget(QLabel(label))
            self.controls.addWidget(widget)
        for widget in (self.show_as, self.sort_rows, self.sort_columns, self.totals):
            self.controls.addWidget(widget)
        self.controls.addStretch(1)
        for box in (self.rows, self.columns, self.scope):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.show_as, self.sort_rows, self.sort_columns):
            box.currentIndexChanged.connect(lambda _i: self.redraw())
        self.totals.toggled.connect(lambda _on: self.redraw())

        self.cell_title = QLabel("Click a cell to list the excerpts behind it.")
        self.cell_title.setWordWrap(True)
        self.excerpts = QListWidget()
        self.excerpts.setWordWrap(True)
        self.excerpts.setAlternatingRowColors(True)
        self.excerpts.itemActivated.connect(self._open_item)
        self.excerpts.itemDoubleClicked.connect(self._open_item)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.cell_title)
        side_layout.addWidget(self.excerpts, 1)
        splitter = QSplitter()
        self.body.removeWidget(self.canvas)
        splitter.addWidget(self.canvas)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        side.setMinimumWidth(300)
        splitter.setSizes([820, 360])
        self.body.insertWidget(1, splitter, 1)
        self.shown_rows: list[AxisItem] = []
        self.shown_columns: list[AxisItem] = []
        self.clicked_cell: tuple[AxisItem, AxisItem] | None = None
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.mpl_connect("button_press_event", self._click)

    def reload_axes(self) -> None:
        row, column = self.rows.currentData(), self.columns.currentData()
        blockers = self.rows.blockSignals(True), self.columns.blockSignals(True)
        self.rows.clear()
        self.columns.clear()
        for c in self.library.categories():
            self.rows.addItem(c.label, c.name)
            self.columns.addItem(c.label, c.name)
        self.rows.addItem("Documents", "documents")
        for v in self.library.variables():
            if v.name != "published":
                self.rows.addItem(f"Variable: {v.name}", v.name)
        self.rows.setCurrentIndex(max(0, self.rows.findData(row or "actor")))
        self.columns.setCurrentIndex(max(0, self.columns.findData(column or "topic")))
        self.rows.blockSignals(blockers[0])
        self.columns.blockSignals(blockers[1])

    # ----------------------------------------------------------------- counting
    def parameters(self) -> MatrixParams:
        return MatrixParams(self.rows.currentData(), self.columns.currentData(),
                            self.scope.currentData())

    def compute(self, resolved: ResolvedFilter, params: MatrixParams) -> Matrix:
        return self.library.tag_matrix(params.rows, params.columns, params.scope, resolved)

    # ----------------------------------------------------------------- drawing
    def _ordered(self, m: Matrix) -> tuple[list[AxisItem], list[AxisItem]]:
        rows, columns = list(m.rows), list(m.columns)
        if self.sort_rows.currentIndex() == 1:
            rows.sort(key=lambda r: -m.row_total(r.key))
        if self.sort_columns.currentIndex() == 1:
            columns.sort(key=lambda c: -m.column_total(c.key))
        return rows[:MAX_ROWS], columns

    def values(self, m: Matrix, rows: list[AxisItem], columns: list[AxisItem]) -> Any:
        counts = np.array([[m.count(r.key, c.key) for c in columns] for r in rows], dtype=float)
        mode = self.show_as.currentText()
        if mode == ROW_PERCENT:
            totals = counts.sum(axis=1, keepdims=True)
            return np.divide(counts * 100, totals, out=np.zeros_like(counts), where=totals > 0)
        if mode == COLUMN_PERCENT:
            totals = counts.sum(axis=0, keepdims=True)
            return np.divide(counts * 100, totals, out=np.zeros_like(counts), where=totals > 0)
        return counts

    def draw(self, m: Matrix) -> None:
        rows, columns = self._ordered(m)
        self.shown_rows, self.shown_columns = rows, columns
        ax = self.canvas.figure.add_subplot()
        if not rows or not columns:
            ax.text(0.5, 0.5, "Nothing to count: this category has no tags yet.",
                    ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return
        data = self.values(m, rows, columns)
        percent = self.show_as.currentText() != COUNTS
        top = float(data.max()) if data.size else 0.0
        ax.imshow(data, cmap=HEAT, aspect="auto", vmin=0, vmax=max(top, 1.0),
                  interpolation="nearest")
        small = len(rows) * len(columns) > 400
        for i in range(len(rows)):
            for j in range(len(columns)):
                value = data[i, j]
                text = f"{value:.0f}%" if percent else f"{value:.0f}"
                if value == 0 and not percent:
                    text = "·"
                ax.text(j, i, text, ha="center", va="center",
                        fontsize=6.5 if small else 8.5,
                        color="white" if value > 0.55 * top and top > 0 else "#1a1a1a")
        labels_x = [shorten(c.label, 22) for c in columns]
        labels_y = [shorten(r.label, 34) for r in rows]
        if self.totals.isChecked():
            raw = self.values_as_counts(m, rows, columns)
            for i in range(len(rows)):
                self._total_cell(ax, len(columns), i, raw[i].sum())
            for j in range(len(columns)):
                self._total_cell(ax, j, len(rows), raw[:, j].sum())
            self._total_cell(ax, len(columns), len(rows), raw.sum())
            labels_x.append("Total")
            labels_y.append("Total")
            ax.set_xlim(-0.5, len(columns) + 0.5)
            ax.set_ylim(len(rows) + 0.5, -0.5)
        ax.set_xticks(range(len(labels_x)), labels_x, rotation=35, ha="right",
                      rotation_mode="anchor")
        ax.set_yticks(range(len(labels_y)), labels_y)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel(m.column_axis.describe().capitalize())
        ax.set_ylabel(m.row_axis.describe().capitalize())
        shown = "" if self.show_as.currentText() == COUNTS else f" ({self.show_as.currentText()})"
        ax.set_title(f"{m.row_axis.describe().capitalize()} × {m.column_axis.describe()}: "
                     f"{m.unit}{shown}", loc="left")

    @staticmethod
    def values_as_counts(m: Matrix, rows: list[AxisItem], columns: list[AxisItem]) -> Any:
        return np.array([[m.count(r.key, c.key) for c in columns] for r in rows], dtype=float)

    @staticmethod
    def _total_cell(ax: Any, x: int, y: int, value: float) -> None:
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor="#eeeeee",
                               edgecolor="white", linewidth=1))
        ax.text(x, y, f"{value:.0f}", ha="center", va="center", fontsize=8.5,
                fontweight="bold", color="#333333")

    def describe(self, m: Matrix) -> str:
        cut = f" Showing the first {MAX_ROWS} of {len(m.rows)} rows; the CSV has all." \
            if len(m.rows) > MAX_ROWS else ""
        return (f"Each cell counts {m.unit}. {m.total:,} in all.{cut}{self.filter_note()} "
                "Hover a cell to see what it counts; click it for its excerpts.")

    def table(self) -> Table:
        return matrix_table(self.result)

    # ----------------------------------------------------------------- hover and click
    def cell_at(self, event: Any) -> tuple[AxisItem, AxisItem] | None:
        if event.inaxes is None or event.xdata is None or event.ydata is None:
            return None
        j, i = round(event.xdata), round(event.ydata)
        if 0 <= i < len(self.shown_rows) and 0 <= j < len(self.shown_columns):
            return self.shown_rows[i], self.shown_columns[j]
        return None

    def cell_text(self, row: AxisItem, column: AxisItem) -> str:
        m: Matrix = self.result
        count = m.count(row.key, column.key)
        total = m.row_total(row.key)
        share = f" — {count * 100 / total:.0f}% of the row" if total else ""
        return (f"{row.label} × {column.label}: {count:,} {m.unit}{share}\n"
                "Click to list the excerpts")

    def _hover(self, event: Any) -> None:
        cell = self.cell_at(event) if self.result is not None else None
        if cell is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.cell_text(*cell), self.canvas)

    def _click(self, event: Any) -> None:
        cell = self.cell_at(event) if self.result is not None else None
        if cell is not None:
            self.list_cell(*cell)

    def list_cell(self, row: AxisItem, column: AxisItem) -> None:
        """List the excerpts behind a cell (read off the GUI thread)."""
        self.clicked_cell = (row, column)
        m, resolved = self.result, self.resolved
        self.cell_title.setText(f"<b>{row.label} × {column.label}</b> — reading…")
        self.excerpts.clear()

        def job(_report: Any, _cancel: Any) -> list[Highlight]:
            return self.library.matrix_cell_highlights(m, row.key, column.key, resolved)

        task = Task(job, name="cell excerpts")
        task.signals.finished.connect(lambda found, cell=(row, column): self._listed(cell, found))
        self.runner.launch(task)  # signals connected first: a quick job must not finish unheard

    def _listed(self, cell: tuple[AxisItem, AxisItem], found: list[Highlight]) -> None:
        if cell != self.clicked_cell:
            return
        row, column = cell
        m: Matrix = self.result
        titles = {d.id: d.title for d in self.library.document_summaries(
            {h.document_id for h in found})}
        self.cell_title.setText(
            f"<b>{row.label} × {column.label}</b>: {m.count(row.key, column.key):,} "
            f"{m.unit}; {len(found)} excerpt{'s' if len(found) != 1 else ''}. "
            "Double-click one to open it in the reader.")
        for h in found:
            tags = ", ".join(t.name for t in h.tags)
            page = f", p. {h.page}" if h.page else ""
            quote = " ".join(h.text.split())
            item = QListWidgetItem(f"“{shorten(quote, 160)}”\n{titles.get(h.document_id, '')}"
                                   f"{page} · {tags}")
            item.setData(EXCERPT_ROLE, (h.document_id, h.start, h.end))
            item.setToolTip(quote)
            self.excerpts.addItem(item)
        self.excerpts_listed.emit()

    def _open_item(self, item: QListWidgetItem) -> None:
        document_id, start, end = item.data(EXCERPT_ROLE)
        self.open_excerpt.emit(document_id, start, end)
