"""The change log of a team project and each client's index following it (issue 17), on the
throwaway PostgreSQL server with one connection (and coder) per client: every write logged
in its own transaction, other clients' changes reaching this client's search and change feed,
nothing missed when transactions commit out of id order, the cursor surviving a restart and
reset by a rebuild, and a writer in a separate process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.core.change_follower import CURSOR_FILE, RemoteChanges
from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.text import normalise_text
from tests.core.team_clients import WriterProcess, open_client, prepare_team_database
from tests.pg_server import TempServer

TEXT = normalise_text("Carney met Trump in Ottawa. Tariffs on steel came first, then dairy quotas.")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(pg_server: TempServer, pg_url: str) -> str:
    return prepare_team_database(pg_server, pg_url)


@pytest.fixture
def clients(pg_server: TempServer, database: str, tmp_path: Path) -> Iterator[tuple[Library, Library]]:
    alice = open_client(pg_server, database, "alice", tmp_path / "alice")
    bob = open_client(pg_server, database, "bob", tmp_path / "bob")
    try:
        yield alice, bob
    finally:
        alice.close()
        bob.close()


def log_rows(library: Library) -> list[tuple[str, str, str, str, str]]:
    with library._store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(  # type: ignore[misc]
            "SELECT coder, kind, action, documents, highlights FROM change_log ORDER BY id"))]


def hits(library: Library, query: str) -> list[int | None]:
    return [h.highlight_id for h in library.search(query).hits]


def test_every_write_is_logged_with_its_coder_in_its_transaction(clients: tuple[Library, Library]) -> None:
    alice, bob = clients
    assert (alice.user, bob.user) == ("alice", "bob")
    assert set(log_rows(bob)) == {("alice", "categories", "insert", "", "")}  # the first client's set-up
    setup = len(log_rows(bob))
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    steel = bob.create_tag("steel", "topic")
    h = bob.add_highlight(doc.id, 28, 35, tag_ids=[steel.id])
    rows = log_rows(bob)
    assert ("bob", "documents", "insert", str(doc.id), "") in rows
    assert ("bob", "highlights", "insert", str(doc.id), str(h.id)) in rows
    assert ("bob", "highlight_tags", "insert", str(doc.id), str(h.id)) in rows
    assert {r[0] for r in rows[setup:]} == {"bob"}
    # A write that fails leaves no entry: the log is part of the write's transaction.
    before = len(log_rows(bob))
    with pytest.raises(AnnotatorError):
        bob.create_tag("steel", "topic")
    assert len(log_rows(bob)) == before
    alice.delete_highlights([h.id])
    assert ("alice", "highlights", "delete", str(doc.id), str(h.id)) in log_rows(alice)[before:]


def test_each_kind_of_write_is_logged_and_reaches_the_other_client(clients: tuple[Library, Library]) -> None:
    """One write of each kind (and the bulk ones: a merge, a document delete cascading to its
    highlights and notes): each adds its entries naming what it touched, and alice's poll
    reflects it in her index and change feed."""
    alice, bob = clients
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    steel = bob.create_tag("steel", "topic")
    metals = bob.create_tag("metals", "topic")
    h = bob.add_highlight(doc.id, 28, 35, tag_ids=[steel.id])
    alice.poll_changes()

    def logged(write: Callable[[], object]) -> tuple[set[tuple[str, str]], RemoteChanges]:
        before = len(log_rows(bob))
        write()
        return {(r[1], r[2]) for r in log_rows(bob)[before:]}, alice.poll_changes()

    kinds, remote = logged(lambda: bob.add_category("region", "Region"))
    assert kinds == {("categories", "insert")} and remote.changes.codebook
    kinds, remote = logged(lambda: bob.set_highlight_note(h.id, "quota talk"))
    # The note's row, and the highlight's version that the optimistic check compares.
    assert kinds == {("notes", "insert"), ("highlights", "update")}
    assert remote.changes.notes and h.id in remote.changes.highlights
    assert hits(alice, 'note:"quota talk"') == [h.id]
    kinds, remote = logged(lambda: bob.set_document_note(doc.id, "read twice"))
    assert kinds == {("notes", "insert")} and doc.id in remote.changes.documents
    kinds, remote = logged(lambda: bob.set_highlight_span(h.id, 28, 44))
    assert ("highlights", "update") in kinds and h.id in remote.changes.highlights
    kinds, remote = logged(lambda: bob.merge_tags([steel.id], metals.id))
    assert ("highlight_tags", "insert") in kinds and ("tags", "delete") in kinds
    assert remote.changes.codebook and hits(alice, "topic:metals") == [h.id]
    assert hits(alice, "topic:steel") == hits(bob, "topic:steel") == [h.id]  # "steel" is now an alias
    kinds, remote = logged(lambda: bob.save_search("metals", "topic:metals"))
    assert kinds == {("saved_searches", "insert")} and remote.changes.saved_searches
    kinds, remote = logged(lambda: bob.define_variable("country"))
    assert ("variables", "insert") in kinds and remote.variables
    kinds, remote = logged(lambda: bob.set_document_variable(doc.id, "country", "Canada"))
    assert kinds == {("document_variables", "insert")} and remote.variables
    kinds, remote = logged(lambda: bob.delete_documents([doc.id]))
    assert {("documents", "delete"), ("highlights", "delete"), ("notes", "delete")} <= kinds
    assert remote.changes.documents_added_or_removed and h.id in remote.changes.highlights
    assert not alice.search("Ottawa").hits and hits(alice, "topic:metals") == []
    assert alice.index_problem() is None


def test_other_clients_changes_reach_the_index_and_the_feed(clients: tuple[Library, Library]) -> None:
    alice, bob = clients
    seen: list[Changes] = []
    alice.subscribe(seen.append)
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    steel = bob.create_tag("steel", "topic")
    h = bob.add_highlight(doc.id, 28, 35, tag_ids=[steel.id], note="first tariffs")
    assert hits(alice, "topic:steel") == []  # not polled yet: alice's index is a local cache

    remote = alice.poll_changes()
    assert {e.coder for e in remote.entries} == {"bob"}
    assert h.id in remote.changes.highlights and doc.id in remote.changes.documents
    assert remote.changes.documents_added_or_removed and remote.changes.codebook
    assert seen == [remote.changes]
    assert hits(alice, "topic:steel") == [h.id]
    assert hits(alice, 'note:"first tariffs"') == [h.id]
    assert alice.search("Ottawa").hits[0].document_id == doc.id
    assert not alice.poll_changes()  # each change once
    assert not bob.poll_changes()  # bob's own writes are his index's already

    # A renamed tag re-indexes the highlights carrying it; a deleted highlight leaves.
    bob.update_tag(steel.id, name="metals")
    renamed = alice.poll_changes()
    assert renamed.changes.codebook and h.id in renamed.changes.highlights
    assert hits(alice, "topic:metals") == [h.id] and hits(alice, "topic:steel") == []
    bob.update_document(doc.id, title="Ottawa talks")
    alice.poll_changes()
    assert alice.search('title:"Ottawa talks"').hits
    bob.delete_highlights([h.id])
    gone = alice.poll_changes()
    assert gone.changes.highlights == {h.id} and not gone.changes.same_highlight_counts
    assert hits(alice, "topic:metals") == []
    assert alice.index_is_current()


def _insert_highlight(conn: object, document_id: int, start: int) -> None:
    conn.execute(text(  # type: ignore[attr-defined]
        'INSERT INTO highlights (document_id, start, "end", text, author, created, modified) '
        "VALUES (:doc, :start, :start + 5, 'x', 'bob', now(), now())"), {"doc": document_id, "start": start})


def _bump_generation(conn: object) -> None:
    conn.execute(text(  # type: ignore[attr-defined]
        "UPDATE meta SET value = (value::int + 1)::text WHERE key = 'generation'"))


def test_a_lower_log_id_committing_after_a_higher_one_was_read_is_not_missed(
        clients: tuple[Library, Library]) -> None:
    alice, bob = clients
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    alice.poll_changes()
    engine = bob._store.engine
    with engine.connect() as slow, engine.connect() as fast:
        _insert_highlight(slow, doc.id, 0)  # takes the lower log id, commits last
        _insert_highlight(fast, doc.id, 10)
        _bump_generation(fast)
        fast.commit()
        first = alice.poll_changes()
        _bump_generation(slow)
        slow.commit()
    second = alice.poll_changes()
    log_ids = [e.id for e in first.entries] + [e.id for e in second.entries]
    assert len(first.entries) == 1 and len(second.entries) == 1
    assert log_ids[1] < log_ids[0]  # the second poll found an id below one already read
    assert len(alice.search("Carney OR steel OR Trump").hits) >= 1
    assert alice.highlight_counts([doc.id]) == {doc.id: 2}
    with alice._store.read() as s:
        ids = s.execute(text("SELECT id FROM highlights ORDER BY start")).scalars().all()
    assert first.changes.highlights == {ids[1]} and second.changes.highlights == {ids[0]}
    alice._store.index.flush()
    assert alice.index_status().highlights == 2
    assert not alice.poll_changes()


def test_writers_in_other_processes_committing_out_of_id_order_lose_nothing(
        pg_server: TempServer, database: str, clients: tuple[Library, Library], tmp_path: Path) -> None:
    """Three writer processes: one holds a transaction that took a low log id while two others
    tag in bursts and alice polls from a thread all along; the held one commits last. Alice
    gets every entry exactly once, the late low id included, and her index ends equal to the
    database. (A cursor that were a log id would skip the held entry.)"""
    alice, bob = clients
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    steel = bob.create_tag("steel", "topic")
    alice.poll_changes()
    with alice._store.engine.connect() as conn:
        baseline = conn.execute(text("SELECT max(id) FROM change_log")).scalar_one()
    writers = [WriterProcess(pg_server, database, "bob", tmp_path / f"writer{i}") for i in range(3)]
    received: list[RemoteChanges] = []
    stop = threading.Event()

    def follow() -> None:
        while not stop.is_set():
            alice.wait_for_changes(0.05)
            received.append(alice.poll_changes())

    poller = threading.Thread(target=follow)
    try:
        held = writers[0].ask("hold", doc=doc.id, start=0, end=5)["id"]
        poller.start()
        for seed, writer in enumerate(writers[1:]):
            writer.send("burst", doc=doc.id, n=25, seed=seed, length=len(TEXT), tags=[steel.id])
        tagged = {h for writer in writers[1:] for h in writer.answer()["ids"]}
        received.append(alice.poll_changes())  # every burst's entries read, the held one not
        seen_before_commit = [e.id for r in received for e in r.entries]
        writers[0].ask("commit")
        stop.set()
        poller.join()
        received.append(alice.poll_changes())
    finally:
        stop.set()
        if poller.is_alive():
            poller.join()
        for writer in writers:
            writer.close()

    entries = [e for r in received for e in r.entries]
    with alice._store.engine.connect() as conn:
        logged = set(conn.execute(text("SELECT id FROM change_log WHERE id > :b"), {"b": baseline}).scalars())
        held_entry = conn.execute(text(
            "SELECT id FROM change_log WHERE kind = 'highlights' AND highlights = :h"), {"h": str(held)}).scalar_one()
    assert len(entries) == len({e.id for e in entries}), "an entry was applied twice"
    assert {e.id for e in entries} == logged
    assert held_entry not in seen_before_commit and held_entry < max(seen_before_commit)
    assert any(held in r.changes.highlights for r in received)
    assert set(hits_all(alice, "topic:steel")) == tagged
    alice._store.index.flush()
    assert alice.index_status().highlights == len(tagged) + 1
    assert alice.index_problem() is None


def hits_all(library: Library, query: str) -> list[int | None]:
    return [h.highlight_id for h in library.search(query, limit=1000).hits]


def test_the_cursor_outlives_the_client_and_a_rebuild_resets_it(
        pg_server: TempServer, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bob = open_client(pg_server, database, "bob", tmp_path / "bob")
    alice = open_client(pg_server, database, "alice", tmp_path / "alice")
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    cursor_file = tmp_path / "alice" / "index" / CURSOR_FILE
    saved = cursor_file.read_text()
    alice.poll_changes()
    # Saved at most every SAVE_EVERY seconds while following (it waits for the index to
    # commit), and always at close.
    assert cursor_file.read_text() == saved
    alice.close()
    assert cursor_file.read_text() != saved
    steel = bob.create_tag("steel", "topic")
    h = bob.add_highlight(doc.id, 28, 35, tag_ids=[steel.id])

    # Reopened, alice's index catches up from its cursor, without a rebuild.
    from annotator.core._search.index import SearchIndex

    def no_rebuild(*_a: object, **_k: object) -> None:
        raise AssertionError("caught up by rebuilding")

    monkeypatch.setattr(SearchIndex, "rebuild", no_rebuild)
    alice = open_client(pg_server, database, "alice", tmp_path / "alice")
    assert hits(alice, "topic:steel") == [h.id]
    monkeypatch.undo()

    # A rebuild holds everything so far: the entries before it are not applied again.
    bob.add_highlight(doc.id, 0, 6, tag_ids=[steel.id])
    alice.reindex()
    assert len(hits(alice, "topic:steel")) == 2
    assert not alice.poll_changes()
    late = bob.add_highlight(doc.id, 10, 15, tag_ids=[steel.id])
    assert [e.highlights for e in alice.poll_changes().entries if e.kind == "highlights"] == [{late.id}]
    alice.close()
    bob.close()


def test_a_transaction_running_across_a_rebuild_is_followed_after_it(
        clients: tuple[Library, Library]) -> None:
    """The rebuild reads the database while another client's transaction is open: what that
    transaction wrote is in no snapshot the rebuild read, so the next poll must bring it."""
    alice, bob = clients
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    with bob._store.engine.connect() as slow:
        _insert_highlight(slow, doc.id, 0)
        _bump_generation(slow)
        alice.reindex()
        assert not alice.poll_changes()  # the rebuild held the document; the highlight is not committed
        slow.commit()
    late = alice.poll_changes()
    assert len(late.changes.highlights) == 1 and {e.coder for e in late.entries} == {"bob"}
    alice._store.index.flush()
    assert alice.index_status().highlights == 1
    assert alice.index_problem() is None


def test_a_client_in_another_process_is_followed(pg_server: TempServer, database: str,
                                                 clients: tuple[Library, Library], tmp_path: Path) -> None:
    alice, _bob = clients
    script = textwrap.dedent(f"""
        from annotator.core._db.engine import engine_for_url
        from annotator.core.extracted import Extracted
        from annotator.core.library import Library
        lib = Library.open_engine({str(tmp_path / 'carol')!r}, engine_for_url({pg_server.url(database, user='bob')!r}))
        doc = lib.add_document(Extracted(text={TEXT!r}, format="txt", title="From afar"))
        tag = lib.create_tag("dairy", "topic")
        print(lib.add_highlight(doc.id, 63, 68, tag_ids=[tag.id]).id)
        lib.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    hid = int(done.stdout.split()[-1])
    remote = alice.poll_changes()
    assert hid in remote.changes.highlights and {e.coder for e in remote.entries} == {"bob"}
    assert hits(alice, "topic:dairy") == [hid]


