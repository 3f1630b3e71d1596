"""The excerpt report dialog (File › Excerpt Report / Print): tick tags, then save the
grouped report as Markdown, HTML or Word, or print it (File › Print)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.analysis_filter import AnalysisFilter
from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from annotator.core.models import Tag
from annotator.export.excerpt_report import (
    ExcerptReport,
    build_report,
    report_html,
    write_report,
)
from annotator.gui.errors import reporting_errors

TAG_ROLE = Qt.ItemDataRole.UserRole + 1
_FORMATS = (("md", "Markdown (*.md)"), ("html", "Web page (*.html)"), ("docx", "Word (*.docx)"))


def print_report(report: ExcerptReport, printer: QPrinter) -> None:
    """Lay the report's HTML out on the printer's pages (a PDF printer in tests)."""
    document = QTextDocument()
    document.setHtml(report_html(report))
    document.print_(printer)


class ExcerptReportDialog(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None,
                 analysis_filter: AnalysisFilter | None = None,
                 tag_ids: list[int] | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.analysis_filter = analysis_filter
        self.setWindowTitle("Excerpt Report")
        self.tags = QListWidget()
        ticked = set(tag_ids or [])
        for tag in library.tags():
            item = QListWidgetItem(f"{tag.category}: {tag.name}  ({tag.highlight_count})")
            item.setData(TAG_ROLE, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag.id in ticked
                               else Qt.CheckState.Unchecked)
            self.tags.addItem(item)
        self.title = QLineEdit(f"Excerpts from {library.name}")
        note = (analysis_filter.describe() if analysis_filter else "") or "none"
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for kind, label in (("md", "Save Markdown…"), ("html", "Save HTML…"),
                            ("docx", "Save Word…")):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=kind: self.choose_save(k))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.choose_print)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the tags; each gets a section with its excerpts, their "
                                "document's title, author, date, page and note."))
        layout.addWidget(self.tags, 1)
        layout.addWidget(QLabel("Title"))
        layout.addWidget(self.title)
        layout.addWidget(QLabel(f"Filters from the Analysis window: {note}"))
        layout.addWidget(buttons)
        self.resize(520, 560)

    def chosen_tags(self) -> list[Tag]:
        return [self.tags.item(i).data(TAG_ROLE) for i in range(self.tags.count())
                if self.tags.item(i).checkState() == Qt.CheckState.Checked]

    def report(self) -> ExcerptReport:
        tags = self.chosen_tags()
        if not tags:
            raise InvalidInput("tick at least one tag for the report")
        return build_report(self.library, tags, self.analysis_filter, self.title.text().strip())

    def save(self, path: Path) -> None:
        write_report(self.report(), path)

    def choose_save(self, kind: str) -> None:
        label = dict(_FORMATS)[kind]
        path, _ = QFileDialog.getSaveFileName(self, "Save Report",
                                              str(Path.home() / f"excerpts.{kind}"), label)
        if path:
            with reporting_errors(self, "Saving the report"):
                self.save(Path(path))

    def choose_print(self) -> None:
        with reporting_errors(self, "Printing the report"):
            report = self.report()
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
                print_report(report, printer)
