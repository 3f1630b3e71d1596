"""The single background writer: index updates are queued and applied off the caller's thread.

Committing to Whoosh costs 10–30 ms of CPU (more on a busy machine, and a Python thread doing
it slows the GUI thread down too), and folding small segments together hundreds. ``put``
returns at once; one thread takes queued updates in order. A small update is first *staged*
(made searchable in memory, well under a millisecond); staged updates are committed to disk
together once no update has arrived for a moment, when many are staged, when an update that
cannot be staged arrives (after them, keeping the order), or when asked (``commit_all``,
``close``). When idle it also runs housekeeping such as segment merges. ``flush`` waits until
everything queued is searchable, staged or committed, so searches see every applied update.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from annotator.core._search.records import IndexUpdate

log = logging.getLogger(__name__)

MAX_BATCH = 50
# Staged updates are committed after this long without new updates: a burst of edits becomes
# one commit, and an edit survives a crash unless it was made in the last moment. Housekeeping
# waits as long again, so a search right after an edit rarely waits behind a merge.
IDLE_BEFORE_HOUSEKEEPING_S = 0.5
# Past this many staged updates they are committed even during a burst: the in-memory overlay
# stays small, and so does what a crash could leave for the rebuild on open to repair.
MAX_STAGED = 1000
# ... and past this age even during a steady stream of edits (a scripted `tag` loop, a long
# import), so a crash costs the rebuild on open at most this much catching up, never a full
# rebuild of a project whose edits never paused.
MAX_STAGED_AGE_S = 5.0


class UpdateQueue:
    def __init__(
        self,
        commit: Callable[[list[IndexUpdate]], None],
        housekeeping: Callable[[], bool],
        stage: Callable[[IndexUpdate], bool] = lambda update: False,
    ) -> None:
        """``commit`` writes a batch to disk (and must not raise: it records failures itself);
        it always receives every staged update, first, so it can drop what it staged.
        ``stage`` makes one update searchable without a commit, or returns False when it
        cannot. ``housekeeping`` runs while idle and returns True when it wants to run again."""
        self._commit = commit
        self._housekeeping = housekeeping
        self._stage = stage
        self._queue: deque[IndexUpdate] = deque()
        self._staged: list[IndexUpdate] = []  # only the writer thread changes it, under _cv
        self._staged_since = 0.0  # monotonic time of the oldest staged update
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False
        self._wants_housekeeping = False
        self._commit_requests = 0

    def put(self, update: IndexUpdate) -> None:
        with self._cv:
            if self._closing:
                raise RuntimeError("the search index is closed")
            self._queue.append(update)
            self._start()
            self._cv.notify_all()

    def request_housekeeping(self) -> None:
        with self._cv:
            self._wants_housekeeping = True
            self._start()
            self._cv.notify_all()

    def flush(self) -> None:
        """Block until every update queued so far is searchable (staged or committed)."""
        with self._cv:
            while self._queue and self._thread is not None:
                self._cv.wait()

    def commit_all(self) -> None:
        """Block until every update queued so far is committed to disk."""
        with self._cv:
            self._commit_requests += 1
            self._cv.notify_all()
            try:
                while (self._queue or self._staged) and self._thread is not None:
                    self._cv.wait()
            finally:
                self._commit_requests -= 1

    def staged(self) -> list[IndexUpdate]:
        """The updates staged and not yet committed, in order."""
        with self._cv:
            return list(self._staged)

    def close(self) -> None:
        """Commit everything queued or staged, then stop the writer."""
        with self._cv:
            self._closing = True
            self._cv.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-index-writer", daemon=True)
            self._thread.start()

    def _next_job(self) -> str:
        """Caller holds _cv. Waits for something to do and says what."""
        while True:
            if self._staged and time.monotonic() - self._staged_since >= MAX_STAGED_AGE_S:
                return "commit"
            if self._queue:
                return "update"
            if self._staged and (self._closing or self._commit_requests):
                return "commit"
            if self._closing:
                return "exit"
            if self._staged or self._wants_housekeeping:
                if not self._cv.wait(IDLE_BEFORE_HOUSEKEEPING_S):
                    return "commit" if self._staged else "housekeeping"
            else:
                self._cv.wait()

    def _run(self) -> None:
        while True:
            with self._cv:
                job = self._next_job()
                if job == "exit":
                    self._thread = None
                    self._cv.notify_all()
                    return
                update = self._queue[0] if job == "update" else None
                stageable = (update is not None and not self._closing
                             and len(self._staged) < MAX_STAGED)
            if job == "update" and stageable and self._try_stage(update):
                with self._cv:
                    if not self._staged:
                        self._staged_since = time.monotonic()
                    self._staged.append(self._queue.popleft())
                    self._cv.notify_all()
            elif job in ("update", "commit"):
                self._commit_staged_and_queued(take_queued=job == "update")
            elif not self._closing:
                self._run_housekeeping()

    def _try_stage(self, update: IndexUpdate | None) -> bool:
        try:
            return bool(self._stage(update))  # type: ignore[arg-type]
        except Exception:  # the update is then committed to disk instead
            log.warning("staging a search index update failed", exc_info=True)
            return False

    def _commit_staged_and_queued(self, *, take_queued: bool) -> None:
        with self._cv:
            queued = [self._queue[i] for i in range(min(MAX_BATCH, len(self._queue)))] if take_queued else []
            batch = [*self._staged, *queued]
        try:
            self._commit(batch)
        except Exception:  # commit records its own failures; never kill the writer
            log.exception("search index commit failed")
        with self._cv:
            self._staged.clear()
            for _ in queued:
                self._queue.popleft()
            self._cv.notify_all()

    def _run_housekeeping(self) -> None:
        with self._cv:
            self._wants_housekeeping = False
        try:
            again = self._housekeeping()
        except Exception:
            log.warning("search index housekeeping failed", exc_info=True)
            again = False
        if again:
            with self._cv:
                self._wants_housekeeping = True
