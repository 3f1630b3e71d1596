"""Noticing that the database or its write-ahead log was deleted or replaced under an open
project (sync clients and cleanup tools do this), before a write is confirmed.

SQLite keeps writing to the files it has open, so after ``project.sqlite-wal`` is deleted every
later change lands in a file no one will ever read again: it is confirmed on screen and lost
when the app stops. Before each write the guard compares the files' identity (device and inode)
with what it saw; when they differ, it saves what the open connection still sees into a
recovery copy beside the project and stops writing with a message saying so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from annotator.core.errors import ProjectReplaced

log = logging.getLogger(__name__)

WAL_SUFFIX = "-wal"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


Connect = Callable[[], AbstractContextManager[sqlite3.Connection]]


class FileGuard:
    def __init__(self, db_path: Path, connect: Connect | None = None) -> None:
        """``connect`` lends an open connection of the project's, for the recovery copy."""
        self.db_path = db_path
        self._connect = connect
        self.wal_path = db_path.with_name(db_path.name + WAL_SUFFIX)
        self._db = _identity(db_path)
        self._wal = _identity(self.wal_path)
        self.problem: str | None = None

    def reset(self) -> None:
        """After Annotator itself replaced the files (a restore)."""
        self._db = _identity(self.db_path)
        self._wal = _identity(self.wal_path)
        self.problem = None

    def check(self) -> None:
        """Raise ``ProjectReplaced`` if the files changed under us (and ever after)."""
        if self.problem is None:
            problem = self._compare()
            if problem is None:
                return
            self.problem = problem + self._recover()
        raise ProjectReplaced(self.problem)

    def _recover(self) -> str:
        if self._connect is None:
            return ""
        try:
            with self._connect() as connection:
                copy = save_recovery_copy(connection, self.db_path)
        except Exception:
            log.exception("no recovery copy")
            copy = None
        if copy is None:
            return "; close the project and check it with `annotator check`"
        return (f"; everything saved until now was copied to {copy}: close the project, "
                f"then bring that copy back with `annotator restore \"{copy}\"`")

    def _compare(self) -> str | None:
        db = _identity(self.db_path)
        if self._db is not None and db != self._db:
            what = "deleted" if db is None else "replaced"
            return (f"{self.db_path} was {what} by another program while the project was open; "
                    "Annotator stopped writing to it so that no change is confirmed and then lost")
        wal = _identity(self.wal_path)
        if self._wal is None:
            self._wal = wal  # SQLite makes the log at the first write
            return None
        if wal != self._wal:
            what = "deleted" if wal is None else "replaced"
            return (f"{self.wal_path.name} (the database's write-ahead log) was {what} by another "
                    "program while the project was open (a sync or cleanup tool?); Annotator "
                    "stopped writing so that no change is confirmed and then lost")
        return None


def save_recovery_copy(connection: sqlite3.Connection, db_path: Path) -> Path | None:
    """Copy what ``connection`` sees (the open files, even if deleted) to a new database
    beside ``db_path``; None when that fails too."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.stem}.recovered-{stamp}.sqlite")
    try:
        with sqlite3.connect(target) as out:
            connection.backup(out)
        out.close()
    except (sqlite3.Error, OSError):
        log.exception("could not save a recovery copy to %s", target)
        target.unlink(missing_ok=True)
        return None
    return target
