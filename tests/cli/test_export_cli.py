"""``annotator export csv``: options reach the exporter, rows are counted, errors are clear."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.extracted import Extracted
from annotator.core.library import Library

TEXT_A = "The minister Mark Carney said =HYPERLINK(\"http://x\",\"y\") about tariffs, twice."
TEXT_B = ("Page one about dairy quotas. " * 4)[:100] + ("Page two: Ford on the border. " * 5)[:150]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("cli") / "p.annotator"
    with Library.create(folder) as lib:
        a = lib.add_document(Extracted(text=TEXT_A, format="html", title="A, “quoted”",
                                       author="Ana", published=date(2025, 6, 14)))
        b = lib.add_document(Extracted(text=TEXT_B, format="pdf", title="B", author="Bo",
                                       published=date(2025, 7, 2), pages=((0, 100), (100, 250))))
        carney = lib.create_tag("Carney", "actor", aliases=["Mark Carney"])
        ford = lib.create_tag("Ford", "actor")
        tariffs = lib.create_tag("tariffs", "topic")
        hawk = lib.create_tag("hawkish", "stance")
        start = TEXT_A.index("Mark")
        lib.add_highlight(a.id, start, start + len("Mark Carney said"),
                          tag_ids=[carney.id, tariffs.id, hawk.id], note="a, b")
        start = TEXT_A.index("=HYP")
        lib.add_highlight(a.id, start, TEXT_A.index(" about"), tag_ids=[tariffs.id])
        lib.add_highlight(b.id, 95, 120, tag_ids=[ford.id])
        lib.reindex()
    yield folder


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-p", str(project), "export", "csv", *args])
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_exports_everything_and_prints_the_count(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    code, stdout, _ = run(project, str(out), capsys=capsys)
    assert code == 0
    assert stdout.strip() == f"wrote 3 rows to {out}"
    got = rows(out)
    assert [r["page"] for r in got] == ["", "", "1-2"]
    assert got[1]["text"].startswith("'=HYPERLINK")  # guard on by default


def test_filters(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    cases = {
        ("--actor", "mark carney"): 1,
        ("--actor", "Carney", "--actor", "Ford"): 2,
        ("--topic", "TARIFFS"): 2,
        ("--tag", "stance:hawkish"): 1,
        ("--doc", "2"): 1,
        ("--from", "2025-07"): 1,
        ("--to", "2025-06"): 2,
        ("--from", "2025", "--to", "2025"): 3,
        ("--query", "minister"): 0,  # the word is outside every highlight
        ("--query", "carney"): 1,
        ("--topic", "tariffs", "--actor", "Carney", "--doc", "1"): 1,
    }
    for args, expected in cases.items():
        code, stdout, err = run(project, str(out), *args, capsys=capsys)
        assert code == 0, (args, err)
        assert len(rows(out)) == expected, args
        assert stdout.startswith(f"wrote {expected} ro"), args


def test_layout_options(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    code, stdout, _ = run(project, str(out), "--per-tag", "--excel", "--delimiter", ";",
                          "--context", "0", "--no-formula-guard", capsys=capsys)
    assert code == 0 and stdout.startswith("wrote 5 rows")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    got = rows(out, ";", "utf-8-sig")
    assert len(got) == 5
    assert all(r["context_before"] == "" for r in got)
    assert any(r["text"].startswith("=HYPERLINK") for r in got)
    code, _, _ = run(project, str(out), "--delimiter", "tab", capsys=capsys)
    assert code == 0
    assert len(rows(out, "\t")) == 3


def test_unknown_actor_says_so(project: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    code, _, err = run(project, str(out), "--actor", "Carny", capsys=capsys)
    assert code == 1
    assert "no actor named 'Carny'" in err and "did you mean 'Carney'" in err
    assert not out.exists()


def test_bad_arguments(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "out.csv")
    code, _, err = run(project, out, "--tag", "hawkish", capsys=capsys)
    assert code == 2 and "CATEGORY:NAME" in err
    code, _, err = run(project, out, "--from", "June", capsys=capsys)
    assert code == 2 and "2025-06" in err
    code, _, err = run(project, out, "--from", "2025-08", "--to", "2025-07", capsys=capsys)
    assert code == 1 and "before it starts" in err
    code, _, err = run(project, out, "--doc", "9", capsys=capsys)
    assert code == 1 and "no document 9" in err
    for bad in (["--delimiter", "|"], ["--context", "-3"]):
        with pytest.raises(SystemExit) as exited:
            run(project, out, *bad, capsys=capsys)
        assert exited.value.code == 2


def test_unwritable_target_is_named(project: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing" / "out.csv"
    code, _, err = run(project, str(target), capsys=capsys)
    assert code == 1
    assert f"cannot write {target}" in err


def test_real_entry_point(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "-p", str(project), "export", "csv", str(out),
         "--topic", "tariffs"],
        capture_output=True, text=True, timeout=120, env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote 2 rows to {out}"
