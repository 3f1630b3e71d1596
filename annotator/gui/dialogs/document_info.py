"""Edit a document's title, author, published date and source (one undo step)."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.library import Library
from annotator.gui.commands import push
from annotator.gui.commands_reading import EditDocumentCommand
from annotator.gui.errors import reporting_errors
from annotator.gui.events import LibraryEvents
from annotator.gui.tones import set_tone


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (first day assumed); blank means no date."""
    text = text.strip()
    if not text:
        return None
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError("write the date as YYYY-MM-DD")
    year, month, day = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    return date(year, month, day)


class DocumentInfoDialog(QDialog):
    def __init__(self, library: Library, events: LibraryEvents, undo_stack: QUndoStack,
                 document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.events, self.undo_stack = library, events, undo_stack
        self.document_id = document_id
        doc = library.document(document_id)
        self.setWindowTitle("Document Info")
        self.setMinimumWidth(480)
        self.title = QLineEdit(doc.title)
        self.author = QLineEdit(doc.author)
        self.published = QLineEdit(doc.published.isoformat() if doc.published else "")
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.source = QLineEdit(doc.source)
        self.error = QLabel()
        set_tone(self.error, "error")
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Author:", self.author)
        form.addRow("&Published:", self.published)
        form.addRow("&Source:", self.source)
        pages = f", {doc.pages} pages" if doc.pages else ""
        form.addRow("Imported:", QLabel(f"{doc.imported_at:%Y-%m-%d %H:%M} · {doc.format.upper()}"
                                        f" · {doc.characters:,} characters{pages}"))
        if doc.original_name:
            form.addRow("Original file:", QLabel(doc.original_name))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            published = parse_date(self.published.text())
        except ValueError as exc:
            self.error.setText(f"Published: {exc}")
            return
        with reporting_errors(self, "Saving the document details"):
            push(self.undo_stack, EditDocumentCommand(
                self.library, self.events, self.document_id,
                title=self.title.text().strip(), author=self.author.text().strip(),
                published=published, source=self.source.text().strip(),
            ))
            self.accept()
