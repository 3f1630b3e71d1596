"""File › Export › REFI-QDA project/codebook and File › Import › REFI-QDA: the window's side.

Both run off the GUI thread (``tasks``) with a progress dialog; an import is one undo step
(``RefiImportCommand``) and ends with its report shown (and written into the project). No
backup API exists on this branch yet; when it does, an import into a project that already
holds documents should take one first (see the issue on backups).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from annotator.core.errors import AnnotatorError
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.gui.commands import push
from annotator.gui.commands_refi import RefiImportCommand
from annotator.gui.errors import show_error
from annotator.gui.tasks import Job, Task

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QStatusBar

    from annotator.core.library import Library
    from annotator.export.refi_export import RefiExportSummary
    from annotator.gui.events import LibraryEvents
    from annotator.gui.tasks import TaskRunner
    from annotator.importers.refi_import import RefiImport

REFI_FILTER = "REFI-QDA project or codebook (*.qdpx *.qdc *.qde)"


class RefiHost(Protocol):
    """The window the exchange works for (a QWidget: dialogs are parented to it). A Protocol,
    so this module does not import the main window that owns it."""

    library: Library
    undo_stack: QUndoStack
    events: LibraryEvents
    runner: TaskRunner

    def statusBar(self) -> QStatusBar: ...


class RefiExchange(QObject):
    """``exported(str)`` and ``imported(RefiImport)`` fire once a job has ended well;
    ``failed(str)`` with the message otherwise."""

    exported = Signal(str)
    imported = Signal(object)
    failed = Signal(str)

    def __init__(self, window: RefiHost) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the host is a QWidget
        self.window = window
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.report_box: QMessageBox | None = None

    # ------------------------------------------------------------- export
    def choose_project_export(self) -> None:
        self._choose_export("qdpx", "Export REFI-QDA Project", "REFI-QDA project (*.qdpx)")

    def choose_codebook_export(self) -> None:
        self._choose_export("qdc", "Export REFI-QDA Codebook", "REFI-QDA codebook (*.qdc)")

    def _choose_export(self, suffix: str, title: str, pattern: str) -> None:
        default = str(Path.home() / f"{self.window.library.name}.{suffix}")
        chosen, _ = QFileDialog.getSaveFileName(self.window, title, default, pattern)
        if chosen:
            path = Path(chosen)
            self.export_to(path if path.suffix.lower() == f".{suffix}" else
                           path.with_name(f"{path.name}.{suffix}"))

    def export_to(self, path: Path) -> Task | None:
        from annotator.export.refi_export import write_qdc, write_qdpx

        library = self.window.library
        codebook = path.suffix.lower() == ".qdc"

        def job(report: ProgressCallback, cancel: CancelToken) -> RefiExportSummary:
            if codebook:
                return write_qdc(library, path)
            return write_qdpx(library, path, cancel=cancel, progress=report)

        return self._start(job, "Exporting REFI-QDA…", lambda summary: self._exported(path, summary))

    def _exported(self, path: Path, summary: RefiExportSummary) -> None:
        message = f"Wrote {summary.describe()} to {path}"
        self.window.statusBar().showMessage(" ".join([message, *summary.warnings]), 8000)
        self.exported.emit(str(path))

    # ------------------------------------------------------------- import
    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Import REFI-QDA",
                                                str(Path.home()), f"{REFI_FILTER};;All files (*)")
        if not chosen:
            return
        merge = True
        if self.window.library.counts()["tags"]:
            answer = QMessageBox.question(
                self.window, "Import REFI-QDA",
                "Codes with the name of a tag of the same category: merge them into that tag, "
                "or add them as new tags (numbered)?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            merge = answer == QMessageBox.StandardButton.Yes
        self.import_file(Path(chosen), merge_codes=merge)

    def import_file(self, path: Path, *, merge_codes: bool = True) -> Task | None:
        from annotator.importers.refi_import import import_refi

        library = self.window.library

        def job(_report: ProgressCallback, _cancel: CancelToken) -> RefiImport:
            return import_refi(library, path, merge_codes=merge_codes)

        # No cancel: the import is one transaction, and a cancel arriving while it commits
        # would leave it done without its undo step.
        return self._start(job, f"Importing {path.name}…", lambda outcome: self._imported(path, outcome),
                           cancellable=False)

    def _imported(self, path: Path, outcome: RefiImport) -> None:
        push(self.window.undo_stack,
             RefiImportCommand(self.window.library, self.window.events, outcome.result, path.name))
        report = outcome.report
        box = QMessageBox(QMessageBox.Icon.Information, "REFI-QDA import",
                          f"Imported {path.name}: {report.summary()}.", QMessageBox.StandardButton.Ok,
                          self.window)
        where = f"The full report is in {report.path}." if report.path else ""
        box.setInformativeText(f"Undo (Ctrl+Z) takes the whole import back. {where}")
        box.setDetailedText(report.text())
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.report_box = box
        self.imported.emit(outcome)

    # ------------------------------------------------------------- running
    def _start(self, job: Job, label: str, done: Callable[[Any], object], *,
               cancellable: bool = True) -> Task | None:
        if self.task is not None:
            self.window.statusBar().showMessage("A REFI-QDA import or export is still running", 4000)
            return None
        task = Task(job, label)
        dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(task.cancel)
        task.signals.progress.connect(lambda p: self._progress(dialog, p))
        task.signals.finished.connect(lambda result: self._end(lambda: done(result)))
        task.signals.failed.connect(lambda error: self._end(lambda: self._failed(error, label)))
        task.signals.cancelled.connect(lambda: self._end(lambda: self.failed.emit("cancelled")))
        self.task, self.progress = task, dialog
        self.window.runner.launch(task)
        return task

    @staticmethod
    def _progress(dialog: QProgressDialog, progress: Progress) -> None:
        if progress.total:
            dialog.setMaximum(progress.total)
            dialog.setValue(progress.done)

    def _end(self, then: Callable[[], object]) -> None:
        """Close the progress dialog, then report the outcome."""
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
        self.task = self.progress = None
        then()

    def _failed(self, error: Exception, label: str) -> None:
        message = str(error) or type(error).__name__
        self.failed.emit(message)
        if isinstance(error, AnnotatorError):
            show_error(self.window, error, label.rstrip("…"))
        else:
            QMessageBox.warning(self.window, "REFI-QDA", f"{label.rstrip('…')} failed: {message}")
