"""``join_pages`` keeps page ranges exact and its output already normalised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text import normalise_text
from annotator.importers.pages import join_pages

page_text = st.text(
    alphabet=st.sampled_from(list("ab é\u0301\n\r\t\u00a0\ufeff\x00-")), max_size=40
)


@given(st.lists(page_text, max_size=6))
def test_join_pages_output_is_normalised_and_ranges_are_exact(pages: list[str]) -> None:
    text, ranges = join_pages(pages)
    assert normalise_text(text) == text
    assert len(ranges) == len(pages)
    for raw, (start, end) in zip(pages, ranges, strict=True):
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == normalise_text(raw).strip()
    starts = [start for start, _ in ranges]
    assert starts == sorted(starts)


def test_join_pages_blank_page_in_the_middle() -> None:
    text, ranges = join_pages(["one", "  \n", "three"])
    assert text == "one\n\nthree"
    assert ranges == ((0, 3), (3, 3), (5, 10))