def test_checking_the_index_catches_up_and_the_next_poll_still_returns_it(
        clients: tuple[Library, Library]) -> None:
    alice, bob = clients
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    h = bob.add_highlight(doc.id, 28, 35)
    # Others' writes are no sign of a stale index: the check applies them first.
    assert alice.index_problem() is None
    assert alice.search("Tariffs").hits
    remote = alice.poll_changes()  # a window following the polls is told all the same
    assert h.id in remote.changes.highlights and doc.id in remote.changes.documents
    assert not alice.poll_changes()


def test_a_commit_wakes_a_waiting_client(clients: tuple[Library, Library]) -> None:
    alice, bob = clients
    assert alice.wait_for_changes(0) is False  # listening from now on; nothing yet
    assert bob.wait_for_changes(0) is False
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    assert alice.wait_for_changes(60) is True  # woken by the commit, not by the time-out
    assert alice.poll_changes().changes.documents == {doc.id}
    assert alice.wait_for_changes(0.05) is False
    alice.create_tag("steel", "topic")  # her own commit: her index has it, nothing to wake for
    assert alice.wait_for_changes(0.05) is False
    assert bob.wait_for_changes(60) is True


def test_a_local_project_has_no_log_and_nothing_to_follow(tmp_path: Path) -> None:
    with Library.create(tmp_path / "Local.annotator") as library:
        doc = library.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
        library.add_highlight(doc.id, 28, 35)
        assert not library.follows_others and not library.poll_changes()
        assert library.wait_for_changes(0) is False
        with library._store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM change_log")).scalar() == 0
        assert library.index_problem() is None
