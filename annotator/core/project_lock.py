"""One writer per project: an OS file lock held while a project is open for writing.

The lock dies with the process, so a crash never leaves a project locked for ever; the pid is
written into the file only to name the other window in the error message.
"""

from __future__ import annotations

import os
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO

from annotator.core.errors import ProjectError, ProjectLocked

LOCK_NAME = "project.lock"

if sys.platform == "win32":  # a platform test, not try/except ImportError: mypy follows it
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_HELD: weakref.WeakSet[ProjectLock] = weakref.WeakSet()
WAIT_POLL_S = 0.1


def _forget_locks_in_child() -> None:
    """A forked child (Whoosh's rebuild workers) shares the lock's open file, and an flock
    lives as long as any process holds it open: closing the child's copy (never unlocking,
    which would free the parent's lock too) lets the lock die with the process that took it."""
    for lock in list(_HELD):
        lock._forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


class ProjectLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(
        self, *, wait: float = 0.0, on_wait: Callable[[int | None], None] | None = None
    ) -> None:
        """Take the lock, waiting up to ``wait`` seconds for another writer to finish;
        ``on_wait(pid)`` is called once if the lock is still held after a second. Raises
        ``ProjectLocked`` when it is not free in time."""
        deadline = time.monotonic() + wait
        told = time.monotonic() + 1.0
        while True:
            try:
                self._try_acquire()
                return
            except ProjectLocked as exc:
                now = time.monotonic()
                if now >= deadline:
                    raise
                if on_wait is not None and now >= told:
                    on_wait(exc.pid)
                    on_wait = None
                time.sleep(WAIT_POLL_S)

    def _try_acquire(self) -> None:
        try:
            handle = open(self.path, "a+", encoding="ascii")
        except OSError as exc:
            raise ProjectError(
                f"cannot open {self.path.parent} for writing: {exc.strerror or exc} "
                f"({self.path.name}); a read-only folder or disk can only be read "
                "(listing and searching commands still work)"
            ) from exc
        if not _try_lock(handle):
            handle.seek(0)
            text = handle.read().strip()
            handle.close()
            raise ProjectLocked(int(text) if text.isdigit() else None)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        _HELD.add(self)

    def _forget(self) -> None:
        if self._handle is not None:
            try:
                self._handle.close()
            except OSError:
                pass
            self._handle = None

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None
            _HELD.discard(self)
