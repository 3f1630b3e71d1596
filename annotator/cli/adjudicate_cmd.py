"""Disagreements and adjudication from the command line.

``annotator report disagreements --coders A,B [--group NAME=A+B]… [--tag …] [--json]`` lists
the passages coders differ on (see ``core.disagreements``); ``annotator adjudicate`` settles
them into the consensus coder: ``--copy-agreed`` copies the passages they coded alike,
``--accept CODER`` or ``--merge`` settle the passages named by ``--passage DOC:START-END``
(or, with ``--all``, every listed one). ``--group`` pools coders, as in ``report agreement``.
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from annotator.cli._common import CliError, command, print_json
from annotator.core.disagreements import Passage

if TYPE_CHECKING:
    from annotator.core.adjudication import Adjudicated
    from annotator.core.library import Library

_PASSAGE = re.compile(r"(\d+):(\d+)-(\d+)\Z")


def add_coder_options(p: argparse.ArgumentParser, *, coders_required: bool = True) -> None:
    p.add_argument("--coders", required=coders_required, metavar="A,B[,C]",
                   help="two or more coders (or group names), comma-separated, as highlights "
                        "name their author")
    p.add_argument("--group", action="append", default=[], metavar="NAME=A+B",
                   help="pool coders A and B and compare them as one coder NAME (repeatable)")
    p.add_argument("--tag", action="append", default=[], metavar="[CATEGORY:]NAME",
                   help="only this tag (repeatable); default: every tag the coders used")


def coders_and_groups(args: argparse.Namespace, library: Library) -> tuple[list[str], dict[str, list[str]]]:
    """The compared coders (group names stand for their members) and the groups, checked
    against the project's coders; a CliError names what is wrong."""
    coders = [c.strip() for c in args.coders.split(",") if c.strip()]
    if len(coders) < 2 or len(set(coders)) != len(coders):
        raise CliError("--coders needs two or more different coders, e.g. --coders ann,bob")
    if library.blind_coding():
        raise CliError(f"blind coding is on for {library.user}: other coders' highlights stay "
                       "hidden until you choose to compare (`annotator blind off`)", 1)
    groups: dict[str, list[str]] = {}
    for spec in args.group:
        name, sep, members = spec.partition("=")
        names = [m.strip() for m in members.split("+") if m.strip()]
        if not sep or not name.strip() or not names:
            raise CliError(f"--group {spec!r}: write it as NAME=CODER+CODER, e.g. team=ann+cat")
        groups[name.strip()] = names
    known = sorted(c.name for c in library.coder_summaries())
    named = [m for members in groups.values() for m in members]
    missing = [c for c in [*coders, *named] if c not in groups and c not in known]
    if missing:
        raise CliError(f"no highlights by {', '.join(dict.fromkeys(missing))} (coders in this "
                       f"project: {', '.join(known) or 'none'})", 1)
    twice = {m for m in named if named.count(m) > 1}
    if twice:
        raise CliError(f"{', '.join(sorted(twice))} is in two groups")
    return coders, groups


def tag_labels(library: Library, wanted: list[str]) -> list[str] | None:
    """``category:name`` labels for ``--tag`` values (a bare name may stand in two categories)."""
    if not wanted:
        return None
    labels = []
    tags = library.tags()
    for name in wanted:
        category, _, bare = name.rpartition(":")
        found = [t for t in tags if t.name.casefold() == bare.casefold()
                 and (not category or t.category == category)]
        if not found:
            raise CliError(f"no tag {name!r}", 1)
        labels += [f"{t.category}:{t.name}" for t in found]
    return labels


def passage_row(p: Passage, held: tuple[Any, ...] = ()) -> dict[str, Any]:
    return {
        "document_id": p.document_id, "start": p.start, "end": p.end,
        "passage": f"{p.document_id}:{p.start}-{p.end}",
        "kinds": sorted(p.kinds), "difference": p.describe(), "disputed": list(p.disputed),
        "sides": {c: [{"id": h.id, "start": h.start, "end": h.end,
                       "tags": [f"{t.category}:{t.name}" for t in h.tags]} for h in side]
                  for c, side in zip(p.coders, p.sides, strict=True)},
        "consensus": [{"id": h.id, "start": h.start, "end": h.end,
                       "tags": [f"{t.category}:{t.name}" for t in h.tags]} for h in held],
    }


