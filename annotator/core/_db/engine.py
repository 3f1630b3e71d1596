"""Opening the SQLite database: pragmas on every connection, schema upgrades via Alembic."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from annotator.core._db import row_digests

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = "annotator.core._db:migrations"
# The newest migration's id. Kept here so opening an up-to-date project never imports Alembic
# (a third of a second at every CLI call); tests/core/test_migrations.py checks it is the head.
SCHEMA_HEAD = "i14_checksums"


# FULL: SQLite syncs the write-ahead log at every commit, so a highlight confirmed on screen
# survives a power cut or an OS crash, not only a killed app. Measured (bench/durability_bench.py,
# docs/reliability.md) it adds about a millisecond to a tag on this machine's disk.
# ANNOTATOR_SQLITE_SYNCHRONOUS=NORMAL is for the benchmark's comparison only.
SYNCHRONOUS = "NORMAL" if os.environ.get("ANNOTATOR_SQLITE_SYNCHRONOUS") == "NORMAL" else "FULL"


def make_engine(db_path: Path, *, readonly: bool = False) -> Engine:
    if readonly:
        url = f"sqlite:///file:{db_path.as_posix()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{db_path.as_posix()}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Foreign keys are off unless set on every connection (STACK.md).
        cur = dbapi_conn.cursor()
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.close()
        row_digests.register(dbapi_conn)

    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, db_path: Path, revision: str = "head") -> None:
    """Bring the schema to ``revision``. An existing project is copied aside first, so a failed
    migration never costs the researcher their work."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD and revision == "head":
        return  # before importing Alembic: that import alone costs half a second
    from alembic import command

    if current is not None and db_path.exists():
        from annotator.core.backups import create_backup

        create_backup(db_path.parent, reason="before-upgrade", keep=None)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def copy_database(db_path: Path, target: Path) -> None:
    shutil.copy2(db_path, target)


def driver_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under ``session``'s transaction (checksums, backups)."""
    return cast(sqlite3.Connection, session.connection().connection.driver_connection)
