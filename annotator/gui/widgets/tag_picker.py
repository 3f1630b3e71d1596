"""The tag bar above the reader: what is being tagged, a type-ahead tag entry over every tag
(category shown), the current highlight's tags (click × to untag) and the recent tags on
keys 1–9 as chips (see ``tag_chips``).

The bar only collects the user's choice; ``gui/tagging.py`` turns it into undo commands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QWidget,
)

from annotator.core.models import Category, Tag, TagRef
from annotator.gui.swatches import swatch_icon
from annotator.gui.widgets.fitting import ElidedLabel, line_edit_width
from annotator.gui.widgets.tag_chips import ChipStrip, TagChip

CHIP_GAP = 8  # px between the entry (or the highlight's tags) and the recent chips
TARGET_MAX_WIDTH = 200  # px; a longer target ("Selection: “…” →") is elided, whole in its tooltip
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 2
ALIAS_ROLE = Qt.ItemDataRole.UserRole + 3


def choose_category(parent: QWidget | None, name: str, categories: Sequence[Category],
                    close: Sequence[Tag] = (), default: str = "") -> str | Tag | None:
    """Ask what a name no tag matches should be: one of the ``close`` existing tags, or a new
    tag in a category (``default`` selected). Returns the Tag, the category's name, or None
    (cancelled). Tests replace this function."""
    from annotator.gui.dialogs.new_tag_dialog import NewTagDialog

    dialog = NewTagDialog(name, categories, close, default, parent)
    return dialog.choice() if dialog.exec() else None


def show_menu(menu: QMenu, where: QPoint) -> None:
    """Run a context menu at ``where`` (global). Tests replace this function."""
    menu.exec(where)


SEPARATORS = re.compile(r"[,;]")


class SegmentCompleter(QCompleter):
    """Completes the tag being typed after the last comma or semicolon, so "Mark Carney, ta"
    offers "tariffs" and choosing it keeps "Mark Carney, " in front."""

    def __init__(self, model: QStandardItemModel, line: QLineEdit) -> None:
        super().__init__(model, line)
        self.line = line

    def splitPath(self, path: str) -> list[str]:
        return [SEPARATORS.split(path)[-1].lstrip()]

    def pathFromIndex(self, index: QModelIndex) -> str:
        name = str(index.data(NAME_ROLE) or "")
        text = self.line.text()
        cut = max(text.rfind(","), text.rfind(";"))
        return f"{text[:cut + 1].rstrip()} {name}" if cut >= 0 else name


class TagPicker(QLineEdit):
    """Type-ahead over all tags and their aliases. ``submitted(str)`` on Enter with the typed
    text; the popup lists "name — Category" and completes the name."""

    submitted = Signal(str)
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Tag…  (Ctrl+T)")
        self.setToolTip("Type a tag (or several, separated by commas) for the selected text or highlight")
        self.setClearButtonEnabled(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.model = QStandardItemModel(self)
        self.completer_ = SegmentCompleter(self.model, self)
        self.completer_.setCompletionRole(NAME_ROLE)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.returnPressed.connect(self._submit)

    def sizeHint(self) -> QSize:
        """Room for the placeholder and the clear button: the chips need the rest of the bar
        more than a long entry does (tag names are short; the popup is as wide as it needs)."""
        clear = self.style().pixelMetric(self.style().PixelMetric.PM_SmallIconSize, None, self) + 8
        return QSize(line_edit_width(self, self.placeholderText()) + clear, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width() * 3 // 4, super().minimumSizeHint().height())

    def set_tags(self, tags: Sequence[Tag], categories: Sequence[Category]) -> None:
        labels = {c.name: c.label.rstrip("s") if c.builtin else c.label for c in categories}
        self.model.clear()
        for tag in tags:
            category = labels.get(tag.category, tag.category)
            for name, shown in [(tag.name, f"{tag.name}   — {category}")] + [
                (alias, f"{alias}   → {tag.name} — {category}") for alias in tag.aliases
            ]:
                item = QStandardItem(swatch_icon(tag.colour), shown)
                item.setData(name, NAME_ROLE)
                item.setData(tag.id, TAG_ID_ROLE)
                item.setData(name != tag.name, ALIAS_ROLE)
                self.model.appendRow(item)
        self._fit_popup()

    def _fit_popup(self) -> None:
        """The popup is as wide as the entry by default, which cuts "Carney → Mark Carney —
        Actor" short: make it as wide as its longest line (within reason)."""
        popup = self.completer_.popup()
        metrics = popup.fontMetrics()
        texts = (self.model.item(row).text() for row in range(self.model.rowCount()))
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        extra = 12 + 3 * popup.style().pixelMetric(popup.style().PixelMetric.PM_ScrollBarExtent)
        popup.setMinimumWidth(min(widest + extra, 640))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer_.popup()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and popup and popup.isVisible():
            # Enter takes the highlighted suggestion, or the only tag suggested, so "Arctic
            # sov" applies Arctic sovereignty rather than making a new tag of the fragment.
            # Left to QLineEdit it would submit and then let the completer write the
            # suggestion back into the emptied entry.
            chosen = self._chosen_completion()
            if chosen is not None:
                self.setText(self.completer_.pathFromIndex(chosen))
            popup.hide()
            self._submit()
            return
        if event.key() == Qt.Key.Key_Escape and not (popup and popup.isVisible()):
            self.clear()
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def _chosen_completion(self) -> QModelIndex | None:
        """The highlighted row of the popup, else the row naming the one tag every row
        stands for (a tag and its aliases), else None."""
        current = self.completer_.popup().currentIndex()
        if current.isValid():
            return current
        model = self.completer_.completionModel()
        rows = [model.index(row, 0) for row in range(model.rowCount())]
        if not rows or len({row.data(TAG_ID_ROLE) for row in rows}) != 1:
            return None
        return next((row for row in rows if not row.data(ALIAS_ROLE)), rows[0])

    def _submit(self) -> None:
        text = " ".join(self.text().split())
        if text:
            self.submitted.emit(text)


