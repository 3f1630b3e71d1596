"""add_highlight returns the highlight it wrote without reading it back, and builds the index
record from the same values: both must equal what a fresh read of the database gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from annotator.core._db.highlight_records import indexed_highlights
from annotator.core.errors import InvalidInput, NotFound
from tests.core.helpers import add_text, new_library

TEXT = "Page one talks about steel tariffs.\nPage two: Mark Carney answers on NORAD radar."


def test_the_returned_highlight_and_index_record_equal_a_fresh_read(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        split = TEXT.index("Page two")
        doc = add_text(library, TEXT, title="Paged", author="Jane Doe", published=date(2025, 6, 3),
                       pages=((0, split), (split, len(TEXT))))
        carney = library.create_tag("Mark Carney", "actor", aliases=["Carney"])
        defence = library.create_tag("Defence", "topic")
        stance = library.create_tag("Firm", "stance")
        start = TEXT.index("steel")
        end = TEXT.index("NORAD") + len("NORAD")
        made = library.add_highlight(doc.id, start, end, tag_ids=[stance.id, defence.id, carney.id],
                                     note="follow up")
        assert made == library.highlight(made.id)
        assert (made.page, made.page_end) == (1, 2)
        assert [t.category for t in made.tags] == ["actor", "stance", "topic"]
        plain = library.add_highlight(doc.id, 0, 4, note="   ")
        assert plain == library.highlight(plain.id)
        assert plain.note is None and plain.tags == ()
        with library._store.write() as s:  # the record add_highlight indexed, read back the slow way
            (record,) = indexed_highlights(s, [made.id])
        assert record.quote == TEXT[start:end]
        assert (record.note, record.page, record.page_end) == ("follow up", 1, 2)
        assert (record.document_title, record.document_author) == ("Paged", "Jane Doe")
        assert [(t.category, t.name, t.aliases) for t in record.tags] == [
            ("actor", "Mark Carney", ("Carney",)), ("stance", "Firm", ()), ("topic", "Defence", ())]
        assert [h.highlight_id for h in library.search('actor:Carney note:follow').hits] == [made.id]


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, TEXT)
        tag = library.create_tag("Mark Carney", "actor")
        generation = library.generation()
        with pytest.raises(NotFound):
            library.add_highlight(doc.id + 1, 0, 4)
        with pytest.raises(NotFound):
            library.add_highlight(doc.id, 0, 4, tag_ids=[tag.id, tag.id + 99])
        with pytest.raises(InvalidInput):
            library.add_highlight(doc.id, 4, 4)
        with pytest.raises(NotFound):
            library.add_tags(highlight_ids=[12345], tag_ids=[tag.id])
        assert library.highlights() == [] and library.generation() == generation


def test_new_tags_are_found_or_created_with_the_highlight(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, TEXT)
        carney = library.create_tag("Mark Carney", "actor", aliases=["Carney"])
        made = library.add_highlight(
            doc.id, 0, 4, new_tags=[("actor", "carney"), ("topic", "steel  tariffs"),
                                    ("Stance", "Firm"), ("topic", "Steel Tariffs")])
        names = {(t.category, t.name) for t in library.tags()}
        assert names == {("actor", "Mark Carney"), ("topic", "steel tariffs"), ("stance", "Firm")}
        assert made.actors == ["Mark Carney"] and made.tags[0].id == carney.id
        assert made.topics == ["steel tariffs"] and made.other_tags == ["stance:Firm"]
        assert "stance" in {c.name for c in library.categories()}
        assert made == library.highlight(made.id)


def test_a_highlight_that_fails_creates_none_of_its_new_tags(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, TEXT)
        before = (library.tags(), library.categories(), library.generation())
        with pytest.raises(InvalidInput, match="span 5:99999 is not inside the text"):
            library.add_highlight(doc.id, 5, 99999, new_tags=[("actor", "Ghost Actor"),
                                                               ("mood", "eerie")])
        with pytest.raises(InvalidInput, match="a tag needs a name"):
            library.add_highlight(doc.id, 0, 4, new_tags=[("actor", "Ghost Actor"), ("topic", " ")])
        with pytest.raises(NotFound):
            library.add_highlight(doc.id + 1, 0, 4, new_tags=[("actor", "Ghost Actor")])
        assert (library.tags(), library.categories(), library.generation()) == before
        assert library.highlights() == []


def test_highlight_counts_and_documents_agree_with_the_highlights(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        tagged = add_text(library, TEXT, title="Tagged")
        empty = add_text(library, "Nothing highlighted here.", title="Empty")
        for start in (0, 5, 10):
            library.add_highlight(tagged.id, start, start + 4)
        counts = library.highlight_counts([tagged.id, empty.id, tagged.id])
        assert counts == {tagged.id: 3, empty.id: 0}
        assert counts == {d.id: d.highlight_count for d in library.documents()}
        first, *others = library.highlights(tagged.id)
        library.delete_highlights([first.id])
        assert library.highlight_counts([tagged.id]) == {tagged.id: 2}
        other = library.add_highlight(empty.id, 0, 7)
        assert library.highlight_documents([others[0].id, other.id, first.id]) == {tagged.id, empty.id}
        assert library.highlight_documents([first.id]) == frozenset()


def test_tag_counts_agree_with_the_codebook_after_tagging_and_untagging(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, TEXT, title="Tagged")
        carney = library.create_tag("Mark Carney", "actor")
        steel = library.create_tag("Steel", "topic")
        unused = library.create_tag("Unused", "topic")
        first = library.add_highlight(doc.id, 0, 4, tag_ids=[carney.id, steel.id])
        library.add_highlight(doc.id, 5, 9, tag_ids=[carney.id])
        counts = library.tag_counts([carney.id, steel.id, unused.id, carney.id, 9999])
        assert counts == {carney.id: 2, steel.id: 1, unused.id: 0, 9999: 0}
        assert {t.id: t.highlight_count for t in library.tags()} == {
            t: n for t, n in counts.items() if t != 9999}
        library.set_highlight_tags(first.id, [steel.id])
        assert library.tag_counts([carney.id, steel.id]) == {carney.id: 1, steel.id: 1}
        assert library.tag_counts([]) == {}


def test_tag_names_follow_the_given_order_and_refuse_an_unknown_id(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        carney = library.create_tag("Mark Carney", "actor")
        steel = library.create_tag("Steel", "topic")
        assert library.tag_names([steel.id, carney.id, steel.id]) == {steel.id: "Steel", carney.id: "Mark Carney"}
        assert list(library.tag_names([steel.id, carney.id])) == [steel.id, carney.id]
        library.update_tag(steel.id, name="Steel and aluminium")
        assert library.tag_names([steel.id]) == {steel.id: "Steel and aluminium"}
        assert library.tag_names([]) == {}
        with pytest.raises(NotFound, match="no tag 9999"):
            library.tag_names([carney.id, 9999])


def test_counts_agree_with_the_listings(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        assert library.counts() == {"documents": 0, "highlights": 0, "tags": 0, "notes": 0}
        doc = add_text(library, TEXT, title="Counted")
        add_text(library, "Another text.", title="Other")
        steel = library.create_tag("Steel", "topic")
        library.create_tag("Radar", "topic")
        library.add_highlight(doc.id, 0, 4, tag_ids=[steel.id], note="first")
        library.add_highlight(doc.id, 5, 9)
        library.set_document_note(doc.id, "on the document")
        assert library.counts() == {"documents": 2, "highlights": 2, "tags": 2, "notes": 2}


def test_page_maps_read_back_by_each_document_as_stored(tmp_path: Path) -> None:
    # Page maps are parsed once per stored text: two documents, one paged alike, must each
    # still give their own pages.
    with new_library(tmp_path) as library:
        split = TEXT.index("Page two")
        first = add_text(library, TEXT, title="First", pages=((0, split), (split, len(TEXT))))
        second = add_text(library, TEXT + " More.", title="Second",
                          pages=((0, 10), (10, len(TEXT) + 6)))
        a = library.add_highlight(first.id, split, split + 4)
        b = library.add_highlight(second.id, split, split + 4)
        assert (library.highlight(a.id).page, library.highlight(b.id).page) == (2, 2)
        assert [p.start for p in library.document(first.id).page_map] == [0, split]
        assert [p.start for p in library.document(second.id).page_map] == [0, 10]
        assert library.highlight(library.add_highlight(second.id, 0, 4).id).page == 1


def test_highlight_tag_ids_agree_with_a_full_read_and_skip_unknown_ids(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, TEXT, title="Tagged")
        carney = library.create_tag("Mark Carney", "actor")
        steel = library.create_tag("Steel", "topic")
        both = library.add_highlight(doc.id, 0, 4, tag_ids=[steel.id, carney.id])
        bare = library.add_highlight(doc.id, 5, 9)
        found = library.highlight_tag_ids([bare.id, 9999, both.id, bare.id])
        assert list(found) == [bare.id, both.id]
        assert {hid: set(tags) for hid, tags in found.items()} == {
            h.id: {t.id for t in h.tags} for h in library.highlights(doc.id)}
        library.set_highlight_tags(both.id, [carney.id])
        assert library.highlight_tag_ids([both.id]) == {both.id: [carney.id]}
        assert library.highlight_tag_ids([]) == {}


def test_quotes_from_the_text_the_reader_read_match_the_database(tmp_path: Path) -> None:
    """The reader's document text is kept for quoting (SQLite's substr walks the text): quotes,
    pages and the span check must be what the database gives, also after that document is
    deleted and a new one takes its id."""
    text = "Ünïcode 🙂 first page.\nSecond page with 北京 and more words here."
    split = text.index("Second")
    with new_library(tmp_path) as library:
        doc = add_text(library, text, title="Kept", pages=((0, split), (split, len(text))))
        assert library.document_text(doc.id) == text  # the reader opens it
        for start, end in [(0, 7), (text.index("🙂"), text.index("🙂") + 1), (text.index("北京"), len(text))]:
            made = library.add_highlight(doc.id, start, end)
            assert made == library.highlight(made.id)
            assert made.text == text[start:end]
        assert library.highlight(made.id).page == 2  # the page map kept from the first click
        with pytest.raises(InvalidInput):
            library.add_highlight(doc.id, 0, len(text) + 1)
        library.delete_documents([doc.id])
        other = "A different text of a different length."
        again = add_text(library, other, title="New")
        made = library.add_highlight(again.id, 2, 11)
        assert made.text == other[2:11] == library.highlight(made.id).text
        assert made.page is None
        with pytest.raises(InvalidInput):
            library.add_highlight(again.id, 0, len(other) + 1)


def tagged_hits(library, query: str) -> list[int]:
    return [h.highlight_id for h in library.search(query).hits if h.highlight_id is not None]


def test_set_highlight_tags_returns_and_indexes_what_a_fresh_read_gives(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        split = TEXT.index("Page two")
        doc = add_text(library, TEXT, title="Paged", author="Jane Doe",
                       pages=((0, split), (split, len(TEXT))))
        carney = library.create_tag("Mark Carney", "actor", aliases=["Carney"])
        defence = library.create_tag("Defence", "topic")
        start = TEXT.index("NORAD")
        made = library.add_highlight(doc.id, start, start + 5, tag_ids=[carney.id], note="radar")
        for known_text in (False, True):  # the reader's text read or not
            if known_text:
                library.document_text(doc.id)
            changed = library.set_highlight_tags(made.id, [defence.id, carney.id])
            assert changed == library.highlight(changed.id)
            assert [t.name for t in changed.tags] == ["Mark Carney", "Defence"]
            assert (changed.page, changed.note, changed.created) == (2, "radar", made.created)
            assert tagged_hits(library, "topic:defence") == [made.id]
            assert library.set_highlight_tags(made.id, []) == library.highlight(made.id)
            assert tagged_hits(library, "topic:defence") == []
        with pytest.raises(NotFound):
            library.set_highlight_tags(made.id, [999])
        assert [t.id for t in library.highlight(made.id).tags] == []  # nothing half done
        with pytest.raises(NotFound):
            library.set_highlight_tags(12345, [carney.id])
