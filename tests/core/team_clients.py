"""Helpers for tests with several clients of one team project on the throwaway server: roles
that log in without a password, a schema, and a Library per coder (as Library.open_engine
opens a team project until the connection file lands)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core.library import Library
from tests.pg_server import TempServer

CODERS = ("alice", "bob")


def prepare_team_database(server: TempServer, url: str) -> str:
    """The schema in ``url``'s database, writable by every coder in ``CODERS``; its name."""
    database = url.rsplit("/", 1)[1]
    for coder in CODERS:
        server.sql(f"DO $$ BEGIN CREATE ROLE {coder} LOGIN; "
                   f"EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    engine = engine_for_url(url)
    try:
        create_schema(engine)
    finally:
        engine.dispose()
    roles = ", ".join(CODERS)
    server.sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {roles}", database)
    server.sql(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {roles}", database)
    return database


def open_client(server: TempServer, database: str, coder: str, folder: Path) -> Library:
    """``coder``'s client: its own connection (as that role) and its own index folder."""
    return Library.open_engine(folder, engine_for_url(server.url(database, user=coder)))


REPO = Path(__file__).resolve().parents[2]


class WriterProcess:
    """A coder's client in another process (``tests.core.team_writer``): ``ask`` sends one
    command and returns its answer. Started ready (its Library open), so what a test times
    starts at the write, not at the process's start-up."""

    def __init__(self, server: TempServer, database: str, coder: str, folder: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.core.team_writer", server.url(database, user=coder), str(folder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        self.coder = self.answer()["ready"]

    def send(self, op: str, **arguments: object) -> None:
        """Send a command without waiting for its answer (``answer`` reads it)."""
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self._process.stdin.flush()

    def ask(self, op: str, **arguments: object) -> dict[str, Any]:
        self.send(op, **arguments)
        return self.answer()

    def answer(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=60)
            assert self._process.stderr is not None
            raise AssertionError(f"the writer process ended: {self._process.stderr.read()}")
        answer: dict[str, Any] = json.loads(line)
        assert "error" not in answer, answer["error"]
        return answer

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self.send("quit")
                self._process.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