def cmd_disagreements(args: argparse.Namespace, library: Library) -> int:
    coders, groups = coders_and_groups(args, library)
    review = library.review_disagreements(coders, tags=tag_labels(library, args.tag),
                                          groups=dict(groups) or None)
    rows = [passage_row(p, held) for p, held in zip(review.passages, review.consensus, strict=True)]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        sides = "  |  ".join(
            f"{c}: " + (", ".join(f"{h['start']}-{h['end']} {'+'.join(t.partition(':')[2] for t in h['tags'])}"
                                  for h in hs) or "—")
            for c, hs in row["sides"].items())
        settled = " (settled)" if row["consensus"] else ""
        print(f"{row['passage']:<18} {row['difference']}{settled}\n    {sides}")
    print(f"{len(rows)} passage(s) where {', '.join(coders)} differ, in the {review.documents} "
          f"document(s) all of them coded")
    return 0


def cmd_adjudicate(args: argparse.Namespace, library: Library) -> int:
    if args.consensus:
        library.set_consensus_coder(args.consensus)
    coders, groups = coders_and_groups(args, library)
    chosen = [args.copy_agreed, args.accept is not None, args.merge]
    if sum(chosen) != 1:
        raise CliError("choose one of --copy-agreed, --accept CODER or --merge")
    tags = tag_labels(library, args.tag)
    if args.copy_agreed:
        review = library.review_disagreements(coders, tags=tags, groups=dict(groups) or None,
                                              include_agreed=True)
        return _said(args, library.accept_agreed(review.passages))
    if args.accept is not None and args.accept not in coders:
        raise CliError(f"--accept {args.accept!r} is not one of --coders")
    review = library.review_disagreements(coders, tags=tags, groups=dict(groups) or None)
    targets = list(review.passages) if args.all else _named(review.passages, args.passage)
    if not targets:
        raise CliError("name passages with --passage DOC:START-END (as report disagreements "
                       "lists them) or settle every listed one with --all")
    done: list[Adjudicated] = []
    for p in targets:
        done.append(library.accept_side(p, args.accept) if args.accept is not None
                    else library.merge_sides(p))
    added = tuple(h for d in done for h in d.added)
    removed = tuple(h for d in done for h in d.removed)
    from annotator.core.adjudication import Adjudicated

    return _said(args, Adjudicated(done[0].coder, added, removed))


def _named(passages: tuple[Passage, ...], specs: list[str]) -> list[Passage]:
    by_key = {f"{p.document_id}:{p.start}-{p.end}": p for p in passages}
    out = []
    for spec in specs:
        if not _PASSAGE.match(spec):
            raise CliError(f"--passage {spec!r}: write it as DOC:START-END, e.g. 3:120-188")
        if spec not in by_key:
            raise CliError(f"no disagreement {spec} between these coders (see annotator report "
                           "disagreements)", 1)
        out.append(by_key[spec])
    return out


def _said(args: argparse.Namespace, done: Adjudicated) -> int:
    if args.json:
        print_json([{"consensus": done.coder, "added": [h.id for h in done.added],
                     "removed": [h.id for h in done.removed]}])
    else:
        print(f"consensus coder {done.coder}: {len(done.added)} highlight(s) written, "
              f"{len(done.removed)} replaced")
    return 0


def add_disagreements_parser(report_sub: Any) -> None:
    """Add ``disagreements`` to the ``report`` command group."""
    p = command(report_sub, "disagreements", cmd_disagreements, write=False,
                help="passages where coders differ (one tagged it and another did not, "
                     "different tags or boundaries), each coder's side")
    add_coder_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON array of objects")


def register(sub: Any) -> None:
    p = command(sub, "adjudicate", cmd_adjudicate, write=True,
                help="settle disagreements into the consensus coder (accept a side, merge, or "
                     "copy the passages coders coded alike)")
    add_coder_options(p)
    what = p.add_argument_group("what to do (one)")
    what.add_argument("--copy-agreed", action="store_true",
                      help="copy every passage the coders coded alike into the consensus")
    what.add_argument("--accept", metavar="CODER", help="the consensus becomes this coder's side")
    what.add_argument("--merge", action="store_true",
                      help="the consensus becomes the union of the sides, tag by tag")
    p.add_argument("--passage", action="append", default=[], metavar="DOC:START-END",
                   help="a passage as report disagreements lists it (repeatable)")
    p.add_argument("--all", action="store_true", help="every passage the coders differ on")
    p.add_argument("--consensus", metavar="NAME",
                   help="name the consensus coder first (kept for the project)")
    p.add_argument("--json", action="store_true",
                   help='print [{"consensus", "added", "removed"}] (highlight ids)')
