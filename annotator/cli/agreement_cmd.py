"""``annotator report agreement``: how far coders (the authors of highlights) agree, per tag.

One row per tag: the documents all compared coders coded, the coded characters compared, the
characters left out because nobody tagged them, percent agreement, Cohen's kappa (Light's mean
for three or more coders), Krippendorff's alpha and alpha-u (see annotator.core.agreement).
``--json`` prints one array of objects with those fields; ``--csv OUT`` writes the same table.
``--group NAME=A+B`` pools coders and compares them as one coder NAME.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import print_json
from annotator.cli.adjudicate_cmd import add_coder_options, coders_and_groups, tag_labels
from annotator.export.agreement_csv import agreement_row, agreement_table

if TYPE_CHECKING:
    from annotator.core.library import Library


def add_parser(report_sub: Any, command: Any) -> None:
    """Add ``agreement`` to the ``report`` command group (``command`` is _common.command)."""
    p = command(report_sub, "agreement", cmd_agreement, write=False,
                help="agreement between coders (highlight authors), per tag")
    add_coder_options(p)
    p.add_argument("--csv", type=Path, metavar="OUT", help="also write the table as CSV")
    p.add_argument("--json", action="store_true", help="print one JSON array of objects")


def cmd_agreement(args: argparse.Namespace, library: Library) -> int:
    coders, groups = coders_and_groups(args, library)
    results = library.coder_agreement(coders, tags=tag_labels(library, args.tag),
                                      groups=dict(groups) or None)
    if results and results[0].documents == 0:
        print("annotator: note: no document holds highlights of every one of these coders",
              file=sys.stderr)
    rows = [agreement_row(r) for r in results]
    if args.csv:
        from annotator.export.analysis_csv import write_table

        write_table(args.csv, agreement_table(results))
    if args.json:
        print_json(rows)
    else:
        _print_table(rows)
    if results:
        r = results[0]
        print(f"compared {r.documents} document(s) coded by all of {', '.join(coders)}: "
              f"{r.units:,} coded characters; {r.left_out:,} characters nobody tagged were "
              "left out", file=sys.stderr)
    return 0


def _print_table(rows: list[dict[str, Any]]) -> None:
    def num(v: float | None) -> str:
        return "   n/a" if v is None else f"{v:6.3f}"

    print(f"{'tag':<32} {'agree':>6} {'kappa':>6} {'alpha':>6} {'α-u':>6}  coded chars")
    for row in rows:
        tag = row["tag"] if len(row["tag"]) <= 32 else row["tag"][:31] + "…"
        print(f"{tag:<32} {num(row['percent_agreement'])} {num(row['cohen_kappa'])} "
              f"{num(row['krippendorff_alpha'])} {num(row['krippendorff_alpha_u'])}  "
              f"{row['units']:,}")

