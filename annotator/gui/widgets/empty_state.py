"""What the reader area shows while the project has no documents: what to do next, with the
button that does it, and that dropping files works too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.gui.icons import icon


class EmptyProject(QWidget):
    """``import_requested``: the "Import files…" button was clicked."""

    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyProject")
        self.setBackgroundRole(QPalette.ColorRole.Base)  # the reader's page, in either theme
        self.setAutoFillBackground(True)
        title = QLabel("This project has no documents yet")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        explain = QLabel("Import news articles, reports or transcripts (HTML, PDF, DOCX, text, Markdown)\n"
                         "to read, highlight and tag them.")
        # Not word-wrapped: a wrapping label centred in a column is squeezed to a sliver.
        self.import_button = QPushButton(icon("import"), "Import files…")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_requested)
        drop = QLabel("or drop files or folders here")
        drop.setEnabled(False)  # the palette's muted text colour, in light and dark mode
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, explain, self.import_button, drop):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
            if isinstance(widget, QLabel):
                widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.setSpacing(12)
        layout.addStretch(2)
