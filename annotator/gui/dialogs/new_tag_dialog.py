"""Asked when a typed name matches no tag: the existing tags it probably meant come first
(a typo should not grow the codebook), then "New tag in <category>" for every category, the
last category chosen selected, so Enter repeats the usual choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.core.models import Category, Tag
from annotator.gui.swatches import swatch_icon

CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1


class NewTagDialog(QDialog):
    def __init__(self, name: str, categories: Sequence[Category], close: Sequence[Tag], default: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New tag")
        labels = {c.name: c.label for c in categories}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"No tag is called “{name}”." + (" Did you mean one of these?" if close else "")))
        self.choices = QListWidget(self)
        selected = None
        for tag in close:
            category = labels.get(tag.category, tag.category)
            item = QListWidgetItem(swatch_icon(tag.colour), f"Use “{tag.name}” — {category}")
            item.setData(CHOICE_ROLE, tag)
            self.choices.addItem(item)
        for category in categories:
            item = QListWidgetItem(f"New tag “{name}” in {category.label}")
            item.setData(CHOICE_ROLE, category.name)
            self.choices.addItem(item)
            if selected is None or category.name == default:
                selected = item
        if selected is not None:
            self.choices.setCurrentItem(selected)
        self.choices.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.choices)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> str | Tag | None:
        item = self.choices.currentItem()
        return None if item is None else item.data(CHOICE_ROLE)