class TagBar(QWidget):
    """``tags_submitted(str)``: typed text; ``recent_clicked(int)``: index of a recent chip;
    ``untag_clicked(int)``: tag id to remove from the selected highlight."""

    tags_submitted = Signal(str)
    recent_clicked = Signal(int)
    untag_clicked = Signal(int)
    pin_requested = Signal(int, int)  # key 1–9, tag id
    unpin_requested = Signal(int)  # tag id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.target = ElidedLabel("Select text to tag it")
        self.target.setMaximumWidth(TARGET_MAX_WIDTH)
        self.target.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.picker = TagPicker(self)
        self.picker.submitted.connect(self.tags_submitted)
        self.current = QHBoxLayout()
        self.current.setSpacing(2)
        self.recent = ChipStrip(self)
        layout.addWidget(self.target)
        layout.addWidget(self.picker)
        layout.addLayout(self.current)
        layout.addSpacing(CHIP_GAP)
        layout.addWidget(self.recent, 1)
        self._recent_tags: list[Tag] = []
        self._pinned: set[int] = set()
        self._current_shown: list[tuple[int, str, str]] = []

    # The controller re-states the bar after every edit; rebuilding chips (or resetting a
    # label) that did not change would relayout and repaint the window around the reader.
    def set_target(self, text: str, tooltip: str = "") -> None:
        if text == self.target.text() and (tooltip or text) == self.target.toolTip():
            return
        self.target.setText(text)
        self.target.setToolTip(tooltip or text)
        self._fit_target()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_target()

    def _fit_target(self) -> None:
        """The target label gets what the entry, the highlight's tags and the first recent
        chips leave (up to TARGET_MAX_WIDTH), so it elides before chips go to the menu."""
        layout = self.layout()
        margins = layout.contentsMargins()
        chips = [self.current.itemAt(i).widget() for i in range(self.current.count())]
        # From the chips: just added, they are not shown yet and the layout counts them as 0.
        current = sum(c.sizeHint().width() + self.current.spacing() for c in chips if c is not None)
        taken = (margins.left() + margins.right() + 4 * layout.spacing() + CHIP_GAP
                 + self.picker.sizeHint().width() + current + self.recent.room_for_min_shown())
        room = max(self.target.minimumSizeHint().width(), min(TARGET_MAX_WIDTH, self.width() - taken))
        if room != self.target.maximumWidth():
            self.target.setMaximumWidth(room)

    def set_current_tags(self, tags: Sequence[TagRef]) -> None:
        shown = [(t.id, t.name, t.colour) for t in tags]
        if shown == self._current_shown:
            return
        self._current_shown = shown
        # Chips are kept and relabelled: a click on a highlight, or tagging, changes them.
        while self.current.count() > len(tags):
            item = self.current.takeAt(self.current.count() - 1)
            if item.widget() is not None:
                item.widget().deleteLater()
        for index, tag in enumerate(tags):
            tooltip = f"Remove “{tag.name}” from this highlight"
            item = self.current.itemAt(index)
            chip = item.widget() if item is not None else None
            if not isinstance(chip, TagChip):
                chip = TagChip(tag.name, tag.colour, tooltip)
                chip.clicked.connect(lambda _=False, c=chip: self.untag_clicked.emit(c.tag_id))
                self.current.addWidget(chip)
            chip.show_tag(tag.name, tag.colour, tooltip)
            chip.tag_id = tag.id
        self._fit_target()

    def set_recent(self, tags: Sequence[Tag], pinned: set[int] | frozenset[int] = frozenset()) -> None:
        """The tags on keys 1, 2, 3…; those in ``pinned`` are pinned to their key."""
        if [(t.id, t.name, t.colour) for t in tags] == [
                (t.id, t.name, t.colour) for t in self._recent_tags] and self.recent.chips \
                and pinned == self._pinned:
            return
        self._recent_tags, self._pinned = list(tags), set(pinned)
        self.recent.set_tags([(t.name, t.colour) for t in tags[:9]], self.recent_clicked.emit,
                             [t.id in pinned for t in tags[:9]], self._key_menu)
        self._fit_target()

    def key_menu(self, index: int) -> QMenu:
        """The menu of the chip on key ``index + 1``: pin its tag there, or unpin it."""
        tag = self._recent_tags[index]
        key = index + 1
        menu = QMenu(self)
        if tag.id in self._pinned:
            menu.addAction(f"Unpin “{tag.name}” from key {key}", lambda: self.unpin_requested.emit(tag.id))
        else:
            menu.addAction(f"Pin “{tag.name}” to key {key}", lambda: self.pin_requested.emit(key, tag.id))
        return menu

    def _key_menu(self, index: int, where: QPoint) -> None:
        show_menu(self.key_menu(index), where)

    def recent_tags(self) -> list[Tag]:
        return list(self._recent_tags)

