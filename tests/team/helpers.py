"""Shared by the team-project tests: running the CLI in-process, a sample article."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from tests.pg_server import TempServer

ARTICLE = ("Carney met Trump in Ottawa. Tariffs on steel came first, then dairy.\n\n"
           "Ontario's premier wants retaliation on steel.\n")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def plain_url(server: TempServer, database: str, user: str = "annotator_admin") -> str:
    """The URL as a researcher types it (no driver name)."""
    return f"postgresql://{user}@{server.host}:{server.port}/{database}"


def write_article(folder: Path, name: str = "talks.txt", text: str = ARTICLE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def password_role(server: TempServer, database: str, password: str) -> str:
    """A role the server asks a password of (the test cluster trusts everyone else): a line
    for it alone goes first in pg_hba.conf. It may write to ``database``."""
    import uuid

    name = "pw_" + uuid.uuid4().hex[:8]
    server.sql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    for grant in (f"GRANT ALL ON SCHEMA public TO {name}",
                  f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}",
                  f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}"):
        server.sql(grant, database)
    hba = server.data / "pg_hba.conf"
    hba.write_text(f"host all {name} {server.host}/32 scram-sha-256\n" + hba.read_text())
    server.sql("SELECT pg_reload_conf()")
    return name
