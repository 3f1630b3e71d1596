"""The coder on the command line: ``coders``, ``blind on|off|status``, ``--coder`` filters on
``highlights`` and ``export csv``, the CSV ``coder`` column, and blind coding honoured by every
read command of the user who turned it on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.extracted import Extracted
from annotator.core.library import Library, current_user
from annotator.export.csv_export import COLUMNS

TEXT = "Carney met Trump in Ottawa. Tariffs on steel came first. Dairy quotas came next."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two coders: the one running the tests (this login) and "bob"."""
    folder = tmp_path / "team.annotator"
    with Library.create(folder) as lib:
        doc = lib.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
        carney = lib.create_tag("Carney", "actor")
        lib.add_highlight(doc.id, 0, 6, tag_ids=[carney.id], note="mine")
        lib._store.user = "bob"
        lib.add_highlight(doc.id, 0, 6, tag_ids=[carney.id])
        lib.add_highlight(doc.id, 28, 35, tag_ids=[carney.id], note="his")
        lib.reindex()
    return folder


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["-p", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_has_a_coder_column_after_the_others(project: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "all.csv"
    assert run(project, capsys, "export", "csv", str(out_file))[0] == 0
    rows = list(csv.reader(out_file.open(encoding="utf-8", newline="")))
    assert rows[0][-1] == "coder" and rows[0][:-1] == list(COLUMNS[:-1])
    assert rows[0][COLUMNS.index("modified") + 1] == "coder"
    assert sorted(r[-1] for r in rows[1:]) == sorted(["bob", "bob", current_user()])
    bob_only = tmp_path / "bob.csv"
    code, out, _ = run(project, capsys, "export", "csv", str(bob_only), "--coder", "bob")
    assert code == 0 and "wrote 2 rows" in out
    assert {r[-1] for r in list(csv.reader(bob_only.open(encoding="utf-8")))[1:]} == {"bob"}
    code, _, err = run(project, capsys, "export", "csv", str(bob_only), "--coder", "bobb")
    assert code == 1 and "no coder 'bobb'" in err and "did you mean 'bob'" in err


def test_coders_and_highlights_by_coder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(project, capsys, "coders", "--json")
    assert code == 0
    assert {c["coder"]: (c["highlights"], c["notes"]) for c in json.loads(out)} == {
        "bob": (2, 1), current_user(): (1, 1)}
    code, out, _ = run(project, capsys, "highlights", "--json", "--coder", "bob")
    listed = json.loads(out)
    assert [h["author"] for h in listed] == ["bob", "bob"]
    assert [h["note_author"] for h in listed] == [None, "bob"]
    # Plain text names the coder when there are several.
    code, out, _ = run(project, capsys, "highlights")
    assert "(bob)" in out
    code, _, err = run(project, capsys, "highlights", "--coder", "nobody")
    assert code == 1 and "no coder 'nobody'" in err


def test_blind_coding_hides_other_coders_from_every_command(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "off" in run(project, capsys, "blind")[1]
    code, out, _ = run(project, capsys, "blind", "on")
    assert code == 0 and "on for" in out
    code, out, _ = run(project, capsys, "highlights", "--json")
    assert [h["author"] for h in json.loads(out)] == [current_user()]
    code, out, _ = run(project, capsys, "tags", "--json")
    assert [t["highlights"] for t in json.loads(out)] == [1]
    code, out, _ = run(project, capsys, "docs", "--json")
    assert [d["highlights"] for d in json.loads(out)] == [1]
    code, out, _ = run(project, capsys, "coders", "--json")
    assert [c["coder"] for c in json.loads(out)] == [current_user()]
    code, out, _ = run(project, capsys, "search", "his", "--json")
    assert [h for h in json.loads(out) if h["highlight_id"] is not None] == []
    csv_file = tmp_path / "blind.csv"
    assert "wrote 1 row " in run(project, capsys, "export", "csv", str(csv_file))[1]
    code, _, err = run(project, capsys, "report", "agreement", "--coders", f"bob,{current_user()}")
    assert code == 1 and "blind coding is on" in err
    assert run(project, capsys, "blind", "off")[0] == 0
    code, out, _ = run(project, capsys, "highlights", "--json")
    assert len(json.loads(out)) == 3
