"""Opening the project database (its dialect's settings in ``dialect``), schema upgrades via Alembic."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Engine, column, create_engine, inspect, select, table
from sqlalchemy.orm import Session

from annotator.core._db.dialect import is_sqlite, set_sqlite_pragmas
from annotator.core._db.schema import Base, use_dialect
from annotator.core._db.schema_head import SCHEMA_HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = "annotator.core._db:migrations"


def make_engine(db_path: Path, *, readonly: bool = False) -> Engine:
    if readonly:
        url = f"sqlite:///file:{db_path.as_posix()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{db_path.as_posix()}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    set_sqlite_pragmas(engine, readonly=readonly)
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
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(select(column("version_num")).select_from(table("alembic_version"))).scalar()


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


_SERVER_CONNECT = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10,
                   "keepalives_interval": 5, "keepalives_count": 2, "tcp_user_timeout": 15000}


def engine_for_url(url: str) -> Engine:
    """An engine for a database named by URL (``sqlite:///…``, ``postgresql+psycopg://…``),
    with its dialect's connection settings: the seam a second backend plugs into."""
    # A server can restart under an open project: a pooled connection is tested before use, so
    # the first write after it comes back does not fail on a dead connection.
    # A server that does not answer is reported after 5 s, not after the system's TCP timeout;
    # a connection whose network went away without a word (Wi-Fi lost, a laptop's lid) fails
    # within ~20 s (TCP keepalives; unacknowledged data after 15 s) instead of ~15 minutes.
    server = not url.startswith("sqlite")
    engine = create_engine(url, pool_pre_ping=server, connect_args=_SERVER_CONNECT if server else {})
    use_dialect(engine.dialect.name)
    if is_sqlite(engine):
        set_sqlite_pragmas(engine, readonly=False)
    return engine


def create_schema(engine: Engine) -> None:
    """The current schema in an empty database that Alembic has not managed (a second backend
    under test); project files go through ``upgrade``."""
    use_dialect(engine.dialect.name)
    Base.metadata.create_all(engine)


def driver_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under ``session``'s transaction (checksums, backups)."""
    return cast(sqlite3.Connection, session.connection().connection.driver_connection)
