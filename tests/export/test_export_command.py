"""``annotator export csv``: --query is read exactly as ``annotator search`` reads it (the same
notes for a repaired query, the same exit code for a malformed one); --match combines tags."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from annotator.cli import main
from annotator.export.csv_export import ExcerptFilter, count_excerpts, write_csv

if TYPE_CHECKING:
    from tests.export.conftest import Sample


def cli(sample: Sample, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["-p", str(sample.library.folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("annotator: note: ")]


def test_a_repaired_query_prints_the_searchs_notes(
    sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    _, _, search_err = cli(sample, capsys, "search", "actr:Carney")
    code, stdout, err = cli(sample, capsys, "export", "csv", str(out), "--query", "actr:Carney")
    assert code == 0
    assert stdout.startswith("wrote ")
    expected = notes(search_err)
    assert len(expected) == 1 and "Unknown field “actr:”" in expected[0]
    assert notes(err) == expected  # one line each, the same words
    assert out.exists()


def test_a_clean_query_prints_no_note(
    sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(sample, capsys, "export", "csv", str(tmp_path / "o.csv"), "--query",
                       "actor:Carney")
    assert code == 0
    assert notes(err) == []


@pytest.mark.parametrize("query", ["AND", "published:abc", "("])
def test_a_query_search_rejects_makes_export_exit_2_with_the_same_message(
    sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    search_code, _, search_err = cli(sample, capsys, "search", query)
    code, stdout, err = cli(sample, capsys, "export", "csv", str(out), "--query", query)
    assert search_code == 2
    assert code == 2
    assert stdout == ""
    assert err == search_err
    assert len(err.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "old"


def test_the_library_api_hands_the_warnings_back(sample: Sample, tmp_path: Path) -> None:
    query = ExcerptFilter(query="actr:Carney")
    count = count_excerpts(sample.library, query)
    assert count.excerpts >= 1
    assert len(count.warnings) == 1 and "actr:" in count.warnings[0]
    seen: list[str] = []
    write_csv(sample.library, tmp_path / "o.csv", query, warn=seen.append)
    assert seen == list(count.warnings)
    assert count_excerpts(sample.library, ExcerptFilter(query="Carney")).warnings == ()


def exported_ids(path: Path) -> list[int]:
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        return [int(row["excerpt_id"]) for row in csv.DictReader(fh)]


def test_match_says_how_tags_combine(
    sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    tags = ("--actor", "Carney", "--topic", "tariffs")
    # Default, documented: one of each category named (an actor and a topic).
    assert cli(sample, capsys, "export", "csv", str(out), *tags)[0] == 0
    assert exported_ids(out) == [sample.carney.id]
    assert cli(sample, capsys, "export", "csv", str(out), *tags, "--match", "category")[0] == 0
    assert exported_ids(out) == [sample.carney.id]
    assert cli(sample, capsys, "export", "csv", str(out), *tags, "--match", "any")[0] == 0
    assert exported_ids(out) == [sample.hyperlink.id, sample.carney.id, sample.undated.id]
    two_actors = ("--actor", "Carney", "--actor", "Ford")
    assert cli(sample, capsys, "export", "csv", str(out), *two_actors, "--match", "all")[0] == 0
    assert exported_ids(out) == []
    with pytest.raises(SystemExit) as exited:
        cli(sample, capsys, "export", "csv", str(out), "--match", "either")
    assert exited.value.code == 2
