"""The single background writer: index updates are queued and committed off the caller's thread.

Committing to Whoosh costs 10–20 ms of CPU (more on a busy machine) and folding small segments
together hundreds, far too long to spend on the GUI thread after each click. ``put`` returns at
once; one thread commits queued updates in order (several queued ones may share a commit) and,
when idle, runs housekeeping such as segment merges. ``flush`` waits until everything queued
is committed, so searches and status checks always see every applied update.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from annotator.core._search.records import IndexUpdate

log = logging.getLogger(__name__)

MAX_BATCH = 50
# Housekeeping waits for this long without new updates, so a burst of edits is committed
# without a merge in between and a search right after an edit rarely waits behind a merge.
IDLE_BEFORE_HOUSEKEEPING_S = 0.5


class UpdateQueue:
    def __init__(
        self,
        commit: Callable[[list[IndexUpdate]], None],
        housekeeping: Callable[[], bool],
    ) -> None:
        """``commit`` writes a batch (and must not raise: it records failures itself);
        ``housekeeping`` runs while idle and returns True when it wants to run again later."""
        self._commit = commit
        self._housekeeping = housekeeping
        self._queue: deque[IndexUpdate] = deque()
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False
        self._wants_housekeeping = False

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
        """Block until every update queued so far is committed (housekeeping may still run)."""
        with self._cv:
            while self._queue and self._thread is not None:
                self._cv.wait()

    def close(self) -> None:
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

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._closing:
                    if not self._wants_housekeeping:
                        self._cv.wait()
                    elif not self._cv.wait(IDLE_BEFORE_HOUSEKEEPING_S):
                        break  # idle long enough: time for housekeeping
                if not self._queue and self._closing:
                    self._thread = None
                    self._cv.notify_all()
                    return
                batch = [self._queue[i] for i in range(min(MAX_BATCH, len(self._queue)))]
                housekeeping = not batch and self._wants_housekeeping
                self._wants_housekeeping = False if housekeeping else self._wants_housekeeping
            if batch:
                try:
                    self._commit(batch)
                except Exception:  # commit records its own failures; never kill the writer
                    log.exception("search index commit failed")
                with self._cv:
                    for _ in batch:
                        self._queue.popleft()
                    self._cv.notify_all()
            elif housekeeping and not self._closing:
                try:
                    again = self._housekeeping()
                except Exception:
                    log.warning("search index housekeeping failed", exc_info=True)
                    again = False
                if again:
                    with self._cv:
                        self._wants_housekeeping = True
