"""Starting worker processes from any thread of the app: batch import's readers
(``importers.parallel``) and a large CSV export's row writers (``export.csv_parallel``)."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Start a worker that does not import the caller's main module. By default a forkserver
    or spawn child first re-runs ``__main__`` (as ``__mp_main__``) and every import at its top:
    the benchmark's, pytest's, a script's, which cost seconds per worker under load, more than
    the work itself. Workers run library code only, which they import by name, so they are
    started while ``__main__`` is a bare module (multiprocessing reads it only to describe the
    child, in ``start``)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is None:
            del sys.modules["__main__"]
        else:
            sys.modules["__main__"] = main
