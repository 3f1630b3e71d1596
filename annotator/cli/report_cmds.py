"""Analysis and variables on the command line: ``report matrix|frequencies|timeline|excerpts``,
``var set|define|delete|import`` and ``vars``. The counts come from the same core functions
as the Analysis window's, so both always agree. ``--json`` shapes are a public contract
(README "Command line")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import CliError, command, print_json
from annotator.cli.adjudicate_cmd import add_disagreements_parser
from annotator.cli.agreement_cmd import add_parser as add_agreement_parser
from annotator.cli.export_cmd import date_bound

if TYPE_CHECKING:
    from annotator.core.analysis import Matrix, TagFrequency, Timeline
    from annotator.core.analysis_filter import AnalysisFilter
    from annotator.core.library import Library

SCOPES = ("highlight", "overlap", "paragraph", "document")
BINS = ("week", "month", "quarter")


# ----------------------------------------------------------------- shapes (public contract)
def matrix_json(m: Matrix) -> list[dict[str, Any]]:
    """One object per cell, zero cells included."""
    return [
        {"row": r.label if r.key is not None else None, "column": c.label,
         "count": m.count(r.key, c.key), "row_category": m.row_axis.describe(),
         "column_category": m.column_axis.describe(), "scope": m.scope}
        for r in m.rows for c in m.columns
    ]


def frequency_json(rows: list[TagFrequency], by: str | None) -> list[dict[str, Any]]:
    out = []
    for f in rows:
        item: dict[str, Any] = {"tag": f.tag, "category": f.category,
                                "highlights": f.highlights, "documents": f.documents}
        if by:
            item.update(by=by, value=f.value)
        out.append(item)
    return out


def timeline_json(t: Timeline) -> list[dict[str, Any]]:
    return [{"tag": p.tag, "period": p.period, "count": p.count} for p in t.points]


# ----------------------------------------------------------------- shared options
def _filter(args: argparse.Namespace) -> AnalysisFilter:
    from annotator.core.analysis_filter import AnalysisFilter

    variables: dict[str, list[str | None]] = {}
    for spec in args.where:
        name, sep, value = spec.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--where wants NAME=VALUE, not {spec!r}")
        variables.setdefault(name.strip(), []).append(value.strip() or None)
    return AnalysisFilter(
        document_ids=args.doc,
        variables=tuple((n, tuple(vs)) for n, vs in variables.items()),
        date_from=date_bound(args.date_from, end=False) if args.date_from else None,
        date_to=date_bound(args.date_to, end=True) if args.date_to else None,
        query=args.query or "",
    )


def _resolved(args: argparse.Namespace, library: Library) -> Any:
    resolved = library.resolve_analysis_filter(_filter(args))
    for warning in resolved.warnings:
        print(f"annotator: note: {warning}", file=sys.stderr)
    return resolved


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--doc", action="append", default=[], type=int, metavar="ID",
                   help="only these documents (repeat)")
    p.add_argument("--where", action="append", default=[], metavar="NAME=VALUE",
                   help="only documents with this variable value (repeat; several values of "
                        "one variable match any; NAME= keeps documents without a value)")
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help="documents published on or after DATE (2025, 2025-06 or 2025-06-14)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before DATE")
    p.add_argument("--query", metavar="Q",
                   help="only passages this search finds, and every passage of the documents "
                        "it finds")


def _add_outputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--csv", type=Path, metavar="OUT", help="also write the numbers to a CSV file")
    p.add_argument("--json", action="store_true", help="print one JSON array")


def _write_csv(args: argparse.Namespace, table: list[list[str]]) -> None:
    if args.csv is None:
        return
    from annotator.export.analysis_csv import write_table

    write_table(args.csv, table)
    print(f"wrote {args.csv}", file=sys.stderr)


def _print_table(table: list[list[str]]) -> None:
    """Aligned columns: numbers to the right, words to the left."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    numeric = [all(row[i].isdigit() for row in table[1:]) for i in range(len(table[0]))]
    for row in table:
        cells = [c.rjust(w) if numeric[i] and i else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        print("  ".join(cells).rstrip())


# ----------------------------------------------------------------- report handlers
def cmd_matrix(args: argparse.Namespace, library: Library) -> int:
    from annotator.export.analysis_csv import matrix_table

    m = library.tag_matrix(args.rows, args.cols, args.scope, _resolved(args, library))
    table = matrix_table(m)
    _write_csv(args, table)
    if args.json:
        print_json(matrix_json(m))
    else:
        print(f"cells count {m.unit}", file=sys.stderr)
        _print_table(table)
    return 0


def cmd_frequencies(args: argparse.Namespace, library: Library) -> int:
    from annotator.export.analysis_csv import frequency_table

    by = library.variable(args.by).name if args.by else None
    rows = library.tag_frequencies(_resolved(args, library), by=by, category=args.category)
    _write_csv(args, frequency_table(rows, by))
    if args.json:
        print_json(frequency_json(rows, by))
        return 0
    _print_table(frequency_table(rows, by))
    return 0


def cmd_timeline(args: argparse.Namespace, library: Library) -> int:
    from annotator.export.analysis_csv import timeline_table
    from annotator.export.excerpt_report import tags_named

    tags = tags_named(library, args.tag)
    t = library.tag_timeline([tag.id for tag in tags], args.bin, _resolved(args, library))
    _write_csv(args, timeline_table(t))
    if args.json:
        print_json(timeline_json(t))
        return 0
    _print_table(timeline_table(t))
    if t.undated_total:
        print(f"{t.undated_total} highlight(s) in documents without a date are counted apart "
              "(row 'undated')", file=sys.stderr)
    return 0


def cmd_excerpts(args: argparse.Namespace, library: Library) -> int:
    from annotator.export.excerpt_report import build_report, tags_named, write_report

    specs, out = list(args.tag), args.out
    if out is None:
        # ``--tag A B OUT``: the tag list swallows the file name that follows it.
        if len(specs) < 2:
            raise CliError("report excerpts wants OUT, the file to write")
        out = Path(specs.pop())
    args.out = out
    tags = tags_named(library, specs)
    report = build_report(library, tags, _filter(args), title=args.title or "")
    kind = write_report(report, args.out, args.format)
    print(f"wrote {report.excerpt_count} excerpt(s) under {len(tags)} tag(s) to {args.out} "
          f"({kind})")
    return 0


# ----------------------------------------------------------------- variables
def variable_json(variable: Any, values: list[str]) -> dict[str, Any]:
    return {"name": variable.name, "type": variable.type, "values": values,
            "choices": list(variable.choices), "builtin": variable.builtin}


def cmd_vars(args: argparse.Namespace, library: Library) -> int:
    listed = [(v, library.variable_values(v.name)) for v in library.variables()]
    if args.json:
        print_json([variable_json(v, values) for v, values in listed])
        return 0
    for v, values in listed:
        kind = f"one of {', '.join(v.choices)}" if v.choices else v.type
        shown = ", ".join(values[:8]) + (f", … ({len(values)} values)" if len(values) > 8 else "")
        mark = " (built-in)" if v.builtin else ""
        print(f"{v.name:<14} {kind:<20} {shown}{mark}")
    return 0


def cmd_var_set(args: argparse.Namespace, library: Library) -> int:
    from annotator.core.errors import NotFound
    from annotator.core.variables import guess_type

    try:
        library.variable(args.name)
    except NotFound:
        kind = guess_type([args.value])
        library.define_variable(args.name, kind)
        print(f"annotator: note: created the {kind} variable {args.name!r}", file=sys.stderr)
    previous = library.set_document_variable(args.doc_id, args.name, args.value)
    now = library.document_variables(args.doc_id).get(library.variable(args.name).name)
    shown = now if now is not None else "(no value)"
    print(f"document {args.doc_id}: {args.name} = {shown}"
          + (f" (was {previous})" if previous not in (None, now) else ""))
    return 0


def cmd_var_define(args: argparse.Namespace, library: Library) -> int:
    choices = [c.strip() for c in (args.choices or "").split(",") if c.strip()]
    kind = "choice" if choices and args.type == "text" else args.type
    try:
        library.variable(args.name)
        exists = True
    except Exception:  # noqa: BLE001 - NotFound: a new variable
        exists = False
    if exists:
        v = library.change_variable(args.name, type=kind,
                                    choices=choices if choices else None)
        print(f"changed {v.name}: {v.type}")
    else:
        v = library.define_variable(args.name, kind, choices)
        print(f"created {v.name}: {v.type}")
    return 0


def cmd_var_delete(args: argparse.Namespace, library: Library) -> int:
    values = library.delete_variable(args.name)
    print(f"deleted {args.name} and its {len(values)} value(s)")
    return 0


def cmd_var_import(args: argparse.Namespace, library: Library) -> int:
    done = library.import_variables_csv(args.csv_file)
    print(f"{args.csv_file}: {done.summary()}")
    return 0


# ----------------------------------------------------------------- wiring
def register(sub: Any) -> None:
    report = sub.add_parser("report", help="counts and excerpt reports (matrix, frequencies, "
                            "timeline, excerpts)", description="Counts and excerpt reports.")
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)

    p = command(kinds, "matrix", cmd_matrix, write=False,
                help="tag co-occurrence matrix: rows x columns")
    p.add_argument("--rows", required=True, metavar="CATEGORY|documents|VARIABLE")
    p.add_argument("--cols", required=True, metavar="CATEGORY")
    p.add_argument("--scope", choices=SCOPES, default="highlight",
                   help="what a cell counts: highlights carrying both tags (default), row-tag "
                        "highlights overlapping a column-tag one, paragraphs or documents "
                        "holding both")
    _add_filters(p)
    _add_outputs(p)

    p = command(kinds, "frequencies", cmd_frequencies, write=False,
                help="highlights and documents per tag")
    p.add_argument("--by", metavar="VARIABLE", help="split the counts by a variable's values")
    p.add_argument("--category", metavar="NAME", help="only the tags of this category")
    _add_filters(p)
    _add_outputs(p)

    p = command(kinds, "timeline", cmd_timeline, write=False,
                help="highlights per tag over the documents' published dates")
    p.add_argument("--tag", nargs="+", required=True, metavar="NAME",
                   help="tags (NAME or CATEGORY:NAME)")
    p.add_argument("--bin", choices=BINS, default="month")
    _add_filters(p)
    _add_outputs(p)

    p = command(kinds, "excerpts", cmd_excerpts, write=False,
                help="every excerpt of the chosen tags, grouped by tag, as md, html or docx")
    p.add_argument("--tag", nargs="+", action="extend", required=True, metavar="NAME",
                   help="tags (NAME or CATEGORY:NAME), one group each")
    p.add_argument("--format", choices=("md", "html", "docx"),
                   help="default: from OUT's suffix, else md")
    p.add_argument("--title", help="the report's heading")
    _add_filters(p)
    p.add_argument("out", type=Path, metavar="OUT", nargs="?",
                   help="file to write (.md, .html or .docx)")

    add_agreement_parser(kinds, command)
    add_disagreements_parser(kinds)

    p = command(sub, "vars", cmd_vars, write=False,
                help="list document variables with their types and values")
    p.add_argument("--json", action="store_true", help="print one JSON array")

    var = sub.add_parser("var", help="set, define, delete or import document variables",
                         description="Set, define, delete or import document variables.")
    actions = var.add_subparsers(dest="var_action", metavar="ACTION", required=True)
    p = command(actions, "set", cmd_var_set, write=True,
                help="set a document's value ('' clears it; a new name makes a variable)")
    p.add_argument("doc_id", type=int, metavar="DOC_ID")
    p.add_argument("name", metavar="NAME")
    p.add_argument("value", metavar="VALUE")
    p = command(actions, "define", cmd_var_define, write=True,
                help="create a variable or change its type")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--type", choices=("text", "number", "date", "choice"), default="text")
    p.add_argument("--choices", metavar="A,B,C", help="the values a choice variable allows")
    p = command(actions, "delete", cmd_var_delete, write=True,
                help="delete a variable and its values")
    p.add_argument("name", metavar="NAME")
    p = command(actions, "import", cmd_var_import, write=True,
                help="read a CSV (id or title + one column per variable) in one step")
    p.add_argument("csv_file", type=Path, metavar="FILE.csv")
