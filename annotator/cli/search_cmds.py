"""Search commands: ``search``, ``reindex`` and ``check``.

``search`` prints one line per hit on stdout (kind, ids, title, page, snippet with matched
words in «…»), or with ``--json`` one array of hit objects; the hit count, time and any query
warnings go to stderr. A malformed query exits 2 with a one-line reason (``InvalidQuery``, mapped
in ``annotator.cli.main``). ``check`` exits 0 when index and database agree, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from annotator.cli._common import command, one_line, open_library, print_json, project_dir
from annotator.cli._index_upkeep import REBUILD_PROCESSES, open_for_search
from annotator.core.quick_search import search_if_current
from annotator.core.search_results import INDEX_NOTICES, QUERY_HELP, Hit, SearchResults

if TYPE_CHECKING:
    from annotator.core.library import Library
    from annotator.core.progress import Progress

_TITLE_WIDTH = 48


def hit_line(hit: Hit) -> str:
    """``highlight  d12 h340  Title…  p.3  snippet`` — stable enough to grep and cut."""
    ids = f"d{hit.document_id}" + (f" h{hit.highlight_id}" if hit.highlight_id is not None else "")
    title = hit.title if len(hit.title) <= _TITLE_WIDTH else hit.title[: _TITLE_WIDTH - 1] + "…"
    page = f"p.{hit.page}" if hit.page is not None else "-"
    return f"{hit.kind:<9}  {ids:<12}  {one_line(title)}  {page}  {one_line(hit.snippet)}"


def cmd_search(args: argparse.Namespace, _library: None) -> int:
    query = " ".join(args.query)
    results = _search(args, query)
    # The index's own notices ("being rebuilt") are the app's; _index_upkeep said what applies.
    for warning in (w for w in results.warnings if w not in INDEX_NOTICES):
        print(f"annotator: note: {warning}", file=sys.stderr)
    if args.json:
        print_json([hit.to_json() for hit in results.hits])
    else:
        for hit in results.hits:
            print(hit_line(hit))
    shown = len(results.hits)
    print(
        f"{shown} of {results.total} hit{'s' if results.total != 1 else ''} "
        f"({results.elapsed_ms:.0f} ms)",
        file=sys.stderr,
    )
    return 0


def _search(args: argparse.Namespace, query: str) -> SearchResults:
    """The hits, through the quick path when the project's index is current (no Library,
    no SQLAlchemy: most of the process's time), else through the Library, which repairs a
    stale index first when it can (``_index_upkeep``)."""
    folder, _implicit = project_dir(args)
    quick = search_if_current(folder, query, limit=args.limit)
    if quick is not None:
        return quick
    with open_for_search(args, open_library) as library:
        return library.search(query, limit=args.limit)


def _count(value: str) -> int:
    """A whole number of hits, 0 or more (0 prints only the count)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def _progress_printer(stream: TextIO) -> Any:
    last = [-1]

    def report(progress: Progress) -> None:
        percent = int(progress.fraction * 100)
        if percent != last[0] or progress.label == "Done":
            last[0] = percent
            end = "\n" if progress.label == "Done" else "\r"
            stream.write(f"{progress.label}: {progress.done}/{progress.total} ({percent}%){end}")
            stream.flush()

    return report


def cmd_reindex(_args: argparse.Namespace, library: Library) -> int:
    library.reindex(progress=_progress_printer(sys.stderr), processes=REBUILD_PROCESSES)
    ok, message = library.check()
    print(message, file=sys.stderr)
    return 0 if ok else 1


def cmd_check(args: argparse.Namespace, _library: None) -> int:
    from annotator.cli.check_report import run_check

    return run_check(args)


def register(sub: Any) -> None:
    p = command(
        sub,
        "search",
        cmd_search,
        write=False,
        index="leave",
        help="search documents, highlights and notes",
        epilog=QUERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(no_library=True)  # cmd_search opens the project itself (the quick path)
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="the query; several arguments are joined with spaces")
    p.add_argument("--limit", type=_count, default=20, metavar="N", help="at most N hits (default 20)")
    p.add_argument("--json", action="store_true", help="print a JSON array of hits")
    command(sub, "reindex", cmd_reindex, write=True, index="leave",
            help="rebuild the search index from the database (progress on stderr)")
    p = command(sub, "check", cmd_check, write=False, index="leave",
                help="say whether the search index agrees with the database and the content "
                     "is what Annotator wrote (exit 1 if not)")
    p.add_argument("--deep", action="store_true",
                   help="also read every index file and page of the database (slower)")
    p.add_argument("--repair", action="store_true",
                   help="fix what is safe to fix (index, leftovers, rows changed outside "
                        "Annotator) and name the newest backup that passes for the rest")
    p.set_defaults(no_library=True)
