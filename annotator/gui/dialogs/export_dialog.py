"""File > Export > Excerpts to CSV…: choose excerpts (tags, documents, dates, query) and the file
layout, see how many rows that makes before writing, write in the background with progress and
Cancel, then offer "Open Containing Folder".

All reading and writing goes through ``annotator.export.csv_export``; counting and writing run
on the thread pool (``gui.tasks``) so a 100,000-excerpt project never freezes the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.models import ACTOR, TOPIC, Tag
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.export.csv_export import (
    ALL_TAGS,
    ANY_TAG,
    BY_CATEGORY,
    CsvOptions,
    ExcerptFilter,
    count_excerpts,
    write_csv,
)
from annotator.gui.dialogs.export_documents import DocumentPicker
from annotator.gui.tasks import Task, shared_runner
from annotator.gui.tones import set_tone

if TYPE_CHECKING:
    from annotator.core.library import Library

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DELIMITER_CHOICES = (("Comma ( , )", ","), ("Semicolon ( ; ) — European Excel", ";"),
                     ("Tab", "\t"))
# "Any" first and the default: it is what the reader paints for the codebook's ticks, which
# pre-fill the tags (``reader._visible``), so the export holds the highlights the user sees.
MATCH_CHOICES = (
    ("any of the ticked tags", ANY_TAG),
    ("all of the ticked tags", ALL_TAGS),
    ("one ticked tag of each category (e.g. an actor and a topic)", BY_CATEGORY),
)
COUNT_DELAY_MS = 250  # wait for the user to stop typing before counting again


def row_count_text(excerpts: int, rows: int, per_tag: bool) -> str:
    if excerpts == 0:
        return "No excerpts match these filters."
    noun = "excerpt" if excerpts == 1 else "excerpts"
    if per_tag and rows != excerpts:
        return f"{excerpts:,} {noun} → {rows:,} rows (one per tag)"
    return f"{excerpts:,} {noun} → {rows:,} {'row' if rows == 1 else 'rows'}"


@dataclass(frozen=True)
class _Count:
    """A background count, tagged with the form state it was made for."""

    generation: int
    per_tag: bool
    excerpts: int
    rows: int
    error: str = ""
    warnings: tuple[str, ...] = ()


class ExportDialog(QDialog):
    """Signals: ``counted(int excerpts, int rows)`` after each live count,
    ``export_finished(int rows, str path)`` after a successful write and
    ``export_failed(str message)`` when writing failed or was cancelled."""

    counted = Signal(int, int)
    export_finished = Signal(int, str)
    export_failed = Signal(str)

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        *,
        preset_tag_ids: set[int] | None = None,
        preset_query: str = "",
    ) -> None:
        """``preset_tag_ids``: the tags the codebook shows (None: every tag, so no tag filter;
        an empty set: none, which the dialog points out rather than exporting nothing)."""
        super().__init__(parent)
        self.setWindowTitle("Export Excerpts to CSV")
        self.setMinimumWidth(640)
        self.library = library
        self.runner = shared_runner()
        self.write_task: Task | None = None
        self.last_path: Path | None = None
        self._writing_path = Path()
        self._count_generation = 0
        self._count_running = False
        self._count_pending = False
        self._path_confirmed = False  # the save dialog already asked about replacing
        self._close_when_done = False
        self._tags: dict[int, Tag] = {t.id: t for t in library.tags()}

        self._build_filters(preset_tag_ids, preset_query)
        self._build_options()
        self._build_footer()
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters_box, stretch=1)
        layout.addWidget(self.options_box)
        layout.addWidget(self.count_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.refresh_count)
        self._connect_changes()
        self.refresh_count()

    # ----------------------------------------------------------------- building
    def _build_filters(self, preset_tag_ids: set[int] | None, preset_query: str) -> None:
        self.filters_box = QGroupBox("Which excerpts")
        form = QFormLayout(self.filters_box)
        ticked = preset_tag_ids or set()

        self.tag_tree = QTreeWidget()
        self.tag_tree.setHeaderHidden(True)
        self.tag_tree.setMinimumHeight(140)
        labels = {c.name: c.label for c in self.library.categories()}
        parents: dict[str, QTreeWidgetItem] = {}
        for tag in self._tags.values():
            parent = parents.get(tag.category)
            if parent is None:
                parent = QTreeWidgetItem([labels.get(tag.category, tag.category)])
                parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                parents[tag.category] = parent
            item = QTreeWidgetItem(parent, [f"{tag.name}  ({tag.highlight_count})"])
            item.setData(0, ID_ROLE, tag.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = tag.id in ticked
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        order = [c.name for c in self.library.categories()]
        for category in sorted(parents, key=lambda c: (order.index(c) if c in order else 99, c)):
            self.tag_tree.addTopLevelItem(parents[category])
            parents[category].setExpanded(True)
        form.addRow(self._hint("Tags\n(none: any)", "None ticked: excerpts with any tags or "
                               "none."), self.tag_tree)

        self.match_combo = QComboBox()
        for label, value in MATCH_CHOICES:
            self.match_combo.addItem(label, value)
        self.match_combo.setToolTip(
            "Any: an excerpt carrying at least one ticked tag, as the reader shows the "
            "codebook's ticks. All: only excerpts carrying every ticked tag. One of each "
            "category: at least one ticked actor and one ticked topic (as the command line's "
            "--actor/--topic do)."
        )
        form.addRow("Match", self.match_combo)
        self.preset_note = QLabel(self._preset_text(preset_tag_ids))
        self.preset_note.setWordWrap(True)
        self.preset_note.setTextFormat(Qt.TextFormat.PlainText)
        self.preset_note.setVisible(bool(self.preset_note.text()))
        form.addRow("", self.preset_note)

        self.doc_picker = DocumentPicker(self.library.document_summaries())
        form.addRow(self._hint("Documents\n(none: all)", "None ticked: all documents."),
                    self.doc_picker)

        self.from_check, self.from_date = QCheckBox("from"), self._date_edit()
        self.to_check, self.to_date = QCheckBox("to"), self._date_edit()
        dates = QHBoxLayout()
        for widget in (self.from_check, self.from_date, self.to_check, self.to_date):
            dates.addWidget(widget)
        dates.addStretch(1)
        form.addRow("Published", dates)

        self.query_edit = QLineEdit(preset_query)
        self.query_edit.setPlaceholderText("search query, e.g. actor:Carney tariffs (optional)")
        self.query_edit.setClearButtonEnabled(True)
        form.addRow("Matching", self.query_edit)

    def _build_options(self) -> None:
        self.options_box = QGroupBox("File")
        form = QFormLayout(self.options_box)
        self.path_edit = QLineEdit(str(Path.home() / f"{self.library.name} excerpts.csv"))
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, stretch=1)
        path_row.addWidget(choose)
        form.addRow("Save as", path_row)

        self.per_tag_check = QCheckBox("One row per tag (for pivot tables)")
        self.excel_check = QCheckBox("For Excel (UTF-8 with byte-order mark)")
        self.delimiter_combo = QComboBox()
        for label, value in DELIMITER_CHOICES:
            self.delimiter_combo.addItem(label, value)
        self.context_spin = QSpinBox()
        self.context_spin.setRange(0, 5000)
        self.context_spin.setValue(100)
        self.context_spin.setSuffix(" characters")
        self.guard_check = QCheckBox("Protect against spreadsheet formulas (recommended)")
        self.guard_check.setChecked(True)
        self.guard_check.setToolTip(
            "Cells starting with = + - @ get a leading apostrophe so Excel and LibreOffice show "
            "them as text instead of running them. Untick only for R or pandas pipelines."
        )
        form.addRow("Layout", self.per_tag_check)
        form.addRow("Encoding", self.excel_check)
        form.addRow("Delimiter", self.delimiter_combo)
        form.addRow("Context", self.context_spin)
        form.addRow("Safety", self.guard_check)

    def _build_footer(self) -> None:
        self.count_label = QLabel("Counting…")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.open_folder_button = QPushButton("Open Containing Folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button.hide()  # after addButton, which shows it
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)

    def _connect_changes(self) -> None:
        later = self._count_timer.start
        self.tag_tree.itemChanged.connect(lambda *_: later())
        self.doc_picker.changed.connect(later)
        for check in (self.from_check, self.to_check, self.per_tag_check):
            check.toggled.connect(lambda *_: later())
        self.match_combo.currentIndexChanged.connect(lambda *_: later())
        for edit in (self.from_date, self.to_date):
            edit.dateChanged.connect(lambda *_: later())
        self.query_edit.textChanged.connect(lambda *_: later())
        self.from_check.toggled.connect(self.from_date.setEnabled)
        self.to_check.toggled.connect(self.to_date.setEnabled)
        self.path_edit.textEdited.connect(self._path_typed)

    @staticmethod
    def _preset_text(preset_tag_ids: set[int] | None) -> str:
        if preset_tag_ids is None:
            return ""
        if not preset_tag_ids:
            return ("The codebook shows no tags, so none is ticked here: with none ticked, "
                    "every excerpt is exported. Tick the tags you want.")
        return "Ticked as in the codebook: the highlights the reader shows."

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        return edit

    @staticmethod
    def _hint(label: str, tip: str) -> QLabel:
        widget = QLabel(label)
        widget.setToolTip(tip)
        return widget

    # ----------------------------------------------------------------- reading the form
    def checked_tag_ids(self) -> set[int]:
        ids: set[int] = set()
        for i in range(self.tag_tree.topLevelItemCount()):
            parent = self.tag_tree.topLevelItem(i)
            for j in range(parent.childCount()):
                child = parent.child(j)
                if child.checkState(0) == Qt.CheckState.Checked:
                    ids.add(int(child.data(0, ID_ROLE)))
        return ids

    def set_tags_checked(self, tag_ids: set[int]) -> None:
        for i in range(self.tag_tree.topLevelItemCount()):
            parent = self.tag_tree.topLevelItem(i)
            for j in range(parent.childCount()):
                child = parent.child(j)
                on = int(child.data(0, ID_ROLE)) in tag_ids
                child.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked_document_ids(self) -> list[int]:
        return self.doc_picker.model.checked_ids()

    def set_documents_checked(self, document_ids: set[int]) -> None:
        self.doc_picker.model.set_checked(document_ids)

    def set_date_range(self, date_from: date | None, date_to: date | None) -> None:
        for check, edit, value in ((self.from_check, self.from_date, date_from),
                                   (self.to_check, self.to_date, date_to)):
            check.setChecked(value is not None)
            if value is not None:
                edit.setDate(QDate(value.year, value.month, value.day))

    def excerpt_filter(self) -> ExcerptFilter:
        actors, topics, others = [], [], []
        for tag_id in sorted(self.checked_tag_ids()):
            tag = self._tags[tag_id]
            if tag.category == ACTOR:
                actors.append(tag.name)
            elif tag.category == TOPIC:
                topics.append(tag.name)
            else:
                others.append((tag.category, tag.name))
        return ExcerptFilter(
            actors=actors,
            topics=topics,
            tags=others,
            document_ids=self.checked_document_ids(),
            date_from=self.from_date.date().toPython() if self.from_check.isChecked() else None,
            date_to=self.to_date.date().toPython() if self.to_check.isChecked() else None,
            query=self.query_edit.text(),
            tag_match=str(self.match_combo.currentData()),
        )

    def csv_options(self) -> CsvOptions:
        return CsvOptions(
            per_tag=self.per_tag_check.isChecked(),
            excel_bom=self.excel_check.isChecked(),
            delimiter=str(self.delimiter_combo.currentData()),
            context_chars=self.context_spin.value(),
            neutralise_formulas=self.guard_check.isChecked(),
        )

    def target_path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    # ----------------------------------------------------------------- live count
    def refresh_count(self) -> None:
        """Count in the background, one count at a time: a change made while a count runs
        is counted once that one ends (a large project takes seconds per count, and piling
        counts up on the pool would delay the one that matters)."""
        self._count_timer.stop()
        set_tone(self.count_label, None)
        self.count_label.setText("Counting…")
        if self._count_running:
            self._count_pending = True
            return
        self._count_running = True
        self._count_generation += 1
        generation = self._count_generation
        library, excerpt_filter = self.library, self.excerpt_filter()
        per_tag = self.per_tag_check.isChecked()

        def job(_report: ProgressCallback, _cancel: CancelToken) -> _Count:
            try:
                count = count_excerpts(library, excerpt_filter)
            except AnnotatorError as exc:  # a typo in the query: say so where the count goes
                return _Count(generation, per_tag, 0, 0, str(exc) or type(exc).__name__)
            return _Count(generation, per_tag, count.excerpts,
                          count.rows if per_tag else count.excerpts, warnings=count.warnings)

        task = Task(job, "count excerpts")
        # Bound slots of this GUI-thread object, so results arrive queued on the GUI thread.
        task.signals.finished.connect(self._counted)
        task.signals.failed.connect(self._count_crashed)
        self.runner.launch(task)

    @Slot(object)
    def _counted(self, count: _Count) -> None:
        self._count_running = False
        if self._count_pending:
            self._count_pending = False
            self.refresh_count()
            return
        if count.generation != self._count_generation:
            return
        if count.error:
            set_tone(self.count_label, "error")
            self.count_label.setText(count.error)
            return
        # A repaired query (a mistyped field searched as plain words) still counts, but the
        # user must see what the search understood, as the search pane shows it.
        set_tone(self.count_label, "warning" if count.warnings else None)
        self.count_label.setText("\n".join(
            (row_count_text(count.excerpts, count.rows, count.per_tag), *count.warnings)))
        self.counted.emit(count.excerpts, count.rows)

    @Slot(object)
    def _count_crashed(self, error: Exception) -> None:
        """An unexpected error (not a user's typo, which ``_counted`` shows)."""
        self._counted(_Count(self._count_generation, False, 0, 0,
                             f"Cannot count excerpts: {error}"))

    # ----------------------------------------------------------------- writing
    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export Excerpts", str(self.target_path()), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.path_edit.setText(path)
            self._path_confirmed = True  # the save dialog asked before replacing a file

    def _path_typed(self, _text: str) -> None:
        self._path_confirmed = False

    def confirm_replace(self, path: Path) -> bool:
        """Ask before replacing a file the user typed the name of (tests replace this)."""
        answer = QMessageBox.question(
            self, "Replace file?", f"{path.name} already exists in {path.parent}. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def start_export(self) -> None:
        if self.write_task is not None:
            return
        if not self.path_edit.text().strip():
            self._show_failure("Choose a file to save to.")
            return
        path = self.target_path()
        if path.suffix == "":
            path = path.with_suffix(".csv")
            self.path_edit.setText(str(path))
        if path.exists() and not self._path_confirmed and not self.confirm_replace(path):
            return
        try:
            options = self.csv_options()
        except AnnotatorError as exc:
            self._show_failure(str(exc))
            return
        library, excerpt_filter = self.library, self.excerpt_filter()

        def job(report: ProgressCallback, cancel: CancelToken) -> tuple[int, list[str]]:
            notes: list[str] = []
            rows = write_csv(library, path, excerpt_filter, options, progress=report,
                             cancel=cancel, warn=notes.append)
            return rows, notes

        self._writing_path = path
        self.write_task = Task(job, "export csv")
        self.write_task.signals.progress.connect(self._progress)
        self.write_task.signals.finished.connect(self._written)
        self.write_task.signals.failed.connect(self._write_failed)
        self.write_task.signals.cancelled.connect(self._write_cancelled)
        self._set_running(True)
        set_tone(self.status, None)
        self.status.setText("Selecting excerpts…")
        self.runner.launch(self.write_task)

    def cancel_export(self) -> None:
        if self.write_task is not None:
            self.write_task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    @Slot(object)
    def _progress(self, progress: Progress) -> None:
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
            self.status.setText(f"{progress.label} {progress.done:,} of {progress.total:,}")
        else:
            self.bar.setRange(0, 0)  # busy: selection has no known length
            self.status.setText(progress.label)

    @Slot(object)
    def _written(self, outcome: tuple[int, list[str]]) -> None:
        self._end_write()
        rows, notes = outcome
        path = self._writing_path
        self.last_path = path
        self._path_confirmed = True  # exporting again to the same file needs no question
        set_tone(self.status, "warning" if notes else "success")
        self.status.setText("\n".join(
            (f"Wrote {rows:,} {'row' if rows == 1 else 'rows'} to {path}", *notes)))
        self.open_folder_button.show()
        self.export_finished.emit(rows, str(path))

    @Slot(object)
    def _write_failed(self, error: Exception) -> None:
        self._end_write()
        self._show_failure(str(error) or type(error).__name__)

    @Slot()
    def _write_cancelled(self) -> None:
        self._end_write()
        self._show_failure("Export cancelled; no file was written.")

    def _show_failure(self, message: str) -> None:
        set_tone(self.status, "error")
        self.status.setText(message)
        self.export_failed.emit(message)

    def _end_write(self) -> None:
        """Back to the form, before the outcome's signal goes out (so a slot of
        ``export_finished`` may start the next export straight away)."""
        self.write_task = None
        self._set_running(False)
        if self._close_when_done:
            self._close_when_done = False
            super().reject()

    def _set_running(self, running: bool) -> None:
        self.filters_box.setEnabled(not running)
        self.options_box.setEnabled(not running)
        self.export_button.setEnabled(not running)
        self.close_button.setVisible(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.bar.setVisible(running)
        if running:
            self.open_folder_button.hide()
            self.bar.setRange(0, 0)

    def open_folder(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path.parent)))

    def reject(self) -> None:
        # Escape or the close box while writing means Cancel; the dialog closes once the
        # job has removed its temporary file.
        if self.write_task is not None:
            self._close_when_done = True
            self.cancel_export()
            return
        super().reject()
