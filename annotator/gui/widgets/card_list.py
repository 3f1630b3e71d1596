"""The list the Highlights pane shows its cards in: a one-column tree scrolled card by card.

A QListView lays out every row whenever one comes, goes or changes, asking all 2,000 cards
their size (40 ms a tag with the Highlights tab in front). A QTreeView scrolled per item
measures a card only when it is painted, hit or scrolled past, so an edit costs the visible
cards; the price is that the view has no pixel offsets, so scrolling moves whole cards."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QMouseEvent, QRegion, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex
NOTCH = 120  # angle delta of one wheel notch, in eighths of a degree


class CardList(QTreeView):
    """Flat, headerless, one card per row; one wheel notch moves one card."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setExpandsOnDoubleClick(False)
        self.setIndentation(0)
        self.setUniformRowHeights(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header().setStretchLastSection(True)  # the card spans the viewport
        self.header().setMinimumSectionSize(0)
        self._laid_out_width = -1
        self._wheel_rest = 0  # a trackpad's part of a notch, kept for the next event
        self._drag_step = 1  # pixels per card while the mouse drags (see verticalOffset)

    # The tree keeps each row's measured height until it lays out again; a card's height
    # follows the width its quote wraps to, so a new width needs a new layout.
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        if width != self._laid_out_width:
            self._laid_out_width = width
            self.scheduleDelayedItemsLayout()

    def dataChanged(self, top_left: AnyIndex, bottom_right: AnyIndex,
                    roles: Sequence[int] = ()) -> None:
        """One changed row is measured again by the tree itself; a range (a recoloured tag
        replaces every row between its first and last highlight) would be measured row by
        row, so it lays the list out again instead, which measures only the visible cards."""
        if top_left.isValid() and bottom_right.isValid() and top_left.row() != bottom_right.row():
            QAbstractItemView.dataChanged(self, top_left, bottom_right, list(roles))
            self.scheduleDelayedItemsLayout()
        else:
            super().dataChanged(top_left, bottom_right, list(roles))

    def wheelEvent(self, event: QWheelEvent) -> None:
        """A notch scrolls one card, not the three lines Qt scrolls by default: cards are
        several lines tall. Ctrl or Shift still scroll a page, as Qt does."""
        delta = event.angleDelta().y()
        modifiers = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        if not delta or modifiers != Qt.KeyboardModifier.NoModifier:
            super().wheelEvent(event)
            return
        if self._wheel_rest * delta < 0:
            self._wheel_rest = 0  # turned back: forget the part scrolled the other way
        self._wheel_rest += delta
        steps = int(self._wheel_rest / NOTCH)
        if steps:
            self._wheel_rest -= steps * NOTCH
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - steps)
        event.accept()

    def scrollTo(self, index: AnyIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        """QTreeView judges "visible" by the number of cards that fit at the end of the list,
        which misses a card just below the view when the cards above it are taller; this
        measures the cards between the top and ``index`` (at most a viewport's worth)."""
        if not index.isValid() or index.parent().isValid() \
                or self.verticalScrollMode() != QAbstractItemView.ScrollMode.ScrollPerItem:
            super().scrollTo(index, hint)
            return
        self.executeDelayedItemsLayout()
        bar = self.verticalScrollBar()
        row, top, room = index.row(), bar.value(), self.viewport().height()
        if hint == QAbstractItemView.ScrollHint.EnsureVisible:
            if row < top:
                hint = QAbstractItemView.ScrollHint.PositionAtTop
            elif self._fits_below_top(top, row, room):
                return
            else:
                hint = QAbstractItemView.ScrollHint.PositionAtBottom
        if hint == QAbstractItemView.ScrollHint.PositionAtTop:
            bar.setValue(row)
            return
        own = self._row_height(row)
        space = (room - own) // 2 if hint == QAbstractItemView.ScrollHint.PositionAtCenter else room - own
        first = row
        while first > 0:
            above = self._row_height(first - 1)
            if above > space:
                break
            first -= 1
            space -= above
        bar.setValue(first)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        """The view, when the selection has a card in it: the tree would measure every card
        from the top of the view to a selected one far off it, to repaint nothing."""
        shown = self._shown_rows()
        if shown is None:
            return QRegion()
        first, last = shown
        seen = any(r.top() <= last and r.bottom() >= first for r in selection if not r.parent().isValid())
        return QRegion(self.viewport().rect()) if seen else QRegion()

    def verticalOffset(self) -> int:
        """Qt adds up the height of every card above the view for this, on every mouse move;
        it only keeps a mouse drag's starting point in place while the list scrolls under
        it, which a fixed step per card, the top card's height at the press, does well enough."""
        if self.verticalScrollMode() != QAbstractItemView.ScrollMode.ScrollPerItem:
            return super().verticalOffset()
        return self.verticalScrollBar().value() * self._drag_step

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click repaints the card that was current; when that one has scrolled far out
        of view the tree measures every card between to find it, so it is let go quietly
        first. Shift keeps it: a Shift+click selects from it to the card clicked."""
        shown = self._shown_rows()
        if shown is not None:
            self._drag_step = max(self._row_height(shown[0]), 1)
            current = self.currentIndex()
            if current.isValid() and not shown[0] <= current.row() <= shown[1] \
                    and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                selection = self.selectionModel()
                blocked = selection.blockSignals(True)
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
                selection.blockSignals(blocked)
        super().mousePressEvent(event)

    def _shown_rows(self) -> tuple[int, int] | None:
        """The first and last rows in view, None for an empty list."""
        model = self.model()
        count = model.rowCount(self.rootIndex()) if model is not None else 0
        if not count:
            return None
        bottom = self.indexAt(QPoint(1, self.viewport().height() - 1))
        return self.verticalScrollBar().value(), bottom.row() if bottom.isValid() else count - 1

    def _fits_below_top(self, top: int, row: int, room: int) -> bool:
        """Whether card ``row`` shows whole (or starts the view) with card ``top`` at the top."""
        y = 0
        for above in range(top, row):
            y += self._row_height(above)
            if y >= room:
                return False
        return y == 0 or y + self._row_height(row) <= room

    def _row_height(self, row: int) -> int:
        model = self.model()
        return self.indexRowSizeHint(model.index(row, 0, self.rootIndex())) if model is not None else 0
