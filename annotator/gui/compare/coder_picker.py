"""Choosing whom to compare: the project's coders with a tick each and an optional group name
(coders sharing a group are pooled and compared as one), and the tags to compare on."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from annotator.core.adjudication import CoderSummary

NAME, HIGHLIGHTS, DOCUMENTS, GROUP = range(4)


@dataclass(frozen=True)
class Comparison:
    """Whom to compare (coders or group names, in table order), the groups' members, and the
    tag labels to compare on (None: every tag used)."""

    units: tuple[str, ...]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tags: tuple[str, ...] | None = None

    def describe(self) -> str:
        parts = [f"{u} ({' + '.join(self.groups[u])})" if u in self.groups else u
                 for u in self.units]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class CoderTable(QTableWidget):
    """One row per coder: tick to compare, highlights and documents coded, group (editable).
    ``changed()`` when a tick or a group changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("coderTable")
        self.setHorizontalHeaderLabels(["Coder", "Highlights", "Documents", "Group"])
        self.horizontalHeaderItem(GROUP).setToolTip(
            "Coders given the same group name are pooled and compared as one coder")
        self.verticalHeader().hide()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.setMinimumWidth(420)
        self.setMaximumWidth(640)
        for column in (HIGHLIGHTS, DOCUMENTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GROUP, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(GROUP, 110)
        self.setAlternatingRowColors(True)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_coders(self, coders: list[CoderSummary], consensus: str) -> None:
        """Fill the table, keeping ticks and groups of coders already shown; at first, the
        two coders with most highlights (not the consensus) are ticked."""
        kept = {self.item(r, NAME).data(Qt.ItemDataRole.UserRole):
                (self.item(r, NAME).checkState() == Qt.CheckState.Checked, self.item(r, GROUP).text())
                for r in range(self.rowCount())}
        first = not kept
        busiest = [c.name for c in sorted(coders, key=lambda c: -c.highlights)
                   if c.name != consensus][:2]
        blocked = self.blockSignals(True)
        self.setRowCount(0)
        for c in coders:
            row = self.rowCount()
            self.insertRow(row)
            name = QTableWidgetItem(c.name or "(unnamed)")
            name.setData(Qt.ItemDataRole.UserRole, c.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = (c.name in busiest) if first else kept.get(c.name, (False, ""))[0]
            name.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            if c.name == consensus:
                name.setToolTip("The consensus coder: adjudicated passages are written as this coder")
                font = name.font()
                font.setItalic(True)
                name.setFont(font)
            self.setItem(row, NAME, name)
            for column, value in ((HIGHLIGHTS, c.highlights), (DOCUMENTS, c.documents)):
                item = QTableWidgetItem(f"{value:,}")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
            self.setItem(row, GROUP, QTableWidgetItem(kept.get(c.name, (False, ""))[1]))
        self.setCurrentCell(-1, -1)
        self.blockSignals(blocked)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """As tall as its rows (two to five shown; more scroll), so the tabs get the room."""
        rows = min(max(self.rowCount(), 2), 5)
        height = self.horizontalHeader().height() + rows * self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def coder_row(self, name: str) -> int:
        for row in range(self.rowCount()):
            if self.item(row, NAME).data(Qt.ItemDataRole.UserRole) == name:
                return row
        raise KeyError(name)

    def set_ticked(self, name: str, ticked: bool) -> None:
        self.item(self.coder_row(name), NAME).setCheckState(
            Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def set_group(self, name: str, group: str) -> None:
        self.item(self.coder_row(name), GROUP).setText(group)

    def comparison(self, tags: tuple[str, ...] | None) -> tuple[Comparison | None, str]:
        """What the ticks and groups say, or None and the reason it cannot be compared."""
        units: list[str] = []
        groups: dict[str, list[str]] = {}
        names = {self.item(r, NAME).data(Qt.ItemDataRole.UserRole) for r in range(self.rowCount())}
        for row in range(self.rowCount()):
            if self.item(row, NAME).checkState() != Qt.CheckState.Checked:
                continue
            coder = self.item(row, NAME).data(Qt.ItemDataRole.UserRole)
            group = " ".join(self.item(row, GROUP).text().split())
            if not group:
                units.append(coder)
                continue
            if group in names and group != coder:
                return None, f"The group name “{group}” is also a coder's name: choose another."
            if group not in groups:
                units.append(group)
            groups.setdefault(group, []).append(coder)
        if len(units) != len(set(units)):
            return None, "A group has the name of a ticked coder: choose another name."
        if len(names) < 2:
            only = f" only by {next(iter(names)) or '(unnamed)'}" if names else " by nobody yet"
            return None, (f"Comparing needs highlights by two or more coders; this project has "
                          f"highlights{only}. Each coder's highlights carry their name.")
        if len(units) < 2:
            return None, "Tick two or more coders (or give coders two group names) to compare them."
        return Comparison(tuple(units), {g: tuple(m) for g, m in groups.items()}, tags), ""


class TagChooser(QToolButton):
    """“Tags: All ▾”: a menu of the project's tags to tick; none ticked means every tag.
    ``changed()`` when the ticks change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagChooser")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self._actions: dict[str, QAction] = {}
        self._update_text()

    def set_tags(self, labels: list[tuple[str, str]]) -> None:
        """``labels``: (category, name) pairs, in codebook order; ticks of kept tags stay."""
        ticked = set(self.chosen() or ())
        self.menu_.clear()
        self._actions = {}
        everything = self.menu_.addAction("All Tags")
        everything.triggered.connect(self.clear_choice)
        category = None
        for cat, name in labels:
            if cat != category:
                self.menu_.addSection(cat)
                category = cat
            label = f"{cat}:{name}"
            action = self.menu_.addAction(name)
            action.setCheckable(True)
            action.setChecked(label in ticked)
            action.toggled.connect(lambda _on: self._ticked())
            self._actions[label] = action
        self._update_text()

    def chosen(self) -> tuple[str, ...] | None:
        labels = tuple(label for label, action in self._actions.items() if action.isChecked())
        return labels or None

    def choose(self, labels: list[str]) -> None:
        for label, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(label in labels)
            action.blockSignals(False)
        self._ticked()

    def clear_choice(self) -> None:
        self.choose([])

    def _ticked(self) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.setText("Tags: All")
        elif len(chosen) == 1:
            self.setText(f"Tags: {chosen[0].partition(':')[2]}")
        else:
            self.setText(f"Tags: {len(chosen)} chosen")
        self.setToolTip("Compare on these tags only" if chosen else "Compare on every tag the coders used")
