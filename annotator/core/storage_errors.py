"""SQLite's and the operating system's complaints turned into one sentence a researcher can act
on: a full disk, a read-only file or mount, a damaged database. Everything here raises an
``AnnotatorError``; nothing reaches the user as a traceback."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DatabaseError, IntegrityError, StatementError

from annotator.core._db.postgres_concurrency import is_connection_lost, is_race, server_detail
from annotator.core._db.postgres_roles import READ_ONLY_MESSAGE, is_permission_error
from annotator.core.errors import (
    AnnotatorError,
    EditConflict,
    ProjectDamaged,
    ProjectError,
    ReadOnlyProject,
    ServerUnreachable,
    StorageFailed,
)

_NOT_SAVED = "nothing of this change was saved"
_RESTORE = "run `annotator check`; `annotator backups` lists copies to restore"
_DAMAGE_MARKERS = ("malformed", "not a database", "could not decode", "invalid isoformat",
                   "file is encrypted", "database corrupt")


def _detail(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return text.splitlines()[0] if text else type(exc).__name__


def describe(exc: BaseException, folder: Path) -> AnnotatorError | None:
    """The error to raise instead of ``exc``, or None when ``exc`` is not a storage problem."""
    db = folder / "project.sqlite"
    if isinstance(exc, AnnotatorError):
        return None
    team = team_problem(exc)
    if team is not None:
        return team
    if isinstance(exc, IntegrityError):
        return None
    if is_permission_error(exc):  # a team project's server refused this role the write
        return ReadOnlyProject(READ_ONLY_MESSAGE)
    detail = _detail(exc)
    low = detail.lower()
    code = getattr(exc, "errno", None) or getattr(getattr(exc, "orig", None), "errno", None)
    if "disk is full" in low or code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return StorageFailed(f"cannot save: the disk holding {folder} is full; {_NOT_SAVED} "
                             "(free some space and try again)")
    if "readonly" in low or "read-only" in low or code == errno.EROFS:
        return StorageFailed(f"cannot save: {db} is read-only ({detail}); {_NOT_SAVED}")
    if code in (errno.EACCES, errno.EPERM):
        where = getattr(exc, "filename", None) or folder
        return StorageFailed(f"cannot save: permission denied on {where}; {_NOT_SAVED}")
    if "disk i/o error" in low or code == errno.EIO:
        return StorageFailed(f"cannot save: disk I/O error on {folder}; {_NOT_SAVED}")
    if isinstance(exc, UnicodeDecodeError) or any(m in low for m in _DAMAGE_MARKERS):
        return ProjectDamaged(f"{db} is damaged ({detail}); {_RESTORE}")
    if "database is locked" in low or "database is busy" in low:
        return ProjectError(f"{db} is busy (another program holds it); try again")
    if isinstance(exc, (DatabaseError, StatementError)):
        return ProjectDamaged(f"{db} cannot be read or written ({detail}); {_RESTORE}")
    if isinstance(exc, OSError):
        return StorageFailed(f"cannot save in {folder}: {exc.strerror or detail}; {_NOT_SAVED}")
    return None


def team_problem(exc: BaseException) -> AnnotatorError | None:
    """A team project's server gone or a collision with another coder's write, as the
    sentence the coder reads (None for anything else, and always for SQLite)."""
    if is_connection_lost(exc):
        return ServerUnreachable(f"the team project's server cannot be reached ({server_detail(exc)}); "
                                 f"{_NOT_SAVED}")
    if is_race(exc):
        return EditConflict(f"another coder changed the same thing at the same moment; {_NOT_SAVED} "
                            "(look again and redo it)")
    return None


def is_storage_error(exc: BaseException, *, os_errors: bool = True) -> bool:
    if isinstance(exc, OSError):
        return os_errors
    return isinstance(exc, (DatabaseError, StatementError, UnicodeDecodeError)) or (
        isinstance(exc, ValueError) and "isoformat" in str(exc)
    )


@contextmanager
def translated(folder: Path, *, os_errors: bool = True) -> Iterator[None]:
    """Re-raise storage failures inside as ``StorageFailed``/``ProjectDamaged``; ``os_errors``
    False leaves the operating system's errors alone (reads, whose callers handle them)."""
    try:
        yield
    except Exception as exc:
        if not is_storage_error(exc, os_errors=os_errors):
            raise
        better = describe(exc, folder)
        if better is None:
            raise
        raise better from exc
