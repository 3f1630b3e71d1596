"""Preferences: light or dark appearance, the reader's font and size, and the largest file and
text an import accepts. The appearance shows at once while the dialog is open; Cancel puts it
back."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.gui import settings
from annotator.gui.appearance import ENV, apply_appearance
from annotator.gui.errors import reporting_errors
from annotator.gui.widgets.reader import reader_font_family

if TYPE_CHECKING:
    from annotator.core.library import Library


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, library: Library | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle("Preferences")
        self._appearance_before = settings.appearance()
        self.appearance = QComboBox()
        for value, label in zip(settings.APPEARANCES, ("Same as the system", "Light", "Dark"), strict=True):
            self.appearance.addItem(label, value)
        self.appearance.setCurrentIndex(settings.APPEARANCES.index(self._appearance_before))
        self.appearance.currentIndexChanged.connect(self._preview_appearance)
        if os.environ.get(ENV, "").lower() in ("light", "dark"):
            self.appearance.setEnabled(False)
            self.appearance.setToolTip(f"Set by the environment variable {ENV}")
        self.font_family = QFontComboBox()
        self.font_family.setCurrentFont(QFont(reader_font_family(settings.reader_font_family())))
        self.font_size = QSpinBox()
        self.font_size.setRange(settings.MIN_FONT_SIZE, settings.MAX_FONT_SIZE)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(settings.reader_font_size())
        self.import_limit = QSpinBox()
        self.import_limit.setRange(1, 10_000)
        self.import_limit.setSuffix(" MB")
        self.import_limit.setValue(settings.import_limit_mb())
        self.import_limit.setToolTip("Files larger than this are refused at import")
        self.import_max_chars = QSpinBox()
        self.import_max_chars.setRange(settings.MIN_IMPORT_MAX_CHARS, settings.MAX_IMPORT_MAX_CHARS)
        self.import_max_chars.setSingleStep(1_000_000)
        self.import_max_chars.setGroupSeparatorShown(True)
        self.import_max_chars.setSuffix(" characters")
        self.import_max_chars.setValue(settings.import_max_chars())
        self.import_max_chars.setToolTip("Files whose text is longer than this are refused at import")
        self.keep_furniture = QCheckBox("&Keep page furniture in text saved from a browser")
        self.keep_furniture.setChecked(settings.keep_page_furniture())
        self.keep_furniture.setToolTip(
            "Unticked, imported .txt and .md files lose lines such as \"Skip to content\", "
            "\"Advertisement\" or \"Comments\" at their top and bottom (the original file "
            "is kept unchanged in the project)")
        form = QFormLayout()
        form.addRow("&Appearance:", self.appearance)
        form.addRow("Reader &font:", self.font_family)
        form.addRow("Reader font &size:", self.font_size)
        form.addRow("&Largest file to import:", self.import_limit)
        form.addRow("Longest &text to import:", self.import_max_chars)
        form.addRow("", self.keep_furniture)
        self.backups_keep = QSpinBox()
        self.backups_keep.setRange(1, 1000)
        self.backups_keep.setToolTip("Older automatic backups in the project's backups/ folder "
                                     "are deleted past this number")
        if library is not None:
            self.backups_keep.setValue(library.backup_keep())
            form.addRow("&Backups to keep (this project):", self.backups_keep)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _preview_appearance(self) -> None:
        settings.set_appearance(self.appearance.currentData())
        apply_appearance()

    def reject(self) -> None:
        if settings.appearance() != self._appearance_before:
            settings.set_appearance(self._appearance_before)
            apply_appearance()
        super().reject()

    def accept(self) -> None:
        settings.set_appearance(self.appearance.currentData())
        settings.set_reader_font_family(self.font_family.currentFont().family())
        settings.set_reader_font_size(self.font_size.value())
        settings.set_import_limit_mb(self.import_limit.value())
        settings.set_import_max_chars(self.import_max_chars.value())
        settings.set_keep_page_furniture(self.keep_furniture.isChecked())
        keep = self.backups_keep.value()
        if self.library is not None and keep != self.library.backup_keep():
            with reporting_errors(self, "Saving the number of backups to keep"):
                self.library.set_backup_keep(keep)
        super().accept()
