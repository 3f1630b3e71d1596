"""The Agreement tab: per tag, percent agreement, Cohen's kappa, Krippendorff's alpha and
alpha-u between the chosen coders (or groups), over the documents all of them coded and only
the text some coder tagged; how much text was left out is said above the table. Figures are
shaded by Krippendorff's reliability thresholds; the table exports to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import TagAgreement
from annotator.core.library import Library
from annotator.export.agreement_csv import agreement_table
from annotator.export.analysis_csv import write_table
from annotator.gui.compare.coder_picker import Comparison
from annotator.gui.compare.latest_job import LatestJob
from annotator.gui.errors import reporting_errors
from annotator.gui.swatches import swatch_icon
from annotator.gui.tasks import TaskRunner

FIXED = ["Tag", "Agreement", "Cohen's κ", "Krippendorff's α", "α-u", "Reliability"]
TAG, PERCENT, KAPPA, ALPHA, ALPHA_U, VERDICT = range(len(FIXED))
HEADER_TIPS = {
    PERCENT: "Share of the coded characters on which the coders agree (tagged or not), "
             "averaged over pairs of coders",
    KAPPA: "Cohen's kappa; for three or more coders the mean of the pairwise kappas (Light's kappa)",
    ALPHA: "Krippendorff's alpha (nominal), each coded character a unit",
    ALPHA_U: "Krippendorff's unitizing alpha (2004): each tagged passage is a unit, so two "
             "passages with slightly different boundaries differ by how far their ends lie "
             "apart, not character by character",
    VERDICT: "By the lower of alpha and alpha-u, on Krippendorff's thresholds",
}
# Krippendorff (2004): rely on alpha >= .800; draw tentative conclusions from .667 to .800.
RELIABLE, TENTATIVE = 0.800, 0.667
SHADES = {"reliable": "#cfe8cf", "tentative": "#f6e3b4", "low": "#f3c9c4"}
LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"),
               (0.80, "substantial"), (1.01, "almost perfect"))


def band(value: float) -> str:
    return "reliable" if value >= RELIABLE else "tentative" if value >= TENTATIVE else "low"


def verdict(r: TagAgreement) -> str:
    """Reliability in words, by the lower alpha (a tag is as reliable as its weaker figure)."""
    known = [v for v in (r.krippendorff_alpha, r.krippendorff_alpha_u) if v is not None]
    if not known:
        return "undefined"
    return {"reliable": "reliable", "tentative": "tentative only", "low": "unreliable"}[band(min(known))]


def kappa_words(value: float) -> str:
    """Landis and Koch's (1977) words for a kappa."""
    if value < 0:
        return "poor"
    return next(word for top, word in LANDIS_KOCH[1:] if value <= top)


def legend() -> QLabel:
    swatch = '<span style="background:{};">&nbsp;&nbsp;&nbsp;&nbsp;</span>'
    label = QLabel(
        f"{swatch.format(SHADES['reliable'])} ≥ {RELIABLE:.3f} reliable &nbsp;&nbsp;"
        f"{swatch.format(SHADES['tentative'])} {TENTATIVE:.3f}–{RELIABLE:.3f} tentative "
        f"conclusions only &nbsp;&nbsp;{swatch.format(SHADES['low'])} below {TENTATIVE:.3f} "
        "(Krippendorff's thresholds) &nbsp;&nbsp;·&nbsp;&nbsp; n/a: undefined, e.g. no "
        "variation or the tag unused")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setObjectName("agreementLegend")
    label.setStyleSheet("color: #6b7280;")
    label.setWordWrap(True)
    return label


