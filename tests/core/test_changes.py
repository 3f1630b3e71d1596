"""Changes carry the rows a writer already holds; merging two keeps what the later one says."""

from __future__ import annotations

from datetime import datetime

from annotator.core.changes import ChangePayload, Changes
from annotator.core.models import Highlight, TagRef

NOW = datetime(2026, 12, 1, 9, 0)
ACTOR = TagRef(1, "Mark Carney", "actor", "#336699")
TOPIC = TagRef(2, "tariffs", "topic", "#aa3300")


def highlight(hid: int, *tags: TagRef, doc: int = 1) -> Highlight:
    return Highlight(hid, doc, hid * 10, hid * 10 + 5, f"quote {hid}", tags, None, NOW, NOW, "me")


def test_merging_keeps_the_later_rows_and_drops_what_the_later_change_deleted() -> None:
    first = Changes(highlights=frozenset({1, 2}), documents=frozenset({1}),
                    payload=ChangePayload(rows=(highlight(1), highlight(2)), document_counts=((1, 2),)))
    later = Changes(highlights=frozenset({2, 3}), documents=frozenset({1}),
                    payload=ChangePayload(rows=(highlight(3, ACTOR),), document_counts=((1, 2),)))
    merged = first | later
    assert merged.highlights == {1, 2, 3}
    assert merged.fresh_rows() == {1: highlight(1), 3: highlight(3, ACTOR)}  # 2 was deleted later
    assert merged.counts() == {1: 2}


def test_unknown_rows_or_counts_on_either_side_mean_read_them() -> None:
    known = Changes(highlights=frozenset({1}), documents=frozenset({1}), same_highlight_counts=True,
                    payload=ChangePayload(rows=(highlight(1),), document_counts=((1, 1),)))
    unknown = Changes(highlights=frozenset({2}), documents=frozenset({1}))
    assert (known | unknown).fresh_rows() is None
    assert (unknown | known).counts() is None
    assert not (known | unknown).same_highlight_counts
    assert (known | known).same_highlight_counts


def test_retagged_swaps_in_new_names_and_colours_in_category_then_name_order() -> None:
    renamed = TagRef(1, "Zed", "actor", "#000000")
    changes = Changes(tags=frozenset({1}), codebook=True, payload=ChangePayload(tag_refs=(renamed,)))
    untouched = highlight(5, TOPIC)
    both = highlight(6, ACTOR, TOPIC)
    assert changes.retagged([untouched, both]) == [highlight(6, renamed, TOPIC)]
    later = Changes(payload=ChangePayload(tag_refs=(TagRef(1, "Aaron", "actor", "#111111"),)))
    assert (changes | later).tag_refs == (TagRef(1, "Aaron", "actor", "#111111"),)
    # Within a category the order follows the new name.
    other = TagRef(3, "Mia", "actor", "#222222")
    retagged = Changes(payload=ChangePayload(tag_refs=(renamed,))).retagged([highlight(7, ACTOR, other)])
    assert retagged[0].tags == (other, renamed)


def test_a_change_naming_no_highlights_keeps_the_others_rows_and_counts_known() -> None:
    tagged = Changes(highlights=frozenset({1}), documents=frozenset({1}),
                     payload=ChangePayload(rows=(highlight(1),), document_counts=((1, 1),)))
    codebook = Changes(tags=frozenset({2}), codebook=True)
    assert (codebook | tagged).fresh_rows() == {1: highlight(1)}
    assert (tagged | codebook).counts() == {1: 1}
