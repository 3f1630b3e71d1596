"""Choose which tag the others merge into, seeing how many highlights move before confirming."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.core.models import Tag
from annotator.gui.swatches import swatch_icon

HiddenWork = Callable[[list[int]], str]


class MergeTagsDialog(QDialog):
    """With two or more tags, the target is one of them (the most used first); with one, the
    target is any other tag of its category."""

    def __init__(
        self, selected: Sequence[Tag], candidates: Sequence[Tag], parent: QWidget | None = None,
        hidden_work: HiddenWork | None = None,
    ) -> None:
        super().__init__(parent)
        # source tag ids -> what the merge does to highlights of coders not
        # shown now ("" when nothing): the counts above are of the shown coders only.
        self.hidden_work = hidden_work
        self.setWindowTitle("Merge tags")
        self.setMinimumWidth(440)
        self.selected = list(selected)
        if len(self.selected) > 1:
            targets = sorted(self.selected, key=lambda t: (-t.highlight_count, t.name.casefold()))
        else:
            targets = [t for t in candidates if t.id != self.selected[0].id]
        self.target_combo = QComboBox()
        for tag in targets:
            self.target_combo.addItem(swatch_icon(tag.colour), tag.name, tag.id)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Merge into:"))
        layout.addWidget(self.target_combo)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.target_combo.currentIndexChanged.connect(self._update_summary)
        self._update_summary()

    def target_id(self) -> int | None:
        value = self.target_combo.currentData()
        return int(value) if value is not None else None

    def source_ids(self) -> list[int]:
        target = self.target_id()
        return [t.id for t in self.selected if t.id != target]

    def _update_summary(self) -> None:
        target = self.target_id()
        if target is None:
            self.summary.setText("There is no other tag in this category to merge into.")
            self.merge_button.setEnabled(False)
            return
        sources = [t for t in self.selected if t.id != target]
        moved = sum(t.highlight_count for t in sources)
        names = ", ".join(f"“{t.name}”" for t in sources)
        name = self.target_combo.currentText()
        self.summary.setText(
            f"{moved} highlight{'s' if moved != 1 else ''} tagged {names} will be tagged “{name}”. "
            f"{names} {'is' if len(sources) == 1 else 'are'} then removed from the codebook and "
            f"kept as alias{'es' if len(sources) != 1 else ''} of “{name}”, so Find mentions "
            "still finds them. Undo splits them apart again."
        )
        hidden = self.hidden_work([t.id for t in sources]) if self.hidden_work else ""
        if hidden:
            self.summary.setText(f"{self.summary.text()} {hidden}")
        self.merge_button.setEnabled(True)

    @classmethod
    def ask(
        cls, selected: Sequence[Tag], candidates: Sequence[Tag], parent: QWidget | None = None,
        hidden_work: HiddenWork | None = None,
    ) -> tuple[list[int], int] | None:
        """Run the dialog; (source ids, target id) when confirmed, else None."""
        dialog = cls(selected, candidates, parent, hidden_work)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        target = dialog.target_id()
        if target is None or not dialog.source_ids():
            return None
        return dialog.source_ids(), target
