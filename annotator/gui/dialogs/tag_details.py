"""A small dialog for a tag's aliases (one a line: what Find mentions also looks for) and its
description (the coding rule researchers agree on)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from annotator.core.models import Tag


class TagDetailsDialog(QDialog):
    def __init__(self, tag: Tag, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Aliases and description — {tag.name}")
        self.setMinimumWidth(420)
        self.aliases_edit = QPlainTextEdit("\n".join(tag.aliases))
        self.aliases_edit.setPlaceholderText("One per line, e.g.\nPM Carney\nCarney")
        self.aliases_edit.setTabChangesFocus(True)
        self.aliases_edit.setFixedHeight(110)
        self.description_edit = QPlainTextEdit(tag.description)
        self.description_edit.setPlaceholderText("When to apply this tag")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(90)
        hint = QLabel("Find mentions looks for the name and every alias, as whole words.")
        hint.setWordWrap(True)
        hint.setEnabled(False)  # drawn in the palette's disabled (muted) text colour

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        form.addRow("&Aliases:", self.aliases_edit)
        form.addRow("", hint)
        form.addRow("&Description:", self.description_edit)
        form.addRow(buttons)

    def aliases(self) -> list[str]:
        lines = (" ".join(line.split()) for line in self.aliases_edit.toPlainText().splitlines())
        return list(dict.fromkeys(line for line in lines if line))

    def description(self) -> str:
        return self.description_edit.toPlainText().strip()

    @classmethod
    def ask(cls, tag: Tag, parent: QWidget | None = None) -> tuple[list[str], str] | None:
        """Run the dialog; the new (aliases, description), or None when cancelled."""
        dialog = cls(tag, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.aliases(), dialog.description()
