"""The disagreement finder: which passages coders differ on, and how, from hand-made highlights."""

from __future__ import annotations

import pytest

from annotator.core.adjudication import merged_drafts, side_drafts
from annotator.core.disagreements import BOUNDARIES, MISSING, TAGS, passages, pooled
from tests.core.test_agreement import T, U, hl


def test_each_kind_of_difference_is_found_and_agreement_is_not_listed() -> None:
    found = passages([
        # [0,10): same span, same tag: agreed.
        hl(1, "ann", 1, 0, 10, T), hl(2, "bob", 1, 0, 10, T),
        # [20,30): only ann.
        hl(3, "ann", 1, 20, 30, U),
        # [40,50): same span, different tags.
        hl(4, "ann", 1, 40, 50, T), hl(5, "bob", 1, 40, 50, U),
        # [60,75): same tag, shifted boundaries.
        hl(6, "ann", 1, 60, 70, T), hl(7, "bob", 1, 65, 75, T),
        # touching, not overlapping: two passages, each only one coder's.
        hl(8, "ann", 1, 80, 85, T), hl(9, "bob", 1, 85, 90, T),
    ], ["ann", "bob"])
    spans = [(p.start, p.end, set(p.kinds), p.disputed) for p in found]
    assert spans == [
        (20, 30, {MISSING}, ("actor:Mark Carney",)),
        (40, 50, {TAGS}, ("actor:Mark Carney", "topic:tariffs")),
        (60, 75, {BOUNDARIES}, ("topic:tariffs",)),
        (80, 85, {MISSING}, ("topic:tariffs",)),
        (85, 90, {MISSING}, ("topic:tariffs",)),
    ]
    assert found[0].describe() == "only ann tagged it"
    assert [h.id for h in found[2].side("bob")] == [7]
    every = passages([hl(1, "ann", 1, 0, 10, T), hl(2, "bob", 1, 0, 10, T)], ["ann", "bob"],
                     include_agreed=True)
    assert len(every) == 1 and every[0].agreed and every[0].describe() == "agreed"


def test_a_chain_of_overlaps_is_one_passage_and_tags_plus_boundaries_both_show() -> None:
    [p] = passages([hl(1, "ann", 1, 0, 10, T), hl(2, "bob", 1, 8, 20, T),
                    hl(3, "ann", 1, 18, 30, U), hl(4, "bob", 1, 5, 9, T)], ["ann", "bob"])
    assert (p.start, p.end) == (0, 30)
    assert p.kinds == {TAGS, BOUNDARIES}
    assert p.describe() == "different tags; different boundaries"


def test_only_documents_every_coder_coded_are_looked_at() -> None:
    found = passages([hl(1, "ann", 1, 0, 10, T), hl(2, "ann", 2, 0, 10, T),
                      hl(3, "bob", 2, 0, 5, T)], ["ann", "bob"])
    assert [p.document_id for p in found] == [2]


def test_groups_pool_their_members_and_keep_the_real_ids() -> None:
    highlights = [hl(1, "ann", 1, 0, 5, T), hl(2, "ann2", 1, 5, 10, T), hl(3, "bob", 1, 0, 10, T)]
    grouped = pooled(highlights, {"team A": ["ann", "ann2"]})
    assert [h.author for h in grouped] == ["team A", "team A", "bob"]
    # Pooled, team A's [0,5) + [5,10) cover what bob's [0,10) covers: they agree.
    assert passages(grouped, ["team A", "bob"]) == []
    with pytest.raises(ValueError, match="two groups"):
        pooled(highlights, {"x": ["ann"], "y": ["ann"]})
    with pytest.raises(ValueError):
        passages(highlights, ["ann", "ann"])


def test_merge_is_the_union_tag_by_tag() -> None:
    a = [hl(1, "ann", 1, 10, 50, T)]
    b = [hl(2, "bob", 1, 12, 60, T, U)]
    drafts = merged_drafts([a, b])
    assert [(d.start, d.end, d.tag_ids) for d in drafts] == [(10, 60, (T.id,)), (12, 60, (U.id,))]
    same = merged_drafts([[hl(1, "ann", 1, 0, 9, T)], [hl(2, "bob", 1, 0, 9, U)]])
    assert [(d.start, d.end, d.tag_ids) for d in same] == [(0, 9, (T.id, U.id))]


def test_a_side_copies_its_highlights_one_per_span() -> None:
    drafts = side_drafts([hl(1, "team", 1, 0, 9, T), hl(2, "team", 1, 0, 9, U),
                          hl(3, "team", 1, 20, 29)])
    assert [(d.start, d.end, d.tag_ids) for d in drafts] == [(0, 9, (1, 2)), (20, 29, ())]
