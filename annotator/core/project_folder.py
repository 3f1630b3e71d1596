"""The project folder's safety checks: what is verified before the database is touched, and
what happens to files under ``sources/`` that the database does not list.

Both err towards keeping things. A project whose ``project.sqlite`` is missing, empty or some
other program's while the folder still holds originals is a restore-from-backup situation:
starting a fresh schema there, and then sweeping the "orphans" it does not list, would throw
away the researcher's whole library. So such a project is refused, and files the database
does not list are moved aside, never deleted.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from annotator.core._db.engine import SCHEMA_HEAD, make_engine, upgrade
from annotator.core._db.schema import CategoryRow, DocumentRow, MetaRow
from annotator.core._db.sqlite_file import SQLITE_HEADER, inspect_sqlite_file
from annotator.core.errors import ProjectDamaged, ProjectError
from annotator.core.models import ACTOR, TOPIC
from annotator.core.project_layout import DB_NAME, INDEX_DIR, OUR_TABLES, SOURCES_DIR
from annotator.core.project_lock import ProjectLock
from annotator.core.stale_files import sweep_stale
from annotator.core.storage_errors import describe

log = logging.getLogger(__name__)

TRASH_DIR = ".trash"  # originals of deleted documents, kept until the project is reopened
ORPHANS_DIR = "orphaned-sources"  # files found in sources/ that no document lists



def open_database(
    folder: Path, *, readonly: bool, create: bool, lock_wait: float = 0.0,
    on_lock_wait: Callable[[int | None], None] | None = None,
) -> tuple[Engine, ProjectLock | None]:
    """The checked, upgraded database of the project in ``folder`` and, for a writer, the
    project lock it holds (released again if anything here fails)."""
    db_path = folder / DB_NAME
    if not db_path.exists():
        if create and not readonly:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.exists():
            raise ProjectError(f"no project at {folder} (folder does not exist)")
        else:
            raise ProjectError(f"{folder} is not an Annotator project (no {DB_NAME})")
    lock = None
    if not readonly:
        lock = ProjectLock(folder)
        lock.acquire(wait=lock_wait, on_wait=on_lock_wait)
    with released_on_error(folder, None, lock):
        if db_path.exists():
            check_database(folder, readonly=readonly)
        else:
            check_new_database(folder)
        engine = make_engine(db_path, readonly=readonly)
        with released_on_error(folder, engine, None):
            if not readonly:
                upgrade(engine, db_path)
    return engine, lock


@contextmanager
def released_on_error(folder: Path, engine: Engine | None, lock: ProjectLock | None) -> Iterator[None]:
    """On any failure inside: let go of the engine and the lock; SQLite's own complaints
    become a ProjectError naming the file."""
    try:
        yield
    except BaseException as exc:
        if engine is not None:
            engine.dispose()
        if lock is not None:
            lock.release()
        if isinstance(exc, (DatabaseError, OSError, UnicodeDecodeError)):
            better = describe(exc, folder)
            if better is not None and not isinstance(better, ProjectDamaged):
                raise better from exc
        if isinstance(exc, DatabaseError):
            raise ProjectError(
                f"{folder / DB_NAME} is damaged or not a database: {exc.orig}"
            ) from exc
        raise


def prepare_project(folder: Path, engine: Engine) -> list[Path]:
    """A writer's first steps: the built-in categories of a new project, then the sweep of
    ``sources/`` (see ``sweep_sources``). Returns the files moved aside."""
    with Session(engine) as s, s.begin():
        if not s.scalar(select(func.count()).select_from(CategoryRow)):
            s.add_all(
                [
                    CategoryRow(name=ACTOR, label="Actors", position=0),
                    CategoryRow(name=TOPIC, label="Topics", position=1),
                ]
            )
            s.add(MetaRow(key="generation", value="0"))
            s.add(MetaRow(key="created", value=datetime.now().isoformat(timespec="seconds")))
    sweep_stale(folder)
    return sweep_sources(folder, lambda: _stored_files(engine))


def _stored_files(engine: Engine) -> set[str]:
    """Every document's ``stored_file``, read without the ORM: 20,000 names through a
    Session took a tenth of a large project's start."""
    with engine.connect() as c:
        return set(c.scalars(select(DocumentRow.stored_file)
                             .where(DocumentRow.stored_file.is_not(None))))


