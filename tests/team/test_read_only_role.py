"""PostgreSQL's grants decide who may write: a role with SELECT only opens, browses, searches
and exports a team project, and every write it tries is refused with one sentence."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from annotator.core.errors import ReadOnlyProject
from annotator.core.library import Library
from tests.pg_server import TempServer
from tests.team.helpers import ARTICLE, cli, plain_url, write_article


@pytest.fixture
def shared(pg_server: TempServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """A team project with one tagged document, made by the server's superuser."""
    db = pg_server.database()
    url = plain_url(pg_server, db)
    owner = tmp_path / "owner"
    assert cli(capsys, "init", "--db", url, str(owner))[0] == 0
    article = write_article(tmp_path / "in")
    assert cli(capsys, "-p", str(owner), "import", str(article))[0] == 0
    assert cli(capsys, "-p", str(owner), "tag", "1", "--quote", "Tariffs on steel",
               "--topic", "steel", "--note", "key")[0] == 0
    yield db, owner
    pg_server.drop_database(db)


def _role(pg_server: TempServer, db: str, grants: str) -> str:
    name = "r_" + uuid.uuid4().hex[:8]
    pg_server.sql(f"CREATE ROLE {name} LOGIN")
    pg_server.sql(f"GRANT USAGE ON SCHEMA public TO {name}", db)
    pg_server.sql(f"GRANT {grants} ON ALL TABLES IN SCHEMA public TO {name}", db)
    pg_server.sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}", db)
    return name


def test_a_reader_browses_searches_and_exports_but_cannot_write(
        pg_server: TempServer, shared: tuple[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db, _owner = shared
    reader = _role(pg_server, db, "SELECT")
    folder = tmp_path / "reader"
    code, out, err = cli(capsys, "init", "--db", plain_url(pg_server, db, reader), str(folder))
    assert code == 0, err
    assert f"as {reader}, read-only" in out
    code, out, err = cli(capsys, "-p", str(folder), "docs", "--json")
    assert code == 0, err
    assert [d["title"] for d in json.loads(out)] == [ARTICLE.splitlines()[0]]
    code, out, err = cli(capsys, "-p", str(folder), "search", "note:key", "--json")
    assert code == 0 and len(json.loads(out)) == 1, err
    code, out, err = cli(capsys, "-p", str(folder), "export", "csv", str(tmp_path / "x.csv"))
    assert code == 0, err
    assert "Tariffs on steel" in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    code, out, err = cli(capsys, "-p", str(folder), "export", "qdpx", str(tmp_path / "x.qdpx"))
    assert code == 0, err
    code, out, err = cli(capsys, "-p", str(folder), "check")
    assert code == 0, out + err
    # Writing: one sentence, nothing changed.
    code, out, err = cli(capsys, "-p", str(folder), "tag", "1", "--quote", "dairy",
                         "--topic", "dairy")
    assert (code, err.strip()) == (1, "annotator: you have read-only access to this team project")
    code, out, err = cli(capsys, "-p", str(folder), "var", "set", "1", "outlet", "CBC")
    assert code == 1 and "read-only access" in err
    assert pg_server.sql("SELECT count(*) FROM highlights", db) == [(1,)]
    with Library.open(folder) as library:
        assert library.user == reader
        assert library.team is not None and not library.team.writable
        assert library.original_path(1) is not None
        with pytest.raises(ReadOnlyProject, match="read-only access to this team project"):
            library.create_tag("dairy", "topic")


def test_grants_taken_away_while_open_give_the_same_sentence(
        pg_server: TempServer, shared: tuple[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db, _owner = shared
    coder = _role(pg_server, db, "SELECT, INSERT, UPDATE, DELETE")
    folder = tmp_path / "coder"
    assert cli(capsys, "init", "--db", plain_url(pg_server, db, coder), str(folder))[0] == 0
    with Library.open(folder) as library:
        assert library.team is not None and library.team.writable
        tag = library.create_tag("dairy", "topic")
        assert tag.id > 1
        pg_server.sql(f"REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM {coder}", db)
        with pytest.raises(ReadOnlyProject, match="read-only access to this team project"):
            library.add_highlight(1, 0, 6, tag_ids=[tag.id])
    assert pg_server.sql("SELECT count(*) FROM highlights", db) == [(1,)]
