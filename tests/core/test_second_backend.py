"""The core's write paths on a database given by URL, so a second backend (PostgreSQL for team
projects) plugs into the same Library: every write, its undo, and the reads that follow.

Run on a fresh SQLite file opened through ``Library.open_engine`` and on PostgreSQL: the
database ``ANNOTATOR_TEST_DB_URL`` names when it is set (a THROWAWAY database: its tables are
dropped), else a new database on the suite's throwaway cluster (``pg_url``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core._db.schema import Base
from annotator.core.changes import Changes
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.text import normalise_text

URL_VARIABLE = "ANNOTATOR_TEST_DB_URL"
PAGED = normalise_text("Carney met Trump in Ottawa. Tariffs on steel came first.\n\n"
                       "Dairy quotas came next, then NORAD and the steel question again.")
PLAIN = normalise_text("Ontario reacts: steel towns worry; Ford wants retaliation on dairy.")


@pytest.fixture(params=["sqlite", "postgresql"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Library]:
    if request.param == "postgresql":
        # A server given by URL, else the suite's throwaway PostgreSQL cluster (tests/pg_server.py).
        url = os.environ.get(URL_VARIABLE) or request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{(tmp_path / 'second.sqlite').as_posix()}"
    engine = engine_for_url(url)
    Base.metadata.drop_all(engine)
    create_schema(engine)
    library = Library.open_engine(tmp_path / "Project.annotator", engine)
    try:
        yield library
    finally:
        library.close()


def test_every_write_and_its_undo_on_the_backend(library: Library) -> None:
    seen: list[Changes] = []
    library.subscribe(seen.append)
    # Documents.
    paged = library.add_document(Extracted(text=PAGED, format="pdf", title="Talks", author="Ana",
                                           published=date(2026, 3, 1), pages=((0, 57), (57, len(PAGED)))))
    plain = library.add_document(Extracted(text=PLAIN, format="txt", title="Reactions"))
    assert library.find_duplicate(PLAIN) == plain.id
    assert library.update_document(plain.id, title="Ontario reacts").title == "Ontario reacts"
    library.set_document_note(paged.id, "read again")
    assert library.document(paged.id).note == "read again"
    assert library.document(paged.id).published == date(2026, 3, 1)
    # Codebook.
    carney = library.create_tag("Mark Carney", "actor", aliases=["Carney"])
    steel = library.create_tag("steel", "topic")
    metal = library.create_tag("metal", "topic", parent_id=steel.id)
    library.add_category("stance")
    library.rename_category("stance", "Stances")
    assert library.update_tag(carney.id, colour="#123456", description="PM").colour == "#123456"
    # Highlights, their tags, spans and notes.
    start = PAGED.index("Tariffs")
    h = library.add_highlight(paged.id, start, start + 7, tag_ids=[steel.id], note="key",
                              new_tags=[("stance", "Firm")])
    assert h.text == "Tariffs" and h.page == 1 and [t.name for t in h.tags] == ["Firm", "steel"]
    assert library.highlight(h.id) == h
    library.set_highlight_tags(h.id, [steel.id, carney.id])
    library.add_tags(highlight_ids=[h.id], tag_ids=[metal.id])
    assert library.highlight_tag_ids([h.id]) == {h.id: sorted([steel.id, carney.id, metal.id])}
    spanned = library.set_highlight_span(h.id, start, start + 16)
    assert spanned.text == "Tariffs on steel"
    assert library.set_highlight_note(h.id, "key passage").note == "key passage"
    second = library.add_highlight(plain.id, 0, 7, tag_ids=[steel.id])
    gone = library.delete_highlights([second.id])
    library.restore_highlights(gone)
    assert library.highlight(second.id).text == "Ontario"
    assert library.highlight_counts([paged.id, plain.id]) == {paged.id: 1, plain.id: 1}
    # Merge, delete and restore tags.
    record = library.merge_tags([metal.id], steel.id)
    assert library.tag(steel.id).aliases == ("metal",)
    library.undo_merge(record)
    assert library.tag(metal.id).parent_id == steel.id
    snapshots = library.delete_tags([metal.id, carney.id])
    library.restore_tags(snapshots)
    snapshot = library.delete_tag(steel.id)
    library.restore_tag(snapshot)
    assert {t.name for t in library.highlight(h.id).tags} == {"Mark Carney", "metal", "steel"}
    # Mentions.
    mentions = library.find_mentions(steel.id)
    assert [(m.document_id, m.text) for m in mentions] == [(paged.id, "steel"), (plain.id, "steel")]
    made = library.tag_mentions(steel.id, mentions)
    assert [m.text for m in made] == ["steel", "steel"]
    # Saved searches.
    saved = library.save_search("steel", "topic:steel")
    assert library.rename_saved_search(saved.id, "Steel").name == "Steel"
    library.delete_saved_search(saved.id)
    # Exports read what was written.
    records = [r for batch in library.excerpt_batches() for r in batch]
    assert [r.text for r in records] == ["Tariffs on steel", "steel", "Ontario", "steel"]
    assert records[0].note == "key passage" and len(records[0].tag_ids) == 3
    assert records[0].created[:4].isdigit() and "T" in records[0].created
    summaries = library.document_summaries()
    assert [(s.title, s.published) for s in summaries] == [
        ("Talks", date(2026, 3, 1)), ("Ontario reacts", None)]
    # Documents go and come back with their highlights.
    before = library.content_fingerprint()
    deleted = library.delete_documents([plain.id])
    assert library.content_fingerprint() != before
    library.restore_document(deleted[0])
    assert library.content_fingerprint() == before
    assert library.counts() == {"documents": 2, "highlights": 4, "tags": 4, "notes": 2}
    # The index followed every write.
    assert [hit.highlight_id for hit in library.search('note:"key passage"').hits] == [h.id]
    assert library.index_problem() is None
    assert len(seen) >= 30 and all(isinstance(c, Changes) for c in seen)