def check_database(folder: Path, *, readonly: bool) -> None:
    """Refuse, with the file's name and the reason, a ``project.sqlite`` that is not a
    database, is damaged, belongs to another program or to a newer Annotator, or is empty while
    the folder holds a library. Reads only; never changes the file."""
    db_path = folder / DB_NAME
    try:
        with db_path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise ProjectError(f"cannot read {db_path}: {exc.strerror}") from exc
    if not head:
        _refuse_new_database(folder, "is empty (0 bytes)")
        if readonly:
            raise ProjectError(f"{db_path} is empty; open the project for writing once to set it up")
        return
    if head != SQLITE_HEADER:
        raise ProjectError(f"{db_path} is damaged or not a database (bad header)")
    tables, revision = inspect_sqlite_file(db_path)
    if revision is None and not tables - {"alembic_version"}:
        _refuse_new_database(folder, "holds no tables")
        if readonly:
            raise ProjectError(f"{db_path} is empty; open the project for writing once to set it up")
        return
    if "alembic_version" not in tables or not OUR_TABLES <= tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise ProjectError(
            f"{db_path} is not an Annotator database (it holds other tables: {shown}); "
            "refusing to change it"
        )
    if revision == SCHEMA_HEAD:
        return
    if revision is None or not _known_revision(revision):
        raise ProjectError(
            f"{db_path} was made by a newer version of Annotator (schema {revision}, this "
            f"version knows up to {SCHEMA_HEAD}); open it with that version or a newer one"
        )
    if readonly:
        raise ProjectError(f"{db_path} needs an upgrade; open it for writing once to upgrade it")


def check_new_database(folder: Path) -> None:
    """Before a missing ``project.sqlite`` is created: refuse if the folder holds a library."""
    _refuse_new_database(folder, "is missing")


def _refuse_new_database(folder: Path, why: str) -> None:
    sources = folder / SOURCES_DIR
    originals = sum(1 for p in sources.rglob("*") if p.is_file()) if sources.is_dir() else 0
    index = folder / INDEX_DIR
    has_index = index.is_dir() and any(p.is_file() for p in index.iterdir())
    held = [f"{originals} source file{'s' if originals != 1 else ''}"] if originals else []
    if has_index:
        held.append("a search index")
    if held:
        raise ProjectError(
            f"{folder / DB_NAME} {why} but the project holds {' and '.join(held)}: refusing to "
            f"start a new database over them (restore {DB_NAME} from a backup, or move "
            f"{SOURCES_DIR}/ and {INDEX_DIR}/ away to start afresh)"
        )


def _known_revision(revision: str) -> bool:
    # Only reached when the schema is not at head, so Alembic's import cost is paid only by
    # projects that need an upgrade (or cannot have one).
    from alembic.script import ScriptDirectory

    from annotator.core._db.engine import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return revision in {r.revision for r in script.walk_revisions()}


def sweep_sources(folder: Path, known_files: Callable[[], set[str]]) -> list[Path]:
    """Empty the trash of documents deleted in an earlier session (undo does not outlive it),
    and move every file in ``sources/`` that no document lists (``known_files()`` gives the
    ``stored_file`` values, read only when ``sources/`` holds a file) into
    ``orphaned-sources/``. Returns where the moved files went.

    Moved, not deleted: a file the database does not list is usually a copy left by an import
    killed before its commit, but it is also what every original looks like when the database
    was restored from an older backup or swapped for another one, and nothing in the file
    tells these apart."""
    sources = folder / SOURCES_DIR
    shutil.rmtree(sources / TRASH_DIR, ignore_errors=True)
    if not sources.is_dir():
        return []
    moved: list[Path] = []
    files = sorted(p for p in sources.iterdir() if p.is_file())
    known = known_files() if files else set()
    for path in files:
        if f"{SOURCES_DIR}/{path.name}" in known:
            continue
        target = _free_name(folder / ORPHANS_DIR, path.name)
        target.parent.mkdir(exist_ok=True)
        path.replace(target)
        log.info("%s is not listed in the database; moved it to %s", path, target)
        moved.append(target)
    return moved


def orphans_note(moved: list[Path]) -> str | None:
    """What to tell the user about files ``sweep_sources`` moved aside, if any."""
    if not moved:
        return None
    files = "file" if len(moved) == 1 else "files"
    return (f"{len(moved)} {files} in {SOURCES_DIR}/ that no document lists moved to "
            f"{moved[0].parent}")


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target
