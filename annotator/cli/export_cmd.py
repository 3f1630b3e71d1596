"""``annotator export csv OUT.csv [filters] [layout]``: tagged excerpts to a spreadsheet file."""

from __future__ import annotations

import argparse
import calendar
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import CliError, command
from annotator.cli.refi_cmd import register_formats
from annotator.export.csv_export import (
    BY_CATEGORY,
    TAG_MATCHES,
    CsvOptions,
    ExcerptFilter,
    write_csv,
)

if TYPE_CHECKING:
    from annotator.core.library import Library

_DELIMITERS = {",": ",", "comma": ",", ";": ";", "semicolon": ";", "tab": "\t", "\t": "\t",
               "\\t": "\t"}
_PARTIAL_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*")


def delimiter(value: str) -> str:
    try:
        return _DELIMITERS[value.strip().lower() if value.strip() else value]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"choose ',', ';' or 'tab', not {value!r}"
        ) from None


def context_chars(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"want a number of characters (0 or more), not {value!r}")
    return number


def date_bound(value: str, *, end: bool) -> date:
    """``2025``, ``2025-06`` or ``2025-06-14``; a partial date means its first day for
    ``--from`` and its last day for ``--to``, so ``--from 2025-06 --to 2025-06`` is June."""
    match = _PARTIAL_DATE.fullmatch(value)
    if not match:
        raise CliError(f"dates look like 2025, 2025-06 or 2025-06-14, not {value!r}")
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        y = int(year)
        m = int(month) if month else (12 if end else 1)
        if day:
            d = int(day)
        else:
            d = calendar.monthrange(y, m)[1] if end else 1
        return date(y, m, d)
    except ValueError:
        raise CliError(f"not a real date: {value!r}") from None


def tag_spec(spec: str) -> tuple[str, str]:
    category, sep, name = spec.partition(":")
    if not sep or not category.strip() or not name.strip():
        raise CliError(f"--tag wants CATEGORY:NAME, not {spec!r}")
    return category.strip().lower(), name.strip()


def cmd_export_csv(args: argparse.Namespace, library: Library) -> int:
    excerpt_filter = ExcerptFilter(
        actors=args.actor,
        topics=args.topic,
        tags=[tag_spec(t) for t in args.tag],
        document_ids=args.doc,
        date_from=date_bound(args.date_from, end=False) if args.date_from else None,
        date_to=date_bound(args.date_to, end=True) if args.date_to else None,
        query=args.query or "",
        tag_match=args.match,
        coders=args.coder,
    )
    options = CsvOptions(
        per_tag=args.per_tag,
        excel_bom=args.excel,
        delimiter=args.delimiter,
        context_chars=args.context,
        neutralise_formulas=not args.no_formula_guard,
    )
    # The same notes, in the same words, as ``annotator search`` prints for this query.
    rows = write_csv(library, args.out, excerpt_filter, options,
                     warn=lambda message: print(f"annotator: note: {message}", file=sys.stderr))
    print(f"wrote {rows} {'row' if rows == 1 else 'rows'} to {args.out}")
    return 0


def register(sub: Any) -> None:
    export = sub.add_parser(
        "export", help="export excerpts to a file", description="Export excerpts to a file."
    )
    formats = export.add_subparsers(dest="export_format", metavar="FORMAT", required=True)
    register_formats(formats)
    p = command(
        formats, "csv", cmd_export_csv, write=False,
        help="write tagged excerpts to a CSV file (columns: docs/export.md)",
        epilog="Filters combine: an excerpt must match every kind given; several names of one "
               "kind (or of one --tag category) match any of them, unless --match says "
               "otherwise.",
    )
    p.add_argument("out", type=Path, metavar="OUT.csv", help="file to write (replaced atomically)")
    p.add_argument("--actor", action="append", default=[], metavar="NAME",
                   help="only excerpts tagged with this actor (name or alias, any case)")
    p.add_argument("--topic", action="append", default=[], metavar="NAME",
                   help="only excerpts tagged with this topic")
    p.add_argument("--tag", action="append", default=[], metavar="CATEGORY:NAME",
                   help="only excerpts with this tag of any category, e.g. stance:hawkish")
    p.add_argument("--match", choices=TAG_MATCHES, default=BY_CATEGORY,
                   help="how several tags combine: 'category' (default) one of each category "
                        "named, 'any' at least one of them, as the app's reader shows the "
                        "codebook's ticks, 'all' every one")
    p.add_argument("--doc", action="append", default=[], type=int, metavar="ID",
                   help="only excerpts from this document")
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help="documents published on or after DATE (2025, 2025-06 or 2025-06-14)")
    p.add_argument("--to", dest="date_to", metavar="DATE",
                   help="documents published on or before DATE")
    p.add_argument("--query", metavar="Q", help="only excerpts matching this search query")
    p.add_argument("--coder", action="append", default=[], metavar="NAME",
                   help="only excerpts this coder made (repeat for several)")
    p.add_argument("--per-tag", action="store_true",
                   help="one row per excerpt and tag, for pivot tables")
    p.add_argument("--excel", action="store_true",
                   help="UTF-8 with a byte-order mark, so Excel shows accents correctly")
    p.add_argument("--delimiter", type=delimiter, default=",", metavar=",|;|tab",
                   help="field separator (default ','; ';' suits European Excel)")
    p.add_argument("--context", type=context_chars, default=100, metavar="N",
                   help="characters of context before and after each excerpt (default 100)")
    p.add_argument("--no-formula-guard", action="store_true",
                   help="do not prefix cells starting with = + - @ with an apostrophe "
                        "(for analysis pipelines; unsafe to open in a spreadsheet)")
