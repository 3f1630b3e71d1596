"""The search command's quick path (``core.quick_search``): the same answers as
``Library.search`` on a project whose index is current, and None (the Library answers) in every
case it cannot vouch for."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.errors import InvalidQuery
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.quick_search import search_if_current
from annotator.core.search_results import SearchResults
from annotator.core.text import normalise_text
from tests.core.helpers import add_text

STEEL = ("Prime Minister Mark Carney said negotiations with Washington would continue, "
         "but Canada is ready for retaliation if the steel tariffs stay.")
NORAD = "The NORAD modernisation plan moves ahead after talks in Ottawa about Arctic radar."
PAGED = ("Page one speaks of dairy quotas and supply management. "
         "Page two turns to steel and aluminum tariffs, and to the Arctic.")

QUERIES = [
    "tariffs", "steel", "steel OR arctic", "tariffs NOT dairy", '"steel tariffs"', "tar*",
    "retal~", "actor:Carney", "actor:\"Mark Carney\" steel", "topic:tariffs", "stance:firm",
    "tag:tariffs", "in:documents arctic", "in:highlights steel", "in:notes follow",
    "follow", "region:prairies", "region:north OR region:prairies", "budget:[10 to 100]",
    "title:NORAD", "format:pdf", "page:2", "aluminum", "dairy", "nosuchfield:steel", "steel AND", "zzzz",
]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "Trade.annotator"
    with Library.create(folder) as library:
        steel = add_text(library, STEEL, title="Carney on steel")
        norad = add_text(library, NORAD, title="NORAD news")
        half = PAGED.index("Page two")
        paged = library.add_document(Extracted(
            text=normalise_text(PAGED), format="pdf", title="Quarterly brief",
            pages=((0, half), (half, len(PAGED)))))
        carney = library.create_tag("Mark Carney", "actor")
        tariffs = library.create_tag("tariffs", "topic")
        library.add_category("stance")
        firm = library.create_tag("firm", "stance")
        start = STEEL.index("Canada")
        library.add_highlight(steel.id, start, len(STEEL), tag_ids=[carney.id, firm.id],
                              note="follow up with the minister")
        library.add_highlight(paged.id, PAGED.index("steel"), len(PAGED), tag_ids=[tariffs.id])
        library.set_document_note(norad.id, "follow the radar contract")
        library.define_variable("region", "text")
        library.define_variable("budget", "number")
        library.set_document_variable(steel.id, "region", "prairies")
        library.set_document_variable(norad.id, "region", "north")
        library.set_document_variable(norad.id, "budget", "40")
        library.reindex()
    return folder


def library_answer(folder: Path, query: str, limit: int = 20) -> SearchResults:
    with Library.open(folder, readonly=True) as library:
        return library.search(query, limit=limit)


def same(a: SearchResults | None, b: SearchResults) -> bool:
    assert a is not None, "the quick path gave way on a project it should answer for"
    return replace(a, elapsed_ms=0.0) == replace(b, elapsed_ms=0.0)


@pytest.mark.parametrize("limit", [20, 1])
def test_answers_as_the_library_does(project: Path, limit: int) -> None:
    for query in QUERIES:
        quick = search_if_current(project, query, limit=limit)
        assert same(quick, library_answer(project, query, limit)), query
    # the fixture is not trivially empty: hits of every kind, pages and variables
    kinds = {h.kind for q in QUERIES for h in library_answer(project, q).hits}
    assert kinds == {"document", "highlight", "note"}
    assert [h.page for h in library_answer(project, "aluminum").hits if h.kind == "document"] == [2]
    assert {h.title for h in library_answer(project, "region:prairies").hits} == {"Carney on steel"}


def test_a_malformed_query_is_refused_as_the_library_refuses_it(project: Path) -> None:
    for query in ("", "()", 'actor:""'):
        with pytest.raises(InvalidQuery) as quick:
            search_if_current(project, query)
        with pytest.raises(InvalidQuery) as full:
            library_answer(project, query)
        assert str(quick.value) == str(full.value)


def _sql(folder: Path, statement: str, *params: object) -> None:
    with sqlite3.connect(folder / "project.sqlite") as db:
        db.execute(statement, params)
    db.close()


def test_gives_way_when_the_index_is_behind_the_database(project: Path) -> None:
    # A killed import: the database moved on, the index did not hear of it.
    _sql(project, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    assert search_if_current(project, "steel") is None


def test_gives_way_when_a_document_is_missing_from_the_index(project: Path) -> None:
    _sql(project, "DELETE FROM documents WHERE title = 'NORAD news'")
    assert search_if_current(project, "steel") is None


def test_gives_way_when_the_index_is_missing(project: Path) -> None:
    import shutil

    shutil.rmtree(project / "index")
    assert search_if_current(project, "steel") is None


@pytest.mark.parametrize("part", ["segments", "toc"])
def test_gives_way_when_the_index_is_damaged(project: Path, part: str) -> None:
    index = project / "index"
    files = [f for f in index.iterdir() if f.suffix != ".toc" and "WRITELOCK" not in f.name]
    for damaged in (list(index.glob("*.toc")) if part == "toc" else files):
        damaged.write_bytes(b"\x00garbage" * 64)
    assert search_if_current(project, "steel") is None


def test_gives_way_under_blind_coding(project: Path) -> None:
    with Library.open(project) as library:
        library.set_blind_coding(True)
    assert search_if_current(project, "steel") is None


def test_gives_way_on_a_schema_that_needs_an_upgrade(project: Path) -> None:
    _sql(project, "UPDATE alembic_version SET version_num = 'i15_vars'")
    assert search_if_current(project, "steel") is None


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\0" + b"\x07" * 4000])
def test_gives_way_on_a_damaged_or_foreign_file(project: Path, content: bytes) -> None:
    for extra in ("-wal", "-shm"):
        (project / f"project.sqlite{extra}").unlink(missing_ok=True)
    (project / "project.sqlite").write_bytes(content)
    assert search_if_current(project, "steel") is None


def test_gives_way_on_team_projects_and_missing_projects(project: Path, tmp_path: Path) -> None:
    assert search_if_current(tmp_path / "nowhere", "steel") is None
    (project / "team.json").write_text(json.dumps({"format": 1}), encoding="utf-8")
    assert search_if_current(project, "steel") is None


def test_hits_on_rows_gone_from_the_database_are_dropped(project: Path) -> None:
    # The index is current by its counts but a highlight it names is gone: a row replaced
    # behind Annotator's back. The hit check is the Library's.
    with sqlite3.connect(project / "project.sqlite") as db:
        (hid,) = db.execute("SELECT id FROM highlights ORDER BY id LIMIT 1").fetchone()
        columns = [c for (_, c, *_rest) in db.execute("PRAGMA table_info(highlights)") if c != "id"]
        listed = ", ".join(f'"{c}"' for c in columns)
        db.execute(f"INSERT INTO highlights ({listed}) SELECT {listed} FROM highlights WHERE id = ?",
                   (hid,))
        db.execute("DELETE FROM highlights WHERE id = ?", (hid,))
    db.close()
    quick = search_if_current(project, "retaliation")
    assert quick is not None and {h.kind for h in quick.hits} == {"document"}
    assert same(quick, library_answer(project, "retaliation"))


def test_the_search_command_imports_no_sqlalchemy(project: Path) -> None:
    """What makes `annotator search` quick (BENCHMARKS.md, cli_search): a project whose index
    is current is searched without importing SQLAlchemy or the Library."""
    code = ("import sys, json\n"
            "from annotator.cli import main\n"
            f"code = main(['search', 'steel', '--json', '-p', {str(project)!r}])\n"
            "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith(('sqlalchemy', "
            "'annotator.core.library')))]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1]
    code_seen, heavy = json.loads(last)
    assert code_seen == 0 and heavy == []
    hits = json.loads(done.stdout[: done.stdout.rindex(last)])
    assert {h["title"] for h in hits} == {"Carney on steel", "Quarterly brief"}
