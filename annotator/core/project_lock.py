"""One writer per project: an OS file lock held while a project is open for writing.

The lock dies with the process, so a crash never leaves a project locked for ever; the pid is
written into the file only to name the other window in the error message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from annotator.core.errors import ProjectLocked

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


class ProjectLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+", encoding="ascii")
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
