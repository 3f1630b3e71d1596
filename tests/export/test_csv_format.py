"""The CSV file itself: columns, quoting round trips, encoding, delimiters, formula guard,
per-tag layout, pages and context."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from annotator.core.errors import InvalidInput
from annotator.export.csv_export import (
    COLUMNS,
    FORMULA_STARTS,
    CsvOptions,
    ExcerptFilter,
    context_after,
    context_before,
    write_csv,
)

if TYPE_CHECKING:
    from tests.export.conftest import Sample

ALL = ExcerptFilter()


def read_rows(path: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader)
        assert tuple(header) == COLUMNS
        return [dict(zip(header, row, strict=True)) for row in reader]


def by_id(rows: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    return {int(r["excerpt_id"]): r for r in rows}


def test_header_is_the_documented_columns_in_order(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL)
    first_line = out.read_bytes().split(b"\r\n", 1)[0].decode()
    assert first_line == ",".join(f'"{c}"' for c in COLUMNS)


def test_one_row_per_highlight_in_reading_order(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    count = write_csv(sample.library, out, ALL)
    rows = read_rows(out)
    assert count == len(rows) == 7
    keys = [(int(r["document_id"]), int(r["start"])) for r in rows]
    assert keys == sorted(keys)
    assert [int(r["document_id"]) for r in rows] == [sample.doc1] * 4 + [sample.doc2] * 2 + [
        sample.doc3
    ]


def test_hostile_content_survives_a_round_trip(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL)
    rows = by_id(read_rows(out))
    hostile = rows[sample.hostile.id]
    assert hostile["text"] == sample.HOSTILE
    assert hostile["note"] == 'quote " and, comma'
    assert rows[sample.carney.id]["note"] == sample.HOSTILE
    assert rows[sample.untagged.id]["note"] == sample.LONG_NOTE
    doc1 = rows[sample.carney.id]
    assert doc1["document_title"] == "Trade, “war” & tariffs"
    assert doc1["author"] == "Ana Díaz"
    assert doc1["published"] == "2025-06-14"
    assert doc1["source"] == "https://example.org/a?x=1,2"
    assert doc1["start"] == str(sample.carney.start) and doc1["end"] == str(sample.carney.end)
    assert doc1["created"] == sample.carney.created.isoformat(timespec="seconds")
    assert doc1["modified"] == sample.carney.modified.isoformat(timespec="seconds")


def test_multi_valued_cells_and_other_categories(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL)
    row = by_id(read_rows(out))[sample.carney.id]
    assert row["actors"] == "Carney"
    assert set(row["topics"].split("; ")) == {"tariffs", "dairy"}
    assert row["tags"] == "stance:hawkish"
    untagged = by_id(read_rows(out))[sample.untagged.id]
    assert (untagged["actors"], untagged["topics"], untagged["tags"]) == ("", "", "")


def test_bom_off_by_default_and_on_for_excel(sample: Sample, tmp_path: Path) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    write_csv(sample.library, plain, ALL)
    write_csv(sample.library, excel, ALL, CsvOptions(excel_bom=True))
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_rows(excel, encoding="utf-8-sig") == read_rows(plain)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_round_trips(sample: Sample, tmp_path: Path, delimiter: str) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL, CsvOptions(delimiter=delimiter))
    assert out.read_text(encoding="utf-8").splitlines()[0].count(delimiter) == len(COLUMNS) - 1
    rows = by_id(read_rows(out, delimiter=delimiter))
    assert rows[sample.hostile.id]["text"] == sample.HOSTILE
    assert rows[sample.untagged.id]["note"] == sample.LONG_NOTE


def test_unknown_delimiter_and_negative_context_are_refused() -> None:
    with pytest.raises(InvalidInput, match="delimiter"):
        CsvOptions(delimiter="|")
    with pytest.raises(InvalidInput, match="negative"):
        CsvOptions(context_chars=-1)


def test_formula_guard_on_by_default(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL)
    row = by_id(read_rows(out))[sample.hyperlink.id]
    assert row["text"] == "'" + sample.HYPERLINK
    assert row["note"] == "'@SUM(A1)"
    raw = out.read_text(encoding="utf-8")
    # No cell anywhere in the file begins with the formula, quoted or not.
    assert f'"{sample.HYPERLINK.replace(chr(34), chr(34) * 2)}' not in raw
    assert f",{sample.HYPERLINK}" not in raw and f"\n{sample.HYPERLINK}" not in raw
    # Parsed as a whole (cells hold line breaks), every cell of every row, "-" included.
    rows = list(csv.reader(raw.splitlines(keepends=True)[1:]))
    assert len(rows) == 7
    for cells in rows:
        for value in cells:
            assert not value.startswith(FORMULA_STARTS), value[:40]


def test_formula_guard_off_keeps_cells_verbatim(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL, CsvOptions(neutralise_formulas=False))
    row = by_id(read_rows(out))[sample.hyperlink.id]
    assert row["text"] == sample.HYPERLINK
    assert row["note"] == "@SUM(A1)"


def test_page_column(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL)
    rows = by_id(read_rows(out))
    assert rows[sample.paged_cross.id]["page"] == "1-2"
    assert rows[sample.paged_one.id]["page"] == "2"
    assert rows[sample.carney.id]["page"] == ""


def test_per_tag_layout(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    count = write_csv(sample.library, out, ALL, CsvOptions(per_tag=True))
    rows = read_rows(out)
    assert count == len(rows)
    carney_rows = [r for r in rows if int(r["excerpt_id"]) == sample.carney.id]
    cells = [(r["actors"], r["topics"], r["tags"]) for r in carney_rows]
    assert cells[0] == ("Carney", "", "")
    assert sorted(cells[1:3]) == [("", "dairy", ""), ("", "tariffs", "")]
    assert cells[3] == ("", "", "stance:hawkish")
    assert all(r["text"] == carney_rows[0]["text"] for r in carney_rows)
    # An untagged excerpt still gets its one row, with empty tag cells.
    untagged = [r for r in rows if int(r["excerpt_id"]) == sample.untagged.id]
    assert [(r["actors"], r["topics"], r["tags"]) for r in untagged] == [("", "", "")]
    # Each row holds exactly one tag or none.
    for r in rows:
        assert sum(bool(r[c]) for c in ("actors", "topics", "tags")) <= 1


def test_per_tag_with_filter_gives_every_tag_of_matching_excerpts(
    sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    count = write_csv(sample.library, out, ExcerptFilter(tags=[("stance", "HAWKISH")]),
                      CsvOptions(per_tag=True))
    rows = read_rows(out)
    assert count == 4
    assert {int(r["excerpt_id"]) for r in rows} == {sample.carney.id}


def test_context_columns(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL, CsvOptions(context_chars=30))
    row = by_id(read_rows(out))[sample.carney.id]
    before, after = row["context_before"], row["context_after"]
    assert len(before) <= 30 and len(after) <= 30
    assert sample.TEXT_1[: sample.carney.start].endswith(before)
    assert sample.TEXT_1[sample.carney.end :].startswith(after)
    assert before == "עברית and more. The minister "
    assert after == " at length today. Closing"
    paged = by_id(read_rows(out))[sample.paged_one.id]
    assert sample.TEXT_2[: sample.paged_one.start].endswith(paged["context_before"])


def test_context_zero_leaves_columns_empty(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(sample.library, out, ALL, CsvOptions(context_chars=0))
    assert all(r["context_before"] == r["context_after"] == "" for r in read_rows(out))


def test_context_cuts_at_word_boundaries() -> None:
    text = "alpha bravo charlie delta echo foxtrot"
    start = text.index("delta")
    assert context_before(text, start, 12) == "charlie "  # "o charlie " would cut "bravo"
    assert context_before(text, start, 8) == "charlie "
    assert context_before(text, start, 100) == "alpha bravo charlie "
    end = start + len("delta")
    assert context_after(text, end, 9) == " echo"  # " echo fox" would cut "foxtrot"
    assert context_after(text, end, 100) == " echo foxtrot"
    assert context_before(text, 0, 10) == "" and context_after(text, len(text), 10) == ""


def test_context_without_spaces_falls_back_to_a_hard_cut() -> None:
    text = "日本語の文章には単語の間に空白がありません" * 3
    assert context_before(text, 30, 5) == text[25:30]
    assert context_after(text, 30, 5) == text[30:35]


@pytest.mark.parametrize("options", [CsvOptions(), CsvOptions(per_tag=True, context_chars=7),
                                     CsvOptions(neutralise_formulas=False)])
def test_batching_and_text_budget_do_not_change_the_file(
    sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: CsvOptions
) -> None:
    """Large exports read a batch of documents and a budget of text at a time: cutting
    those into the smallest pieces must give the same bytes."""
    from annotator.core._db import sqlite_excerpts
    from annotator.export import csv_export, csv_rows

    whole = tmp_path / "whole.csv"
    write_csv(sample.library, whole, ALL, options)
    monkeypatch.setattr(sqlite_excerpts, "DOCUMENTS_PER_BATCH", 1)
    monkeypatch.setattr(csv_rows, "_TEXT_BUDGET", 1)
    monkeypatch.setattr(csv_export, "_PROGRESS_EVERY", 1)
    pieces = tmp_path / "pieces.csv"
    write_csv(sample.library, pieces, ALL, options)
    assert pieces.read_bytes() == whole.read_bytes()
    assert len(read_rows(whole)) >= 7
