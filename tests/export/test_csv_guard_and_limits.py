"""The formula guard on document and tag cells (not only excerpts and notes), and the warning
for cells longer than Excel keeps."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from annotator.cli import main
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.export.csv_export import (
    EXCEL_CELL_LIMIT,
    FORMULA_STARTS,
    CsvOptions,
    ExcerptFilter,
    write_csv,
)

if TYPE_CHECKING:
    from tests.export.conftest import Sample

TEXT = "Plain words that start the document, then more words to quote."


@pytest.fixture(scope="module")
def hostile_metadata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = Library.create(tmp_path_factory.mktemp("guard") / "p.annotator")
    doc = lib.add_document(Extracted(text=TEXT, format="html", title='=HYPERLINK("http://x","y")',
                                     author="-2+3", source="@source"))
    tags = [lib.create_tag("+Carney", "actor"), lib.create_tag("-tariffs", "topic"),
            lib.create_tag("=hawk", "stance")]
    lib.add_highlight(doc.id, 0, 11, tag_ids=[t.id for t in tags])
    try:
        yield lib
    finally:
        lib.close()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_titles_authors_sources_and_tag_names_are_guarded(
    hostile_metadata: Library, tmp_path: Path
) -> None:
    out = tmp_path / "o.csv"
    write_csv(hostile_metadata, out, ExcerptFilter())
    [row] = read(out)
    assert row["document_title"] == """'=HYPERLINK("http://x","y")"""
    assert row["author"] == "'-2+3"
    assert row["source"] == "'@source"
    assert row["actors"] == "'+Carney"
    assert row["topics"] == "'-tariffs"
    assert row["tags"] == "stance:=hawk"  # starts with the category: nothing to guard


# Tab and CR are formula starts too, but the library trims them from names and titles.
@pytest.mark.parametrize("start", [s for s in FORMULA_STARTS if not s.isspace()])
def test_per_tag_cells_are_guarded_for_every_formula_start(tmp_path: Path, start: str) -> None:
    with Library.create(tmp_path / "p.annotator") as lib:
        doc = lib.add_document(Extracted(text=TEXT, format="txt", title=f"{start}title"))
        tag = lib.create_tag(f"{start}name x", "actor")
        lib.add_highlight(doc.id, 0, 11, tag_ids=[tag.id])
        out = tmp_path / "o.csv"
        write_csv(lib, out, ExcerptFilter(), CsvOptions(per_tag=True))
        unguarded = tmp_path / "raw.csv"
        write_csv(lib, unguarded, ExcerptFilter(), CsvOptions(neutralise_formulas=False))
    [row] = read(out)
    assert row["actors"] == f"'{start}name x"
    assert row["document_title"] == f"'{start}title"
    [raw] = read(unguarded)
    assert raw["actors"] == f"{start}name x" and raw["document_title"] == f"{start}title"


def test_cells_longer_than_excel_keeps_are_counted(sample: Sample, tmp_path: Path) -> None:
    assert len(sample.LONG_NOTE) > EXCEL_CELL_LIMIT
    seen: list[str] = []
    write_csv(sample.library, tmp_path / "o.csv", ExcerptFilter(), warn=seen.append)
    assert seen == [
        "1 cell is longer than Excel's limit of 32,767 characters; Excel shows only the start "
        "of such a cell (LibreOffice, R and pandas read it whole)"
    ]
    # One per cell, not one per row: the per-tag layout writes the same note once here too.
    seen.clear()
    write_csv(sample.library, tmp_path / "o.csv", ExcerptFilter(), CsvOptions(per_tag=True),
              warn=seen.append)
    assert len(seen) == 1 and seen[0].startswith("1 cell is")
    seen.clear()
    write_csv(sample.library, tmp_path / "o.csv", ExcerptFilter(actors=["Carney"]),
              warn=seen.append)
    assert seen == []


def test_long_context_cells_are_counted_too(tmp_path: Path) -> None:
    long_text = "word " * 14_000  # 70,000 characters
    with Library.create(tmp_path / "p.annotator") as lib:
        doc = lib.add_document(Extracted(text=long_text + "QUOTE " + long_text, format="txt",
                                         title="Long"))
        start = len(long_text)
        lib.add_highlight(doc.id, start, start + 5)
        seen: list[str] = []
        write_csv(lib, tmp_path / "o.csv", ExcerptFilter(), CsvOptions(context_chars=40_000),
                  warn=seen.append)
        assert len(seen) == 1 and seen[0].startswith("2 cells are")
        seen.clear()
        write_csv(lib, tmp_path / "o.csv", ExcerptFilter(), warn=seen.append)
        assert seen == []


def test_the_cli_prints_the_long_cell_note(
    sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["-p", str(sample.library.folder), "export", "csv", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 0
    assert err.splitlines() == [
        "annotator: note: 1 cell is longer than Excel's limit of 32,767 characters; Excel shows "
        "only the start of such a cell (LibreOffice, R and pandas read it whole)"
    ]
