"""Silencing a chatty library's logger while it runs, instead of for the whole process.

trafilatura and pypdf log at WARNING/ERROR for what is routine to us (a page too short for an
article, a repaired PDF), and the outcome reaches the user as our own message. Their level is
raised only while an extraction runs, and put back after, so importing an importer changes
no logging; with debug logging on (``annotator --debug``) nothing is hidden.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active: dict[str, tuple[int, int]] = {}  # logger name -> (extractions running, level before)


@contextmanager
def quieter(name: str, level: int) -> Iterator[None]:
    """Logger ``name`` drops records below ``level`` while the block runs (in any thread: the
    level is put back when the last block running ends)."""
    logger = logging.getLogger(name)
    if logger.getEffectiveLevel() <= logging.DEBUG and name not in _active:
        yield  # someone asked to see everything
        return
    with _lock:
        running, before = _active.get(name, (0, logger.level))
        if running == 0:
            logger.setLevel(max(level, logger.level))
        _active[name] = (running + 1, before)
    try:
        yield
    finally:
        with _lock:
            running, before = _active.pop(name)
            if running > 1:
                _active[name] = (running - 1, before)
            else:
                logger.setLevel(before)
