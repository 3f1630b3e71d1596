"""While a team project is open, other researchers' work appears in this window: a timer
asks the Library for what they committed (``Library.poll_changes``, off the GUI thread, one
poll at a time), and what comes back is broadcast like one of our own edits, so the reader,
the side panes, the Library's counts and the search results refresh exactly what changed.
The status bar says who changed what when it touches the open document ("bob tagged a
passage in this document · 3 s ago"). A local project has no one to follow: nothing runs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QLabel

from annotator.core.change_follower import LoggedChange, RemoteChanges
from annotator.core.library import Library
from annotator.gui.events import LibraryEvents
from annotator.gui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

# A poll starts as soon as PostgreSQL notifies a commit, else after this long (a notification
# lost with a dropped connection): well inside the two seconds within which another
# researcher's highlight should show. A poll with nothing new is two small queries.
WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class Activity:
    """The latest thing another coder did to one document, and when this client saw it."""

    coder: str
    what: str
    seen: float  # time.monotonic()

    def sentence(self, now: float) -> str:
        return f"{self.coder} {self.what} in this document · {ago(now - self.seen)}"


def ago(seconds: float) -> str:
    if seconds < 5:
        return "just now"
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    return f"{int(seconds // 3600)} h ago"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else f"{n} {many}"


def describe(entries: Sequence[LoggedChange]) -> str:
    """One coder's entries on one document, as what they did ("tagged a passage")."""
    def ids(kind: str, action: str | None = None) -> set[int]:
        return {i for e in entries if e.kind == kind and action in (None, e.action) for i in e.highlights}

    added, removed = ids("highlights", "insert"), ids("highlights", "delete")
    tagged, untagged = ids("highlight_tags", "insert") - added, ids("highlight_tags", "delete") - removed
    if added:
        verb = "tagged" if ids("highlight_tags", "insert") & added else "highlighted"
        return f"{verb} {_plural(len(added), 'a passage', 'passages')}"
    if removed:
        return f"removed {_plural(len(removed), 'a highlight', 'highlights')}"
    if tagged or untagged:
        verb = "retagged" if tagged and untagged else "tagged" if tagged else "untagged"
        return f"{verb} {_plural(len(tagged | untagged), 'a passage', 'passages')}"
    if any(e.kind == "notes" for e in entries):
        return "edited a note"
    if ids("highlights", "update"):
        return "changed a highlight"
    if any(e.kind == "documents" for e in entries):
        return "edited the document's details"
    if any(e.kind == "document_variables" for e in entries):
        return "set a variable"
    return "made a change"


def activities(remote: RemoteChanges, seen: float) -> dict[int, Activity]:
    """Per document touched, what the last coder to act on it did in this batch."""
    out = {}
    for document_id in {d for e in remote.entries for d in e.documents}:
        touching = [e for e in remote.entries if document_id in e.documents]
        coder = touching[-1].coder
        out[document_id] = Activity(coder, describe([e for e in touching if e.coder == coder]), seen)
    return out


class TeamFollower(QObject):
    """Polls while the window is open; ``stop`` before the Library closes."""

    def __init__(self, library: Library, events: LibraryEvents, label: QLabel,
                 open_document: Callable[[], int | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._events = events
        self._label = label
        self._open_document = open_document
        self._latest: dict[int, Activity] = {}
        # A pool of its own: the polls never wait behind a search or an import, nor delay them.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._runner = TaskRunner(self, pool=self._pool)
        self._polling: Task | None = None
        self._stopped = False
        self._clock = QTimer(self)  # the status bar's "3 s ago" moves on
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._show)
        self._clock.start()
        events.document_opened.connect(lambda _id: self._show())
        self._poll(wait=False)

    def _poll(self, *, wait: bool = True) -> None:
        """One poll at a time, each started when the last ended: it waits in the Library for
        another client's commit (or ``WAIT_SECONDS``), then reads what changed."""
        if self._polling is not None or self._stopped:
            return
        library = self._library

        def job(_report: object, _cancel: object) -> RemoteChanges:
            if wait:
                library.wait_for_changes(WAIT_SECONDS)
            return library.poll_changes()

        task = Task(job, "follow team")
        task.signals.finished.connect(self._arrived)
        task.signals.failed.connect(self._failed)
        task.signals.done.connect(self._done)
        self._polling = task
        self._runner.launch(task)

    def _done(self, _task: Task) -> None:
        self._polling = None
        self._poll()

    def _failed(self, error: Exception) -> None:
        # The server may be out of reach for a moment: the next poll asks again (after the
        # wait), and the cursor has not moved, so nothing is lost meanwhile.
        log.warning("could not read other researchers' changes: %s", error)

    def _arrived(self, remote: RemoteChanges) -> None:
        if self._stopped or not remote:
            return
        self._latest.update(activities(remote, time.monotonic()))
        self._events.emit_changes(remote.changes)
        if remote.variables:
            self._events.variables_changed.emit()
        self._show()

    def _show(self) -> None:
        document_id = self._open_document()
        activity = self._latest.get(document_id) if document_id is not None else None
        self._label.setText(activity.sentence(time.monotonic()) if activity else "")
        self._label.setVisible(activity is not None)

    def stop(self) -> None:
        """No more polls, and the one running has ended: the Library may close."""
        self._stopped = True
        self._clock.stop()
        self._pool.waitForDone(30_000)


def follow_team(library: Library, events: LibraryEvents, label: QLabel,
                open_document: Callable[[], int | None], parent: QObject) -> TeamFollower | None:
    """A follower for a team project's window; None for a local project."""
    if not library.follows_others:
        label.hide()
        return None
    return TeamFollower(library, events, label, open_document, parent)
