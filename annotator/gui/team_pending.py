"""Actions a team project's server could not take because it did not answer: said at once
(status bar and the action's own error message), kept, retried as soon as the server answers
again, or cancelled by the researcher. Never dropped without a word.

A local project never gets here: only a server raises ``ServerUnreachable``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMessageBox, QToolButton, QWidget

from annotator.core.errors import AnnotatorError, ServerUnreachable
from annotator.core.library import Library
from annotator.gui.errors import show_error

# How often the server is asked while actions wait (a background thread asks).
PING_MS = 2000


@dataclass
class PendingAction:
    description: str  # the undo step's text: "Tag “steel”", "Undo Edit note"
    retry: Callable[[], None]  # raises ServerUnreachable again if the server still does not answer


class PendingActions(QObject):
    """The window's waiting actions and the status bar widget that shows them."""

    changed = Signal()
    _answered = Signal(bool)  # from the ping thread

    def __init__(self, window: QMainWindow, library: Library) -> None:
        super().__init__(window)
        self.window, self.library = window, library
        self.actions: list[PendingAction] = []
        self._retrying = False
        self._pinging = False
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(6, 0, 6, 0)
        self.label = QLabel()
        self.label.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.retry_button = QToolButton(text="Retry now")
        self.retry_button.setToolTip("Send the waiting changes to the server again")
        self.cancel_button = QToolButton(text="Cancel")
        self.cancel_button.setToolTip("Drop the waiting changes: nothing of them is saved")
        for w in (self.label, self.retry_button, self.cancel_button):
            row.addWidget(w)
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button.clicked.connect(self.cancel)
        window.statusBar().addPermanentWidget(self.widget)
        self.widget.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(PING_MS)
        self.timer.timeout.connect(self._ping)
        self._answered.connect(self._on_answer)

    @property
    def retrying(self) -> bool:
        return self._retrying

    # ----------------------------------------------------------------- keeping
    def keep(self, description: str, retry: Callable[[], None], error: AnnotatorError) -> ServerUnreachable:
        """Keep an action the server refused; return the error to show, which says so."""
        action = PendingAction(description, retry)
        if self._retrying:
            self.actions.insert(0, action)  # a retry that failed again keeps its place
        else:
            self.actions.append(action)
        self._show()
        self.window.statusBar().showMessage(
            f"Server unreachable: “{description}” is waiting to be saved", 8000)
        return ServerUnreachable(
            f"{error}. “{description}” is kept and will be saved as soon as the server answers "
            "again (Cancel in the status bar drops it)")

    def _show(self) -> None:
        count = len(self.actions)
        if count:
            self.label.setText(f"⚠ Server unreachable: {count} change{'s' if count != 1 else ''} waiting")
            self.widget.setToolTip("\n".join(a.description for a in self.actions))
            self.widget.show()
            self.timer.start()
        else:
            self.widget.hide()
            self.timer.stop()
        self.changed.emit()

    # ----------------------------------------------------------------- retrying
    def _ping(self) -> None:
        if self._pinging or not self.actions:
            return
        self._pinging = True
        threading.Thread(target=lambda: self._answered.emit(self.library.server_reachable()),
                         name="server-ping", daemon=True).start()

    def _on_answer(self, reachable: bool) -> None:
        self._pinging = False
        if reachable and self.actions:
            self.retry()

    def retry(self) -> None:
        """Send the waiting actions again, oldest first; stop at the first the server still
        refuses (it keeps its place). One refused for another reason is reported and dropped."""
        self._retrying = True
        saved = 0
        try:
            while self.actions:
                action = self.actions.pop(0)
                waiting = len(self.actions)
                try:
                    action.retry()
                except ServerUnreachable:
                    if len(self.actions) == waiting:  # not kept again by the retry itself
                        self.actions.insert(0, action)
                    break
                except AnnotatorError as exc:
                    show_error(self.window, exc, f"Saving “{action.description}”")
                    continue
                if len(self.actions) > waiting:  # an undo or redo kept itself again
                    break
                saved += 1
        finally:
            self._retrying = False
            self._show()
        if saved and not self.actions:
            self.window.statusBar().showMessage(
                f"Connection restored: {saved} waiting change{'s' if saved != 1 else ''} saved", 8000)

    def may_close(self) -> bool:
        """Whether the window may close: with nothing waiting, yes; otherwise the researcher
        chooses to retry (closes only if everything is then saved), drop the waiting changes,
        or keep the window open. Closing never drops them without asking."""
        if not self.actions:
            return True
        count = len(self.actions)
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changes waiting for the server")
        box.setText(f"{count} change{'s are' if count != 1 else ' is'} still waiting to be saved: "
                    "the server has not answered.")
        box.setInformativeText(
            "\n".join(f"• {a.description}" for a in self.actions[:8])
            + ("\n…" if count > 8 else "")
            + "\n\nRetry sends them again now. Closing now drops them: nothing of them is saved.")
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Retry | buttons.Discard | buttons.Cancel)
        box.button(buttons.Discard).setText("Close and Drop Them")
        box.button(buttons.Cancel).setText("Keep Window Open")
        box.setDefaultButton(buttons.Cancel)
        box.setEscapeButton(buttons.Cancel)
        answer = box.exec()
        if answer == buttons.Discard:
            self.cancel()
            return True
        if answer == buttons.Retry:
            self.retry()
            if self.actions:
                self.window.statusBar().showMessage(
                    "Server still unreachable: the window stays open with the waiting changes", 8000)
            return not self.actions
        return False

    def cancel(self) -> None:
        count = len(self.actions)
        self.actions.clear()
        self._show()
        if count:
            self.window.statusBar().showMessage(
                f"{count} waiting change{'s' if count != 1 else ''} cancelled: nothing of "
                f"{'them' if count != 1 else 'it'} was saved", 8000)
