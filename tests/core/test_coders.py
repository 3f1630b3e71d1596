"""Every highlight and note records its coder; the coder filter and blind coding narrow every
read path (highlights, counts, codebook, search, excerpts, analysis) the same way, on SQLite
and on PostgreSQL, and blind coding is kept per user in the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.core._db.engine import create_schema, current_revision, engine_for_url, make_engine, upgrade
from annotator.core._db.schema import Base
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.library import Library
from annotator.core.models import Coder
from tests.core.helpers import add_text

TEXT = "Carney met Trump in Ottawa. Tariffs on steel came first. Dairy quotas came next."


def as_coder(library: Library, name: str) -> None:
    """Work as another coder in the same open project (a team project's second login)."""
    library.user = name
    library._store.user = name
    library.reload_coder_settings()


@pytest.fixture(params=["sqlite", "postgresql"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Library]:
    if request.param == "sqlite":
        lib = Library.create(tmp_path / "Local.annotator")
    else:
        engine = engine_for_url(request.getfixturevalue("pg_url"))
        Base.metadata.drop_all(engine)
        create_schema(engine)
        lib = Library.open_engine(tmp_path / "Team.annotator", engine)
    try:
        yield lib
    finally:
        lib.close()


def _two_coders(library: Library) -> tuple[int, int, int, int]:
    """Alice codes "Carney" (actor) with a note; Bob codes "Carney" and "Tariffs" (topic)."""
    doc = add_text(library, TEXT, title="Talks")
    carney = library.create_tag("Carney", "actor")
    tariffs = library.create_tag("Tariffs", "topic")
    as_coder(library, "alice")
    a = library.add_highlight(doc.id, 0, 6, tag_ids=[carney.id], note="the PM")
    as_coder(library, "bob")
    library.add_highlight(doc.id, 0, 6, tag_ids=[carney.id])
    b = library.add_highlight(doc.id, 28, 35, tag_ids=[tariffs.id], note="trade")
    return doc.id, a.id, b.id, carney.id


def test_highlights_and_notes_record_their_coder(library: Library) -> None:
    doc_id, a_id, b_id, _ = _two_coders(library)
    alice, bob = library.highlight(a_id), library.highlight(b_id)
    assert (alice.author, alice.note_author) == ("alice", "alice")
    assert (bob.author, bob.note_author) == ("bob", "bob")
    # Bob rewrites Alice's note: the words are his now; the highlight stays Alice's.
    edited = library.set_highlight_note(a_id, "the prime minister")
    assert (edited.author, edited.note_author) == ("alice", "bob")
    # Saving the same words again does not take the note over.
    as_coder(library, "alice")
    assert library.set_highlight_note(a_id, "the prime minister").note_author == "bob"
    # Undo of a delete brings back both coders.
    gone = library.delete_highlights([a_id])
    library.restore_highlights(gone)
    back = library.highlight(a_id)
    assert (back.author, back.note_author) == ("alice", "bob")
    assert library.coders() == [Coder("alice", 1, 0), Coder("bob", 2, 2)]


def test_coder_filter_narrows_every_read(library: Library) -> None:
    doc_id, a_id, b_id, carney = _two_coders(library)
    library.reindex()
    assert library.visible_coders() is None
    library.set_visible_coders({"alice"})
    assert library.visible_coders() == frozenset({"alice"})
    assert [h.id for h in library.highlights(doc_id)] == [a_id]
    assert library.document(doc_id).highlight_count == 1
    assert library.documents()[0].highlight_count == 1
    assert library.highlight_counts([doc_id]) == {doc_id: 1}
    assert library.tag(carney).highlight_count == 1
    assert {t.name: t.highlight_count for t in library.tags()} == {"Carney": 1, "Tariffs": 0}
    assert library.tag_counts([carney]) == {carney: 1}
    assert library.visible_counts()["highlights"] == 1
    assert library.counts()["highlights"] == 3  # the database's whole, for the index checks
    with pytest.raises(NotFound):
        library.highlight(b_id)
    # Search: Bob's highlight and his note are not found; the document still is.
    hits = library.search("trade").hits
    assert not [h for h in hits if h.highlight_id is not None]
    assert {h.highlight_id for h in library.search("Carney", limit=50).hits} >= {a_id}
    assert b_id not in {h.highlight_id for h in library.search("Tariffs", limit=50).hits}
    # Excerpts (the CSV export's reader), with the export's own coder choice on top.
    assert [r.id for batch in library.excerpt_batches() for r in batch] == [a_id]
    assert [r.author for batch in library.excerpt_batches() for r in batch] == ["alice"]
    assert list(library.excerpt_batches(coders=["bob"])) == []
    library.set_visible_coders(None)
    assert len(library.highlights(doc_id)) == 3
    assert [r.author for b in library.excerpt_batches(coders=["bob"]) for r in b] == ["bob", "bob"]
    with pytest.raises(InvalidInput):
        library.set_visible_coders([])


def test_changes_carry_counts_of_the_shown_coders(library: Library) -> None:
    doc_id, a_id, b_id, carney = _two_coders(library)
    library.set_visible_coders({"bob"})
    seen = []
    library.subscribe(seen.append)
    library.add_highlight(doc_id, 40, 45)  # bob's
    assert seen[-1].counts() == {doc_id: 3}
    library.set_visible_coders({"alice"})
    library.delete_highlights([b_id])
    assert seen[-1].counts() == {doc_id: 1}


def test_blind_coding_is_per_user_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "Blind.annotator"
    with Library.create(folder) as library:
        doc_id, a_id, b_id, carney = _two_coders(library)
        as_coder(library, "alice")
        seen = []
        library.subscribe(seen.append)
        library.set_blind_coding(True)
        assert seen and seen[-1].codebook and seen[-1].documents_added_or_removed
        assert library.blind_coding()
        assert [h.author for h in library.highlights()] == ["alice"]
        assert library.tag(carney).highlight_count == 1
        assert library.coders() == [Coder("alice", 1, 1)]  # Bob's name and counts are hidden
        # The coder filter cannot show more than blind coding lets through.
        library.set_visible_coders({"bob"})
        assert [h.author for h in library.highlights()] == ["alice"]
        as_coder(library, "bob")
        assert not library.blind_coding()  # Alice's setting is hers alone
    for user, blind in (("alice", True), ("bob", False)):
        with Library.open(folder, readonly=True) as again:
            as_coder(again, user)
            assert again.blind_coding() is blind
            authors = {h.author for h in again.highlights()}
            assert authors == ({"alice"} if blind else {"alice", "bob"})
    with Library.open(folder) as again:
        as_coder(again, "alice")
        again.set_blind_coding(False)
        assert {h.author for h in again.highlights()} == {"alice", "bob"}


def test_blind_coding_hides_others_from_analysis(tmp_path: Path) -> None:
    with Library.create(tmp_path / "Analysis.annotator") as library:
        _doc_id, a_id, b_id, carney = _two_coders(library)
        library.reindex()
        matrix = library.cooccurrence("document")
        tariffs = library.find_tag("topic", "Tariffs")
        assert tariffs is not None
        assert matrix.counts.get((carney, tariffs.id)) == 1
        frequencies = {f.tag: f.highlights for f in library.tag_frequencies()}
        assert frequencies["Carney"] == 2
        as_coder(library, "alice")
        library.set_blind_coding(True)
        assert library.cooccurrence("document").counts.get((carney, tariffs.id)) is None
        frequencies = {f.tag: f.highlights for f in library.tag_frequencies()}
        assert frequencies == {"Carney": 1, "Tariffs": 0}
        assert [h.id for h in library.tagged_highlights([carney])] == [a_id]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_gives_old_notes_their_highlights_author(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A project made before i17_coder: its highlight notes get their highlight's coder, its
    document notes "", and nothing else changes; the same migration on both backends."""
    folder = tmp_path / "Old.annotator"
    folder.mkdir()
    db = folder / "project.sqlite"
    if backend == "sqlite":
        engine = make_engine(db)
        upgrade(engine, db, "i15_vars")
    else:
        # The earlier revisions' PostgreSQL path is another branch's (t_server): this one
        # starts from the model without notes.author, stamped i15_vars, and runs only i17_coder.
        engine = engine_for_url(request.getfixturevalue("pg_url"))
        db = folder / "no-file"  # nothing to back up before the upgrade
        create_schema(engine)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE notes DROP COLUMN author"))
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version VALUES ('i15_vars')"))
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO documents (id, title, author, source, imported_at, format, sha256, text,"
            " characters, page_map, original_name, site_name, url) VALUES (1, 'T', '', '',"
            " '2026-01-01 00:00:00', 'txt', 'x', 'Some old text', 13, '[]', '', '', '')"))
        conn.execute(text(
            "INSERT INTO highlights (id, document_id, start, \"end\", text, author, created,"
            " modified) VALUES (1, 1, 0, 4, 'Some', 'carol', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO notes (document_id, highlight_id, text, created, modified) VALUES"
            " (1, 1, 'old memo', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),"
            " (1, NULL, 'doc memo', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    upgrade(engine, db, "i17_coder")
    assert current_revision(engine) == "i17_coder"
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT highlight_id, author FROM notes ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "carol"), (None, "")]


def test_blind_search_pages_and_totals_count_only_own_hits(library: Library) -> None:
    doc = add_text(library, TEXT, title="Talks")
    as_coder(library, "bob")
    for start in range(0, 30, 5):
        library.add_highlight(doc.id, start, start + 4, note="quota memo")
    as_coder(library, "alice")
    mine = library.add_highlight(doc.id, 60, 66, note="quota memo")
    library.reindex()
    assert library.search("quota", limit=3).total == 8  # seven notes and the document itself
    library.set_blind_coding(True)
    results = library.search("quota", limit=3)
    assert sorted((h.kind, h.highlight_id) for h in results.hits) == [
        ("document", None), ("note", mine.id)]
    assert results.total == 2


def test_blind_coding_is_per_role_on_a_shared_server(tmp_path: Path, pg_url: str) -> None:
    """Two clients of one PostgreSQL project: Alice's blind coding hides Bob's work from her
    and nothing from him, and each sees the other's new highlights as their setting says."""
    engine = engine_for_url(pg_url)
    create_schema(engine)
    alice = Library.open_engine(tmp_path / "alice", engine)
    bob = Library.open_engine(tmp_path / "bob", engine_for_url(pg_url))
    try:
        as_coder(alice, "alice")
        as_coder(bob, "bob")
        doc = add_text(alice, TEXT, title="Talks")
        alice.add_highlight(doc.id, 0, 6)
        alice.set_blind_coding(True)
        bob.add_highlight(doc.id, 28, 35)
        assert [h.author for h in alice.highlights()] == ["alice"]
        assert alice.document(doc.id).highlight_count == 1
        assert not bob.blind_coding()
        assert [h.author for h in bob.highlights()] == ["alice", "bob"]
        bob.reload_coder_settings()  # a second open by Bob reads his own setting, not Alice's
        assert not bob.blind_coding()
    finally:
        alice.close()
        bob.close()


def test_undo_of_a_document_delete_under_blind_coding_brings_back_every_coder(tmp_path: Path) -> None:
    with Library.create(tmp_path / "Undo.annotator") as library:
        doc_id, a_id, b_id, _ = _two_coders(library)
        as_coder(library, "alice")
        library.set_blind_coding(True)
        [snapshot] = library.delete_documents([doc_id])
        assert {h.author for h in snapshot.highlights} == {"alice", "bob"}
        library.restore_document(snapshot)
        library.set_blind_coding(False)
        assert sorted(h.author for h in library.highlights(doc_id)) == ["alice", "bob", "bob"]
        assert library.highlight(b_id).note_author == "bob"


def test_project_exchange_carries_every_coder_and_is_refused_under_blind_coding(
    tmp_path: Path,
) -> None:
    """A REFI-QDA project file is the whole project: the coder filter (a view) does not thin
    it, and blind coding refuses it, naming the file and the way out, and writes nothing."""
    from annotator.export.errors import ExportFailed
    from annotator.export.refi_export import write_qdpx
    from annotator.importers.refi_import import import_refi

    with Library.create(tmp_path / "Exchange.annotator") as library:
        _two_coders(library)
        library.set_visible_coders({"alice"})
        write_qdpx(library, tmp_path / "team.qdpx")
        as_coder(library, "alice")
        library.set_blind_coding(True)
        with pytest.raises(ExportFailed, match=r"blind\.qdpx: blind coding is on for alice"):
            write_qdpx(library, tmp_path / "blind.qdpx")
        assert not (tmp_path / "blind.qdpx").exists()
    with Library.create(tmp_path / "Copy.annotator") as copy:
        import_refi(copy, tmp_path / "team.qdpx")
        assert sorted(h.author for h in copy.highlights()) == ["alice", "bob", "bob"]
