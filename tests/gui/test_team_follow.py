"""Another researcher's work appears in an open window of a team project (issue 17): alice's
window on the throwaway PostgreSQL server, bob writing through his own connection (another
Library, then another process). The reader, the Highlights pane, the Library's counts and
the search results show his highlight within two seconds, and the status bar says who did
what to the open document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.text import normalise_text
from annotator.gui.team_follow import ago, describe
from annotator.gui.widgets.search_panel import HIT_ROLE
from tests.core.team_clients import WriterProcess, open_client, prepare_team_database
from tests.pg_server import TempServer

from .test_window_follows_edits import ID_ROLE, cards, count_cell

TEXT = normalise_text("Carney met Trump in Ottawa. Tariffs on steel came first, then dairy quotas.")
WITHIN_MS = 2000  # the promise: another researcher's highlight shows within 2 s
SETTLE_MS = 15_000  # for this window's own work before the promise is timed (a search shown)


@pytest.fixture
def team(pg_server: TempServer, pg_url: str, tmp_path: Path) -> Iterator[tuple[str, Library, int, int]]:
    """The database's name, bob's client, and a document and tag bob made before alice opened."""
    database = prepare_team_database(pg_server, pg_url)
    bob = open_client(pg_server, database, "bob", tmp_path / "bob")
    doc = bob.add_document(Extracted(text=TEXT, format="txt", title="Talks"))
    steel = bob.create_tag("steel", "topic")
    try:
        yield database, bob, doc.id, steel.id
    finally:
        bob.close()


@pytest.fixture
def alice_window(qtbot, window_on, pg_server: TempServer, team: tuple[str, Library, int, int], tmp_path: Path):
    database, _bob, doc_id, _steel = team
    alice = open_client(pg_server, database, "alice", tmp_path / "alice")
    # A new client's index is built before the window opens (the window would build it in the
    # background): the promise is timed from a window that is up, as for the writer's process.
    alice.reindex()
    window = window_on(alice)
    qtbot.waitUntil(lambda: window.status_index.text() == "index up to date", timeout=SETTLE_MS)
    window.library_pane.select_document(doc_id)
    QCoreApplication.processEvents()
    assert window.reader.document_id == doc_id and window.team_follow is not None
    window.side_tabs.setCurrentWidget(window.highlights_pane)
    return window


def listed_hits(window) -> list[int]:
    """The highlight ids the search results list."""
    model = window.search_panel.model
    ids = []
    for row in range(model.rowCount()):
        group = model.item(row, 0)
        ids += [group.child(i, 0).data(HIT_ROLE).highlight_id for i in range(group.rowCount())]
    return ids


def listed_documents(window) -> list[int]:
    proxy = window.library_pane.proxy
    return [proxy.index(row, 0).data(ID_ROLE) for row in range(proxy.rowCount())]


def shows(window, hid: int, doc_id: int) -> bool:
    return (hid in window.reader.highlights
            and hid in [c[0] for c in cards(window)]
            and count_cell(window, doc_id) == "1"
            and hid in listed_hits(window))


def test_another_researchers_highlight_appears_with_who_did_it(
        qtbot, alice_window, team: tuple[str, Library, int, int]) -> None:
    window = alice_window
    _database, bob, doc_id, steel = team
    window.search_panel.set_query("topic:steel")
    qtbot.waitUntil(lambda: window.search_panel._shown_query == "topic:steel", timeout=SETTLE_MS)
    assert not listed_hits(window)

    h = bob.add_highlight(doc_id, 28, 35, tag_ids=[steel])
    qtbot.waitUntil(lambda: shows(window, h.id, doc_id), timeout=WITHIN_MS)
    assert window.status_team.text().startswith("bob tagged a passage “steel” in this document · ")
    assert window.status_team.isVisible()
    assert window.status_counts.text().startswith("1 document · 1 highlight")

    bob.delete_highlights([h.id])
    qtbot.waitUntil(lambda: h.id not in window.reader.highlights and not cards(window), timeout=WITHIN_MS)
    assert window.status_team.text().startswith("bob removed a highlight in this document")
    # Alice's own edits are hers: no sentence about them, and her window shows them once.
    mine = window.library.add_highlight(doc_id, 0, 6, tag_ids=[steel])
    assert not window.library.poll_changes()
    assert mine.author == "alice"


def test_a_writer_in_another_process_is_seen(qtbot, alice_window, pg_server: TempServer,
                                            team: tuple[str, Library, int, int], tmp_path: Path) -> None:
    """The writer's process is started and its Library open before it writes, so the two
    seconds run from its commit: reader, Highlights pane, Library counts, search results and
    the status bar all show it."""
    window = alice_window
    database, _bob, doc_id, steel = team
    window.search_panel.set_query("topic:steel")
    qtbot.waitUntil(lambda: window.search_panel._shown_query == "topic:steel", timeout=SETTLE_MS)
    writer = WriterProcess(pg_server, database, "bob", tmp_path / "bob2")
    try:
        QCoreApplication.processEvents()
        hid = writer.ask("add_highlight", doc=doc_id, start=63, end=68, tags=[steel])["id"]
        qtbot.waitUntil(lambda: shows(window, hid, doc_id), timeout=WITHIN_MS)
        assert window.status_team.text().startswith("bob tagged a passage “steel” in this document")
        writer.ask("hold", doc=doc_id, start=0, end=6)  # a transaction not committed yet…
        second = writer.ask("add_highlight", doc=doc_id, start=28, end=35, tags=[steel])["id"]
        qtbot.waitUntil(lambda: second in window.reader.highlights, timeout=WITHIN_MS)
        held = writer.ask("commit")  # …commits after a later one was shown: still shown
        assert held["committed"]
        qtbot.waitUntil(lambda: len(window.reader.highlights) == 3 and len(cards(window)) == 3,
                        timeout=WITHIN_MS)
    finally:
        writer.close()


def test_the_open_document_removed_by_another_researcher(
        qtbot, alice_window, team: tuple[str, Library, int, int]) -> None:
    window = alice_window
    _database, bob, doc_id, _steel = team
    other = bob.add_document(Extracted(text=TEXT + " Later.", format="txt", title="Later talks"))
    qtbot.waitUntil(lambda: other.id in listed_documents(window), timeout=WITHIN_MS)
    bob.delete_documents([doc_id])
    qtbot.waitUntil(lambda: window.reader.document_id == other.id, timeout=WITHIN_MS)
    assert window.statusBar().currentMessage() == "bob removed the document you had open"
    assert window.status_team.text().startswith("bob added this document · ")  # the one now open
    assert [d.id for d in window.library.documents()] == [other.id]


def test_a_local_project_follows_no_one(window) -> None:
    assert window.team_follow is None and not window.status_team.isVisible()


def test_what_the_status_bar_says() -> None:
    from datetime import datetime

    from annotator.core.change_follower import LoggedChange

    def entry(kind: str, action: str, *highlights: int) -> LoggedChange:
        return LoggedChange(1, datetime(2026, 1, 1), "bob", kind, action, frozenset({1}), frozenset(highlights))

    assert describe([entry("highlights", "insert", 5), entry("highlight_tags", "insert", 5)]) == "tagged a passage"
    steel = LoggedChange(2, datetime(2026, 1, 1), "bob", "highlight_tags", "insert", frozenset({1}),
                         frozenset({5}), frozenset({7, 8}))
    assert describe([entry("highlights", "insert", 5), steel], {7: "steel", 8: "dairy"}) == \
        "tagged a passage “dairy”, “steel”"
    assert describe([steel], {8: "dairy"}) == "tagged a passage “dairy”"  # 7 deleted since
    assert describe([entry("documents", "delete")]) == "removed this document"
    assert describe([entry("documents", "insert")]) == "added this document"
    assert describe([entry("highlights", "insert", 5, 6)]) == "highlighted 2 passages"
    assert describe([entry("highlight_tags", "insert", 5), entry("highlight_tags", "delete", 5)]) == \
        "retagged a passage"
    assert describe([entry("highlights", "delete", 5, 6, 7)]) == "removed 3 highlights"
    assert describe([entry("notes", "update", 5)]) == "edited a note"
    assert describe([entry("documents", "update")]) == "edited this document's details"
    assert [ago(s) for s in (0, 12, 130, 7300)] == ["just now", "12 s ago", "2 min ago", "2 h ago"]
