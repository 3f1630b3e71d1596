"""Builders for the reliability tests: projects of a given size made fast, processes run and
killed, the children a process left behind."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotator.core.library import Library
from tests.core.helpers import add_text

_WORDS = ("tariff retaliation negotiation carney trade steel aluminium dairy border arctic "
          "sovereignty minister canada mexico united states agreement duties lumber").split()


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)) + "."


def big_project(folder: Path, *, documents: int, highlights: int, words: int = 4000) -> Path:
    """A project with ``documents`` texts and ``highlights`` highlights (written straight to
    the database: the Library's one-at-a-time path would take minutes), index left stale."""
    rng = random.Random(7)
    with Library.create(folder) as library:
        for n in range(documents):
            add_text(library, f"Document {n}\n\n" + prose(rng, words), title=f"Document {n}")
    with sqlite3.connect(folder / "project.sqlite") as conn:
        rows = []
        for n in range(highlights):
            doc = n % documents + 1
            start = (n * 13) % 2000
            text = conn.execute("SELECT substr(text, ?, 12) FROM documents WHERE id = ?",
                                (start + 1, doc)).fetchone()[0]
            rows.append((doc, start, start + 12, text, "", "2025-01-01 00:00:00.000000",
                         "2025-01-01 00:00:00.000000"))
        conn.executemany('INSERT INTO highlights (document_id, start, "end", text, author, '
                         "created, modified) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.close()
    return folder


def annotator_argv(*args: str, project: Path | None = None) -> list[str]:
    argv = [sys.executable, "-m", "annotator"]
    if project is not None:
        argv += ["-p", str(project)]
    return [*argv, *args]


def children_of(pid: int) -> set[int]:
    """Direct children of ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_until(condition: object, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(step)
    return bool(condition())  # type: ignore[operator]


def start(argv: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
