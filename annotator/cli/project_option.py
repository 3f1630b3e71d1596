"""The ``-p/--project DIR`` option and the folder it names, shared by ``annotator`` and
``annotator-gui`` so both pick a project the same way. Qt-free and quick to import: both
entry points parse their arguments before loading Qt or the database."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator import __version__
from annotator.paths import project_from_env

PROJECT_HELP = "project folder (default: $ANNOTATOR_PROJECT, else one in your user data folder)"


def add_project_option(
    parser: argparse.ArgumentParser, *, default: object = None, help: str = PROJECT_HELP
) -> None:
    parser.add_argument("-p", "--project", metavar="DIR", default=default, help=help)


def add_project_option_to_commands(parser: argparse.ArgumentParser) -> None:
    """Let ``-p DIR`` also follow a command name (``annotator docs -p X``). The commands' copy
    defaults to SUPPRESS, so when it is not given the value parsed before the command stays."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                add_project_option(sub, default=argparse.SUPPRESS)
                add_project_option_to_commands(sub)


def explicit_project(value: str | os.PathLike[str] | None) -> Path | None:
    """The folder named by ``-p`` or, failing that, by ``$ANNOTATOR_PROJECT``; None when
    neither names one (an empty variable counts as unset)."""
    return Path(value).expanduser() if value else project_from_env()


PATHS_HELP = ("a project folder to open, or files to import into the project (after asking); "
              "what a file manager passes when files are opened with Annotator")


def add_gui_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator-gui",
        description="Open the Annotator desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    add_project_option(parser, help="project folder (default: $ANNOTATOR_PROJECT, else the "
                       "project opened last, else the sample project)")
    add_gui_paths(parser)
    return parser


@dataclass(frozen=True)
class GuiRequest:
    """What the app is asked to open: a project (None: its own choice) and files to import."""

    project: Path | None = None
    files: tuple[Path, ...] = field(default=())


def is_project_path(path: Path) -> bool:
    """A folder, or a new ``NAME.annotator`` to create, is a project; anything else is a file
    to import (one that does not exist is named as such by the import)."""
    return path.is_dir() or (path.suffix == ".annotator" and not path.exists())


def gui_request(project: str | os.PathLike[str] | None, paths: Sequence[str]) -> GuiRequest:
    """``-p DIR`` and the positional paths as a request. A positional project folder stands
    for ``-p``; ``-p`` wins if both are given. Raises ValueError for two project folders."""
    given = [Path(p).expanduser() for p in paths]
    folders = [p for p in given if is_project_path(p)]
    files = tuple(p.absolute() for p in given if not is_project_path(p))
    if len(folders) > 1:
        raise ValueError("give one project folder at a time: " + ", ".join(str(f) for f in folders))
    named = project or (folders[0] if folders else None)
    return GuiRequest(explicit_project(named), files)


def parse_gui_arguments(argv: Sequence[str]) -> GuiRequest:
    """What ``annotator-gui ARGS`` asks for. ``--help``, ``--version`` and bad arguments exit."""
    parser = gui_parser()
    args = parser.parse_args(list(argv))
    try:
        return gui_request(args.project, args.paths)
    except ValueError as exc:
        parser.error(str(exc))


def gui_project(argv: Sequence[str]) -> Path | None:
    """The project ``annotator-gui ARGS`` asks for, or None for the app's own choice (the
    last project, else the sample). ``--help``, ``--version`` and bad arguments exit."""
    return parse_gui_arguments(argv).project
