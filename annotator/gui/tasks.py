"""Background jobs: run a callable on the global QThreadPool and report back by signals.

The callable runs off the GUI thread and must never touch widgets; it gets a ``report``
function (a ``ProgressCallback``) and a ``CancelToken``. Signals arrive queued on the GUI
thread, so slots connected to them may update widgets freely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.progress import CancelToken, Progress, ProgressCallback

log = logging.getLogger(__name__)

Job = Callable[[ProgressCallback, CancelToken], Any]


class TaskSignals(QObject):
    """``progress(Progress)``, ``finished(result)``, ``failed(Exception)``, ``cancelled()``;
    exactly one of the last three is emitted, after which ``done(task)`` is emitted."""

    progress = Signal(object)
    item = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal(object)  # the Task, so its runner can let go of it


class Task(QRunnable):
    def __init__(self, job: Job, name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Python side keeps it alive until done
        self.job = job
        self.name = name
        self.signals = TaskSignals()
        self.cancel_token = CancelToken()
        self.running = False

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def report(self, progress: Progress) -> None:
        self.signals.progress.emit(progress)

    def run(self) -> None:
        self.running = True
        try:
            result = self.job(self.report, self.cancel_token)
        except Cancelled:
            self.signals.cancelled.emit()
        except AnnotatorError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # shown to the user instead of killing a thread
            log.exception("background task %s failed", self.name)
            self.signals.failed.emit(exc)
        else:
            if self.cancel_token.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            self.running = False
            self.signals.done.emit(self)


class TaskRunner(QObject):
    """Starts tasks and keeps them referenced until they end (so Python does not collect a
    running job's signals)."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._live: set[Task] = set()

    def start(self, job: Job, name: str = "") -> Task:
        return self.launch(Task(job, name))

    def launch(self, task: Task) -> Task:
        """Start a task built by the caller (who may connect its signals first)."""
        self._live.add(task)
        # A slot of this GUI-thread object, so the bookkeeping runs queued on the GUI thread.
        task.signals.done.connect(self._forget)
        self.pool.start(task)
        return task

    @Slot(object)
    def _forget(self, task: Task) -> None:
        self._live.discard(task)

    def busy(self) -> bool:
        return bool(self._live)

    def cancel_all(self) -> None:
        for task in list(self._live):
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)


_shared: TaskRunner | None = None


def shared_runner() -> TaskRunner:
    """One runner living as long as the application, for dialogs: a dialog closed (and
    deleted) while its job still runs must not take the job's last reference with it."""
    global _shared
    if _shared is None:
        _shared = TaskRunner(None)
    return _shared
