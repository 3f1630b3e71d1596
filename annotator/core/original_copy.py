"""Writing the project's copy of an imported original under ``sources/``.

The copy must be exactly the bytes the importer parsed: copying the file from disk again after
reading it would store whatever the file has become since (an editor saving over it, a sync
client replacing it). The bytes go to a hidden temporary name first and are renamed into place,
so a crash never leaves a half-written copy under a real name (``stale_files.sweep_stale`` removes
any temporary leftover the next time the project opens).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from annotator.core.errors import InvalidInput
from annotator.core.stale_files import PARTIAL_COPY_PREFIX

# Most file systems allow 255 bytes per name; the stored copy adds "00001 " in front.
MAX_NAME_BYTES = 255


def stored_name(document_id: int, name: str) -> str:
    """``"00042 name.pdf"``, shortened in its stem (never its suffix, never mid-character) to
    fit in a file name: a 254-byte original name must still import."""
    prefix = f"{document_id:05d} "
    full = prefix + name
    if len(full.encode("utf-8")) <= MAX_NAME_BYTES:
        return full
    suffix = Path(name).suffix
    if len(suffix.encode("utf-8")) > 32:
        suffix = ""
    room = MAX_NAME_BYTES - len(prefix.encode("utf-8")) - len(suffix.encode("utf-8"))
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return prefix + stem + suffix


def store_original(target: Path, original: Path, data: bytes | None) -> None:
    """Write ``data`` (the bytes read from ``original``) to ``target``; with no bytes given,
    read ``original`` once and store what was read."""
    if data is None:
        try:
            data = original.read_bytes()
        except FileNotFoundError as exc:
            raise InvalidInput("file vanished before it could be copied") from exc
    target.parent.mkdir(exist_ok=True)
    temp = stage_copy(target.parent, original, data)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stage_copy(folder: Path, original: Path, data: bytes, tag: str = "") -> Path:
    """Write ``data`` to a new hidden temporary file in ``folder``, synced to disk and dated
    like ``original``; returns its path. Renaming it to its real name (``document_batch``) is
    then all that is left to do, so a batch import's reader processes stage the copies and
    the one writer only renames them. ``tag`` starts the temporary name after the prefix, so
    the batch that wrote them can remove its leftovers; any left behind are swept when the
    project next opens."""
    folder.mkdir(exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=PARTIAL_COPY_PREFIX + tag)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _keep_modification_time(original, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def sync_folder(folder: Path) -> None:
    """Make the renames into ``folder`` durable (the files themselves were synced before):
    once per batch of copies, before the database commit that points to them, and after an
    export's atomic replace. Best effort: Windows cannot open a folder to sync it (and NTFS
    journals renames itself)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _keep_modification_time(original: Path, copy: Path) -> None:
    """"Open original" should show the file's own date, as a plain copy would."""
    try:
        info = original.stat()
    except OSError:
        return  # the original may be gone by now; the bytes are what matters
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns))
