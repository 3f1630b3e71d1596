"""The command-line face of Annotator: ``annotator [-p DIR] COMMAND``.

Commands, options and ``--json`` shapes are a public contract (README "Command line"): extend
them, never rename or drop them. Each command group lives in its own module with a
``register(subparsers)`` function; this module only wires them and maps errors to exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Sequence

from annotator import __version__, settled
from annotator.cli._common import (
    CliError,
    run_command,
    tolerate_unencodable_output,
    unexpected_failure,
)
from annotator.cli.project_option import add_project_option, add_project_option_to_commands
from annotator.core.errors import AnnotatorError, InvalidQuery

COMMAND_MODULES = (
    "annotator.cli.project_cmds",
    "annotator.cli.import_cmd",
    "annotator.cli.search_cmds",
    "annotator.cli.gui_cmd",
    "annotator.cli.export_cmd",
    "annotator.cli.report_cmds",
    "annotator.cli.self_test_cmd",
    "annotator.cli.backup_cmds",
    "annotator.cli.coder_cmds",
    "annotator.cli.adjudicate_cmd",
    "annotator.cli.team_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Read, highlight, tag, search and export passages from saved articles.",
        epilog="Without a command, the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    add_project_option(parser)
    parser.add_argument(
        "--debug",
        action="store_true",
        help="log everything, with tracebacks, on stderr (also: ANNOTATOR_DEBUG=1)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    add_project_option_to_commands(parser)
    return parser


class _OneLine(logging.Formatter):
    """Errors as one line each: a command's own message already says what went wrong."""

    def format(self, record: logging.LogRecord) -> str:
        return "annotator: " + record.getMessage().splitlines()[0]


def _configure_logging(debug: bool) -> None:
    """The core logs for the app's log file; on a terminal only errors are shown, without
    tracebacks, unless --debug or ANNOTATOR_DEBUG asks for everything."""
    handler = logging.StreamHandler(sys.stderr)
    if debug:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(_OneLine())
    logging.basicConfig(level=logging.DEBUG if debug else logging.ERROR, handlers=[handler])


def _stop_on_terminate() -> None:
    """A plain ``kill`` ends a command the way Ctrl+C does: transactions roll back, a rebuild's
    workers and scratch folder are cleaned up, the project lock is released."""

    def terminate(_signum: int, _frame: object) -> None:
        raise SystemExit(143)

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, terminate)


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_unencodable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from annotator.cli.gui_cmd import run_gui

        return run_gui(args)
    debug = args.debug or os.environ.get("ANNOTATOR_DEBUG", "") not in ("", "0")
    if args.command != "gui":  # the app keeps its own log and settles once its window is up
        settled()  # the command's own work runs with Python's usual collector thresholds
        _configure_logging(debug)
        _stop_on_terminate()
    try:
        return run_command(args)
    except InvalidQuery as exc:
        print(f"annotator: invalid query: {exc}", file=sys.stderr)
        return 2
    except CliError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return exc.exit_code
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        logging.getLogger("annotator").debug("unexpected failure", exc_info=True)
        print(f"annotator: {unexpected_failure(exc, args)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
