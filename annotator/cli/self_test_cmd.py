"""``annotator self-test``: check this installation end to end in a temporary project (see
``annotator.self_test``); exit 0 only if every step passed."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_self_test(args: argparse.Namespace) -> int:
    from annotator.self_test import run_self_test

    return run_self_test(window=not args.no_window)


def register(sub: Any) -> None:
    help_text = ("check this installation: import one sample of each format, tag, search, "
                 "export and open the window offscreen, in a temporary project")
    parser = sub.add_parser("self-test", help=help_text, description=help_text)
    parser.add_argument("--no-window", action="store_true",
                        help="leave out the window step (a machine without Qt's system libraries)")
    parser.set_defaults(handler=lambda args, _lib: cmd_self_test(args), write=False, no_library=True)
