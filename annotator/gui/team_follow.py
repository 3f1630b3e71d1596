"""While a team project is open, other researchers' work appears in this window: a timer
asks the Library for what they committed (``Library.poll_changes``, off the GUI thread, one
poll at a time), and what comes back is broadcast like one of our own edits, so the reader,
the side panes, the Library's counts and the search results refresh exactly what changed.
The status bar says who changed what when it touches the open document ("bob tagged a
passage in this document · 3 s ago"). A local project has no one to follow: nothing runs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QLabel

from annotator.core.change_follower import LoggedChange, RemoteChanges
from annotator.core.errors import NotFound
from annotator.core.library import Library
from annotator.gui.events import LibraryEvents
from annotator.gui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

# A poll starts as soon as PostgreSQL notifies a commit, else after this long (a notification
# lost with a dropped connection): well inside the two seconds within which another
# researcher's highlight should show. A poll with nothing new is two small queries.
WAIT_SECONDS = 1.0
_NAMED_TAGS = 3  # the status bar names at most this many tags
REMOVED = "removed this document"
REMOVED_MESSAGE_MS = 10_000  # how long the status bar says the open document was removed


@dataclass(frozen=True)
class Activity:
    """The latest thing another coder did to one document, and when this client saw it."""

    coder: str
    what: str
    seen: float  # time.monotonic()

    def sentence(self, now: float) -> str:
        what = self.what if "this document" in self.what else f"{self.what} in this document"
        return f"{self.coder} {what} · {ago(now - self.seen)}"


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


def _quoted(tag_ids: set[int], tag_names: Mapping[int, str]) -> str:
    """ “steel”, “dairy”: the named tags among these, or nothing when none has a name."""
    names = sorted(tag_names[t] for t in tag_ids if t in tag_names)
    return " " + ", ".join(f"“{n}”" for n in names) if names else ""


def describe(entries: Sequence[LoggedChange], tag_names: Mapping[int, str] | None = None) -> str:
    """One coder's entries on one document, as what they did ("tagged a passage “steel”");
    ``tag_names`` names the tags it may mention."""
    names = tag_names or {}

    def ids(kind: str, action: str | None = None) -> set[int]:
        return {i for e in entries if e.kind == kind and action in (None, e.action) for i in e.highlights}

    def tags(kind: str, action: str) -> set[int]:
        return {t for e in entries if e.kind == kind and e.action == action for t in e.tags}

    documents = {e.action for e in entries if e.kind == "documents"}
    if "delete" in documents:
        return REMOVED
    if "insert" in documents:
        return "added this document"
    added, removed = ids("highlights", "insert"), ids("highlights", "delete")
    tagged, untagged = ids("highlight_tags", "insert") - added, ids("highlight_tags", "delete") - removed
    if added:
        verb = "tagged" if ids("highlight_tags", "insert") & added else "highlighted"
        which = tags("highlight_tags", "insert")
        return f"{verb} {_plural(len(added), 'a passage', 'passages')}{_quoted(which, names)}"
    if removed:
        return f"removed {_plural(len(removed), 'a highlight', 'highlights')}"
    if tagged or untagged:
        verb = "retagged" if tagged and untagged else "tagged" if tagged else "untagged"
        which = tags("highlight_tags", "insert" if tagged else "delete")
        return f"{verb} {_plural(len(tagged | untagged), 'a passage', 'passages')}{_quoted(which, names)}"
    if any(e.kind == "notes" for e in entries):
        return "edited a note"
    if ids("highlights", "update"):
        return "changed a highlight"
    if documents:
        return "edited this document's details"
    if any(e.kind == "document_variables" for e in entries):
        return "set a variable"
    return "made a change"


def activities(remote: RemoteChanges, seen: float,
               tag_names: Mapping[int, str] | None = None) -> dict[int, Activity]:
    """Per document touched, what the last coder to act on it did in this batch."""
    out = {}
    for document_id in {d for e in remote.entries for d in e.documents}:
        touching = [e for e in remote.entries if document_id in e.documents]
        coder = touching[-1].coder
        out[document_id] = Activity(coder, describe([e for e in touching if e.coder == coder], tag_names), seen)
    return out


def tag_names(library: Library, remote: RemoteChanges) -> dict[int, str]:
    """The names of the tags these entries applied or removed (those that still exist), for
    the status bar; read off the GUI thread with the poll. A few at most: a batch that
    touched many tags is described without them."""
    wanted = {t for e in remote.entries if e.kind == "highlight_tags" for t in e.tags}
    if len(wanted) > _NAMED_TAGS:
        return {}
    names = {}
    for tag_id in wanted:
        try:
            names[tag_id] = library.tag(tag_id).name
        except NotFound:  # deleted since: the sentence goes without its name
            pass
    return names


class TeamFollower(QObject):
    """Polls while the window is open; ``stop`` before the Library closes."""

    def __init__(self, library: Library, events: LibraryEvents, label: QLabel,
                 open_document: Callable[[], int | None], parent: QObject | None = None,
                 say: Callable[[str, int], None] | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._events = events
        self._label = label
        self._open_document = open_document
        self._say = say  # a passing status bar message (text, milliseconds)
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

        def job(_report: object, _cancel: object) -> tuple[RemoteChanges, dict[int, str]]:
            if wait:
                library.wait_for_changes(WAIT_SECONDS)
            remote = library.poll_changes()
            return remote, tag_names(library, remote) if remote else {}

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

    def _arrived(self, found: tuple[RemoteChanges, dict[int, str]]) -> None:
        remote, names = found
        if self._stopped or not remote:
            return
        latest = activities(remote, time.monotonic(), names)
        self._latest.update(latest)
        opened = self._open_document()
        if opened is not None and opened in latest and latest[opened].what == REMOVED:
            # The window is about to show another document: say why, whichever it shows.
            if self._say is not None:
                self._say(f"{latest[opened].coder} removed the document you had open", REMOVED_MESSAGE_MS)
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
                open_document: Callable[[], int | None], parent: QObject,
                say: Callable[[str, int], None] | None = None) -> TeamFollower | None:
    """A follower for a team project's window; None for a local project. ``say`` shows a
    passing status bar message (the open document was removed by someone else)."""
    if not library.follows_others:
        label.hide()
        return None
    return TeamFollower(library, events, label, open_document, parent, say)
