"""Setting a client up for a team project: ``annotator init --db URL DIR`` and the app's
New/Connect to Team Project. One call does both: an empty database gets a new project, a
database that already holds one is connected to (a second researcher's set-up)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine

from annotator.core._db import postgres_roles
from annotator.core.errors import ProjectError
from annotator.core.project_folder import DB_NAME, INDEX_DIR, prepare_project
from annotator.core.project_identity import store_new_identity
from annotator.core.team import (
    EMPTY,
    OTHER,
    TEAM_FILE,
    TeamAddress,
    TeamSession,
    bring_schema_to_head,
    connect,
    database_state,
    is_team_folder,
    read_team_file,
    write_team_file,
)


def prepare_project_rows(engine: Engine) -> None:
    """A new team project's built-in categories, generation and identity."""
    with tempfile.TemporaryDirectory() as nowhere:  # no local folder to sweep
        prepare_project(Path(nowhere), engine)
    store_new_identity(engine)


def check_team_folder(folder: Path, address: TeamAddress) -> None:
    """Refuse a folder that holds a local project, another team project, or anything else."""
    if (folder / DB_NAME).exists():
        raise ProjectError(f"{folder} already holds a local project; copy it to the server with "
                           f"`annotator publish {folder} --db URL`")
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"{folder} is a file, not a folder")
    if is_team_folder(folder) and read_team_file(folder).text() != address.text():
        raise ProjectError(f"{folder} is already connected to another team project "
                           f"({read_team_file(folder).server})")
    if folder.is_dir():
        others = [p.name for p in folder.iterdir() if p.name not in (TEAM_FILE, INDEX_DIR)]
        if others:
            raise ProjectError(f"{folder} is not empty (it holds {', '.join(sorted(others)[:3])}); "
                               "choose a new folder for the team project")


def set_up_team(folder: Path | str, address: TeamAddress, *,
                create: bool = True) -> tuple[TeamSession, bool]:
    """Create the team project in ``address``'s database (unless ``create`` is False), or
    connect to the one it holds; ``folder`` becomes this client's folder for it (``team.json``
    and ``index/``). Returns the connected session and whether the project was created.
    Nothing is written to ``folder`` until the server has said yes. ``Library.init_team``
    opens the result."""
    folder = Path(folder).expanduser()
    check_team_folder(folder, address)
    session, created = _set_up_server(
        address, create=create, other="not an Annotator team project; give an empty database")
    try:
        write_team_file(folder, address)
        (folder / INDEX_DIR).mkdir(exist_ok=True)
    except BaseException:
        session.engine.dispose()
        raise
    return session, created


def prepare_server(address: TeamAddress) -> TeamSession:
    """The database ``annotator publish`` copies into: empty, or a team project that holds
    nothing yet; brought to the current schema."""
    return _set_up_server(address, create=True, other="publish into an empty database")[0]


def _set_up_server(address: TeamAddress, *, create: bool, other: str) -> tuple[TeamSession, bool]:
    """Connected, with the current schema (a new project's first rows in an empty database);
    also whether the project was created here."""
    engine = connect(address)
    try:
        with engine.connect() as conn:
            state = database_state(conn)
        if state == OTHER:
            raise ProjectError(f"the database {address.server} holds other tables, {other}")
        if state == EMPTY and not create:
            raise ProjectError(f"the database {address.server} holds no team project yet "
                               "(File › New Team Project… creates one there)")
        bring_schema_to_head(engine, address)
        if state == EMPTY:
            prepare_project_rows(engine)
        with engine.connect() as conn:
            session = TeamSession(engine, address, postgres_roles.current_user(conn),
                                  postgres_roles.may_write(conn))
    except BaseException:
        engine.dispose()
        raise
    return session, state == EMPTY
