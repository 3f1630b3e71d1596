"""The ``-p/--project DIR`` option and the folder it names, shared by ``annotator`` and
``annotator-gui`` so both pick a project the same way. Qt-free and quick to import: both
entry points parse their arguments before loading Qt or the database."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
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


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator-gui",
        description="Open the Annotator desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    add_project_option(parser, help="project folder (default: $ANNOTATOR_PROJECT, else the "
                       "project opened last, else the sample project)")
    # What a file manager passes when a project folder is opened with the app (%F).
    parser.add_argument("folder", nargs="?", metavar="DIR", help="the same as -p DIR")
    return parser


def gui_project(argv: Sequence[str]) -> Path | None:
    """The project ``annotator-gui ARGS`` asks for, or None for the app's own choice (the
    last project, else the sample). ``--help``, ``--version`` and bad arguments exit."""
    args = gui_parser().parse_args(list(argv))
    return explicit_project(args.project or args.folder)
