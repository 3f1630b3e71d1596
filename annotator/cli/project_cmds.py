"""Project commands: init, docs, text, doc-edit, tags, tag, highlights."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import (
    CliError,
    command,
    one_line,
    print_json,
    project_dir,
    write_exact,
)
from annotator.core.errors import InvalidInput
from annotator.core.models import ACTOR, TOPIC, Document, Highlight, Tag
from annotator.core.text import normalise_text

if TYPE_CHECKING:
    from annotator.core.library import Library


# ----------------------------------------------------------------- shapes (public contract)
def document_json(doc: Document, variables: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published,
        "source": doc.source,
        "format": doc.format,
        "pages": doc.pages,
        "characters": doc.characters,
        "highlights": doc.highlight_count,
        "imported_at": doc.imported_at,
        "original_name": doc.original_name,
        "stored_file": doc.stored_file,
        "site_name": doc.site_name,
        "url": doc.url,
        "language": doc.language,
        "note": doc.note,
        "variables": variables or {},
    }


def tag_json(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.id,
        "name": tag.name,
        "category": tag.category,
        "colour": tag.colour,
        "aliases": list(tag.aliases),
        "parent_id": tag.parent_id,
        "description": tag.description,
        "highlights": tag.highlight_count,
    }


def highlight_json(h: Highlight) -> dict[str, Any]:
    return {
        "id": h.id,
        "document_id": h.document_id,
        "start": h.start,
        "end": h.end,
        "page": h.page,
        "page_end": h.page_end,
        "text": h.text,
        "actors": h.actors,
        "topics": h.topics,
        "tags": h.other_tags,
        "note": h.note,
        "author": h.author,
        "created": h.created,
        "modified": h.modified,
        "note_author": h.note_author if h.note is not None else None,
    }


# ----------------------------------------------------------------- handlers
def cmd_init(args: argparse.Namespace, _lib: None) -> int:
    from annotator.core.library import Library

    folder = Path(args.dir).expanduser() if args.dir else project_dir(args)[0]
    if args.db:
        from annotator.cli.team_cmds import init_team_project

        return init_team_project(folder, args.db)
    with Library.create(folder) as library:
        print(f"created project {library.name!r} at {folder}")
    return 0


def cmd_docs(args: argparse.Namespace, library: Library) -> int:
    docs = library.documents()
    if args.json:
        values = library.all_document_variables()
        print_json([document_json(d, values.get(d.id)) for d in docs])
        return 0
    for d in docs:
        date = d.published.isoformat() if d.published else "-"
        pages = f"{d.pages}p" if d.pages else ""
        print(f"{d.id:>5}  {d.format:<5} {date:<10} {d.highlight_count:>4} hl {pages:>5}  {one_line(d.title)}")
    if not docs:
        print("no documents yet (add some with `annotator import FILE…`)", file=sys.stderr)
    return 0


def cmd_text(args: argparse.Namespace, library: Library) -> int:
    write_exact(library.document_text(args.doc_id))
    return 0


def cmd_doc_edit(args: argparse.Namespace, library: Library) -> int:
    changes: dict[str, Any] = {}
    for key in ("title", "author", "source"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    if args.published is not None:
        changes["published"] = _optional_date(args.published)
    if not changes:
        raise CliError("nothing to change: give --title, --author, --published or --source")
    doc = library.update_document(args.doc_id, **changes)
    if args.json:
        print_json([document_json(doc, library.document_variables(doc.id))])
    else:
        print(f"updated {doc.id} {one_line(doc.title)}")
    return 0


def _optional_date(value: str) -> Any:
    from datetime import date

    if value.strip() in ("", "none", "-"):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CliError(f"--published wants YYYY-MM-DD (or '' to clear), not {value!r}") from exc


def cmd_tags(args: argparse.Namespace, library: Library) -> int:
    tags = library.tags()
    if args.json:
        print_json([tag_json(t) for t in tags])
        return 0
    for t in tags:
        aliases = f"  (also: {', '.join(t.aliases)})" if t.aliases else ""
        print(f"{t.id:>5}  {one_line(t.category):<8} {t.colour}  {t.highlight_count:>4}  "
              f"{one_line(t.name)}{one_line(aliases)}")
    return 0


def cmd_tag(args: argparse.Namespace, library: Library) -> int:
    doc = library.document(args.doc_id)
    text = library.document_text(doc.id)
    if args.span:
        start, end = _parse_span(args.span)
    else:
        start, end = find_quote(text, args.quote, args.occurrence or 1, doc.title, doc.id)
        if args.occurrence is None:
            _note_other_matches(text, args.quote, doc.id)
    wanted = [(ACTOR, n) for n in args.actor] + [(TOPIC, n) for n in args.topic]
    for spec in args.tag:
        category, sep, name = spec.partition(":")
        if not sep or not category.strip() or not name.strip():
            raise CliError(f"--tag wants CATEGORY:NAME, not {spec!r}")
        wanted.append((category.strip().lower(), name))
    # One transaction: a span or tag that fails leaves none of the other tags created.
    highlight = library.add_highlight(doc.id, start, end, new_tags=wanted, note=args.note)
    if args.json:
        print_json([highlight_json(highlight)])
    else:
        print(highlight.id)
    return 0


def _parse_span(span: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", span)
    if not match:
        raise CliError(f"--span wants START:END (code points), not {span!r}")
    return int(match.group(1)), int(match.group(2))


def _note_other_matches(text: str, quote: str, doc_id: int) -> None:
    """A quote that occurs more than once is tagged at its first match; say so on stderr, so
    a script that meant another match notices and knows the option that picks it."""
    count = len(quote_spans(text, normalise_text(quote)))
    if count > 1:
        print(f"note: {quote!r} occurs {count} times in document {doc_id}; tagged the first — "
              f"--occurrence N (1–{count}) picks another", file=sys.stderr)


def find_quote(text: str, quote: str, occurrence: int, title: str, doc_id: int) -> tuple[int, int]:
    """The span of the ``occurrence``-th (1-based) match of ``quote``: exact first, then with
    any run of whitespace matching any other (quotes copied from PDFs wrap differently).
    The quote is normalised as imported text was (NFC, LF...): text copied on macOS arrives
    decomposed ("e" + U+0301) and would otherwise never match the stored "é"."""
    quote = normalise_text(quote)
    if not quote.strip():
        raise CliError("--quote is empty")
    if occurrence < 1:
        raise CliError("--occurrence counts from 1")
    spans = quote_spans(text, quote)
    if not spans:
        raise InvalidInput(f"quote not found in document {doc_id} ({title!r}): {quote!r}")
    if occurrence > len(spans):
        raise InvalidInput(
            f"document {doc_id} ({title!r}) has {len(spans)} occurrence(s) of {quote!r}, "
            f"not {occurrence}"
        )
    return spans[occurrence - 1]


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every match of ``quote`` (already normalised): exact ones, else whitespace-loose ones."""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(quote), text)]
    if not spans and quote.split():
        loose = r"\s+".join(re.escape(w) for w in quote.split())
        spans = [(m.start(), m.end()) for m in re.finditer(loose, text)]
    return spans


