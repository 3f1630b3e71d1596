"""What every CLI command shares: finding and opening the project, JSON output, errors."""

from __future__ import annotations

import argparse
import io
import json
import re
import shlex
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli.project_option import explicit_project
from annotator.core.errors import AnnotatorError
from annotator.paths import default_project_dir

if TYPE_CHECKING:
    from annotator.core.library import Library

# The Library (SQLAlchemy, Whoosh) is imported only when a command runs, so `--help` and
# `--version` answer at once.
DB_NAME = "project.sqlite"
TEAM_FILE = "team.json"  # a team project's folder (core.team) holds this instead


def holds_project(folder: Path) -> bool:
    return (folder / DB_NAME).exists() or (folder / TEAM_FILE).is_file()

Handler = Callable[[argparse.Namespace, "Library"], int]


class CliError(AnnotatorError):
    """A usage problem found after parsing; exit code 2 like argparse's own errors."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def project_dir(args: argparse.Namespace) -> tuple[Path, bool]:
    """The project folder and whether it is the implicit default (created on first use)."""
    named = explicit_project(args.project)
    if named is not None:
        return named, False
    return default_project_dir(), True


# A second writer (a scripted `tag` loop, parallel imports) queues this long for the lock.
LOCK_WAIT_S = 5.0


def tell_waiting(pid: int | None) -> None:
    who = f" (pid {pid})" if pid else ""
    print(f"annotator: the project is in use by another window or command{who}; waiting…",
          file=sys.stderr, flush=True)


def open_library(args: argparse.Namespace, *, write: bool, wait: bool = True) -> Library:
    """The project, read-only unless ``write``. A writer waits up to ``LOCK_WAIT_S`` for
    another writer to finish (saying so after a second) unless ``wait`` is False."""
    from annotator.core.library import Library

    folder, implicit = project_dir(args)
    if implicit and not holds_project(folder):
        return Library.create(folder)
    if not holds_project(folder):
        hint = f"annotator init {shlex.quote(str(folder))}"
        raise CliError(f"no project at {folder} (create one with `{hint}`)", 1)
    if not write:
        return Library.open(folder, readonly=True)
    return Library.open(folder, lock_wait=LOCK_WAIT_S if wait else 0.0, on_lock_wait=tell_waiting)


def command(
    sub: Any,
    name: str,
    handler: Handler,
    *,
    write: bool,
    help: str,
    index: str = "refresh",
    **kwargs: Any,
) -> argparse.ArgumentParser:
    """Add a subcommand whose handler receives the opened Library (read-only unless ``write``:
    read-only commands work while the GUI has the project open). ``index`` says what is done
    about a stale search index first: "refresh" rebuilds it when the project is open for
    writing, "leave" does nothing (``reindex`` rebuilds anyway; ``check`` reports it;
    ``search`` opens the project itself and repairs it through ``_index_upkeep``)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help, **kwargs)
    parser.set_defaults(handler=handler, write=write, index_upkeep=index)
    return parser


def run_command(args: argparse.Namespace) -> int:
    from annotator.cli import _index_upkeep

    handler = args.handler
    if getattr(args, "no_library", False):
        return int(handler(args, None))
    upkeep = getattr(args, "index_upkeep", "refresh")
    with open_library(args, write=args.write) as library:
        if library.open_note:
            print(f"annotator: note: {library.open_note}", file=sys.stderr)
        if library.cloud_warning:
            print(f"annotator: warning: {library.cloud_warning}", file=sys.stderr)
        if args.write and upkeep == "refresh":
            _index_upkeep.refresh(library)
        return int(handler(args, library))


def to_jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def print_json(items: list[dict[str, Any]]) -> None:
    write_exact(json.dumps(items, ensure_ascii=False, indent=2, default=to_jsonable) + "\n")


def write_exact(text: str) -> None:
    """``text`` on stdout as UTF-8 with LF line ends, whatever the terminal's encoding or the
    platform's newline: `text` and `--json` output are read by programs, and offsets count
    the code points of exactly this text."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (tests' capture): text is all it takes
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", errors="replace"))
    buffer.flush()


def tolerate_unencodable_output() -> None:
    """Human-readable lines on a terminal that cannot show every character (an ASCII or
    Latin-1 locale) get "?" for those characters instead of a UnicodeEncodeError."""
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        sys.stdout.reconfigure(errors="replace")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (want YYYY-MM-DD): {value!r}") from exc


# C0 and C1 controls, DEL, and Unicode's line and paragraph separators: a file name or a
# title holding them could fake extra output lines or drive the terminal.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: object) -> str:
    """``text`` safe to print on one line of human-readable output: control characters,
    newlines and terminal escapes become visible escapes (``\\n``, ``\\x1b``) instead of
    acting. JSON output needs none of this (it escapes them itself)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def unexpected_failure(exc: BaseException, args: argparse.Namespace) -> str:
    """One line for an error no command expected: a storage problem said plainly when it is
    one (a full disk, a read-only file, a damaged database), else its type and message."""
    try:
        folder = project_dir(args)[0]
    except Exception:  # noqa: BLE001 - the folder is only used in the sentence
        folder = Path(".")
    from annotator.core.storage_errors import describe

    better = describe(exc, folder)
    if better is not None:
        return str(better)
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return (f"unexpected error: {type(exc).__name__}{': ' + detail if detail else ''} "
            "(run with --debug for details)")
