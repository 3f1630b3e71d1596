"""Rotating copies of ``project.sqlite`` in the project's ``backups/`` folder.

Copies are made with SQLite's online backup API, so they are consistent even while the project
is being written, and each copy is switched out of WAL mode before it is renamed into place: a
backup is one self-contained file that never shares the live write-ahead log. Copies are made

* when a writer opens the project and the newest copy is more than a day old (``daily``),
* before a schema upgrade (``before-upgrade``),
* before bulk operations: deleting documents, merging tags, importing a REFI-QDA project
  (``before-<what>``, at most one every ``BULK_INTERVAL`` so an afternoon of deletions does
  not copy a large project each time), see ``backup_before_bulk_operation``,
* before a restore (``before-restore``), and when asked (``manual``).

The newest ``keep`` automatic copies are kept (10 unless the project's preference says
otherwise); copies the user made with ``annotator backup`` into the folder count too. The text
is the truth here: every copy carries its own counts, read when listed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from annotator.core.errors import InvalidInput, ProjectError
from annotator.core.project_layout import OUR_TABLES
from annotator.core.project_lock import ProjectLock

log = logging.getLogger(__name__)


class BackupHost(Protocol):
    """What the rotation rules need of a project (the Library's safety service)."""

    folder: Path
    readonly: bool

    def meta_value(self, key: str) -> str | None: ...
    def backup(self, target: Path | None = None, *, reason: str = "manual") -> BackupInfo: ...

BACKUP_DIR = "backups"
DB_NAME = "project.sqlite"
DEFAULT_KEEP = 10
DAILY = timedelta(days=1)
BULK_INTERVAL = timedelta(minutes=15)
KEEP_META_KEY = "backups_keep"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"project-(\d{8}-\d{6})(?:-(\d+))?-([a-z0-9-]+)\.sqlite")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created: datetime
    size: int
    documents: int | None  # None: the copy cannot be read (damaged)
    highlights: int | None
    reason: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def readable(self) -> bool:
        return self.documents is not None

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "name": self.name, "created": self.created,
                "size": self.size, "documents": self.documents,
                "highlights": self.highlights, "reason": self.reason}


def backup_dir(folder: Path) -> Path:
    return folder / BACKUP_DIR


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)


def copy_database(source: Path | sqlite3.Connection, target: Path) -> None:
    """A consistent, self-contained copy of ``source`` (a path or an open connection) at
    ``target``, written under a temporary name and renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.part")
    temp.unlink(missing_ok=True)
    own = not isinstance(source, sqlite3.Connection)
    src = source if isinstance(source, sqlite3.Connection) else _connect_readonly(source)
    try:
        dst = sqlite3.connect(temp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            dst.commit()
        finally:
            dst.close()
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        if own:
            src.close()


def _counts(path: Path) -> tuple[int | None, int | None]:
    try:
        conn = _connect_readonly(path)
        try:
            docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            hls = conn.execute("SELECT count(*) FROM highlights").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None, None
    return int(docs), int(hls)


def describe(path: Path) -> BackupInfo:
    """What ``path`` holds; its time from the name when it is one of ours, else the file's."""
    stat = path.stat()
    match = _NAME.fullmatch(path.name)
    if match:
        created = datetime.strptime(match.group(1), _STAMP)
        reason = match.group(3)
    else:
        created = datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
        reason = "copy"
    docs, hls = _counts(path)
    return BackupInfo(path, created, stat.st_size, docs, hls, reason)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The project's backups, newest first."""
    where = backup_dir(folder)
    if not where.is_dir():
        return []
    found = [describe(p) for p in where.glob("project-*.sqlite") if _NAME.fullmatch(p.name)]
    return sorted(found, key=_age_key, reverse=True)


def _age_key(info: BackupInfo) -> tuple[datetime, int]:
    """Creation second, then the sequence number of copies made within that second."""
    match = _NAME.fullmatch(info.name)
    return info.created, int(match.group(2) or 1) if match else 0


def _new_name(folder: Path, reason: str, when: datetime) -> Path:
    """A name after every backup made in the same second (its sequence number orders them,
    so a name freed by rotation is never reused for a newer copy)."""
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
    where = backup_dir(folder)
    stamp = when.strftime(_STAMP)
    same_second = [int(m.group(2) or 1) for m in (
        _NAME.fullmatch(p.name) for p in where.glob(f"project-{stamp}-*.sqlite")) if m] \
        if where.is_dir() else []
    if not same_second:
        return where / f"project-{stamp}-{slug}.sqlite"
    return where / f"project-{stamp}-{max(same_second) + 1}-{slug}.sqlite"


def create_backup(
    folder: Path,
    *,
    reason: str = "manual",
    target: Path | None = None,
    keep: int | None = DEFAULT_KEEP,
    source: sqlite3.Connection | None = None,
) -> BackupInfo:
    """Copy the project's database into ``backups/`` (or to ``target``), then keep only the
    newest ``keep`` copies there (None: keep all)."""
    db = folder / DB_NAME
    if not db.exists():
        raise ProjectError(f"no database to back up at {db}")
    if target is not None and target.is_dir():
        target = target / _new_name(folder, reason, datetime.now()).name
    path = target if target is not None else _new_name(folder, reason, datetime.now())
    try:
        copy_database(source if source is not None else db, path)
    except (sqlite3.Error, OSError) as exc:
        raise ProjectError(f"could not write the backup {path}: {exc}") from exc
    log.info("backed up %s to %s", db, path)
    if target is None and keep is not None:
        prune(folder, keep, protect=path)
    return describe(path)


