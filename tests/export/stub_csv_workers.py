"""CSV export workers that misbehave on purpose, for tests/export/test_csv_parallel.py. A
worker process imports its function by name, so they live in a module of their own."""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection


def _ready(conn: Connection) -> None:
    conn.recv()  # the job
    conn.send(("ready",))


def die_on_first_chunk(conn: Connection) -> None:
    """Taken down (a crash, the out-of-memory killer) holding its first chunk."""
    _ready(conn)
    conn.recv()
    os._exit(3)


def fail_on_first_chunk(conn: Connection) -> None:
    """Says its first chunk failed (a disk error on its part file, say), then leaves."""
    _ready(conn)
    conn.recv()
    conn.send(("failed", "OSError: no space left on device"))
    conn.close()


def silent_on_first_chunk(conn: Connection) -> None:
    """Hangs for good on its first chunk."""
    _ready(conn)
    conn.recv()
    time.sleep(600)


def never_ready(conn: Connection) -> None:
    """Never gets going (a machine so loaded that the export is over first)."""
    time.sleep(600)
