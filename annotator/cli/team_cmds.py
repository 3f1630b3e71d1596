"""Team project commands: ``init --db URL DIR`` (its handler), ``publish DIR --db URL`` and
``clone --db URL DIR``. Passwords come from ``~/.pgpass`` or ``PGPASSWORD`` (libpq's own
places); none is ever written to a project folder."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from annotator.cli._common import CliError, command, holds_project, project_dir


def init_team_project(folder: Path, url: str) -> int:
    from annotator.core.library import Library
    from annotator.core.team import team_address

    address = team_address(url)
    library, created = Library.init_team(folder, address)
    with library:
        assert library.team is not None
        what = "created" if created else "connected to"
        counts = library.counts()
        print(f"{what} {library.team.describe()} at {folder} "
              f"({counts['documents']} documents, {counts['highlights']} highlights)")
    return 0


def cmd_publish(args: argparse.Namespace, _lib: None) -> int:
    from annotator.core.library import Library
    from annotator.core.team import team_address
    from annotator.core.team_setup import prepare_server

    folder = Path(args.dir).expanduser() if args.dir else project_dir(args)[0]
    if not holds_project(folder):
        raise CliError(f"no project at {folder}", 1)
    address = team_address(args.db)
    with Library.open(folder, readonly=True) as source:
        if source.team is not None:
            raise CliError(f"{folder} is already a team project ({source.team.address.server})", 1)
        session = prepare_server(address)
        with tempfile.TemporaryDirectory(prefix="annotator-publish-") as scratch, \
                Library.open_team(scratch, session=session) as target:
            summary = source.copy_into(target, reindex=False)
    print(f"published {folder} to {address.server}: {summary.line()}")
    print(f"researchers connect with: annotator init --db {address.text()} DIR")
    return 0


def cmd_clone(args: argparse.Namespace, _lib: None) -> int:
    from annotator.core.library import Library
    from annotator.core.team import open_session, team_address

    folder = Path(args.dir).expanduser()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CliError(f"{folder} is not empty; clone into a new folder", 1)
    address = team_address(args.db)
    session = open_session(address)
    with tempfile.TemporaryDirectory(prefix="annotator-clone-") as scratch, \
            Library.open_team(scratch, session=session, readonly=True) as source:
        target = Library.create(folder)
        try:
            with target:
                summary = source.copy_into(target)
        except BaseException:
            _remove_new_project(folder)
            raise
    print(f"cloned {address.server} to {folder}: {summary.line()}")
    return 0


def _remove_new_project(folder: Path) -> None:
    """A clone that failed leaves no half project behind (the folder was new or empty)."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def register(sub: Any) -> None:
    p = command(sub, "publish", cmd_publish, write=False,
                help="copy a local project to an empty PostgreSQL database as a team project")
    p.add_argument("dir", nargs="?", help="the local project (default: the --project folder)")
    p.add_argument("--db", metavar="URL", required=True,
                   help="postgresql://USER@HOST/DATABASE (password from ~/.pgpass or PGPASSWORD)")
    p.set_defaults(no_library=True)

    p = command(sub, "clone", cmd_clone, write=False,
                help="copy a team project into a new local single-user project")
    p.add_argument("--db", metavar="URL", required=True,
                   help="postgresql://USER@HOST/DATABASE of the team project")
    p.add_argument("dir", help="the new local project folder")
    p.set_defaults(no_library=True)
