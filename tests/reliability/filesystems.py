"""Small real file systems for the disk-full and read-only tests: a size-limited tmpfs
mounted for the test (root only; the tests skip where mounting is not permitted)."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_filesystem(where: Path, size: str = "4m") -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount_read_only(where: Path) -> None:
    result = subprocess.run(["mount", "-o", "remount,ro", str(where)], capture_output=True,
                            text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot remount read-only: {result.stderr.strip()}")


def fill(where: Path) -> Path:
    """Fill the file system to the last byte; returns the filler file (delete it to free)."""
    filler = where / "filler.bin"
    for size in (65536, 4096, 512, 1):  # big blocks, then the last partial ones
        with filler.open("ab", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    os.sync()
    return filler
