"""'Copy selected excerpts': tab-separated quote, tags, note and citation."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.export.citation import excerpts_as_tsv_with_citation

if TYPE_CHECKING:
    from tests.export.conftest import Sample


def test_one_line_per_excerpt_with_four_cells(sample: Sample) -> None:
    lib = sample.library
    text = excerpts_as_tsv_with_citation(lib, [sample.carney, sample.hostile, sample.paged_cross])
    lines = text.split("\n")
    assert len(lines) == 3
    assert all(line.count("\t") == 3 for line in lines)
    quote, tags, note, cite = lines[0].split("\t")
    assert quote == "Mark Carney spoke about tariffs and the dairy sector"
    assert tags == "Carney; dairy; tariffs; stance:hawkish"
    assert note == " ".join(sample.HOSTILE.split())
    assert cite == "Trade, “war” & tariffs, Ana Díaz, 2025-06-14"


def test_tabs_and_newlines_inside_cells_become_spaces(sample: Sample) -> None:
    line = excerpts_as_tsv_with_citation(sample.library, [sample.hostile])
    quote = line.split("\t")[0]
    assert quote == 'He said, "no"; then left quickly 🌍 العربية עברית'


def test_citation_has_pages_and_skips_missing_parts(sample: Sample) -> None:
    lib = sample.library
    cross, one, undated = (
        excerpts_as_tsv_with_citation(lib, [h]).split("\t")[3]
        for h in (sample.paged_cross, sample.paged_one, sample.undated)
    )
    assert cross == "Border report, J. Smith, 2025-07-01, pp. 1–2"
    assert one == "Border report, J. Smith, 2025-07-01, p. 2"
    assert undated == "Undated"


def test_nothing_selected_gives_empty_text(sample: Sample) -> None:
    assert excerpts_as_tsv_with_citation(sample.library, []) == ""


def test_cells_get_the_csv_formula_guard(sample: Sample) -> None:
    """A paste into a spreadsheet must not run ``=HYPERLINK(…)`` (nor a note's ``@SUM``)."""
    line = excerpts_as_tsv_with_citation(sample.library, [sample.hyperlink])
    quote, tags, note, cite = line.split("\t")
    assert quote == "'" + sample.HYPERLINK
    assert note == "'@SUM(A1)"
    assert tags == "tariffs" and cite.startswith("Trade")


def test_guard_covers_tag_names_and_citations(tmp_path: Path) -> None:
    with Library.create(tmp_path / "p.annotator") as lib:
        doc = lib.add_document(Extracted(text="  -5% growth, said =the source.", format="txt",
                                         title='=HYPERLINK("http://x","y")', author="@me"))
        tag = lib.create_tag("+evil", "actor")
        h = lib.add_highlight(doc.id, 0, 13, tag_ids=[tag.id], note="\t=cmd|' /C calc'!A0")
        quote, tags, note, cite = excerpts_as_tsv_with_citation(lib, [h]).split("\t")
    assert quote == "'-5% growth,"  # leading spaces collapsed, then guarded
    assert tags == "'+evil"
    assert note == "'=cmd|' /C calc'!A0"
    assert cite == """'=HYPERLINK("http://x","y"), @me"""


def test_reads_only_the_selected_documents(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = sample.library
    asked: list[set[int] | None] = []
    real = lib.document_summaries

    def summaries(document_ids: Iterable[int] | None = None) -> Any:
        asked.append(None if document_ids is None else set(document_ids))
        return real(document_ids)

    monkeypatch.setattr(lib, "document_summaries", summaries)
    monkeypatch.setattr(lib, "documents", lambda: pytest.fail("read every document"))
    text = excerpts_as_tsv_with_citation(lib, [sample.paged_one, sample.undated, sample.paged_cross])
    assert asked == [{sample.doc2, sample.doc3}]
    assert len(text.split("\n")) == 3


def test_document_summaries_by_id(sample: Sample) -> None:
    lib = sample.library
    assert [d.id for d in lib.document_summaries([sample.doc3, sample.doc1, 999])] == [
        sample.doc1, sample.doc3
    ]
    assert lib.document_summaries([]) == []
    assert lib.document_summaries([sample.doc2]) == [
        d for d in lib.document_summaries() if d.id == sample.doc2
    ]
