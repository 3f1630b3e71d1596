"""A team project: the project's database on a PostgreSQL server the group already runs, and
on each researcher's machine a folder holding only ``team.json`` (where the server is, never a
password) and ``index/`` (this client's search index, a cache rebuilt from the server).

Credentials come from where libpq looks for them (``~/.pgpass``, ``PGPASSWORD`` and the other
``PG*`` variables) or, in the app, from a prompt; a password typed there is kept in this
process's memory only (``remember_password``) and never written anywhere.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from annotator.core._db import postgres_roles
from annotator.core._db.engine import SCHEMA_HEAD, alembic_config
from annotator.core.errors import ProjectError
from annotator.core.project_layout import OUR_TABLES, TEAM_FILE

FORMAT = 1
DRIVER = "postgresql+psycopg"
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# Seconds before an unreachable server is reported instead of waited for.
CONNECT_TIMEOUT = 10

_passwords: dict[str, str] = {}


class TeamConnectionFailed(ProjectError):
    """The server could not be reached or refused this client; the message names the server."""


class PasswordNeeded(TeamConnectionFailed):
    """The server wants a password that libpq did not find, or the one given was wrong."""


@dataclass(frozen=True)
class TeamAddress:
    """Where a team project lives: a ``postgresql+psycopg://USER@HOST:PORT/DB`` URL without
    its password."""

    url: URL

    @property
    def host(self) -> str:
        return self.url.host or "localhost"

    @property
    def port(self) -> int:
        return self.url.port or 5432

    @property
    def database(self) -> str:
        return self.url.database or ""

    @property
    def user(self) -> str:
        return self.url.username or ""

    @property
    def server(self) -> str:
        """``HOST/DB`` as a researcher names it (the port only when it is not the default)."""
        port = f":{self.port}" if self.port != 5432 else ""
        return f"{self.host}{port}/{self.database}"

    def text(self) -> str:
        """The URL as stored in ``team.json``: no password, ever."""
        return self.url.render_as_string(hide_password=False)

    def __str__(self) -> str:
        return self.text()


def team_address(value: str, *, password: str | None = None) -> TeamAddress:
    """A URL as a researcher types it (``postgresql://user@host/db``, ``postgres://…`` or
    ``postgresql+psycopg://…``) in its stored form. A password in it is remembered for this
    process and dropped from the address."""
    try:
        url = make_url(value.strip())
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise ProjectError(f"not a database URL: {value!r} (want postgresql://USER@HOST/DATABASE)") from exc
    if url.drivername not in _SCHEMES:
        raise ProjectError(f"not a PostgreSQL URL: {value!r} (want postgresql://USER@HOST/DATABASE)")
    if not url.database:
        raise ProjectError(f"{value!r} names no database (want postgresql://USER@HOST/DATABASE)")
    user = url.username or os.environ.get("PGUSER") or _login_name()
    typed = password if password is not None else url.password
    clean = URL.create(DRIVER, username=user, host=url.host or os.environ.get("PGHOST") or "localhost",
                       port=url.port or int(os.environ.get("PGPORT") or 5432),
                       database=url.database, query=url.query)
    address = TeamAddress(clean)
    if typed:
        remember_password(address, str(typed))
    return address


def _login_name() -> str:
    from getpass import getuser

    try:
        return getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): libpq would fail the same way
        return "postgres"


def remember_password(address: TeamAddress, password: str) -> None:
    """Keep a password typed into a prompt for this process's later connections."""
    _passwords[address.text()] = password


def forget_password(address: TeamAddress) -> None:
    _passwords.pop(address.text(), None)


# ----------------------------------------------------------------- the folder's connection file
def is_team_folder(folder: Path) -> bool:
    return (folder / TEAM_FILE).is_file()


def read_team_file(folder: Path) -> TeamAddress:
    path = folder / TEAM_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProjectError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise ProjectError(f"{path} is not a team project file (no \"url\")")
    if data.get("format", FORMAT) > FORMAT:
        raise ProjectError(f"{path} was written by a newer version of Annotator")
    return team_address(data["url"])


def write_team_file(folder: Path, address: TeamAddress) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"format": FORMAT, "url": address.text()}, indent=2) + "\n"
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".team-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temp, folder / TEAM_FILE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ----------------------------------------------------------------- connecting
def connect(address: TeamAddress) -> Engine:
    """An engine on the team database, after one successful connection (so a wrong password
    or an unreachable server is said here, in one line naming the server)."""
    url = address.url
    password = _passwords.get(address.text())
    if password is not None:
        url = url.set(password=password)
    engine = create_engine(
        url, pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "annotator"},
    )
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise connection_error(address, exc) from exc
    return engine


