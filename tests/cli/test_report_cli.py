"""``annotator report …``, ``var …`` and ``vars``: the JSON shapes of the README, the same
counts as the core functions, files written, errors named."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from annotator.cli import main
from tests.core.analysis_fixture import build


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    fx = build(tmp_path_factory.mktemp("report"))
    fx.library.define_variable("outlet")
    fx.library.set_documents_variable(fx.docs[:2], "outlet", "Globe")
    fx.library.set_document_variable(fx.docs[2], "outlet", "Star")
    folder = fx.library.folder
    fx.library.close()
    yield folder


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["-p", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_matrix_json_has_every_cell_with_its_scope(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(project, capsys, "report", "matrix", "--rows", "actor", "--cols", "topic",
                       "--scope", "paragraph", "--json")
    assert code == 0
    cells = json.loads(out)
    assert cells[0] == {"row": "A1", "column": "T1", "count": 2, "row_category": "actor",
                        "column_category": "topic", "scope": "paragraph"}
    assert {(c["row"], c["column"]): c["count"] for c in cells} == {
        ("A1", "T1"): 2, ("A1", "T2"): 2, ("A2", "T1"): 2, ("A2", "T2"): 1}
    code, out, _ = run(project, capsys, "report", "matrix", "--rows", "actor", "--cols", "topic",
                       "--json")
    assert [c["count"] for c in json.loads(out)] == [2, 0, 0, 0]  # zero cells included


def test_matrix_csv_and_text_table(project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "m.csv"
    code, out, err = run(project, capsys, "report", "matrix", "--rows", "outlet", "--cols",
                         "topic", "--scope", "document", "--csv", str(out_csv))
    assert code == 0 and "documents holding the column tag" in err
    rows = list(csv.reader(out_csv.open(encoding="utf-8")))
    assert rows[0][1:] == ["T1", "T2", "Total"]
    assert rows[1] == ["Globe", "1", "2", "3"] and rows[2] == ["Star", "1", "0", "1"]
    assert rows[-1] == ["Total", "2", "2", "4"]
    assert out.splitlines()[1].split() == ["Globe", "1", "2", "3"]


def test_frequencies_json_with_and_without_split(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(project, capsys, "report", "frequencies", "--json")
    assert json.loads(out)[0] == {"tag": "A1", "category": "actor", "highlights": 3,
                                  "documents": 3}
    _, out, _ = run(project, capsys, "report", "frequencies", "--by", "outlet", "--json",
                    "--where", "outlet=Globe")
    rows = {(r["tag"], r["value"]): r["highlights"] for r in json.loads(out)}
    assert rows[("A1", "Globe")] == 2 and ("A1", "Star") not in rows
    assert all(r["by"] == "outlet" for r in json.loads(out))


def test_timeline_json_periods_and_undated(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, err = run(project, capsys, "report", "timeline", "--tag", "A1", "--bin", "quarter",
                      "--json")
    assert json.loads(out) == [{"tag": "A1", "period": "2025-Q1", "count": 2},
                               {"tag": "A1", "period": None, "count": 1}]
    _, out, _ = run(project, capsys, "report", "timeline", "--tag", "actor:A1", "T1", "--json")
    periods = [r["period"] for r in json.loads(out) if r["tag"] == "T1"]
    assert periods == ["2025-01", "2025-02", "2025-03", None]
    _, out, _ = run(project, capsys, "report", "timeline", "--tag", "A1", "--bin", "week",
                    "--json")
    assert json.loads(out)[0]["period"] == "2025-W03"


def test_vars_and_docs_json_carry_variables(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(project, capsys, "vars", "--json")
    listed = {v["name"]: v for v in json.loads(out)}
    assert listed["outlet"]["type"] == "text" and listed["outlet"]["values"] == ["Globe", "Star"]
    assert listed["published"]["values"] == ["2025-01-15", "2025-03-02"]
    _, out, _ = run(project, capsys, "docs", "--json")
    assert [d["variables"] for d in json.loads(out)] == [
        {"outlet": "Globe"}, {"outlet": "Globe"}, {"outlet": "Star"}]


def test_var_set_creates_checks_and_clears(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(project, capsys, "var", "set", "3", "words", "850")
    assert code == 0 and "created the number variable 'words'" in err
    code, _, err = run(project, capsys, "var", "set", "2", "words", "lots")
    assert code == 1 and "words is a number, not 'lots'" in err
    code, out, _ = run(project, capsys, "var", "set", "3", "words", "")
    assert code == 0 and "(no value)" in out
    code, _, err = run(project, capsys, "var", "set", "99", "outlet", "x")
    assert code == 1 and "no document 99" in err
    code, _, _ = run(project, capsys, "var", "delete", "words")
    assert code == 0


def test_var_import_csv(project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("id,country\n1,CA\n3,US\n", encoding="utf-8")
    code, out, _ = run(project, capsys, "var", "import", str(path))
    assert code == 0 and "set 2 values on 2 documents; created country" in out
    code, out, _ = run(project, capsys, "search", "country:CA", "--json")
    assert {h["document_id"] for h in json.loads(out)} == {1}


def test_excerpt_reports_in_every_format(project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    md = tmp_path / "r.md"
    code, out, _ = run(project, capsys, "report", "excerpts", "--tag", "A1", "T2", str(md))
    assert code == 0 and "wrote 5 excerpt(s) under 2 tag(s)" in out
    text = md.read_text(encoding="utf-8")
    assert "## A1 (3 excerpts)" in text and "> alpha beta" in text
    assert "First — 2025-01-15" in text
    html = tmp_path / "r.html"
    run(project, capsys, "report", "excerpts", "--tag", "T2", "--from", "2025-01", str(html))
    assert "<blockquote>beta gamma</blockquote>" in html.read_text(encoding="utf-8")
    assert "T2 there" not in html.read_text(encoding="utf-8")  # undated: filtered out
    out_docx = tmp_path / "r.docx"
    code, _, _ = run(project, capsys, "report", "excerpts", "--tag", "A1", "--format", "docx",
                     str(out_docx))
    paragraphs = [p.text for p in docx.Document(str(out_docx)).paragraphs]
    assert code == 0 and "A1 (3 excerpts)" in paragraphs and "alpha beta" in paragraphs


def test_errors_are_named(project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(project, capsys, "report", "matrix", "--rows", "nosuch", "--cols", "topic")
    assert code == 1 and "'nosuch' is neither a tag category" in err
    code, _, err = run(project, capsys, "report", "excerpts", "--tag", "nosuch", str(tmp_path / "x.md"))
    assert code == 1 and "no tag named 'nosuch'" in err
    code, _, err = run(project, capsys, "report", "frequencies", "--where", "outlet")
    assert code == 2 and "--where wants NAME=VALUE" in err
    with pytest.raises(SystemExit):
        main(["-p", str(project), "report", "matrix", "--rows", "actor", "--cols", "topic",
              "--scope", "sentence"])


def test_export_csv_adds_one_column_per_variable_after_the_19(
        project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from annotator.export.csv_export import COLUMNS

    out_csv = tmp_path / "e.csv"
    code, _, _ = run(project, capsys, "export", "csv", str(out_csv))
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    header = list(rows[0])
    assert code == 0 and header[:19] == list(COLUMNS) and header[19] == "outlet"
    assert header[17:19] == ["modified", "coder"]
    assert {r["document_title"]: r["outlet"] for r in rows} == {
        "First": "Globe", "Second": "Globe", "Third": "Star"}