def cmd_highlights(args: argparse.Namespace, library: Library) -> int:
    if args.doc_id is not None:
        library.document(args.doc_id)  # a clear "no document N" rather than an empty list
    highlights = library.highlights(args.doc_id)
    if args.coder:
        known = {c.name for c in library.coders()}
        unknown = [c for c in args.coder if c not in known]
        if unknown:
            raise CliError(f"no coder {unknown[0]!r} in this project (coders: "
                           f"{', '.join(sorted(known)) or 'none yet'})", 1)
        highlights = [h for h in highlights if h.author in args.coder]
    if args.json:
        print_json([highlight_json(h) for h in highlights])
        return 0
    # The coder is named only where there is more than one: one researcher's list stays as it was.
    several = len({h.author for h in highlights}) > 1
    for h in highlights:
        tags = ", ".join([*h.actors, *h.topics, *h.other_tags])
        page = f"p{h.page}" if h.page else "  "
        quote = " ".join(h.text.split())
        quote = quote if len(quote) <= 70 else quote[:69] + "…"
        coder = f"  ({one_line(h.author)})" if several else ""
        print(f"{h.id:>5}  doc {h.document_id:<4} {page:<4} {h.start}:{h.end}  [{one_line(tags)}]  "
              f"{one_line(quote)}{coder}")
    return 0


# ----------------------------------------------------------------- wiring
def register(sub: Any) -> None:
    p = command(sub, "init", cmd_init, write=True, help="create a project folder")
    p.add_argument("dir", nargs="?", help="folder to create (default: the --project folder)")
    p.add_argument("--db", metavar="URL",
                   help="a team project on a PostgreSQL server (postgresql://USER@HOST/DB): "
                        "created in an empty database, connected to when the database holds one")
    p.set_defaults(no_library=True)

    p = command(sub, "docs", cmd_docs, write=False, help="list documents")
    p.add_argument("--json", action="store_true", help="print one JSON array")

    p = command(sub, "text", cmd_text, write=False, help="print a document's stored plain text")
    p.add_argument("doc_id", type=int, metavar="DOC_ID")

    p = command(sub, "doc-edit", cmd_doc_edit, write=True, help="edit a document's metadata")
    p.add_argument("doc_id", type=int, metavar="ID")
    p.add_argument("--title")
    p.add_argument("--author")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="'' clears the date")
    p.add_argument("--source", help="original URL or path")
    p.add_argument("--json", action="store_true")

    p = command(sub, "tags", cmd_tags, write=False, help="list tags with counts")
    p.add_argument("--json", action="store_true", help="print one JSON array")

    p = command(sub, "tag", cmd_tag, write=True, help="highlight a passage and tag it")
    p.add_argument("doc_id", type=int, metavar="DOC_ID")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", metavar="TEXT", help="the passage, as it appears in `text`")
    where.add_argument("--span", metavar="START:END", help="code-point offsets, end exclusive")
    p.add_argument("--occurrence", type=int, default=None, metavar="N",
                   help="which match of --quote (from 1; default the first, with a note on "
                        "stderr when there are more)")
    p.add_argument("--actor", action="append", default=[], metavar="NAME")
    p.add_argument("--topic", action="append", default=[], metavar="NAME")
    p.add_argument("--tag", action="append", default=[], metavar="CATEGORY:NAME")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--json", action="store_true", help="print the new highlight as JSON")

    p = command(sub, "highlights", cmd_highlights, write=False, help="list highlights")
    p.add_argument("doc_id", type=int, nargs="?", metavar="DOC_ID")
    p.add_argument("--coder", action="append", default=[], metavar="NAME",
                   help="only highlights this coder made (repeat for several)")
    p.add_argument("--json", action="store_true", help="print one JSON array")
