"""``annotator check [--deep] [--repair]``: the index line the README promises first (index and
database agree, or how not), extended with the content checks: one line per problem, each
marked ``damaged:`` (a restore undoes it) or ``repairable:`` (``--repair`` does it). Exit 0 only
when everything passes."""

from __future__ import annotations

import argparse
import sys

from annotator.cli._common import open_library, project_dir
from annotator.core.errors import ProjectError


def _offer_backup(folder: object) -> None:
    from annotator.core.library import Library

    good = Library.newest_good_backup(folder)  # type: ignore[arg-type]
    if good is None:
        print("restore: no backup passes these checks", file=sys.stdout)
    else:
        print(f"restore: the newest backup that passes is {good.name} "
              f"(`annotator restore {good.name}`)")


def run_check(args: argparse.Namespace) -> int:
    folder = project_dir(args)[0]
    try:
        library = open_library(args, write=args.repair)
    except ProjectError as exc:
        print(f"damaged: {exc}")
        _offer_backup(folder)
        return 1
    with library:
        if args.repair:
            for action in library.repair():
                print(f"repaired: {action}")
        ok, message = library.check(deep=args.deep)
        report = library.verify_content(deep=args.deep)
        print(f"{message}; {report.summary()}" if report.ok else message)
        for problem in report.damage:
            print(f"damaged: {problem}")
        hint = "" if args.repair else " (run `annotator check --repair`)"
        for problem in report.repairable:
            print(f"repairable: {problem}{hint}")
    if report.damage:
        _offer_backup(folder)
    return 0 if ok and report.ok else 1
