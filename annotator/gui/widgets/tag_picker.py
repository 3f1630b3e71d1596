"""The tag bar above the reader: what is being tagged, a type-ahead tag entry over every tag
(category shown), the current highlight's tags (click × to untag) and the recent tags on
keys 1–9 as coloured chips.

The bar only collects the user's choice; ``gui/tagging.py`` turns it into undo commands.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
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
        self.completer_ = QCompleter(self.model, self)
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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        popup = self.completer_.popup()
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
    """A row of chips that never widens the window: chips that do not fit are hidden whole
    rather than squeezed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chips: list[QToolButton] = []
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(TagChip("1 x", "#000000", "").sizeHint().height())

    def clear(self) -> None:
        for chip in self.chips:
            chip.deleteLater()
        self.chips = []

    def add(self, chip: QToolButton) -> None:
        chip.setParent(self)
        self.chips.append(chip)
        self._place()

    def visible_chips(self) -> list[QToolButton]:
        return [c for c in self.chips if c.isVisibleTo(self)]

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        x = 0
        for chip in self.chips:
            hint = chip.sizeHint()
            fits = x + hint.width() <= self.width()
            chip.setVisible(fits)
            if fits:
                chip.setGeometry(x, (self.height() - hint.height()) // 2, hint.width(), hint.height())
                x += hint.width() + 2


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

    def set_target(self, text: str) -> None:
        self.target.setText(text)
        self.target.setToolTip(text)

    def set_current_tags(self, tags: Sequence[TagRef]) -> None:
        _clear(self.current)
        for tag in tags:
            chip = TagChip(f"{tag.name}  ×", tag.colour, f"Remove “{tag.name}” from this highlight")
            chip.clicked.connect(lambda _=False, tid=tag.id: self.untag_clicked.emit(tid))
            self.current.addWidget(chip)

    def set_recent(self, tags: Sequence[Tag]) -> None:
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
