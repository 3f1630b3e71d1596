"""``annotator search``, ``reindex`` and ``check`` through the real entry point (in-process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import annotator.cli as cli_package
from annotator.cli import main
from annotator.core.library import Library
from tests.core.helpers import add_text

BODY_1 = (
    "Prime Minister Mark Carney said negotiations with Washington would continue, "
    "but Canada is ready for retaliation if the steel tariffs stay."
)
BODY_2 = "The NORAD modernisation plan moves ahead after talks in Ottawa."


@pytest.fixture(autouse=True)
def _search_commands_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    # Registered by the CLI package; added here too so these tests do not depend on the order
    # in which the command modules land.
    if "annotator.cli.search_cmds" not in cli_package.COMMAND_MODULES:
        monkeypatch.setattr(
            cli_package, "COMMAND_MODULES", (*cli_package.COMMAND_MODULES, "annotator.cli.search_cmds")
        )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "Trade.annotator"
    with Library.create(folder) as library:
        doc1 = add_text(library, BODY_1, title="Carney on steel")
        add_text(library, BODY_2, title="NORAD news")
        carney = library.create_tag("Mark Carney", "actor")
        start = BODY_1.index("Canada")
        library.add_highlight(doc1.id, start, len(BODY_1), tag_ids=[carney.id], note="follow up")
        library.reindex()
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_prints_one_line_per_hit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-p", str(project), "search", "retaliation")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    kinds = {line.split()[0] for line in lines}
    assert kinds == {"document", "highlight"}
    assert all("«retaliation»" in line for line in lines)
    assert "2 of 2 hits" in err


def test_search_json_has_the_contract_fields(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-p", str(project), "search", "actor:Carney", "steel", "--json")
    assert code == 0, err
    (hit,) = json.loads(out)
    assert {"kind", "document_id", "title", "highlight_id", "page", "score", "snippet"} <= hit.keys()
    assert hit["kind"] == "highlight" and hit["title"] == "Carney on steel"
    assert isinstance(hit["highlight_id"], int) and "«steel»" in hit["snippet"]


def test_search_json_documents_have_null_highlight_id(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "-p", str(project), "search", "in:documents", "norad", "--json")
    assert code == 0
    (hit,) = json.loads(out)
    assert hit["kind"] == "document" and hit["highlight_id"] is None and hit["page"] is None


def test_limit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-p", str(project), "search", "--limit", "1", "retaliation")
    assert code == 0 and len(out.splitlines()) == 1 and "1 of 2 hits" in err


def test_note_hits(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-p", str(project), "search", "in:notes", "--json")
    assert code == 0
    (hit,) = json.loads(out)
    assert hit["kind"] == "note" and hit["snippet"] == "follow up"


def test_malformed_query_exits_2_with_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-p", str(project), "search", "AND")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "AND" in err


def test_repaired_query_runs_and_notes_the_repair(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "-p", str(project), "search", '"steel tariffs')
    assert code == 0 and len(out.splitlines()) == 2
    assert "quote" in err


def test_check_reindex_cycle(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-p", str(project), "check")
    assert code == 0 and "agree" in out
    shutil.rmtree(project / "index")
    code, out, _ = run(capsys, "-p", str(project), "check")
    assert code == 1 and "missing" in out
    code, _, err = run(capsys, "-p", str(project), "reindex")
    assert code == 0 and "agree" in err
    code, out, _ = run(capsys, "-p", str(project), "check")
    assert code == 0
    code, out, _ = run(capsys, "-p", str(project), "search", "norad")
    assert "NORAD news" in out


@pytest.mark.parametrize("query", ['""', "()", 'actor:""', " ", "~~"])
def test_empty_queries_exit_2_with_nothing_to_search_for(
    project: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    code, out, err = run(capsys, "-p", str(project), "search", query)
    assert code == 2 and out == ""
    assert err.strip() == "annotator: invalid query: Nothing to search for."


def test_a_query_with_nothing_left_does_not_say_what_it_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "-p", str(project), "search", ")(")
    assert code == 2 and "ignored" not in err and "Nothing to search for" in err


def test_reversed_range_is_swapped_with_a_note(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "-p", str(project), "search", "retaliation", "published:[2026 to 2025]")
    assert code == 0 and "runs backwards" in err


@pytest.mark.parametrize("limit", ["-1", "ten"])
def test_a_negative_or_non_numeric_limit_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["-p", str(project), "search", "--limit", limit, "retaliation"])
    assert exited.value.code == 2
    assert "--limit" in capsys.readouterr().err
