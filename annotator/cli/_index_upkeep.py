"""Keeping the search index current from the command line.

The app rebuilds a stale index in the background when it opens a project; a command has no
background, so a command that opens the project for writing rebuilds the index first when it
is missing, damaged or behind the database (a killed ``import`` leaves it behind). ``search``
opens the project read-only, and only when the index needs repair does it try to take the
project for writing; if the app holds the project, it searches what the index has and says
on stderr that results may be incomplete.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.errors import ProjectLocked

if TYPE_CHECKING:
    from annotator.core.library import Library


# A command runs no Qt threads, so Whoosh may fork writer processes for a big rebuild.
REBUILD_PROCESSES = 2


def refresh(library: Library) -> None:
    """Rebuild the index of a project open for writing if it is not current."""
    if library.refresh_index(processes=REBUILD_PROCESSES) is not None:
        documents = library.counts()["documents"]
        print(
            f"annotator: search index was out of date; rebuilt ({documents} documents)",
            file=sys.stderr,
        )


def open_for_search(args: argparse.Namespace, open_library: Callable[..., Library]) -> Library:
    """The project open read-only with a current index, repaired first when it is not.
    ``open_library(args, write=…)`` opens the project the command names."""
    library = open_library(args, write=False)
    # Generation and counts only: the content fingerprint (edits made outside Annotator) is
    # `check`'s business and would add a full read of the database to every search.
    problem = library.index_problem(content=False)
    if problem is None:
        return library
    library.close()
    try:
        library = open_library(args, write=True, wait=False)
    except ProjectLocked:
        library = open_library(args, write=False)
        problem = library.index_problem(content=False) or problem
        print(
            f"annotator: search index is out of date ({problem}); results may be incomplete: "
            "run `annotator reindex` or open the project in the app",
            file=sys.stderr,
        )
        return library
    try:
        refresh(library)
    except BaseException:
        library.close()
        raise
    return library
