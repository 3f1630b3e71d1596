"""Backups, content checks and the project's own small settings: the service that keeps the
researcher's work safe, on the shared ``Store``. Thin: the work is in ``backups``,
``integrity`` and ``cloud_folders``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from annotator.core import backups, cloud_folders, integrity, team_integrity
from annotator.core._db.engine import driver_connection
from annotator.core._db.schema import MetaRow
from annotator.core.backups import BackupInfo
from annotator.core.documents import Documents
from annotator.core.errors import InvalidInput, ProjectError
from annotator.core.search import Search
from annotator.core.stale_files import sweep_stale
from annotator.core.storage_errors import translated
from annotator.core.store import Store

log = logging.getLogger(__name__)

DB_NAME = "project.sqlite"


class Safety:
    def __init__(self, store: Store, documents: Documents, search: Search) -> None:
        self._store, self._documents, self._search = store, documents, search
        self.folder = store.folder
        self.readonly = store.readonly

    # ----------------------------------------------------------------- backups (core/backups.py)
    def backup(self, target: Path | None = None, *, reason: str = "manual") -> BackupInfo:
        """A consistent copy of the database in ``backups/`` (rotated) or at ``target``."""
        if self._store.originals_in_database:
            raise ProjectError("a team project is backed up on its server (pg_dump); "
                               "`annotator clone --db URL DIR` makes a local copy")
        with self._store.raw_connection() as connection:
            return backups.create_backup(self.folder, reason=reason, target=target,
                                         keep=backups.keep_count(self), source=connection)

    def backups(self) -> list[BackupInfo]:
        """The project's backups, newest first."""
        return backups.list_backups(self.folder)

    def backup_before_bulk(self, what: str) -> BackupInfo | None:
        """See ``backups.backup_before_bulk_operation`` (REFI-QDA import, bulk deletes)."""
        return backups.backup_before_bulk_operation(self, what)

    @staticmethod
    def restore_backup(
        folder: Path | str, backup: Path | str, *, lock_wait: float = 0.0,
        on_lock_wait: Callable[[int | None], None] | None = None,
    ) -> tuple[BackupInfo, BackupInfo]:
        """Restore a backup into the closed project ``folder`` (see ``backups.restore``)."""
        return backups.restore(Path(folder).expanduser(), backup, lock_wait=lock_wait,
                               on_lock_wait=on_lock_wait)

    def backup_keep(self) -> int:
        """How many backups ``backups/`` keeps (a per-project preference, 10 by default)."""
        return backups.keep_count(self)

    def set_backup_keep(self, count: int) -> None:
        if count < 1:
            raise InvalidInput("keep at least one backup")
        self.set_meta_value(backups.KEEP_META_KEY, str(count))

    def daily_backup(self) -> None:
        if self._documents.counts()["documents"] and backups.due(self.folder, backups.DAILY):
            try:
                self.backup(reason="daily")
            except ProjectError:
                log.exception("the daily backup failed")

    # ----------------------------------------------------------------- content checks (core/integrity.py)
    def verify_content(self, *, deep: bool = False) -> integrity.ContentReport:
        """Checksums, quotes against their text, originals' bytes, leftovers (see integrity)."""
        if self._store.originals_in_database:  # a team project (core.team_integrity)
            return team_integrity.verify_team(self._store)
        conn = integrity.connect_for_check(self.folder / DB_NAME)
        try:
            with translated(self.folder, os_errors=False):
                return integrity.verify(conn, self.folder, deep=deep)
        finally:
            conn.close()

    def repair(self) -> list[str]:
        """What ``check --repair`` may fix without a backup; returns what it did."""
        done = []
        removed = sweep_stale(self.folder)
        if removed:
            done.append(f"removed {len(removed)} leftover file(s) of killed work")
        before = 0
        if not self._store.originals_in_database:  # a team project keeps no row checksums
            with self._store.write() as s:
                before = s.connection().exec_driver_sql(
                    "SELECT count(*) FROM checksum_dirty").scalar() or 0
                integrity.accept_outside_changes(driver_connection(s), self.folder)
        if before:
            done.append(f"accepted {before} row(s) changed outside Annotator")
        problem = self._search.refresh_index()
        if problem is not None:
            done.append(f"rebuilt the search index ({problem})")
        return done

    @staticmethod
    def newest_good_backup(folder: Path | str) -> Path | None:
        """The newest backup of ``folder`` that passes every content check."""
        return integrity.newest_good_backup(Path(folder).expanduser())

    def first_cloud_warning(self) -> str | None:
        service = cloud_folders.sync_service(self.folder)
        where = str(self.folder.absolute())
        if service is None or self.meta_value(cloud_folders.WARNED_META_KEY) == where:
            return None
        self.set_meta_value(cloud_folders.WARNED_META_KEY, where)
        return cloud_folders.warning_for(self.folder, service)

    def meta_value(self, key: str) -> str | None:
        with self._store.read() as s:
            row = s.get(MetaRow, key)
            return row.value if row else None

    def set_meta_value(self, key: str, value: str) -> None:
        with self._store.write() as s:
            row = s.get(MetaRow, key)
            if row is None:
                s.add(MetaRow(key=key, value=value))
            else:
                row.value = value
