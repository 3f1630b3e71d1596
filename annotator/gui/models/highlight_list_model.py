"""Highlights as a flat list in reading order (document, then position), one row each; the
card delegate paints quote, tag chips, note and page from the roles below."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.models import Highlight
from annotator.gui.coder_labels import coded_by, coder_name

HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 21  # the Highlight itself
HIGHLIGHT_ID_ROLE = Qt.ItemDataRole.UserRole + 22
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 23
DOCUMENT_TITLE_ROLE = Qt.ItemDataRole.UserRole + 24  # "" unless document titles are shown
CODER_ROLE = Qt.ItemDataRole.UserRole + 25  # "" unless the project has several coders

AnyIndex = QModelIndex | QPersistentModelIndex
_key = attrgetter("reading_key")
FEW = 8  # changed rows looked up one by one; more (a recolour, a merge) by one scan of them all


class HighlightListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Highlight] = []
        self._titles: dict[int, str] = {}
        self.show_coders = False  # name each card's coder (``coder_view``: several coders)

    def set_highlights(self, highlights: Sequence[Highlight], titles: dict[int, str] | None = None) -> None:
        """Replace the rows; with ``titles`` (document id -> title) each row names its document,
        as the project-wide view needs."""
        self.beginResetModel()
        self._rows = list(highlights)
        self._titles = dict(titles or {})
        self.endResetModel()

    def highlights(self) -> list[Highlight]:
        return list(self._rows)

    def update_highlights(
        self, ids: Iterable[int], fresh: Iterable[Highlight], belongs: Callable[[Highlight], bool]
    ) -> None:
        """Bring the rows of highlights ``ids`` up to date in place, as a reset would show
        them: ``fresh`` holds those that still exist; each is listed (in reading order) when
        ``belongs`` says so and dropped otherwise, as are the ids missing from ``fresh``. The
        untouched rows keep their indexes, so views keep their layout, selection and scroll."""
        current = {h.id: h for h in fresh}
        wanted = list(dict.fromkeys(ids))
        if len(wanted) > FEW:
            rows = {h.id: row for row, h in enumerate(self._rows)}
            find: Callable[[int], int] = lambda hid: rows.get(hid, -1)  # noqa: E731
        else:
            find = lambda hid: self._find(hid, current.get(hid))  # noqa: E731
        replaced: list[int] = []
        # To insert, drop or move, row by row after the replacements: (id, the row listed now).
        moving: list[tuple[int, Highlight | None]] = []
        for hid in wanted:
            row = find(hid)
            highlight = current.get(hid)
            if row >= 0 and highlight is not None and belongs(highlight) \
                    and _key(self._rows[row]) == _key(highlight):
                self._rows[row] = highlight
                replaced.append(row)
            elif row >= 0 or (highlight is not None and belongs(highlight)):
                moving.append((hid, self._rows[row] if row >= 0 else None))
        if replaced:  # one signal: a recoloured tag replaces hundreds of rows
            self.dataChanged.emit(self.index(min(replaced)), self.index(max(replaced)))
        for hid, listed in moving:
            row = self._find(hid, listed) if listed is not None else -1
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
            highlight = current.get(hid)
            if highlight is not None and belongs(highlight):
                at = bisect_left(self._rows, _key(highlight), key=_key)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, highlight)
                self.endInsertRows()

    def _find(self, highlight_id: int, now: Highlight | None) -> int:
        """The row of ``highlight_id``, -1 if not listed. The rows are in reading order, so a
        highlight whose place has not changed (``now`` as it now is) is found by bisection;
        else (or when gone) by a scan."""
        if now is not None:
            at = bisect_left(self._rows, _key(now), key=_key)
            if at < len(self._rows) and self._rows[at].id == highlight_id:
                return at
        return self.row_of(highlight_id)

    def title_of(self, document_id: int) -> str:
        """The document's title when rows name their documents, else ""."""
        return self._titles.get(document_id, "")

    def highlight_at(self, row: int) -> Highlight:
        return self._rows[row]

    def row_of(self, highlight_id: int) -> int:
        for row, highlight in enumerate(self._rows):
            if highlight.id == highlight_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        highlight = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(highlight.text.split())
        if role == HIGHLIGHT_ROLE:
            return highlight
        if role == HIGHLIGHT_ID_ROLE:
            return highlight.id
        if role == DOCUMENT_ID_ROLE:
            return highlight.document_id
        if role == DOCUMENT_TITLE_ROLE:
            return self.title_of(highlight.document_id)
        if role == CODER_ROLE:
            return coder_name(highlight.author) if self.show_coders else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = _tooltip(highlight, self._titles.get(highlight.document_id, ""))
            return f"{tip}\n{coded_by(highlight)}" if self.show_coders else tip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            tags = ", ".join(t.name for t in highlight.tags) or "no tags"
            coder = f", {coded_by(highlight)}" if self.show_coders else ""
            return f"{' '.join(highlight.text.split())} ({tags}{coder})"
        return None


def _tooltip(highlight: Highlight, title: str) -> str:
    lines = []
    if title:
        lines.append(title + (f", p. {highlight.page}" if highlight.page else ""))
    elif highlight.page:
        lines.append(f"p. {highlight.page}")
    quote = " ".join(highlight.text.split())
    lines.append(f"“{quote[:400]}{'…' if len(quote) > 400 else ''}”")
    if highlight.tags:
        lines.append("Tags: " + ", ".join(t.name for t in highlight.tags))
    if highlight.note:
        lines.append("Note: " + highlight.note[:400])
    return "\n".join(lines)
