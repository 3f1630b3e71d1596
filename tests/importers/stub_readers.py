"""Readers that misbehave on purpose, for the parallel import tests. Workers import them by
name, so they live in a module of their own (not a test module)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from annotator.importers.limits import ImportLimits
from annotator.importers.parallel import ReadResult, read_one


def hang_on_hang_files(path: Path, password: str | None, limits: ImportLimits,
                       keep_furniture: bool) -> ReadResult:
    """A parser stuck for good on any file whose name contains "hang"."""
    if "hang" in path.name:
        time.sleep(600)
    return read_one(path, password, limits, keep_furniture)


def crash_on_crash_files(path: Path, password: str | None, limits: ImportLimits,
                       keep_furniture: bool) -> ReadResult:
    """A parser taking its process down (a segfault in a C extension) on "crash" files."""
    if "crash" in path.name:
        os._exit(3)
    return read_one(path, password, limits, keep_furniture)
