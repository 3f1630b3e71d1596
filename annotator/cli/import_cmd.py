"""``annotator import PATH... [--recursive] [--password PW] [--max-size MB] [--max-chars N]
[--keep-furniture] [--max-seconds S]``: one line per file, exit 1 if any failed. Files are
read in worker processes, one per core, and stored in the order given.

stdout carries exactly one line per file (the README contract: ``imported <id> <title>``,
``duplicate of <id>``, ``failed: <file>: <reason>``); progress, warnings and the closing summary
go to stderr so scripts reading stdout are not disturbed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from annotator.cli._common import CliError, command, one_line

if TYPE_CHECKING:  # imported lazily at run time so `annotator --help` starts fast
    from annotator.core.library import Library
    from annotator.core.progress import Progress
    from annotator.importers.batch import ImportOutcome
    from annotator.importers.limits import ImportLimits

_MB = 1024 * 1024


def cmd_import(args: argparse.Namespace, library: Library) -> int:
    from annotator.cli.refi_cmd import import_refi_files
    from annotator.importers.batch import SkippedFiles, import_paths
    from annotator.importers.refi_import import REFI_SUFFIXES

    limits = _limits(args)
    refi = [Path(p) for p in args.paths if Path(p).suffix.lower() in REFI_SUFFIXES]
    others = [Path(p) for p in args.paths if Path(p).suffix.lower() not in REFI_SUFFIXES]
    counts = import_refi_files(library, refi, merge_codes=not args.no_merge_codes) if refi else \
        {"imported": 0, "duplicate": 0, "failed": 0}
    if not others:
        print(f"{counts['imported']} imported, {counts['duplicate']} duplicate(s), "
              f"{counts['failed']} failed", file=sys.stderr)
        return 1 if counts["failed"] else 0
    skipped = SkippedFiles()
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    progress = _progress_printer(sys.stderr) if sys.stderr.isatty() else None
    for outcome in import_paths(library, others, recursive=args.recursive,
                                password=args.password, limits=limits, progress=progress,
                                skipped=skipped, keep_furniture=args.keep_furniture):
        if outcome.needs_password and interactive and not args.password:
            outcome = _retry_with_password(library, outcome, limits, args.keep_furniture)
        counts[outcome.status] += 1
        _report(outcome)
    summary = (f"{counts['imported']} imported, {counts['duplicate']} duplicate(s), "
               f"{counts['failed']} failed")
    if skipped.total:
        summary += f"; {skipped.summary()}"
    print(summary, file=sys.stderr)
    return 1 if counts["failed"] else 0


def _report(outcome: ImportOutcome) -> None:
    if outcome.status == "imported":
        print(f"imported {outcome.document_id} {one_line(outcome.title)}", flush=True)
        if outcome.message:
            print(f"  note: {one_line(outcome.path)}: {one_line(outcome.message)}",
                  file=sys.stderr)
    elif outcome.status == "duplicate":
        print(f"duplicate of {outcome.document_id}", flush=True)
        print(f"  {one_line(outcome.path)} is already in the project", file=sys.stderr)
    else:
        print(f"failed: {one_line(outcome.path)}: {one_line(outcome.message)}", flush=True)


def _retry_with_password(library: Library, outcome: ImportOutcome,
                         limits: ImportLimits, keep_furniture: bool) -> ImportOutcome:
    """Ask on the terminal (never echoed) until the password fits or the user gives up with an
    empty answer; scripts without a terminal get the plain failure instead."""
    from annotator.importers.batch import import_paths

    while True:
        try:
            password = getpass.getpass(f"password for {outcome.path.name} (empty to skip): ")
        except EOFError:
            return outcome
        if not password:
            return outcome
        [retried] = import_paths(library, [outcome.path], password=password, limits=limits,
                                 keep_furniture=keep_furniture)
        if not retried.needs_password:
            return retried
        print(f"  {retried.message}", file=sys.stderr)
        outcome = retried


def _progress_printer(stream: TextIO) -> Any:
    def show(progress: Progress) -> None:
        if progress.label:
            stream.write(f"\r\x1b[K[{progress.done + 1}/{progress.total}] {one_line(progress.label)}")
        else:
            stream.write("\r\x1b[K")
        stream.flush()

    return show


def _limits(args: argparse.Namespace) -> ImportLimits:
    import dataclasses

    from annotator.importers.limits import ImportLimits

    limits = ImportLimits()
    if args.max_size is not None:
        max_bytes = int(args.max_size * _MB) if args.max_size > 0 else 0
        if max_bytes < 1:  # 1e-9 MB would otherwise become "larger than the 0 bytes limit"
            raise CliError("--max-size must be a positive number of megabytes (at least one byte)")
        limits = dataclasses.replace(limits, max_bytes=max_bytes)
    if args.max_chars is not None:
        if args.max_chars < 1:
            raise CliError("--max-chars must be a positive number of characters")
        limits = dataclasses.replace(limits, max_chars=args.max_chars)
    if args.max_seconds is not None:
        if not args.max_seconds > 0:
            raise CliError("--max-seconds must be a positive number of seconds")
        limits = dataclasses.replace(limits, max_seconds=args.max_seconds)
    return limits


def register(sub: Any) -> None:
    p = command(sub, "import", cmd_import, write=True, help="import files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-r", "--recursive", action="store_true",
                   help="descend into sub-folders of folders given")
    p.add_argument("--password",
                   help="password for encrypted PDFs (asked for on a terminal when missing)")
    p.add_argument("--max-size", type=float, metavar="MB",
                   help="refuse files larger than this many megabytes (default 200)")
    p.add_argument("--max-chars", type=int, metavar="N",
                   help="refuse files whose text is longer than N characters (default 20000000)")
    p.add_argument("--keep-furniture", action="store_true",
                   help="keep the page furniture of text saved from a browser (\"Skip to "
                        "content\", \"Comments\"…), which is otherwise left out")
    p.add_argument("--no-merge-codes", action="store_true",
                   help="REFI-QDA (.qdpx/.qdc): add every code as a new tag (numbered when the "
                        "name is taken) instead of merging it into the same-named tag of its "
                        "category")
    p.add_argument("--max-seconds", type=float, metavar="S",
                   help="stop reading a file that takes longer than S seconds and report it as "
                        "failed (default 300; applies when 3 or more files are imported)")
