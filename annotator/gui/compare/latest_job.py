"""Run a computation off the GUI thread where only the latest request's answer counts: a
view asked again (ticks changed, a highlight was edited) before the last answer arrived drops
that answer instead of drawing stale figures, and a view closed and deleted meanwhile drops it
too (the answer would otherwise land on widgets that no longer exist)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from annotator.gui.tasks import Task, TaskRunner


class LatestJob:
    def __init__(self, runner: TaskRunner, name: str, owner: QObject) -> None:
        self.runner = runner
        self.name = name
        self.serial = 0
        self.running = False
        owner.destroyed.connect(self._forget)

    def _forget(self) -> None:
        self.serial += 1  # whatever is still running answers nobody
        self.running = False

    def run(self, compute: Callable[[], Any], arrived: Callable[[Any], None],
            failed: Callable[[Exception], None]) -> None:
        self.serial += 1
        serial = self.serial
        self.running = True
        task = Task(lambda _report, _cancel: compute(), self.name)
        task.signals.finished.connect(lambda result: self._end(serial, arrived, result))
        task.signals.failed.connect(lambda exc: self._end(serial, failed, exc))
        self.runner.launch(task)  # signals connected first: a quick job must not finish unheard

    def _end(self, serial: int, slot: Callable[[Any], None], value: Any) -> None:
        if serial != self.serial:
            return
        self.running = False
        slot(value)
