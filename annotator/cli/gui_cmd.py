"""``annotator gui``: open the desktop app (also what ``annotator`` alone does)."""

from __future__ import annotations

import argparse
from typing import Any


def run_gui(args: argparse.Namespace) -> int:
    from annotator.app import run

    return run(args.project)


def register(sub: Any) -> None:
    parser = sub.add_parser("gui", help="open the desktop app", description="open the desktop app")
    parser.set_defaults(handler=lambda args, _lib: run_gui(args), write=False, no_library=True)
