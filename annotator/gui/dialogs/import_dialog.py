"""Importing files in the background: "File n of N — name", Cancel (stops after the file in
hand), then a copyable summary of what was imported, what was already there and what failed
and why. The UI stays usable throughout; the window records the import on the undo stack."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.gui import settings
from annotator.gui.tasks import Task, TaskRunner
from annotator.importers.batch import ImportOutcome, SkippedFiles, import_paths
from annotator.importers.limits import ImportLimits


def summarise(outcomes: Sequence[ImportOutcome], cancelled: bool = False,
              skipped: SkippedFiles | None = None) -> tuple[str, str]:
    """A one-line headline and a plain-text report (one line per duplicate or failure, and the
    unsupported files folders held)."""
    imported = [o for o in outcomes if o.status == "imported"]
    duplicates = [o for o in outcomes if o.status == "duplicate"]
    failed = [o for o in outcomes if o.status == "failed"]
    headline = (
        f"{len(imported)} imported, {len(duplicates)} already in the project, {len(failed)} failed"
        + (f"; {skipped.summary()}" if skipped is not None and skipped.total else "")
        + (" — cancelled before the remaining files" if cancelled else "")
    )
    lines = [headline, ""]
    for title, group in (("Imported", imported), ("Already in the project", duplicates), ("Failed", failed)):
        if not group:
            continue
        lines.append(f"{title}:")
        for outcome in group:
            detail = f" — {outcome.message}" if outcome.message else ""
            name = outcome.title if outcome.status == "imported" and outcome.title else outcome.path.name
            lines.append(f"  {name}{detail}" if outcome.status == "imported" else f"  {outcome.path}{detail}")
        lines.append("")
    return headline, "\n".join(lines).rstrip() + "\n"


class ImportDialog(QDialog):
    """``imported(list[int])``: ids of the new documents, once the job has ended (also after
    Cancel: what was imported stays, and can be undone); ``changes`` then holds what the
    import's writes changed, as the Library described them."""

    imported = Signal(list)

    def __init__(self, library: Library, paths: Sequence[Path], runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setMinimumWidth(520)
        self.library = library
        self.paths = [Path(p) for p in paths]
        self.outcomes: list[ImportOutcome] = []
        self.changes = Changes()  # written by the jobs, read once they are done
        self.finished_ = False
        self.was_cancelled = False

        self.status = QLabel("Preparing…")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMinimumHeight(240)
        self.report.hide()
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = QPushButton("Copy Report")
        self.copy_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self.copy_report)
        self.close_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.report)
        layout.addWidget(self.buttons)

        self.runner = runner
        self.limits = ImportLimits(max_bytes=settings.import_limit_mb() * 1024 * 1024,
                                   max_chars=settings.import_max_chars())
        self.keep_furniture = settings.keep_page_furniture()
        self._declined: set[int] = set()  # encrypted files whose password the user skipped
        self.skipped = SkippedFiles()  # filled by the worker before its first outcome
        self.task = Task(self._job(self.limits), "import")
        self.task.signals.progress.connect(self._progress)
        self.task.signals.item.connect(self._outcome)
        self.task.signals.done.connect(self._done)
        runner.launch(self.task)

    def _job(self, limits: ImportLimits):  # noqa: ANN202 - returns a tasks.Job
        library, paths, skipped = self.library, self.paths, self.skipped
        keep_furniture = self.keep_furniture

        def job(report: ProgressCallback, cancel: CancelToken) -> int:
            count = 0
            with library.collect_changes() as collected:
                try:
                    for outcome in import_paths(library, paths, limits=limits, cancel=cancel,
                                                progress=report, skipped=skipped,
                                                keep_furniture=keep_furniture):
                        self.task.signals.item.emit(outcome)
                        count += 1
                finally:
                    self.changes = self.changes | collected.changes
            return count

        return job

    def _outcome(self, outcome: ImportOutcome) -> None:
        self.outcomes.append(outcome)

    def _progress(self, progress: Progress) -> None:
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        if progress.label:
            self.status.setText(f"File {progress.done + 1} of {progress.total} — {progress.label}")

    def cancel(self) -> None:
        """Stop after the file in hand; what was imported so far stays."""
        if self.finished_:
            self.reject()
            return
        self.was_cancelled = True
        self.task.cancel()
        self.cancel_button.setEnabled(False)
        self.status.setText(self.status.text() + "  (stopping after this file…)")

    def ask_password(self, outcome: ImportOutcome) -> str | None:
        """Ask for an encrypted PDF's password; None when the user skips the file."""
        wrong = "wrong password" in outcome.message.lower()
        prompt = (f"The password for “{outcome.path.name}” was not accepted. Try again:" if wrong
                  else f"“{outcome.path.name}” is encrypted. Enter its password to import it:")
        text, ok = QInputDialog.getText(self, "Password needed", prompt,
                                        QLineEdit.EchoMode.Password)
        return text if ok else None

    def _done(self, _task: object = None) -> None:
        # Encrypted PDFs: ask for each password in turn and retry just that file, off the UI
        # thread like the rest; "Skip" (Cancel) leaves it reported as failed.
        if not self.was_cancelled:
            for index, outcome in enumerate(self.outcomes):
                if outcome.needs_password and index not in self._declined:
                    password = self.ask_password(outcome)
                    if password is None:
                        self._declined.add(index)
                        continue
                    self._retry_with_password(index, password)
                    return
        self._finish()

    def _retry_with_password(self, index: int, password: str) -> None:
        path, library, limits = self.outcomes[index].path, self.library, self.limits
        self.status.setText(f"Opening {path.name} with its password…")

        def job(_report: ProgressCallback, _cancel: CancelToken) -> ImportOutcome:
            with library.collect_changes() as collected:
                try:
                    return next(iter(import_paths(library, [path], password=password, limits=limits,
                                                  keep_furniture=self.keep_furniture)))
                finally:
                    self.changes = self.changes | collected.changes

        def replace(outcome: ImportOutcome) -> None:
            self.outcomes[index] = outcome

        task = Task(job, "import with password")
        task.signals.finished.connect(replace)
        task.signals.done.connect(self._done)
        self.runner.launch(task)

    def _finish(self) -> None:
        self.finished_ = True
        headline, text = summarise(self.outcomes, self.was_cancelled, self.skipped)
        self.status.setText(headline)
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.report.setPlainText(text)
        self.report.show()
        self.cancel_button.hide()
        self.copy_button.show()
        self.close_button.show()
        self.close_button.setDefault(True)
        new_ids = [o.document_id for o in self.outcomes if o.status == "imported" and o.document_id]
        self.imported.emit(new_ids)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())

    def reject(self) -> None:
        # Escape or the window's close box while running means Cancel, not "hide and forget".
        if not self.finished_:
            self.cancel()
            return
        super().reject()
