"""Adjudication through the Library: settling a passage writes the consensus coder's highlights,
in the database and the search index, and undo takes back exactly those. Each test runs on a
local project and on PostgreSQL (a team project's database, on the suite's throwaway server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core.errors import InvalidInput
from annotator.core.library import Library
from tests.core.helpers import add_text, new_library

TEXT = ("Carney said the tariffs would stay in place. The minister disagreed at length. "
        "Nobody else spoke about trade that day.")


@pytest.fixture(params=["local", "postgresql"])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Library]:
    if request.param == "postgresql":
        engine = engine_for_url(request.getfixturevalue("pg_url"))
        create_schema(engine)
        library = Library.open_engine(tmp_path / "Team.annotator", engine)
    else:
        library = new_library(tmp_path)
    try:
        yield library
    finally:
        library.close()


def coded(library: Library) -> tuple[Library, int, dict[str, int]]:
    doc = add_text(library, TEXT).id
    tariffs = library.create_tag("tariffs", "topic").id
    carney = library.create_tag("Mark Carney", "actor").id
    for who, start, end, tags, note in (("ann", 0, 44, [tariffs], "clear statement"),
                                        ("bob", 7, 44, [tariffs, carney], "quote"),
                                        ("ann", 45, 78, [carney], None),
                                        ("bob", 80, 100, [tariffs], None)):
        library._store.user = who
        library.add_highlight(doc, start, end, tag_ids=tags, note=note)
    library._store.user = "me"
    return library, doc, {"tariffs": tariffs, "carney": carney}


def _consensus(library: Library) -> list[tuple[int, int, set[str], str | None]]:
    return [(h.start, h.end, {t.name for t in h.tags}, h.note)
            for h in library.highlights() if h.author == library.consensus_coder()]


def test_review_lists_disagreements_with_what_the_consensus_holds(blank: Library) -> None:
    library, doc, _tags = coded(blank)
    review = library.review_disagreements(["ann", "bob"])
    assert review.documents == 1 and review.consensus_coder == "consensus"
    assert [(p.start, p.end, p.describe()) for p in review.passages] == [
        (0, 44, "different tags; different boundaries"),
        (45, 78, "only ann tagged it"),
        (80, 100, "only bob tagged it"),
    ]
    assert review.consensus == ((), (), ())
    only_carney = library.review_disagreements(["ann", "bob"], tags=["actor:Mark Carney"])
    assert [p.start for p in only_carney.passages] == [0, 45]
    assert [(c.name, c.highlights, c.documents) for c in library.coder_summaries()] == [
        ("ann", 2, 1), ("bob", 2, 1)]


def test_accept_merge_and_undo_write_exactly_the_consensus(blank: Library) -> None:
    library, _doc, _tags = coded(blank)
    first = library.review_disagreements(["ann", "bob"]).passages[0]
    before = {h.id for h in library.highlights()}

    accepted = library.accept_side(first, "bob")
    assert accepted.changes.highlights == {h.id for h in accepted.added}
    assert _consensus(library) == [(7, 44, {"tariffs", "Mark Carney"}, "quote")]
    assert accepted.added[0].text == TEXT[7:44] and accepted.removed == ()
    assert library.search('"tariffs would stay"').total >= 2  # the consensus copy is indexed

    # Changing one's mind replaces the consensus there; the merge is the union tag by tag.
    merged = library.merge_sides(first)
    assert sorted(_consensus(library), key=lambda c: c[0]) == [
        (0, 44, {"tariffs"}, "ann: clear statement\n\nbob: quote"),
        (7, 44, {"Mark Carney"}, "bob: quote"),
    ]
    assert [h.id for h in merged.removed] == [accepted.added[0].id]

    undone = library.undo_adjudication(merged)
    assert undone.highlights == {h.id for h in (*merged.added, *merged.removed)}
    assert _consensus(library) == [(7, 44, {"tariffs", "Mark Carney"}, "quote")]
    library.undo_adjudication(accepted)
    assert {h.id for h in library.highlights()} == before
    library.redo_adjudication(accepted)
    assert [h.id for h in library.highlights() if h.author == "consensus"] == [accepted.added[0].id]

    review = library.review_disagreements(["ann", "bob"])
    assert [len(held) for held in review.consensus] == [1, 0, 0]


def test_accepting_the_side_that_left_it_untagged_clears_the_consensus(blank: Library) -> None:
    library, _doc, _tags = coded(blank)
    only_ann = library.review_disagreements(["ann", "bob"]).passages[1]
    library.accept_side(only_ann, "ann")
    assert _consensus(library) == [(45, 78, {"Mark Carney"}, None)]
    cleared = library.accept_side(only_ann, "bob")
    assert _consensus(library) == [] and cleared.added == () and len(cleared.removed) == 1
    with pytest.raises(InvalidInput):
        library.accept_side(only_ann, "carol")


def test_agreed_passages_are_copied_once_and_the_consensus_coder_is_configurable(blank: Library) -> None:
    library, doc, tags = coded(blank)
    for who in ("ann", "bob"):
        library._store.user = who
        library.add_highlight(doc, 101, 110, tag_ids=[tags["tariffs"]])
    assert library.set_consensus_coder("  panel  ") == "panel"
    assert library.consensus_coder() == "panel"
    with pytest.raises(InvalidInput):
        library.set_consensus_coder(" ")
    every = library.review_disagreements(["ann", "bob"], include_agreed=True).passages
    done = library.accept_agreed(every)
    assert [(h.start, h.end, h.author) for h in done.added] == [(101, 110, "panel")]
    assert library.accept_agreed(every).added == ()  # already there: not copied twice
    # Each coder against the consensus is an ordinary agreement figure now.
    review = library.review_disagreements(["ann", "panel"])
    assert review.documents == 1


def test_settling_survives_a_tag_deleted_meanwhile(blank: Library) -> None:
    library, _doc, tags = coded(blank)
    first = library.review_disagreements(["ann", "bob"]).passages[0]
    library.delete_tag(tags["carney"])
    library.accept_side(first, "bob")
    assert _consensus(library) == [(7, 44, {"tariffs"}, "quote")]


def test_coder_agreement_pools_groups_like_the_report(blank: Library) -> None:
    library, doc, tags = coded(blank)
    plain = {r.tag: r for r in library.coder_agreement(["ann", "bob"])}
    assert set(plain) == {"topic:tariffs", "actor:Mark Carney"}
    assert plain["topic:tariffs"].units == 44 + 33 + 20
    assert plain["topic:tariffs"].left_out == len(TEXT) - 97
    library._store.user = "cat"
    library.add_highlight(doc, 80, 100, tag_ids=[tags["tariffs"]])
    [pooled_row] = library.coder_agreement(["ann+cat", "bob"], tags=["topic:tariffs"],
                                           groups={"ann+cat": ["ann", "cat"]})
    assert pooled_row.tagged == {"ann+cat": 44 + 20, "bob": 37 + 20}
