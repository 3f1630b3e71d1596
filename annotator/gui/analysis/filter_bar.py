"""The filters every Analysis view shares: which documents (all, or those selected in the
Library), one variable's value, a published-date range and a search query."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from annotator.core.analysis_filter import AnalysisFilter
from annotator.core.errors import InvalidInput
from annotator.core.library import Library

_PARTIAL_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*")
NO_VALUE = "(no value)"


def date_bound(text: str, *, end: bool) -> date | None:
    """``2025``, ``2025-06`` or ``2025-06-14`` as the first (or, with ``end``, last) day."""
    if not text.strip():
        return None
    match = _PARTIAL_DATE.fullmatch(text)
    if not match:
        raise InvalidInput(f"dates look like 2025, 2025-06 or 2025-06-14, not {text.strip()!r}")
    y = int(match.group(1))
    m = int(match.group(2)) if match.group(2) else (12 if end else 1)
    try:
        d = int(match.group(3)) if match.group(3) else (
            calendar.monthrange(y, m)[1] if end else 1)
        return date(y, m, d)
    except ValueError:
        raise InvalidInput(f"not a real date: {text.strip()!r}") from None


class FilterBar(QWidget):
    """``changed()``: the filter was edited (read it with ``current()``)."""

    changed = Signal()

    def __init__(self, library: Library, selected_documents: Callable[[], list[int]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.selected_documents = selected_documents
        self.documents = QComboBox()
        self.documents.addItems(["All documents", "Documents selected in the Library"])
        self.variable = QComboBox()
        self.value = QComboBox()
        self.value.setMinimumContentsLength(10)
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        for box, hint in ((self.date_from, "from 2025-01"), (self.date_to, "to 2025-12")):
            box.setPlaceholderText(hint)
            box.setMaximumWidth(110)
            box.setToolTip("Published date: 2025, 2025-06 or 2025-06-14")
        self.query = QLineEdit()
        self.query.setPlaceholderText("Search query, e.g. tariffs OR duties")
        self.query.setClearButtonEnabled(True)
        self.query.setToolTip("Only passages this search finds, and every passage of the "
                              "documents it finds")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("Filter:"), self.documents, self.variable, self.value,
                       self.date_from, self.date_to, self.query, self.problem):
            layout.addWidget(widget)
        layout.setStretch(6, 1)
        self.reload_variables()
        self.documents.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.variable.currentIndexChanged.connect(self._variable_changed)
        self.value.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for box in (self.date_from, self.date_to, self.query):
            box.editingFinished.connect(self.changed.emit)

    def reload_variables(self) -> None:
        chosen = self.variable.currentData()
        blocker = self.variable.blockSignals(True)
        self.variable.clear()
        self.variable.addItem("Any variable", None)
        for v in self.library.variables():
            if v.name != "published":
                self.variable.addItem(v.name, v.name)
        index = self.variable.findData(chosen)
        self.variable.setCurrentIndex(max(0, index))
        self.variable.blockSignals(blocker)
        self._fill_values()

    def _variable_changed(self, _index: int) -> None:
        self._fill_values()
        self.changed.emit()

    def _fill_values(self) -> None:
        blocker = self.value.blockSignals(True)
        self.value.clear()
        name = self.variable.currentData()
        self.value.setEnabled(name is not None)
        if name is not None:
            for value in self.library.variable_values(name):
                self.value.addItem(value, value)
            self.value.addItem(NO_VALUE, NO_VALUE)
        self.value.blockSignals(blocker)

    def current(self) -> AnalysisFilter:
        """The filter as edited; raises ``InvalidInput`` for a date that is not one."""
        self.problem.clear()
        try:
            date_from = date_bound(self.date_from.text(), end=False)
            date_to = date_bound(self.date_to.text(), end=True)
            ids: list[int] = []
            if self.documents.currentIndex() == 1:
                ids = self.selected_documents()
                if not ids:
                    raise InvalidInput("no documents are selected in the Library")
            variables: tuple[tuple[str, tuple[str | None, ...]], ...] = ()
            name = self.variable.currentData()
            if name is not None and self.value.count():
                value = self.value.currentData()
                variables = ((name, (None if value == NO_VALUE else value,)),)
            return AnalysisFilter(document_ids=tuple(ids), variables=variables,
                                  date_from=date_from, date_to=date_to,
                                  query=self.query.text())
        except InvalidInput as exc:
            self.problem.setText(str(exc))
            raise
