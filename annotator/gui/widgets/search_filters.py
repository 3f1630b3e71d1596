"""The search panel's filters (scope, actor, topic, published from/to) as a two-row grid, each
field as wide as its content needs: a whole ISO date, the longest tag name up to an elided
width. One row of six fields squeezed the dates to "from 2…" in a 1440 px window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from annotator.gui.widgets.fitting import line_edit_width

SCOPES = (("Everything", ""), ("Documents", "in:documents"), ("Highlights", "in:highlights"),
          ("Notes", "in:notes"))
WIDEST_DATE = "2026-12-01"
TAG_NAME_EM = 24  # tag names longer than this many average characters are elided in the combos


class DateBox(QLineEdit):
    """A date field whose size hint fits a full ISO date and its placeholder, never less."""

    def _fitting_width(self) -> int:
        return line_edit_width(self, WIDEST_DATE, self.placeholderText())

    def sizeHint(self) -> QSize:
        return QSize(self._fitting_width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._fitting_width(), super().minimumSizeHint().height())


class SearchFilters(QWidget):
    """In [scope]   Published [from] – [to]
    Actor [actor]  Topic [topic]"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope = QComboBox(self)
        for label, value in SCOPES:
            self.scope.addItem(label, value)
        self.actor = QComboBox(self)
        self.topic = QComboBox(self)
        for combo in (self.scope, self.actor, self.topic):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.date_from = DateBox(self)
        self.date_to = DateBox(self)
        for box, text in ((self.date_from, "from 2025-06"), (self.date_to, "to 2025-06-30")):
            box.setPlaceholderText(text)
            box.setToolTip("Published from/to: 2025, 2025-06 or 2025-06-14")
            box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(self._label("In", self.scope), 0, 0, right)
        grid.addWidget(self.scope, 0, 1, left)
        grid.addWidget(self._label("Published", self.date_from), 0, 2, right)
        grid.addWidget(self.date_from, 0, 3, left)
        grid.addWidget(QLabel("–", self), 0, 4)
        grid.addWidget(self.date_to, 0, 5, left)
        grid.addWidget(self._label("Actor", self.actor), 1, 0, right)
        grid.addWidget(self.actor, 1, 1, left)
        grid.addWidget(self._label("Topic", self.topic), 1, 2, right)
        grid.addWidget(self.topic, 1, 3, 1, 3, left)
        grid.setColumnStretch(6, 1)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def set_tag_names(self, combo: QComboBox, anyone: str, names: Sequence[str]) -> None:
        """Fill an actor/topic combo, keeping its choice; long names are elided for display
        (the full name is the item's data, used in the query, and its tooltip)."""
        current = combo.currentData()
        limit = combo.fontMetrics().averageCharWidth() * TAG_NAME_EM
        combo.clear()
        combo.addItem(anyone, "")
        for name in names:
            combo.addItem(combo.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, limit), name)
            combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        # QComboBox keeps the minimum it computed while it was empty: state the real one.
        combo.setMinimumWidth(combo.sizeHint().width())
        self.updateGeometry()  # the panel's layout caches this grid's minimum

    def reset(self) -> None:
        for combo in (self.scope, self.actor, self.topic):
            combo.setCurrentIndex(0)
        self.date_from.clear()
        self.date_to.clear()

    def query_parts(self) -> list[str]:
        """The filters in the query language."""
        parts: list[str] = []
        if self.scope.currentData():
            parts.append(self.scope.currentData())
        for category, combo in (("actor", self.actor), ("topic", self.topic)):
            name = combo.currentData()
            if name:
                parts.append(f'{category}:"{name}"')
        start, end = self.date_from.text().strip(), self.date_to.text().strip()
        if start or end:
            parts.append(f"published:[{start} to {end}]")
        return parts