class AgreementView(QWidget):
    """``ready()`` once figures (or the reason there are none) are shown;
    ``disagreements_asked(str)``: the user wants the passages behind a tag's figures."""

    ready = Signal()
    disagreements_asked = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.job = LatestJob(runner, "agreement", self)
        self.results: list[TagAgreement] = []
        self.comparison: Comparison | None = None
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(FIXED))
        self.table.setObjectName("agreementTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.itemDoubleClicked.connect(lambda item: self._ask(item.row()))
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("exportAgreement")
        self.export_button.setToolTip("Save this table as CSV (the columns of "
                                      "annotator report agreement --csv)")
        self.export_button.clicked.connect(self.choose_export)
        self.show_button = QPushButton("Show Disagreements")
        self.show_button.setToolTip("List the passages the coders differ on for the chosen tag")
        self.show_button.clicked.connect(lambda: self._ask(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(legend(), 1)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._set_enabled(False)

    # ----------------------------------------------------------------- computing
    def compute(self, comparison: Comparison | None, reason: str = "") -> None:
        self.comparison = comparison
        if comparison is None:
            self.results = []
            self._fill()
            self.summary.setText(reason)
            self._set_enabled(False)
            self.ready.emit()
            return
        self.summary.setText(f"Computing agreement between {comparison.describe()}…")
        library = self.library
        self.job.run(lambda: library.coder_agreement(list(comparison.units), tags=comparison.tags,
                                                     groups=dict(comparison.groups) or None),
                     self._arrived, self._failed)

    def _arrived(self, results: list[TagAgreement]) -> None:
        self.results = results
        self._fill()
        self.summary.setText(self._describe())
        self._set_enabled(bool(results))
        self.ready.emit()

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(f"Could not compute the agreement: {exc}")
        self.ready.emit()

    def _set_enabled(self, on: bool) -> None:
        self.export_button.setEnabled(on)
        self.show_button.setEnabled(on)

    def _describe(self) -> str:
        comparison = self.comparison
        if comparison is None:
            return ""
        if not self.results:
            return (f"{comparison.describe()} used none of the chosen tags in the documents "
                    "all of them coded.")
        first = self.results[0]
        if first.documents == 0:
            return (f"No document holds highlights of every one of {comparison.describe()}: "
                    "agreement is computed over the documents all compared coders coded.")
        return (f"Over the <b>{first.documents:,}</b> document{'s' * (first.documents != 1)} "
                f"coded by all of {comparison.describe()}: <b>{first.units:,}</b> characters some "
                f"coder tagged are compared. <b>{first.left_out:,}</b> characters that no coder "
                "tagged are <b>left out</b> of every figure (counting them would let agreement "
                "on untouched text inflate it).")

    # ----------------------------------------------------------------- the table
    def _fill(self) -> None:
        coders = list(self.comparison.units) if self.comparison else []
        colours = {f"{t.category}:{t.name}": t.colour for t in self.library.tags()} if self.results else {}
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(FIXED) + len(coders))
        self.table.setHorizontalHeaderLabels(FIXED + [f"{c} (chars)" for c in coders])
        for column, tip in HEADER_TIPS.items():
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            category, _, name = r.tag.partition(":")
            tag = _SortableItem(f"{name}  ·  {category}")
            tag.setData(Qt.ItemDataRole.UserRole, r.tag)
            tag.setData(Qt.ItemDataRole.UserRole + 1, (category.casefold(), name.casefold()))
            tag.setToolTip(r.tag)
            if r.tag in colours:
                tag.setIcon(swatch_icon(colours[r.tag]))
            self.table.setItem(row, TAG, tag)
            words = verdict(r)
            judged = _SortableItem(words)
            judged.setData(Qt.ItemDataRole.UserRole + 1, words)
            self.table.setItem(row, VERDICT, judged)
            self.table.setItem(row, PERCENT, _figure(r.percent_agreement, percent=True))
            self.table.setItem(row, KAPPA, _figure(r.cohen_kappa, shade=True, kappa=True))
            self.table.setItem(row, ALPHA, _figure(r.krippendorff_alpha, shade=True))
            self.table.setItem(row, ALPHA_U, _figure(r.krippendorff_alpha_u, shade=True))
            for k, coder in enumerate(coders):
                self.table.setItem(row, len(FIXED) + k, _number(r.tagged.get(coder, 0)))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TAG, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSortingEnabled(True)
        self.table.sortItems(TAG, Qt.SortOrder.AscendingOrder)

    def tag_at(self, row: int) -> str | None:
        item = self.table.item(row, TAG) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _ask(self, row: int) -> None:
        tag = self.tag_at(row)
        if tag:
            self.disagreements_asked.emit(tag)

    # ----------------------------------------------------------------- export
    def choose_export(self) -> None:
        if not self.results:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export Agreement", str(Path.home() / "agreement.csv"),
                                              "CSV table (*.csv)")
        if path:
            with reporting_errors(self, "Exporting the agreement table"):
                self.export(Path(path))

    def export(self, path: Path) -> None:
        write_table(path, agreement_table(self.results))


class _SortableItem(QTableWidgetItem):
    """Sorts by the number behind the text (undefined figures last)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(Qt.ItemDataRole.UserRole + 1), other.data(Qt.ItemDataRole.UserRole + 1)
        if mine is None or theirs is None:
            return theirs is None and mine is not None
        return bool(mine < theirs)


def _number(value: int) -> QTableWidgetItem:
    item = _SortableItem(f"{value:,}")
    item.setData(Qt.ItemDataRole.UserRole + 1, value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _figure(value: float | None, *, percent: bool = False, shade: bool = False,
            kappa: bool = False) -> QTableWidgetItem:
    if value is None:
        item = _SortableItem("n/a")
        item.setToolTip("Undefined for these data (no variation, or the tag was not used)")
        item.setForeground(QBrush(QColor("#888888")))
    else:
        item = _SortableItem(f"{value:.1%}" if percent else f"{value:.3f}")
        if shade:
            item.setBackground(QBrush(QColor(SHADES[band(value)])))
            item.setForeground(QBrush(QColor("#1d1d1d")))
        if kappa:
            item.setToolTip(f"κ = {value:.3f}: {kappa_words(value)} agreement (Landis and Koch)")
    item.setData(Qt.ItemDataRole.UserRole + 1, value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
