"""'Copy selected excerpts': tab-separated quote, tags, note and citation."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