def connection_error(address: TeamAddress, exc: BaseException) -> TeamConnectionFailed:
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    reason = next((line.split("FATAL:", 1)[1].strip() for line in lines if "FATAL:" in line), None)
    if reason is None:
        reason = lines[0] if lines else type(orig).__name__
        reason = reason.rsplit(" failed: ", 1)[-1]
    where = f"{address.host}:{address.port}/{address.database} as {address.user}"
    low = reason.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return PasswordNeeded(f"cannot log in to the team project server {where}: "
                              + ("wrong password" if "failed" in low else "a password is needed"))
    return TeamConnectionFailed(f"cannot connect to the team project server {where}: {reason}")


# ----------------------------------------------------------------- what the database holds
EMPTY, TEAM, OTHER = "empty", "team", "other"


def database_state(conn: Connection) -> str:
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return EMPTY
    if "alembic_version" in tables and OUR_TABLES <= tables:
        return TEAM
    return OTHER


def bring_schema_to_head(engine: Engine, address: TeamAddress) -> None:
    """Create the schema in an empty database or upgrade an older one; two clients doing so
    at once take turns on a server-side lock, and the second finds nothing left to do."""
    from annotator.core._db.engine import current_revision

    if current_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    with engine.begin() as conn:
        postgres_roles.lock_for_upgrade(conn)
        state = database_state(conn)
        if state == OTHER:
            raise ProjectError(f"the database {address.server} holds other tables, not an "
                               "Annotator team project; refusing to change it")
        known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
        revision = _revision(conn)
        if revision is not None and revision not in known:
            raise ProjectError(f"the team project on {address.server} was made by a newer "
                               f"version of Annotator (schema {revision}); update Annotator")
        if not postgres_roles.may_create_tables(conn):
            what = "set up" if state == EMPTY else "upgrade"
            raise ProjectError(f"{address.user} may not create tables in {address.server}, so "
                               f"cannot {what} the team project there (ask its owner)")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None


@dataclass(frozen=True)
class TeamSession:
    """A connected team project: the engine, where it is, who this client is there, and
    whether that role may write."""

    engine: Engine
    address: TeamAddress
    user: str
    writable: bool

    def describe(self) -> str:
        """"team project on HOST/DB as USER" (the window title and status bar say this)."""
        access = "" if self.writable else ", read-only"
        return f"team project on {self.address.server} as {self.user}{access}"


def open_session(address: TeamAddress) -> TeamSession:
    """Connect to an existing team project (upgrading its schema when this role may)."""
    engine = connect(address)
    try:
        with engine.connect() as conn:
            state = database_state(conn)
            revision = _revision(conn)
        if state != TEAM:
            raise ProjectError(f"the database {address.server} holds no Annotator team project"
                               + (" (it holds other tables)" if state == OTHER else ""))
        if revision != SCHEMA_HEAD:
            bring_schema_to_head(engine, address)
        with engine.connect() as conn:
            user = postgres_roles.current_user(conn)
            writable = postgres_roles.may_write(conn)
        return TeamSession(engine, address, user, writable)
    except BaseException:
        engine.dispose()
        raise
