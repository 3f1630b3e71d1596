"""Which excerpts a filter keeps: each filter alone, combined, and the errors for typos."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from annotator.core.errors import InvalidInput, InvalidQuery, NotFound
from annotator.export.csv_export import ExcerptFilter, select_excerpts

if TYPE_CHECKING:
    from tests.export.conftest import Sample


def ids(sample: Sample, excerpt_filter: ExcerptFilter) -> list[int]:
    return [h.id for h in select_excerpts(sample.library, excerpt_filter)]


def test_no_filter_keeps_everything_in_reading_order(sample: Sample) -> None:
    found = select_excerpts(sample.library, ExcerptFilter())
    assert len(found) == 7
    keys = [(h.document_id, h.start, h.end, h.id) for h in found]
    assert keys == sorted(keys)


def test_actor_filter_matches_names_case_insensitively_and_aliases(sample: Sample) -> None:
    expected = [sample.carney.id, sample.undated.id]
    assert ids(sample, ExcerptFilter(actors=["Carney"])) == expected
    assert ids(sample, ExcerptFilter(actors=["  cARNEY "])) == expected
    assert ids(sample, ExcerptFilter(actors=["mark carney"])) == expected


def test_several_names_of_one_category_match_any(sample: Sample) -> None:
    # Reading order: the hostile passage comes before Carney's in document 1.
    assert ids(sample, ExcerptFilter(actors=["Carney", "Ford"])) == [
        sample.hostile.id, sample.carney.id, sample.paged_cross.id, sample.undated.id
    ]


def test_topic_filter(sample: Sample) -> None:
    assert ids(sample, ExcerptFilter(topics=["Dairy"])) == [sample.carney.id, sample.paged_one.id]


def test_tag_filter_any_category(sample: Sample) -> None:
    assert ids(sample, ExcerptFilter(tags=[("Stance", "hawkish")])) == [sample.carney.id]
    assert ids(sample, ExcerptFilter(tags=[("actor", "ford")])) == [
        sample.hostile.id, sample.paged_cross.id
    ]


def test_document_filter(sample: Sample) -> None:
    assert ids(sample, ExcerptFilter(document_ids=[sample.doc2])) == [
        sample.paged_cross.id, sample.paged_one.id
    ]
    both = ids(sample, ExcerptFilter(document_ids=[sample.doc3, sample.doc2]))
    assert both == [sample.paged_cross.id, sample.paged_one.id, sample.undated.id]


def test_date_filter_is_inclusive_and_drops_undated_documents(sample: Sample) -> None:
    june = ExcerptFilter(date_from=date(2025, 6, 14), date_to=date(2025, 6, 14))
    assert set(ids(sample, june)) == {
        sample.carney.id, sample.hyperlink.id, sample.hostile.id, sample.untagged.id
    }
    assert ids(sample, ExcerptFilter(date_from=date(2025, 6, 15))) == [
        sample.paged_cross.id, sample.paged_one.id
    ]
    assert len(ids(sample, ExcerptFilter(date_to=date(2025, 7, 1)))) == 6


def test_query_filter_matches_quotes_and_notes(sample: Sample) -> None:
    assert ids(sample, ExcerptFilter(query="sector")) == [sample.carney.id]
    # "comma" is only in the note of the hostile excerpt.
    assert ids(sample, ExcerptFilter(query="comma")) == [sample.hostile.id]
    assert ids(sample, ExcerptFilter(query="zebra")) == []


def test_filters_combine_with_and(sample: Sample) -> None:
    assert ids(sample, ExcerptFilter(actors=["Carney"], topics=["dairy"])) == [sample.carney.id]
    assert ids(sample, ExcerptFilter(actors=["Ford"], document_ids=[sample.doc2])) == [
        sample.paged_cross.id
    ]
    assert ids(sample, ExcerptFilter(actors=["Carney"], date_from=date(2025, 1, 1))) == [
        sample.carney.id
    ]
    assert ids(sample, ExcerptFilter(topics=["dairy"], query="minister")) == []
    assert ids(sample, ExcerptFilter(topics=["dairy"], query="sector",
                                     tags=[("stance", "hawkish")],
                                     document_ids=[sample.doc1],
                                     date_to=date(2025, 12, 31))) == [sample.carney.id]


def test_unknown_actor_is_an_error_naming_it(sample: Sample) -> None:
    with pytest.raises(NotFound, match=r"no actor named 'Carny' \(did you mean 'Carney'"):
        select_excerpts(sample.library, ExcerptFilter(actors=["Carny"]))
    with pytest.raises(NotFound, match="no topic named 'fishing'"):
        select_excerpts(sample.library, ExcerptFilter(topics=["fishing"]))
    with pytest.raises(NotFound, match="no tag category 'mood'"):
        select_excerpts(sample.library, ExcerptFilter(tags=[("mood", "calm")]))


def test_unknown_document_and_reversed_dates_are_errors(sample: Sample) -> None:
    with pytest.raises(NotFound, match="no document 999"):
        select_excerpts(sample.library, ExcerptFilter(document_ids=[999]))
    with pytest.raises(InvalidInput, match="ends"):
        select_excerpts(sample.library,
                        ExcerptFilter(date_from=date(2025, 2, 1), date_to=date(2025, 1, 1)))


def test_bad_query_raises_invalid_query(sample: Sample) -> None:
    with pytest.raises(InvalidQuery):
        select_excerpts(sample.library, ExcerptFilter(query="NOT"))


def test_query_combines_with_tag_and_document_filters(sample: Sample) -> None:
    everything = ids(sample, ExcerptFilter(query="carney OR ford"))
    assert everything == [
        sample.hostile.id, sample.carney.id, sample.paged_cross.id, sample.paged_one.id,
        sample.undated.id,
    ]
    for excerpt_filter in (
        ExcerptFilter(query="carney OR ford", actors=["Mark Carney"]),
        ExcerptFilter(query="carney OR ford", document_ids=[sample.carney.document_id]),
    ):
        alone = ids(sample, ExcerptFilter(actors=excerpt_filter.actors,
                                          document_ids=excerpt_filter.document_ids))
        assert ids(sample, excerpt_filter) == [i for i in everything if i in alone]

def test_tag_match_any_all_and_by_category(sample: Sample) -> None:
    names = {"actors": ["Carney"], "topics": ["tariffs"]}
    assert ids(sample, ExcerptFilter(**names)) == [sample.carney.id]
    assert ids(sample, ExcerptFilter(**names, tag_match="category")) == [sample.carney.id]
    assert ids(sample, ExcerptFilter(**names, tag_match="any")) == [
        sample.hyperlink.id, sample.carney.id, sample.undated.id
    ]
    assert ids(sample, ExcerptFilter(**names, tag_match="all")) == [sample.carney.id]
    # Within one category "all" is stricter than the default's "any of them".
    two = {"actors": ["Carney", "Ford"]}
    assert len(ids(sample, ExcerptFilter(**two))) == 4
    assert ids(sample, ExcerptFilter(**two, tag_match="all")) == []
    three = {"topics": ["tariffs", "dairy"], "tags": [("stance", "hawkish")]}
    assert ids(sample, ExcerptFilter(**three, tag_match="all")) == [sample.carney.id]
    assert ids(sample, ExcerptFilter(**three, tag_match="any")) == [
        sample.hyperlink.id, sample.carney.id, sample.paged_one.id
    ]
    # An alias and its tag are one tag, so "all" of them is that tag.
    assert ids(sample, ExcerptFilter(actors=["Carney", "mark carney"], tag_match="all")) == [
        sample.carney.id, sample.undated.id
    ]
    with pytest.raises(InvalidInput, match="'either'"):
        ExcerptFilter(tag_match="either")
