"""The tag bar above the reader: what is being tagged, a type-ahead tag entry over every tag
(category shown), the current highlight's tags (click × to untag) and the recent tags on
keys 1–9 as coloured chips.

The bar only collects the user's choice; ``gui/tagging.py`` turns it into undo commands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from annotator.core.models import Category, Tag, TagRef

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 2


def swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(colour).darker(140))
    painter.drawRoundedRect(0.5, 0.5, size - 1, size - 1, 3, 3)
    painter.end()
    return QIcon(pixmap)


def choose_category(parent: QWidget | None, name: str, categories: Sequence[Category]) -> str | None:
    """Ask which category a new tag goes into. Tests replace this function."""
    labels = [c.label for c in categories]
    label, ok = QInputDialog.getItem(
        parent, "New tag", f"“{name}” is a new tag. Which category does it belong to?",
        labels, 0, False,
    )
    if not ok:
        return None
    return next(c.name for c in categories if c.label == label)


SEPARATORS = re.compile(r"[,;]")


class SegmentCompleter(QCompleter):
    """Completes the tag being typed after the last comma or semicolon, so "Mark Carney, ta"
    offers "tariffs" and choosing it keeps "Mark Carney, " in front."""

    def __init__(self, model: QStandardItemModel, line: QLineEdit) -> None:
        super().__init__(model, line)
        self.line = line

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        return [SEPARATORS.split(path)[-1].lstrip()]

    def pathFromIndex(self, index: QModelIndex) -> str:  # noqa: N802 - Qt override
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
        self.setPlaceholderText("Tag selection…  (Ctrl+T)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)
        self.model = QStandardItemModel(self)
        self.completer_ = SegmentCompleter(self.model, self)
        self.completer_.setCompletionRole(NAME_ROLE)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.returnPressed.connect(self._submit)

    def set_tags(self, tags: Sequence[Tag], categories: Sequence[Category]) -> None:
        labels = {c.name: c.label.rstrip("s") if c.builtin else c.label for c in categories}
        self.model.clear()
        for tag in tags:
            category = labels.get(tag.category, tag.category)
            for name, shown in [(tag.name, f"{tag.name}   — {category}")] + [
                (alias, f"{alias}   → {tag.name} — {category}") for alias in tag.aliases
            ]:
                item = QStandardItem(swatch(tag.colour), shown)
                item.setData(name, NAME_ROLE)
                item.setData(tag.id, TAG_ID_ROLE)
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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        popup = self.completer_.popup()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and popup and popup.isVisible():
            # Enter applies what the entry shows (the highlighted suggestion is already in
            # it); left to QLineEdit it would submit and then let the completer write the
            # suggestion back into the emptied entry.
            popup.hide()
            self._submit()
            return
        if event.key() == Qt.Key.Key_Escape and not (popup and popup.isVisible()):
            self.clear()
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        text = " ".join(self.text().split())
        if text:
            self.submitted.emit(text)


class TagChip(QToolButton):
    def __init__(self, text: str, colour: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        self.setIcon(swatch(colour))
        self.setIconSize(QSize(12, 12))
        self.setToolTip(tooltip)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class ChipStrip(QWidget):
    """A row of chips that never widens the window. Chips are shown in order up to the first
    that does not fit; that one and every later one go into a "+N" menu, so the keys shown are
    always 1, 2, 3… with no gaps, and the rest stay one click away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chips: list[QToolButton] = []
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(TagChip("1 x", "#000000", "").sizeHint().height())
        self.overflow = QToolButton(self)
        self.overflow.setAutoRaise(True)
        self.overflow.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.overflow.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.overflow.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.overflow_menu = QMenu(self.overflow)
        self.overflow.setMenu(self.overflow_menu)
        self.overflow.hide()

    def clear(self) -> None:
        for chip in self.chips:
            chip.deleteLater()
        self.chips = []
        self._place()

    def add(self, chip: QToolButton) -> None:
        chip.setParent(self)
        self.chips.append(chip)
        self._place()

    def visible_chips(self) -> list[QToolButton]:
        return [c for c in self.chips if c.isVisibleTo(self)]

    def hidden_chips(self) -> list[QToolButton]:
        return [c for c in self.chips if not c.isVisibleTo(self)]

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        widths = [chip.sizeHint().width() for chip in self.chips]
        gap = 2
        shown = len(self.chips)
        if sum(widths) + gap * max(0, shown - 1) > self.width():
            self.overflow.setText(f"+{len(self.chips)}")  # the widest label it can carry
            room = self.width() - self.overflow.sizeHint().width() - gap
            x, shown = 0, 0
            for width in widths:
                if x + width > room:
                    break
                x += width + gap
                shown += 1
        x = 0
        for index, chip in enumerate(self.chips):
            chip.setVisible(index < shown)
            if index < shown:
                hint = chip.sizeHint()
                chip.setGeometry(x, (self.height() - hint.height()) // 2, hint.width(), hint.height())
                x += hint.width() + gap
        self._fill_overflow(self.chips[shown:], x)

    def _fill_overflow(self, hidden: list[QToolButton], x: int) -> None:
        self.overflow_menu.clear()
        if not hidden:
            self.overflow.hide()
            return
        for chip in hidden:
            action = self.overflow_menu.addAction(chip.icon(), chip.text())
            action.setToolTip(chip.toolTip())
            action.triggered.connect(lambda _c=False, c=chip: c.click())
        self.overflow.setText(f"+{len(hidden)}")
        self.overflow.setToolTip("More recent tags: " + ", ".join(c.text() for c in hidden))
        hint = self.overflow.sizeHint()
        self.overflow.setGeometry(x, (self.height() - hint.height()) // 2, hint.width(), hint.height())
        self.overflow.show()


class TagBar(QWidget):
    """``tags_submitted(str)``: typed text; ``recent_clicked(int)``: index of a recent chip;
    ``untag_clicked(int)``: tag id to remove from the selected highlight."""

    tags_submitted = Signal(str)
    recent_clicked = Signal(int)
    untag_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.target = QLabel("Select text to tag it")
        self.target.setTextFormat(Qt.TextFormat.PlainText)
        self.target.setMaximumWidth(300)
        self.target.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.picker = TagPicker(self)
        self.picker.submitted.connect(self.tags_submitted)
        self.current = QHBoxLayout()
        self.current.setSpacing(2)
        self.recent = ChipStrip(self)
        layout.addWidget(self.target)
        layout.addWidget(self.picker)
        layout.addLayout(self.current)
        layout.addSpacing(8)
        layout.addWidget(self.recent, 1)
        self._recent_tags: list[Tag] = []
        self._current_shown: list[tuple[int, str, str]] = []

    # The controller re-states the bar after every edit; rebuilding chips (or resetting a
    # label) that did not change would relayout and repaint the window around the reader.
    def set_target(self, text: str) -> None:
        if text == self.target.text():
            return
        self.target.setText(text)
        self.target.setToolTip(text)

    def set_current_tags(self, tags: Sequence[TagRef]) -> None:
        shown = [(t.id, t.name, t.colour) for t in tags]
        if shown == self._current_shown:
            return
        self._current_shown = shown
        _clear(self.current)
        for tag in tags:
            chip = TagChip(f"{tag.name}  ×", tag.colour, f"Remove “{tag.name}” from this highlight")
            chip.clicked.connect(lambda _=False, tid=tag.id: self.untag_clicked.emit(tid))
            self.current.addWidget(chip)

    def set_recent(self, tags: Sequence[Tag]) -> None:
        if [(t.id, t.name, t.colour) for t in tags] == [
                (t.id, t.name, t.colour) for t in self._recent_tags] and self.recent.chips:
            return
        self.recent.clear()
        self._recent_tags = list(tags)
        for index, tag in enumerate(tags[:9]):
            chip = TagChip(f"{index + 1} {tag.name}", tag.colour, f"Apply “{tag.name}” (key {index + 1})")
            chip.clicked.connect(lambda _=False, i=index: self.recent_clicked.emit(i))
            self.recent.add(chip)

    def recent_tags(self) -> list[Tag]:
        return list(self._recent_tags)


def _clear(layout: QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
