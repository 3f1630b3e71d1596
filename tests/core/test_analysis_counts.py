"""Matrix, frequency, timeline and combination counts against the hand-built fixture, whose
every number is worked out in ``analysis_fixture``'s docstring."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from annotator.core import analysis
from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core.analysis_filter import AnalysisFilter
from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from annotator.core.paragraphs import paragraph_spans
from tests.core.analysis_fixture import TEXT_1, Fixture, build


@pytest.fixture(params=["sqlite", "postgresql"])
def fx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fixture]:
    """Every count on a local project and on PostgreSQL (a team project's database), where
    the same analysis SQL runs through ``_db.analysis_sql.PostgresAnalysisDb``."""
    library = None
    if request.param == "postgresql":
        engine = engine_for_url(request.getfixturevalue("pg_url"))
        create_schema(engine)
        library = Library.open_engine(tmp_path / "Team.annotator", engine)
    fixture = build(tmp_path, library)
    yield fixture
    fixture.library.close()


def _cells(fx: Fixture, scope: str, f: AnalysisFilter | None = None) -> dict[tuple[str, str], int]:
    m = fx.library.tag_matrix("actor", "topic", scope, f)
    return {(r.label, c.label): m.count(r.key, c.key) for r in m.rows for c in m.columns}


EXPECTED = {
    analysis.HIGHLIGHT: {("A1", "T1"): 2, ("A1", "T2"): 0, ("A2", "T1"): 0, ("A2", "T2"): 0},
    analysis.OVERLAP: {("A1", "T1"): 2, ("A1", "T2"): 1, ("A2", "T1"): 1, ("A2", "T2"): 0},
    analysis.PARAGRAPH: {("A1", "T1"): 2, ("A1", "T2"): 2, ("A2", "T1"): 2, ("A2", "T2"): 1},
    analysis.DOCUMENT: {("A1", "T1"): 2, ("A1", "T2"): 2, ("A2", "T1"): 1, ("A2", "T2"): 1},
}


@pytest.mark.parametrize("scope", analysis.SCOPES)
def test_matrix_counts_every_scope(fx: Fixture, scope: str) -> None:
    assert _cells(fx, scope) == EXPECTED[scope]


def test_paragraph_scope_also_works_on_a_read_only_project(fx: Fixture) -> None:
    folder = fx.library.folder
    if fx.library.folder.name == "Team.annotator":
        # A read-only client of a team project: the spans go into a TEMP table there too.
        engine = fx.library._store.engine
        readonly = Library(folder, engine, readonly=True, lock=None)
        m = readonly.tag_matrix("actor", "topic", analysis.PARAGRAPH)
        got = {(r.label, c.label): m.count(r.key, c.key) for r in m.rows for c in m.columns}
        assert got == EXPECTED[analysis.PARAGRAPH]
        assert readonly.tag_matrix("actor", "topic", analysis.PARAGRAPH).total == m.total
        return
    fx.library.close()
    with Library.open(folder, readonly=True) as readonly:
        m = readonly.tag_matrix("actor", "topic", analysis.PARAGRAPH)
        got = {(r.label, c.label): m.count(r.key, c.key) for r in m.rows for c in m.columns}
    assert got == EXPECTED[analysis.PARAGRAPH]
    fx.library = Library.open(folder)


def test_totals_and_unit(fx: Fixture) -> None:
    m = fx.library.tag_matrix("actor", "topic", analysis.DOCUMENT)
    a1 = fx.tags["A1"]
    assert m.row_total(a1) == 4 and m.column_total(fx.tags["T1"]) == 3 and m.total == 6
    assert m.unit == "documents holding both tags"


def test_cell_click_through_lists_exactly_the_excerpts_behind_it(fx: Fixture) -> None:
    lib, t, h = fx.library, fx.tags, fx.h
    m = lib.tag_matrix("actor", "topic", analysis.OVERLAP)
    assert [x.id for x in lib.matrix_cell_highlights(m, t["A2"], t["T1"])] == [h[5].id, h[1].id]
    m = lib.tag_matrix("actor", "topic", analysis.HIGHLIGHT)
    assert [x.id for x in lib.matrix_cell_highlights(m, t["A1"], t["T1"])] == [h[1].id, h[8].id]
    m = lib.tag_matrix("actor", "topic", analysis.PARAGRAPH)
    got = [x.id for x in lib.matrix_cell_highlights(m, t["A2"], t["T1"])]
    assert got == [h[5].id, h[1].id, h[3].id, h[4].id]
    m = lib.tag_matrix("actor", "topic", analysis.DOCUMENT)
    got = [x.id for x in lib.matrix_cell_highlights(m, t["A1"], t["T2"])]
    assert got == [h[1].id, h[2].id, h[6].id, h[7].id]


def test_combinations_and_and_not(fx: Fixture) -> None:
    lib, t, h = fx.library, fx.tags, fx.h
    both = lib.combination_highlights([t["A1"]], [t["T1"]], analysis.AND)
    assert [x.id for x in both] == [h[1].id, h[8].id]
    without = lib.combination_highlights([t["A1"]], [t["T1"]], analysis.NOT)
    assert [x.id for x in without] == [h[6].id]
    apart = lib.combination_highlights([t["A1"]], [t["T2"]], analysis.NOT, analysis.DOCUMENT)
    assert [x.id for x in apart] == [h[8].id]
    with pytest.raises(InvalidInput):
        lib.combination_highlights([t["A1"]], [t["T1"]], "xor")


def test_rows_as_documents_and_variable_values(fx: Fixture) -> None:
    lib, t = fx.library, fx.tags
    d1, d2, d3 = fx.docs
    m = lib.tag_matrix("documents", "topic")
    assert [r.key for r in m.rows] == [d1, d2, d3]
    assert (m.count(d1, t["T1"]), m.count(d2, t["T2"]), m.count(d3, t["T1"])) == (2, 1, 1)
    lib.define_variable("outlet", "text")
    lib.set_documents_variable([d1, d3], "outlet", "Globe")
    m = lib.tag_matrix("outlet", "topic", analysis.DOCUMENT)
    assert [r.label for r in m.rows] == ["Globe", "(no value)"]
    assert m.count("Globe", t["T1"]) == 2 and m.count(None, t["T2"]) == 1
    cell = lib.matrix_cell_highlights(m, None, t["T2"])
    assert [x.id for x in cell] == [fx.h[7].id]


def test_filters_narrow_every_count(fx: Fixture) -> None:
    lib = fx.library
    dated = AnalysisFilter(date_from=date(2025, 1, 1), date_to=date(2025, 2, 28))
    assert _cells(fx, analysis.DOCUMENT, dated)[("A1", "T2")] == 1
    only_2 = AnalysisFilter(document_ids=(fx.docs[1],))
    assert _cells(fx, analysis.PARAGRAPH, only_2) == {
        ("A1", "T1"): 0, ("A1", "T2"): 1, ("A2", "T1"): 0, ("A2", "T2"): 0}
    lib.define_variable("country", "choice", ["CA", "US"])
    lib.set_document_variable(fx.docs[2], "country", "ca")
    by_value = AnalysisFilter(variables=(("country", ("CA",)),))
    assert _cells(fx, analysis.HIGHLIGHT, by_value)[("A1", "T1")] == 1
    searched = AnalysisFilter(query="gamma")
    assert _cells(fx, analysis.DOCUMENT, searched)[("A1", "T2")] == 1  # document 1 only


def test_frequencies_per_tag_category_and_split(fx: Fixture) -> None:
    lib = fx.library
    rows = {f.tag: (f.highlights, f.documents) for f in lib.tag_frequencies()}
    assert rows == {"A1": (3, 3), "A2": (2, 1), "T1": (3, 2), "T2": (2, 2)}
    cats = {c.category: (c.highlights, c.documents) for c in lib.category_frequencies()}
    assert cats == {"actor": (5, 3), "topic": (5, 3)}
    split = {(f.tag, f.value): f.highlights for f in lib.tag_frequencies(by="published")}
    assert split[("A1", "2025-01-15")] == 1 and split[("A1", None)] == 1
    assert ("A2", None) not in split  # no undated A2: no empty "(no value)" row


def test_timeline_bins_and_undated(fx: Fixture) -> None:
    t = fx.tags
    line = fx.library.tag_timeline([t["A1"]], analysis.MONTH)
    assert line.periods == ("2025-01", "2025-02", "2025-03")
    assert [(p.period, p.count) for p in line.points] == [
        ("2025-01", 1), ("2025-02", 0), ("2025-03", 1), (None, 1)]
    assert line.undated_total == 1
    quarters = fx.library.tag_timeline([t["A1"], t["T1"]], analysis.QUARTER)
    assert [(p.tag, p.period, p.count) for p in quarters.points] == [
        ("A1", "2025-Q1", 2), ("A1", None, 1), ("T1", "2025-Q1", 3), ("T1", None, 0)]
    weeks = fx.library.tag_timeline([t["A1"]], analysis.WEEK)
    assert weeks.periods[0] == "2025-W03" and weeks.periods[-1] == "2025-W09"
    assert analysis.period_of(date(2024, 12, 30), analysis.WEEK) == "2025-W01"


def test_paragraph_spans_blank_lines_and_line_fallback() -> None:
    spans = paragraph_spans(TEXT_1)
    assert [TEXT_1[s:e] for s, e in spans] == [
        "Para one alpha beta gamma.", "Para two delta epsilon.", "Para three zeta eta."]
    lines = "first line\nsecond line\n"
    assert [lines[s:e] for s, e in paragraph_spans(lines)] == ["first line", "second line"]
    assert paragraph_spans("  one  \n \n two") == [(2, 5), (11, 14)]


def test_bad_axis_scope_and_bin_are_named(fx: Fixture) -> None:
    lib = fx.library
    with pytest.raises(Exception, match="neither a tag category"):
        lib.tag_matrix("nosuch", "topic")
    with pytest.raises(InvalidInput, match="scope"):
        lib.tag_matrix("actor", "topic", "sentence")
    with pytest.raises(InvalidInput, match="bin"):
        lib.tag_timeline([fx.tags["A1"]], "year")


def test_cooccurrence_is_actor_by_topic(fx: Fixture) -> None:
    m = fx.library.cooccurrence()
    assert m.count(fx.tags["A1"], fx.tags["T1"]) == 2
