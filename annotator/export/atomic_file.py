"""Writing a binary export file atomically: a temporary file beside the target, synced, then
renamed over it, so a failure or a cancel never leaves half a file under the user's name.
The same steps the CSV export takes for its text file (its helpers are reused)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from annotator.export.csv_export import (
    _check_target,
    _copy_mode,
    _create_temp,
    _sync_folder,
)
from annotator.export.errors import ExportFailed

T = TypeVar("T")


def write_binary_atomically(target: Path, write: Callable[[BinaryIO], T]) -> T:
    _check_target(target)
    temp, fd = _create_temp(target)
    try:
        with os.fdopen(fd, "w+b") as fh:
            result = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(target, temp)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise ExportFailed(f"cannot write {target}: {exc.strerror or exc}{hint}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return result
