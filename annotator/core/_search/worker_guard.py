"""Whoosh's rebuild workers must die with the process that started them.

A big rebuild forks writer processes (``whoosh.multiproc``). They block on a queue fed by the
parent, so when the parent is killed they wait for ever, holding inherited file descriptors
(among them the project lock's, which kept the project "open in another window" after a killed
``reindex``). While ``orphan_guard`` is active, each forked child watches its parent and exits
as soon as it is gone; ``stop_workers`` ends them when a rebuild fails or is cancelled.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

POLL_S = 0.2
_guarded_parent: int | None = None


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(POLL_S)
        if os.getppid() != parent:
            os._exit(1)  # no cleanup: the parent's successor removes the staging folder


def _after_fork_in_child() -> None:
    global _guarded_parent
    parent, _guarded_parent = _guarded_parent, None  # grandchildren are not ours to watch
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def orphan_guard() -> Iterator[None]:
    """Children forked inside exit when this process dies."""
    global _guarded_parent
    previous, _guarded_parent = _guarded_parent, os.getpid()
    try:
        yield
    finally:
        _guarded_parent = previous


def stop_workers(writer: Any) -> None:
    """End a multi-process writer's workers (``MpWriter.cancel`` only asks them to stop
    after their next job, which never comes, and the interpreter would wait for them)."""
    for task in getattr(writer, "tasks", ()):
        try:
            task.terminate()
            task.join(timeout=5)
        except Exception:  # noqa: BLE001 - already gone
            pass
