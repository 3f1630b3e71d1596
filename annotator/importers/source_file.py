"""Reading a file's bytes with the errors a researcher can act on (vanished, too big, empty)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.importers.limits import ImportLimits


def read_source_bytes(path: Path, limits: ImportLimits) -> bytes:
    """The whole file, after checking it is a regular, non-empty file within the size limit.

    The size is checked on ``stat`` first so a 5 GB file is never read, and again on the bytes
    actually read because the file may grow between the two calls."""
    try:
        info = path.stat()
        if path.is_dir():
            raise ImportFailed("is a folder, not a file")
        limits.check_bytes(info.st_size)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError as exc:
        raise ImportFailed("file vanished before it could be read") from exc
    except IsADirectoryError as exc:
        raise ImportFailed("is a folder, not a file") from exc
    except PermissionError as exc:
        raise ImportFailed("permission denied: the file cannot be read") from exc
    except OSError as exc:
        raise ImportFailed(f"could not be read: {exc.strerror or exc}") from exc
    limits.check_bytes(len(data))
    if not data:
        raise ImportFailed("empty file")
    return data
