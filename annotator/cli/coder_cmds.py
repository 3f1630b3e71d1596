"""``annotator coders`` (who coded what) and ``annotator blind on|off|status`` (blind coding).

Blind coding is kept in the project for the user running the command (the login name, or the
PostgreSQL role of a team project): while it is on, every command of that user (``highlights``,
``tags``, ``docs``, ``search``, ``export``, ``report``…) shows only their own highlights and
counts, as the app does, until they turn it off to compare.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from annotator.cli._common import command, one_line, print_json

if TYPE_CHECKING:
    from annotator.core.library import Library

_STATES = ("on", "off", "status")


def cmd_coders(args: argparse.Namespace, library: Library) -> int:
    coders = library.coders()
    if args.json:
        print_json([{"coder": c.name, "highlights": c.highlights, "notes": c.notes,
                     "you": c.name == library.user} for c in coders])
        return 0
    if not coders:
        print("no highlights yet")
    for c in coders:
        you = "  (you)" if c.name == library.user else ""
        name = one_line(c.name) if c.name else "(unknown)"
        print(f"{name:<24} {c.highlights:>6} highlights {c.notes:>6} notes{you}")
    if library.blind_coding():
        print(f"blind coding is on for {one_line(library.user)}: other coders are hidden "
              "(`annotator blind off` to compare)")
    return 0


def cmd_blind(args: argparse.Namespace, library: Library) -> int:
    if args.state != "status":
        library.set_blind_coding(args.state == "on")
    on = library.blind_coding()
    if args.json:
        print_json([{"user": library.user, "blind": on}])
    elif on:
        print(f"blind coding is on for {one_line(library.user)}: only your own highlights "
              "and their counts are shown")
    else:
        print(f"blind coding is off for {one_line(library.user)}: every coder's highlights "
              "are shown")
    return 0


def register(sub: Any) -> None:
    p = command(sub, "coders", cmd_coders, write=False, index="leave",
                help="list the project's coders with their highlight and note counts")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p = command(sub, "blind", cmd_blind, write=True, index="leave",
                help="blind coding: hide other coders' highlights and counts from you")
    p.add_argument("state", nargs="?", choices=_STATES, default="status",
                   help="turn it on or off for you, or say whether it is on (default)")
    p.add_argument("--json", action="store_true", help="print the state as JSON")
