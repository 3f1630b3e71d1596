"""Leftovers of work a killed process never finished, removed when a writer opens the project.

Only files nothing can need are removed: a partial copy of an original (``.importing-*``, the
import that wrote it died before its commit, and the original is still wherever it came from)
and the scratch folders of an index rebuild (``index.rebuilding``, ``index.old``: the index is
derived from the database). The caller holds the project lock, so no live process is using them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

PARTIAL_COPY_PREFIX = ".importing-"
_COPY_FOLDERS = ("sources", "orphaned-sources")
_INDEX_SCRATCH = ("index.rebuilding", "index.old")


def stale_files(folder: Path) -> list[Path]:
    """What ``sweep_stale`` would remove."""
    found: list[Path] = []
    for name in _COPY_FOLDERS:
        sub = folder / name
        if sub.is_dir():
            found.extend(sorted(sub.glob(PARTIAL_COPY_PREFIX + "*")))
    found.extend(p for p in (folder / n for n in _INDEX_SCRATCH) if p.exists())
    return found


def sweep_stale(folder: Path) -> list[Path]:
    """Remove the leftovers; returns what was removed."""
    removed = []
    for path in stale_files(folder):
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as exc:
            log.warning("could not remove the leftover %s: %s", path, exc)
            continue
        log.info("removed the leftover %s", path)
        removed.append(path)
    return removed
