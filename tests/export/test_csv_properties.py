"""Properties over arbitrary text: quoting round trips, the formula guard, context windows."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from annotator.export.csv_export import (
    FORMULA_STARTS,
    context_after,
    context_before,
    csv_line,
    neutralise,
)

# Any text a document or note could hold (no lone surrogates: stored text is valid Unicode).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(cells=st.lists(TEXT, min_size=1, max_size=6), delimiter=st.sampled_from([",", ";", "\t"]))
def test_any_cells_round_trip(cells: list[str], delimiter: str) -> None:
    line = csv_line([neutralise(c) for c in cells], delimiter)
    assert line.endswith("\r\n")
    (row,) = list(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter))
    for written, original in zip(row, cells, strict=True):
        assert written in (original, "'" + original)


@given(TEXT)
def test_guarded_cells_never_start_like_a_formula(cell: str) -> None:
    guarded = neutralise(cell)
    assert not guarded.startswith(FORMULA_STARTS)
    assert not guarded.lstrip(" \n\r\t").startswith(FORMULA_STARTS)
    assert guarded in (cell, "'" + cell)


@given(text=TEXT, data=st.data())
def test_context_is_a_bounded_neighbour_of_the_excerpt(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    chars = data.draw(st.integers(0, 120))
    before, after = context_before(text, start, chars), context_after(text, end, chars)
    assert len(before) <= chars and len(after) <= chars
    assert text[:start].endswith(before)
    assert text[end:].startswith(after)


@given(cells=st.lists(TEXT, min_size=1, max_size=6), delimiter=st.sampled_from([",", ";", "\t"]))
def test_unguarded_cells_round_trip_exactly(cells: list[str], delimiter: str) -> None:
    (row,) = list(csv.reader(io.StringIO(csv_line(cells, delimiter), newline=""),
                             delimiter=delimiter))
    assert row == cells


@given(TEXT)
def test_fast_cell_path_equals_guard_then_escape(cell: str) -> None:
    from annotator.export.csv_rows import _guarded_cell, _plain_cell

    assert _guarded_cell(cell) == neutralise(cell).replace('"', '""')
    assert _plain_cell(cell) == cell.replace('"', '""')
