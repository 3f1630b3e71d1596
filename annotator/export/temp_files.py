"""Temporary files beside an export's target, and the leftovers of exports that were killed.

An export writes ``.NAME.<pid>-<random>.part`` and renames it over ``NAME`` when complete. A
process killed in between leaves the part file; the next export to the same name removes those
whose writer is gone (its pid no longer runs), and older unnamed-writer ones (``.NAME.<random>
.part`` from before pids were recorded) once they are an hour old.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

_OLD_FORMAT_AGE_S = 3600


def temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process, or a platform that cannot tell
    return True


def sweep_leftovers(target: Path) -> list[Path]:
    """Remove part files of ``target`` left by killed exports; returns what was removed."""
    pattern = re.compile(
        r"\." + re.escape(target.name) + r"\.(?:(\d+)-)?[0-9a-f]{8}\.part"
    )
    removed = []
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return removed
    now = time.time()
    for path in candidates:
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        pid = match.group(1)
        try:
            if pid is not None:
                stale = not _pid_alive(int(pid))
            else:
                stale = now - path.stat().st_mtime > _OLD_FORMAT_AGE_S
            if stale:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
