"""``annotator gui [PATH...]``: open the desktop app (also what ``annotator`` alone does);
files named are imported into the project after asking."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli._common import CliError
from annotator.cli.project_option import add_gui_paths, gui_request


def run_gui(args: argparse.Namespace) -> int:
    from annotator.app import run

    try:
        request = gui_request(args.project, getattr(args, "paths", []))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return run(request.project, files=request.files)


def register(sub: Any) -> None:
    parser = sub.add_parser("gui", help="open the desktop app", description="open the desktop app")
    add_gui_paths(parser)
    parser.set_defaults(handler=lambda args, _lib: run_gui(args), write=False, no_library=True)
