"""A throwaway PostgreSQL server for the team-project tests: its own cluster under a temporary
folder (``initdb``), on a free localhost port (``pg_ctl``), removed after the session.

Nothing here touches a server the machine already runs. PostgreSQL refuses to run as root, so
as root the cluster belongs to the ``postgres`` system user (the Debian package creates it).
Where no server can be started the tests that need one are skipped with the reason, unless
``ANNOTATOR_REQUIRE_POSTGRES`` is set (``scripts/test`` sets it after installing PostgreSQL):
then they fail, so a CI that lost its server cannot pass by skipping.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

REQUIRE_VARIABLE = "ANNOTATOR_REQUIRE_POSTGRES"
SUPERUSER = "annotator_admin"


class NoServer(RuntimeError):
    """No PostgreSQL server could be started here; the message says why."""


def find_binaries() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's versioned folder."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                     key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise NoServer("PostgreSQL is not installed (no initdb/pg_ctl on PATH or under "
                   "/usr/lib/postgresql/*/bin); scripts/test installs the Debian 'postgresql' package")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempServer:
    """One running throwaway cluster; ``database()`` hands out fresh databases on it."""

    def __init__(self) -> None:
        self.bin = find_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.host = "127.0.0.1"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                raise NoServer("running as root and there is no 'postgres' user to own the "
                               "test cluster (PostgreSQL refuses to run as root)") from None
            if runuser is None:
                raise NoServer("running as root without 'runuser' to start PostgreSQL as 'postgres'")
            self._as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o700)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                   "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
        log = self.root / "server.log"
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", "60",
                   "-o", f"-p {self.port} -h {self.host} -k {self.root} -c fsync=off "
                         "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                   "start"], "pg_ctl start", log)

    def _run(self, command: Sequence[str], what: str, log: Path | None = None) -> None:
        done = subprocess.run([*self._as_user, *command], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip()
            if log is not None and log.exists():
                detail += "\n" + log.read_text(errors="replace")[-2000:]
            raise NoServer(f"{what} failed: {detail}")

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        who = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{who}@{self.host}:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement as the superuser (outside a transaction: CREATE DATABASE may)."""
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user=SUPERUSER, dbname=database,
                             autocommit=True) as conn:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def database(self) -> str:
        """A new empty database's name."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.sql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                      "pg_ctl stop")
        except NoServer:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
