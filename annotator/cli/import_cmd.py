"""``annotator import PATH... [--recursive]``: one line per file, exit 1 if any failed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import command

if TYPE_CHECKING:
    from annotator.core.library import Library


def cmd_import(args: argparse.Namespace, library: Library) -> int:
    from annotator.importers.batch import import_paths

    failed = 0
    for outcome in import_paths(library, [Path(p) for p in args.paths], recursive=args.recursive,
                                password=args.password):
        if outcome.status == "imported":
            print(f"imported {outcome.document_id} {outcome.title}")
        elif outcome.status == "duplicate":
            print(f"duplicate of {outcome.document_id}")
        else:
            failed += 1
            print(f"failed: {outcome.path}: {outcome.message}")
    sys.stdout.flush()
    return 1 if failed else 0


def register(sub: Any) -> None:
    p = command(sub, "import", cmd_import, write=True, help="import files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-r", "--recursive", action="store_true",
                   help="descend into sub-folders of folders given")
    p.add_argument("--password", help="password for encrypted PDFs")
