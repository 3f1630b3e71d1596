"""The index reaches the disk during a steady stream of edits, not only when they pause, so a
crash costs an incremental catch-up rather than a full rebuild."""

from __future__ import annotations

import time

import pytest

from annotator.core._search import update_queue
from annotator.core._search.records import IndexUpdate
from annotator.core._search.update_queue import UpdateQueue


def test_staged_updates_are_committed_during_a_burst_that_never_pauses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(update_queue, "MAX_STAGED_AGE_S", 0.3)
    monkeypatch.setattr(update_queue, "IDLE_BEFORE_HOUSEKEEPING_S", 10.0)  # never idle here
    committed: list[int] = []

    def commit(batch: list[IndexUpdate]) -> None:
        committed.extend(u.generation for u in batch)

    queue = UpdateQueue(commit, lambda: False, stage=lambda update: True)
    stop = time.monotonic() + 1.5
    generation = 0
    while time.monotonic() < stop:  # an edit every 50 ms: the queue is never idle for 10 s
        generation += 1
        queue.put(IndexUpdate(generation=generation))
        time.sleep(0.05)
    seen_during_burst = list(committed)
    queue.close()
    assert seen_during_burst, "nothing was committed while the edits went on"
    assert committed == list(range(1, generation + 1))
