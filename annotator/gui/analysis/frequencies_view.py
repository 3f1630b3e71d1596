"""The Frequencies view: highlights (or documents) per tag as horizontal bars, one category
or all, optionally split by a variable's values (tariffs by outlet) as stacked bars."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.ticker import MaxNLocator
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from annotator.core.analysis import CategoryFrequency, TagFrequency
from annotator.core.analysis_filter import ResolvedFilter
from annotator.core.library import Library
from annotator.export.analysis_csv import Table, frequency_table
from annotator.gui.analysis.charts import series_colour, shorten
from annotator.gui.analysis.filter_bar import FilterBar
from annotator.gui.analysis.view_base import AnalysisView
from annotator.gui.tasks import TaskRunner

MAX_BARS = 40
HIGHLIGHTS, DOCUMENTS = "Highlights", "Documents"


@dataclass(frozen=True)
class FrequencyParams:
    category: str | None
    by: str | None


@dataclass(frozen=True)
class FrequencyResult:
    rows: list[TagFrequency]
    categories: list[CategoryFrequency]
    params: FrequencyParams


class FrequenciesView(AnalysisView):
    file_stem = "frequencies"

    def __init__(self, library: Library, filters: FilterBar, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(library, filters, runner, parent)
        self.category = QComboBox()
        self.split = QComboBox()
        self.measure = QComboBox()
        self.measure.addItems([HIGHLIGHTS, DOCUMENTS])
        self.reload_choices()
        for label, widget in (("Tags", self.category), ("Split by", self.split),
                              ("Count", self.measure)):
            self.controls.addWidget(QLabel(label))
            self.controls.addWidget(widget)
        self.controls.addStretch(1)
        self.category.currentIndexChanged.connect(lambda _i: self.refresh())
        self.split.currentIndexChanged.connect(lambda _i: self.refresh())
        self.measure.currentIndexChanged.connect(lambda _i: self.redraw())

    def reload_choices(self) -> None:
        category, split = self.category.currentData(), self.split.currentData()
        blockers = self.category.blockSignals(True), self.split.blockSignals(True)
        self.category.clear()
        self.category.addItem("All categories", None)
        for c in self.library.categories():
            self.category.addItem(c.label, c.name)
        self.split.clear()
        self.split.addItem("Nothing", None)
        for v in self.library.variables():
            self.split.addItem(v.name, v.name)
        self.category.setCurrentIndex(max(0, self.category.findData(category)))
        self.split.setCurrentIndex(max(0, self.split.findData(split)))
        self.category.blockSignals(blockers[0])
        self.split.blockSignals(blockers[1])

    def parameters(self) -> FrequencyParams:
        return FrequencyParams(self.category.currentData(), self.split.currentData())

    def compute(self, resolved: ResolvedFilter, params: FrequencyParams) -> FrequencyResult:
        rows = self.library.tag_frequencies(resolved, by=params.by, category=params.category)
        return FrequencyResult(rows, self.library.category_frequencies(resolved), params)

    def _measure(self, f: TagFrequency) -> int:
        return f.documents if self.measure.currentText() == DOCUMENTS else f.highlights

    def draw(self, result: FrequencyResult) -> None:
        ax = self.canvas.figure.add_subplot()
        totals: dict[int, int] = {}
        names: dict[int, TagFrequency] = {}
        for f in result.rows:
            totals[f.tag_id] = totals.get(f.tag_id, 0) + self._measure(f)
            names.setdefault(f.tag_id, f)
        order = sorted(totals, key=lambda t: (-totals[t], names[t].tag.casefold()))[:MAX_BARS]
        order.reverse()  # barh draws bottom-up: the largest bar goes on top
        if not order:
            ax.text(0.5, 0.5, "No tags to count yet.", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_axis_off()
            return
        all_categories = result.params.category is None
        labels = [shorten(f"{names[t].category}: {names[t].tag}" if all_categories
                          else names[t].tag, 36) for t in order]
        positions = range(len(order))
        if result.params.by is None:
            widths = [totals[t] for t in order]
            bars = ax.barh(positions, widths, color=[names[t].colour for t in order],
                           edgecolor="#555555", linewidth=0.4)
            ax.bar_label(bars, padding=3, fontsize=8)
        else:
            values = list(dict.fromkeys(f.value for f in result.rows))
            left = [0] * len(order)
            per = {(f.tag_id, f.value): self._measure(f) for f in result.rows}
            for k, value in enumerate(values):
                widths = [per.get((t, value), 0) for t in order]
                ax.barh(positions, widths, left=left, color=series_colour(k),
                        label=value if value is not None else "(no value)")
                left = [a + b for a, b in zip(left, widths, strict=True)]
            for y, x in zip(positions, left, strict=True):
                ax.text(x, y, f" {x}", va="center", fontsize=8)
            ax.legend(title=result.params.by, fontsize=8, title_fontsize=8, frameon=False,
                      loc="lower right")
        ax.set_yticks(list(positions), labels)
        ax.set_xlabel(self.measure.currentText())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(x=0.12)
        split = f" by {result.params.by}" if result.params.by else ""
        ax.set_title(f"{self.measure.currentText()} per tag{split}", loc="left")

    def describe(self, result: FrequencyResult) -> str:
        shown = "; ".join(f"{c.category}: {c.highlights:,} highlights in {c.documents:,} "
                          "documents" for c in result.categories)
        distinct = len({f.tag_id for f in result.rows})
        cut = f" The {MAX_BARS} largest of {distinct} tags are drawn; the CSV has all." \
            if distinct > MAX_BARS else ""
        return f"{shown}.{cut}{self.filter_note()}"

    def table(self) -> Table:
        result: FrequencyResult = self.result
        return frequency_table(result.rows, result.params.by)
