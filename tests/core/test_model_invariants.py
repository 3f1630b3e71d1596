"""Offsets, overlaps, cascades and duplicates: the invariants everything else relies on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import DuplicateDocument, InvalidInput, NotFound
from annotator.core.library import Library
from annotator.core.text import normalise_text
from tests.core.helpers import add_text, new_library

TRICKY = (
    "Carney 😀 met officials.\r\n"
    "Cafe\u0301 talks (combining accent) and 𠮷野家 lunch.\r\n"
    "👩‍👩‍👧 family emoji; 🇨🇦 flag; tariffs rose.\r\n"
)


def test_offsets_survive_emoji_combining_characters_and_crlf(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, TRICKY)
        text = library.document_text(doc.id)
        assert "\r" not in text
        assert "Café" in text  # NFC at import: one code point for é
        for quote in ("officials", "Café talks", "𠮷野家", "🇨🇦 flag", "tariffs rose"):
            start = text.index(quote)
            h = library.add_highlight(doc.id, start, start + len(quote))
            assert h.text == quote
            assert text[h.start : h.end] == library.highlight(h.id).text == quote


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=5,
        max_size=200,
    ),
    data=st.data(),
)
def test_any_span_of_any_text_round_trips(
    tmp_path_factory: pytest.TempPathFactory, text: str, data: st.DataObject
) -> None:
    stored = normalise_text(text)
    if not stored.strip():
        return
    with new_library(tmp_path_factory.mktemp("p")) as library:
        doc = add_text(library, stored)
        got = library.document_text(doc.id)
        assert got == stored
        start = data.draw(st.integers(0, len(got) - 1))
        end = data.draw(st.integers(start + 1, len(got)))
        h = library.add_highlight(doc.id, start, end)
        assert got[start:end] == h.text == library.highlights(doc.id)[0].text


def test_spans_outside_the_text_are_refused(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "short text")
        for start, end in ((-1, 3), (3, 3), (5, 2), (0, 11)):
            with pytest.raises(InvalidInput):
                library.add_highlight(doc.id, start, end)
        with pytest.raises(NotFound):
            library.add_highlight(999, 0, 1)


def test_overlapping_and_nested_highlights_are_allowed(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "The prime minister spoke about tariffs and NORAD today.")
        a = library.add_highlight(doc.id, 4, 30)
        b = library.add_highlight(doc.id, 10, 40)
        c = library.add_highlight(doc.id, 4, 30)
        inner = library.add_highlight(doc.id, 10, 18)
        assert {h.id for h in library.highlights(doc.id)} == {a.id, b.id, c.id, inner.id}
        starts = [(h.start, h.end) for h in library.highlights(doc.id)]
        assert starts == sorted(starts)


def test_deleting_a_document_deletes_its_highlights_and_notes(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        keep = add_text(library, "Keep this one about USMCA.", title="Keep")
        gone = add_text(library, "Delete this one about tariffs.", title="Gone")
        actor = library.create_tag("Mark Carney", "actor")
        library.add_highlight(keep.id, 0, 4, tag_ids=[actor.id], note="kept note")
        library.add_highlight(gone.id, 0, 6, tag_ids=[actor.id], note="lost note")
        library.set_document_note(gone.id, "document memo")
        library.delete_documents([gone.id])
        assert [d.id for d in library.documents()] == [keep.id]
        assert [h.document_id for h in library.highlights()] == [keep.id]
        assert library.counts()["notes"] == 1
        assert library.tag(actor.id).highlight_count == 1


def test_undo_of_document_delete_restores_ids_highlights_notes_and_file(tmp_path: Path) -> None:
    from annotator.core.extracted import Extracted

    src = tmp_path / "wire.txt"
    src.write_text("Arctic sovereignty was on the agenda.", encoding="utf-8")
    with new_library(tmp_path) as library:
        doc = library.add_document(Extracted(text=src.read_text(), format="txt"), original=src)
        topic = library.create_tag("Arctic sovereignty", "topic")
        h = library.add_highlight(doc.id, 0, 18, tag_ids=[topic.id], note="key line")
        library.set_document_note(doc.id, "memo")
        copy = library.original_path(doc.id)
        assert copy is not None and copy.exists()
        (snapshot,) = library.delete_documents([doc.id])
        assert not copy.exists()
        library.restore_document(snapshot)
        assert copy.exists()
        again = library.highlight(h.id)
        assert (again.text, again.note, again.topics) == (h.text, "key line", ["Arctic sovereignty"])
        assert library.document(doc.id).note == "memo"


def test_deleting_a_tag_keeps_the_highlights_other_tags(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "Carney discussed tariffs with the USTR.")
        carney = library.create_tag("Mark Carney", "actor")
        tariffs = library.create_tag("tariffs", "topic")
        stance = library.create_tag("hawkish", "stance")
        h = library.add_highlight(doc.id, 0, 24, tag_ids=[carney.id, tariffs.id, stance.id])
        snapshot = library.delete_tag(tariffs.id)
        after = library.highlight(h.id)
        assert after.actors == ["Mark Carney"] and after.topics == [] and after.other_tags == ["stance:hawkish"]
        library.restore_tag(snapshot)
        assert library.highlight(h.id).topics == ["tariffs"]


def test_merge_moves_highlights_keeps_aliases_and_undoes(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "PM Carney spoke. Mark Carney left. Carney returned.")
        full = library.create_tag("Mark Carney", "actor")
        short = library.create_tag("PM Carney", "actor", aliases=["Carney"])
        h1 = library.add_highlight(doc.id, 0, 9, tag_ids=[short.id])
        h2 = library.add_highlight(doc.id, 17, 28, tag_ids=[full.id])
        h3 = library.add_highlight(doc.id, 35, 41, tag_ids=[full.id, short.id])
        record = library.merge_tags([short.id], full.id)
        assert [t.name for t in library.tags("actor")] == ["Mark Carney"]
        assert set(library.tag(full.id).aliases) == {"PM Carney", "Carney"}
        assert all(h.actors == ["Mark Carney"] for h in library.highlights())
        assert library.find_tag("actor", "carney") == library.tag(full.id)
        library.undo_merge(record)
        assert library.highlight(h1.id).actors == ["PM Carney"]
        assert library.highlight(h2.id).actors == ["Mark Carney"]
        assert sorted(library.highlight(h3.id).actors) == ["Mark Carney", "PM Carney"]
        assert library.tag(full.id).aliases == ()


def test_renaming_onto_an_existing_tag_is_refused(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        library.create_tag("Mark Carney", "actor")
        other = library.create_tag("Carney", "actor")
        with pytest.raises(InvalidInput, match="merge instead"):
            library.update_tag(other.id, name="Mark Carney")
        # the same name in another category is a different tag
        library.create_tag("Mark Carney", "stance")


def test_tag_parents_stay_within_a_category_and_acyclic(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        trade = library.create_tag("Trade", "topic")
        tariffs = library.create_tag("tariffs", "topic", parent_id=trade.id)
        with pytest.raises(InvalidInput):
            library.update_tag(trade.id, parent_id=tariffs.id)
        actor = library.create_tag("USTR", "actor")
        with pytest.raises(InvalidInput):
            library.update_tag(actor.id, parent_id=trade.id)
        library.delete_tag(trade.id)
        assert library.tag(tariffs.id).parent_id is None


def test_duplicate_text_is_reported_not_imported(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        first = add_text(library, "Energy exports and critical minerals.\nSecond line.")
        with pytest.raises(DuplicateDocument) as caught:
            add_text(library, "Energy exports and  critical minerals.\r\nSecond line.\n", title="again")
        assert caught.value.existing_id == first.id
        assert len(library.documents()) == 1


def test_notes_on_highlights_and_documents(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "NORAD modernisation funding was announced.")
        h = library.add_highlight(doc.id, 0, 5)
        assert library.set_highlight_note(h.id, "follow up").note == "follow up"
        assert library.set_highlight_note(h.id, "  ").note is None
        library.set_document_note(doc.id, "whole brief")
        assert library.document(doc.id).note == "whole brief"
        library.set_document_note(doc.id, None)
        assert library.document(doc.id).note is None


def test_find_mentions_skips_already_tagged_occurrences(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "Carney met the USTR. PM Carney said no. Carneyville is a town.")
        tag = library.create_tag("Mark Carney", "actor", aliases=["Carney", "PM Carney"])
        library.add_highlight(doc.id, 0, 6, tag_ids=[tag.id])
        mentions = library.find_mentions(tag.id)
        assert [m.text for m in mentions] == ["PM Carney"]
        made = library.tag_mentions(tag.id, mentions)
        assert [h.text for h in made] == ["PM Carney"]
        assert library.find_mentions(tag.id) == []


def test_metadata_edit_keeps_text(tmp_path: Path) -> None:
    import datetime as dt

    with new_library(tmp_path) as library:
        doc = add_text(library, "Text stays the same.")
        edited = library.update_document(doc.id, title="New title", published=dt.date(2025, 6, 14))
        assert (edited.title, edited.published) == ("New title", dt.date(2025, 6, 14))
        assert library.document_text(doc.id) == "Text stays the same."
        with pytest.raises(InvalidInput):
            library.update_document(doc.id, title="  ")


def test_library_reopens_with_everything(tmp_path: Path) -> None:
    folder = tmp_path / "p.annotator"
    with Library.create(folder) as library:
        doc = add_text(library, "Persisted text about energy.")
        tag = library.create_tag("energy", "topic", colour="#123456")
        library.add_highlight(doc.id, 0, 9, tag_ids=[tag.id], note="n")
    with Library.open(folder) as library:
        (h,) = library.highlights()
        assert (h.text, h.topics, h.note) == ("Persisted", ["energy"], "n")
        assert library.tag(tag.id).colour == "#123456"
