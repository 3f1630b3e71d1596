"""``annotator init --db URL DIR`` creates a team project or connects to one; every command
that takes a project opens it; originals live in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.library import Library
from tests.pg_server import TempServer
from tests.team.helpers import cli, plain_url, write_article


def test_init_creates_then_a_second_client_connects(
        pg_server: TempServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = pg_server.database()
    url = plain_url(pg_server, db)
    first, second = tmp_path / "ana", tmp_path / "ben"
    code, out, err = cli(capsys, "init", "--db", url, str(first))
    assert code == 0, err
    assert out.startswith(f"created team project on {pg_server.host}:{pg_server.port}/{db} "
                          "as annotator_admin")
    stored = json.loads((first / "team.json").read_text())
    assert stored == {"format": 1, "url": f"postgresql+psycopg://annotator_admin@"
                                          f"{pg_server.host}:{pg_server.port}/{db}"}
    assert sorted(p.name for p in first.iterdir()) == ["index", "team.json"]

    article = write_article(tmp_path / "in")
    code, out, err = cli(capsys, "-p", str(first), "import", str(article))
    assert code == 0, err
    code, out, err = cli(capsys, "-p", str(first), "tag", "1", "--quote", "Tariffs on steel",
                         "--topic", "steel")
    assert code == 0, err
    # The original is in the database, not in the folder.
    assert not (first / "sources").exists()
    rows = pg_server.sql("SELECT document_id, length(data) FROM originals", db)
    assert rows == [(1, len(article.read_bytes()))]

    code, out, err = cli(capsys, "init", "--db", url, str(second))
    assert code == 0, err
    assert out.startswith("connected to team project") and "1 documents, 1 highlights" in out
    code, out, err = cli(capsys, "-p", str(second), "search", "topic:steel", "--json")
    assert code == 0, err
    assert [(hit["kind"], hit["highlight_id"]) for hit in json.loads(out)] == [("highlight", 1)]
    with Library.open(second) as library:
        assert library.user == "annotator_admin"
        assert library.team is not None and library.team.writable
        path = library.original_path(1)
        assert path is not None and path.read_bytes() == article.read_bytes()
        assert [h.author for h in library.highlights(1)] == ["annotator_admin"]
    code, out, err = cli(capsys, "-p", str(second), "check")
    assert code == 0, out + err
    pg_server.drop_database(db)


def test_url_with_password_is_not_stored(pg_server: TempServer, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = pg_server.database()
    url = f"postgresql://annotator_admin:s3cret@{pg_server.host}:{pg_server.port}/{db}"
    code, out, err = cli(capsys, "init", "--db", url, str(tmp_path / "p"))
    assert code == 0, err
    assert "s3cret" not in (tmp_path / "p" / "team.json").read_text() + out
    pg_server.drop_database(db)


def test_unreachable_server_is_one_line_naming_it(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from tests.pg_server import free_port

    port = free_port()
    code, out, err = cli(capsys, "init", "--db", f"postgresql://ana@127.0.0.1:{port}/lab",
                         str(tmp_path / "p"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert f"cannot connect to the team project server 127.0.0.1:{port}/lab as ana" in err
    assert not (tmp_path / "p").exists()


def test_refuses_a_database_holding_other_tables(pg_server: TempServer, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = pg_server.database()
    pg_server.sql("CREATE TABLE payroll (id int)", db)
    code, out, err = cli(capsys, "init", "--db", plain_url(pg_server, db), str(tmp_path / "p"))
    assert code == 1 and "holds other tables" in err
    assert pg_server.sql("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_schema = 'public'", db) == [(1,)]
    pg_server.drop_database(db)


def test_not_a_postgresql_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "init", "--db", "mysql://x@h/db", str(tmp_path / "p"))
    assert code == 1 and "not a PostgreSQL URL" in err


def test_an_original_over_the_size_limit_is_refused_and_nothing_stored(
        pg_server: TempServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = pg_server.database()
    folder = tmp_path / "team"
    assert cli(capsys, "init", "--db", plain_url(pg_server, db), str(folder))[0] == 0
    big = write_article(tmp_path / "in", "big.txt", "steel tariffs. " * 80_000)  # ~1.2 MB
    code, out, err = cli(capsys, "-p", str(folder), "import", str(big), "--max-size", "1")
    assert code == 1 and "big.txt" in out + err
    assert pg_server.sql("SELECT count(*) FROM documents", db) == [(0,)]
    assert pg_server.sql("SELECT count(*) FROM originals", db) == [(0,)]
    code, out, err = cli(capsys, "-p", str(folder), "import", str(big))
    assert code == 0, err
    assert pg_server.sql("SELECT length(data) FROM originals", db) == [(big.stat().st_size,)]
    pg_server.drop_database(db)
