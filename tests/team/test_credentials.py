"""Credentials come from libpq's places (~/.pgpass, PGPASSWORD) and are never written to the
project folder; a wrong or missing password is one line naming the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.library import Library
from tests.pg_server import TempServer
from tests.team.helpers import cli, password_role, plain_url


@pytest.fixture
def guarded(pg_server: TempServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """A team project, and a role that must give a password to reach it."""
    db = pg_server.database()
    assert cli(capsys, "init", "--db", plain_url(pg_server, db), str(tmp_path / "owner"))[0] == 0
    role = password_role(pg_server, db, "open sesame")
    yield db, role
    pg_server.drop_database(db)


def test_password_from_the_environment_or_pgpass_never_stored(
        pg_server: TempServer, guarded: tuple[str, str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    db, role = guarded
    url = plain_url(pg_server, db, role)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    code, out, err = cli(capsys, "init", "--db", url, str(tmp_path / "a"))
    assert code == 1 and not (tmp_path / "a").exists()
    assert err.strip() == (f"annotator: cannot log in to the team project server "
                           f"{pg_server.host}:{pg_server.port}/{db} as {role}: a password is needed")

    monkeypatch.setenv("PGPASSWORD", "wrong")
    code, out, err = cli(capsys, "init", "--db", url, str(tmp_path / "a"))
    assert code == 1 and err.strip().endswith(f"as {role}: wrong password")
    assert len(err.strip().splitlines()) == 1

    monkeypatch.setenv("PGPASSWORD", "open sesame")
    code, out, err = cli(capsys, "init", "--db", url, str(tmp_path / "a"))
    assert code == 0, err
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{pg_server.host}:{pg_server.port}:{db}:{role}:open sesame\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    code, out, err = cli(capsys, "-p", str(tmp_path / "a"), "docs")
    assert code == 0, err
    with Library.open(tmp_path / "a") as library:
        assert library.user == role
    stored = b"".join(p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert b"sesame" not in stored
