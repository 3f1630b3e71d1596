"""Annotator: read, highlight, tag and export passages from saved articles, offline."""

from __future__ import annotations

import gc

__version__ = "0.1.0"

# Start-up imports SQLAlchemy, Qt and Whoosh: a few hundred thousand objects that live as long
# as the process. The collector's young-generation passes over them free nothing and took a
# tenth of the import time (0.05-0.07 s of a cold start), so its first threshold is raised
# while the program loads; ``settled()`` puts Python's own thresholds back once the command
# runs or the window is up (the app freezes what it loaded first, see ``annotator.app``).
_USUAL_THRESHOLDS = gc.get_threshold()
_LOADING_THRESHOLD = 50_000  # allocations between young-generation passes (Python's: 700)
if _USUAL_THRESHOLDS[0] and _USUAL_THRESHOLDS[0] < _LOADING_THRESHOLD:
    gc.set_threshold(_LOADING_THRESHOLD, *_USUAL_THRESHOLDS[1:])


def settled() -> None:
    """The program has loaded: the collector runs as often as Python usually has it run."""
    if gc.get_threshold()[0] == _LOADING_THRESHOLD:
        gc.set_threshold(*_USUAL_THRESHOLDS)