def prune(folder: Path, keep: int, protect: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``backups/`` (never ``protect``, the copy
    just made, which may share its second with another)."""
    removed = []
    found = [b for b in list_backups(folder) if b.path != protect]
    for old in found[max(0, keep - (protect is not None)):]:
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError as exc:
            log.warning("could not remove the old backup %s: %s", old.path, exc)
    return removed


def newest_time(folder: Path) -> datetime | None:
    """When the newest backup was made, from names alone (no database is opened)."""
    where = backup_dir(folder)
    if not where.is_dir():
        return None
    times = [datetime.strptime(m.group(1), _STAMP)
             for m in (_NAME.fullmatch(p.name) for p in where.iterdir()) if m]
    return max(times, default=None)


def due(folder: Path, interval: timedelta, now: datetime | None = None) -> bool:
    newest = newest_time(folder)
    return newest is None or (now or datetime.now()) - newest >= interval


def resolve(folder: Path, name_or_path: str) -> Path:
    """A backup given by a path or by a name ``annotator backups`` printed."""
    candidate = Path(name_or_path).expanduser()
    for path in (candidate, backup_dir(folder) / name_or_path):
        if path.is_file():
            return path
    raise InvalidInput(
        f"no backup {name_or_path!r} (neither a file nor a name in {backup_dir(folder)}; "
        "`annotator backups` lists them)"
    )


def verify_copy(path: Path) -> str | None:
    """None when ``path`` is an intact Annotator database, else what is wrong with it."""
    try:
        conn = _connect_readonly(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                return f"it is damaged ({result[0] if result else 'no answer'})"
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"it is not a readable database ({exc})"
    if not OUR_TABLES | {"alembic_version"} <= tables:
        return "it is not an Annotator project database"
    return None


def restore_into(folder: Path, backup: Path) -> None:
    """Replace the content of the project's database by ``backup``'s, through SQLite (so the
    live database's WAL is dealt with properly). The caller holds the project lock, has closed
    every connection of its own and made a ``before-restore`` backup."""
    problem = verify_copy(backup)
    if problem is not None:
        raise InvalidInput(f"cannot restore {backup}: {problem}")
    db = folder / DB_NAME
    src = _connect_readonly(backup)
    try:
        dst = sqlite3.connect(db)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    except (sqlite3.Error, OSError) as exc:
        raise ProjectError(f"could not restore {backup} into {db}: {exc}") from exc
    finally:
        src.close()


def restore(
    folder: Path,
    name_or_path: str | Path,
    *,
    lock_wait: float = 0.0,
    on_lock_wait: Callable[[int | None], None] | None = None,
) -> tuple[BackupInfo, BackupInfo]:
    """Put the backup ``name_or_path`` back as the project's database, after copying the
    current database aside (``before-restore``, never pruned by this). The project must not be
    open for writing anywhere (its lock is taken here). Returns (what was restored, the copy of
    what it replaced). The search index is left for the next writer to rebuild."""
    source = resolve(folder, str(name_or_path))
    problem = verify_copy(source)
    if problem is not None:
        raise InvalidInput(f"cannot restore {source}: {problem}")
    restored = describe(source)
    lock = ProjectLock(folder)
    lock.acquire(wait=lock_wait, on_wait=on_lock_wait)
    try:
        db = folder / DB_NAME
        damaged = verify_copy(db) is not None
        safety = _copy_as_is(folder) if damaged else create_backup(
            folder, reason="before-restore", keep=None)
        if damaged:  # SQLite cannot write into it: start the file afresh
            for path in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
        restore_into(folder, source)
    finally:
        lock.release()
    return restored, safety


def _copy_as_is(folder: Path) -> BackupInfo:
    """A damaged database cannot be read through SQLite: keep its bytes (and its log) as they
    are, so nothing is lost by the restore."""
    db = folder / DB_NAME
    target = _new_name(folder, "before-restore-damaged", datetime.now())
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copy2(db, target)
        wal = db.with_name(db.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, target.with_name(target.name + "-wal"))
    except OSError as exc:
        raise ProjectError(f"could not copy the damaged {db} aside before restoring: {exc}") from exc
    return describe(target)


def keep_count(library: BackupHost) -> int:
    value = library.meta_value(KEEP_META_KEY)
    try:
        return max(1, int(value)) if value is not None else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def backup_before_bulk_operation(library: BackupHost, what: str) -> BackupInfo | None:
    """Call before an operation that changes much at once (a REFI-QDA import, deleting many
    documents, merging tags): a copy of the project as it was, unless one was made in the last
    ``BULK_INTERVAL``. Returns the copy made, or None. A failure to copy is logged and does not
    stop the operation (the user asked for it; the daily copies still stand)."""
    if library.readonly or not due(library.folder, BULK_INTERVAL):
        return None
    try:
        return library.backup(reason=f"before-{what}")
    except ProjectError:
        log.exception("no backup before %s", what)
        return None
