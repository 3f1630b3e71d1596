"""The Timeline view: highlights per tag by the documents' published date, in weeks, months
or quarters, as lines or stacked bars, several tags at once. Highlights in documents
without a date are counted apart, and the chart says how many."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.ticker import MaxNLocator
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QWidget,
)

from annotator.core import analysis
from annotator.core.analysis import Timeline
from annotator.core.analysis_filter import ResolvedFilter
from annotator.core.library import Library
from annotator.export.analysis_csv import Table, timeline_table
from annotator.gui.analysis.charts import series_colour
from annotator.gui.analysis.filter_bar import FilterBar
from annotator.gui.analysis.view_base import AnalysisView
from annotator.gui.tasks import TaskRunner

LINES, BARS = "Lines", "Stacked bars"
TAG_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class TimelineParams:
    tag_ids: tuple[int, ...]
    bin: str


class TimelineView(AnalysisView):
    file_stem = "timeline"

    def __init__(self, library: Library, filters: FilterBar, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(library, filters, runner, parent)
        self.bin = QComboBox()
        for key in analysis.BINS:
            self.bin.addItem(key.capitalize(), key)
        self.bin.setCurrentIndex(1)
        self.style = QComboBox()
        self.style.addItems([LINES, BARS])
        self.tags = QListWidget()
        self.tags.setMaximumWidth(240)
        self.reload_tags()
        for label, widget in (("Bin", self.bin), ("Draw as", self.style)):
            self.controls.addWidget(QLabel(label))
            self.controls.addWidget(widget)
        self.controls.addWidget(QLabel("Tick the tags to draw (list on the right)"))
        self.controls.addStretch(1)
        splitter = QSplitter()
        self.body.removeWidget(self.canvas)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.tags)
        splitter.setStretchFactor(0, 4)
        self.body.insertWidget(1, splitter, 1)
        self.bin.currentIndexChanged.connect(lambda _i: self.refresh())
        self.style.currentIndexChanged.connect(lambda _i: self.redraw())
        self.tags.itemChanged.connect(lambda _item: self.refresh())

    def reload_tags(self) -> None:
        """Every tag, ticked: the five most used topics at first, then as the user left it."""
        ticked = set(self.ticked())
        first = not self.tags.count()
        if first:
            topics = sorted(self.library.tags("topic"), key=lambda t: -t.highlight_count)
            ticked = {t.id for t in topics[:5] if t.highlight_count}
        blocker = self.tags.blockSignals(True)
        self.tags.clear()
        for tag in self.library.tags():
            item = QListWidgetItem(f"{tag.category}: {tag.name}")
            item.setData(TAG_ROLE, tag.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag.id in ticked
                               else Qt.CheckState.Unchecked)
            self.tags.addItem(item)
        self.tags.blockSignals(blocker)

    def ticked(self) -> list[int]:
        return [self.tags.item(i).data(TAG_ROLE) for i in range(self.tags.count())
                if self.tags.item(i).checkState() == Qt.CheckState.Checked]

    def set_tags(self, tag_ids: list[int]) -> None:
        wanted = set(tag_ids)
        blocker = self.tags.blockSignals(True)
        for i in range(self.tags.count()):
            item = self.tags.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(TAG_ROLE) in wanted
                               else Qt.CheckState.Unchecked)
        self.tags.blockSignals(blocker)
        self.refresh()

    def parameters(self) -> TimelineParams:
        return TimelineParams(tuple(self.ticked()), self.bin.currentData())

    def compute(self, resolved: ResolvedFilter, params: TimelineParams) -> Timeline:
        return self.library.tag_timeline(params.tag_ids, params.bin, resolved)

    def draw(self, t: Timeline) -> None:
        ax = self.canvas.figure.add_subplot()
        series: dict[int, tuple[str, list[int]]] = {}
        index = {p: i for i, p in enumerate(t.periods)}
        for point in t.points:
            name, counts = series.setdefault(point.tag_id, (point.tag, [0] * len(t.periods)))
            if point.period is not None:
                counts[index[point.period]] = point.count
        if not t.periods or not series:
            message = ("Tick one or more tags on the right." if not series
                       else "No dated highlights for these tags.")
            ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
        else:
            x = list(range(len(t.periods)))
            bottom = [0] * len(x)
            for k, (name, counts) in enumerate(series.values()):
                if self.style.currentText() == LINES:
                    ax.plot(x, counts, marker="o", markersize=3, linewidth=1.6,
                            color=series_colour(k), label=name)
                else:
                    ax.bar(x, counts, bottom=bottom, color=series_colour(k), label=name,
                           width=0.8)
                    bottom = [a + b for a, b in zip(bottom, counts, strict=True)]
            step = max(1, len(x) // 16)
            ax.set_xticks(x[::step], [t.periods[i] for i in x[::step]], rotation=35,
                          ha="right", rotation_mode="anchor")
            ax.set_ylabel("Highlights")
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.legend(fontsize=8, frameon=False, ncols=2 if len(series) > 5 else 1)
            ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
            ax.set_axisbelow(True)
        ax.set_title(f"Highlights per {t.bin}", loc="left")
        if t.undated_total:
            ax.annotate(f"+ {t.undated_total:,} in undated documents (not drawn)",
                        xy=(1, 1.01), xycoords="axes fraction", ha="right", va="bottom",
                        fontsize=8, color="#666666")

    def describe(self, t: Timeline) -> str:
        undated = (f"{t.undated_total:,} highlight{'s' if t.undated_total != 1 else ''} in "
                   "documents without a published date are counted apart (row “undated” "
                   "in the CSV)." if t.undated_total else "Every counted highlight is dated.")
        return f"By the documents' published date. {undated}{self.filter_note()}"

    def table(self) -> Table:
        return timeline_table(self.result)
