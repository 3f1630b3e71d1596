"""Coders working on one team project at the same time, each in a process of their own
(``tests/team_client.py``) on the suite's throwaway PostgreSQL server.

Where a rule is about a race, one coder is held inside their transaction at a named point
while the other acts, and is let go only once PostgreSQL shows the other waiting for a lock:
the interleaving is forced, not hoped for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core.library import Library
from tests.core.helpers import add_text
from tests.pg_server import TempServer
from tests.team_client import TeamClient, wait_until_blocked

CODERS = ("ana", "ben")
TEXT = ("Carney met Trump in Ottawa. Tariffs on steel came first. Dairy quotas came next, "
        "then NORAD and the steel question again. Ontario reacts: steel towns worry.")
AT_TIME = r"at \d\d:\d\d:\d\d"


@pytest.fixture(scope="module")
def team(pg_server: TempServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TempServer, str]]:
    """One team database for the module (each test makes its own document and tags), with a
    login role per coder."""
    name = pg_server.database()
    for role in CODERS:
        pg_server.sql(f"DO $$BEGIN CREATE ROLE {role} LOGIN; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    create_schema(engine_for_url(pg_server.url(name)))
    pg_server.sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {', '.join(CODERS)}", name)
    pg_server.sql(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {', '.join(CODERS)}", name)
    try:
        yield pg_server, name
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def owner(team: tuple[TempServer, str], tmp_path: Path) -> Iterator[Library]:
    """The test's own view of the database, to set the scene and check the outcome."""
    server, name = team
    library = Library.open_engine(tmp_path / "owner", engine_for_url(server.url(name)))
    try:
        yield library
    finally:
        library.close()


@pytest.fixture(scope="module")
def coders(team: tuple[TempServer, str],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TeamClient, TeamClient]]:
    """Ana's and Ben's processes, for the module (starting one costs a second or two)."""
    server, name = team
    folder = tmp_path_factory.mktemp("coders")
    clients = [TeamClient(server.url(name, user=role), folder / role) for role in CODERS]
    try:
        assert [c.user for c in clients] == list(CODERS)
        yield clients[0], clients[1]
    finally:
        for client in clients:
            client.close()


def blocked(team: tuple[TempServer, str], user: str) -> None:
    server, name = team
    wait_until_blocked(server.sql, name, user)


def links_to_missing_tags(owner: Library) -> int:
    with owner._store.read() as s:
        return s.execute(text("SELECT count(*) FROM highlight_tags WHERE tag_id NOT IN "
                              "(SELECT id FROM tags)")).scalar_one()


def span(word: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = TEXT.index(word, at + 1)
    return at, at + len(word)


# --------------------------------------------------------------------------- both keep their work
def test_two_coders_tagging_one_document_both_keep_their_highlights(
        team: tuple[TempServer, str], owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT, title="Both code this")
    # Both type the same new tag at the same moment: ana is held after finding-or-creating it,
    # ben waits for her, then finds hers instead of making a second one.
    ana.start("add_highlight", doc.id, *span("Tariffs"), new_tags=[["topic", "Shared fate"]],
              pause_at="find_or_create_tag_rows")
    ben.start("add_highlight", doc.id, *span("Dairy"), new_tags=[["topic", "shared  fate"]])
    blocked(team, "ben")
    ana.resume()
    mine, theirs = ana.answer(), ben.answer()
    assert "ok" in mine and "ok" in theirs, (mine, theirs)
    shared = [t for t in owner.tags("topic") if t.name.casefold() == "shared fate"]
    assert len(shared) == 1 and shared[0].highlight_count == 2
    # Then both tag the same passages as fast as they can, each in their own process.
    for i in range(15):
        ana.start("add_highlight", doc.id, *span("steel", i % 3), tag_ids=[shared[0].id])
        ben.start("add_highlight", doc.id, *span("steel", (i + 1) % 3), tag_ids=[shared[0].id])
        assert "ok" in ana.answer() and "ok" in ben.answer()
    made = owner.highlights(doc.id)
    assert len(made) == 32
    assert sorted({h.author for h in made}) == ["ana", "ben"]
    assert sum(h.author == "ana" for h in made) == 16
    assert all(h.modified_by == h.author and h.version == 1 for h in made)


# --------------------------------------------------------------------------- a tag edit racing an apply
@pytest.mark.parametrize("how", ["delete", "merge"])
def test_a_deletion_or_merge_waits_for_a_tagging_in_flight_and_takes_it_along(
        how: str, team: tuple[TempServer, str], owner: Library,
        coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + f" First {how}.", title=f"{how} while applied")
    steel = owner.create_tag(f"steel first {how}", "topic")
    kept = owner.create_tag(f"metal first {how}", "topic")
    ana.start("add_highlight", doc.id, *span("steel"), tag_ids=[steel.id], pause_at="tag_rows")
    if how == "delete":
        ben.start("delete_tag", steel.id, keep="snapshot")
    else:
        ben.start("merge_tags", [steel.id], kept.id)
    blocked(team, "ben")  # the deletion or merge waits for the tagging holding the tag
    ana.resume()
    tagged = ana.answer()["ok"]
    done = ben.answer()["ok"]
    # It saw ana's tagging: a deletion took the tag off her highlight too (and its undo puts
    # it back), a merge moved her highlight to the merged-into tag; nothing points at a
    # removed tag meanwhile.
    assert links_to_missing_tags(owner) == 0
    assert all(t.id != steel.id for t in owner.tags("topic"))
    if how == "merge":
        assert [t.name for t in owner.highlight(tagged["id"]).tags] == [f"metal first {how}"]
        return
    assert done["highlight_ids"] == [tagged["id"]]
    assert owner.highlight(tagged["id"]).tags == ()
    ben.call("restore_tag", use=["snapshot"])
    assert [t.name for t in owner.highlight(tagged["id"]).tags] == [f"steel first {how}"]


@pytest.mark.parametrize("how", ["delete", "merge"])
def test_a_tagging_that_loses_to_a_deletion_or_merge_is_refused_saying_who_and_when(
        how: str, team: tuple[TempServer, str], owner: Library,
        coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + f" {how}.", title=f"Lost to a {how}")
    doomed = owner.create_tag(f"metal {how}", "topic")
    kept = owner.create_tag(f"steel {how}", "topic")
    earlier = owner.add_highlight(doc.id, *span("Tariffs"), tag_ids=[kept.id])
    before = owner.counts()["highlights"]
    if how == "delete":
        ben.start("delete_tag", doomed.id, pause_at="tag_removed")
    else:
        ben.start("merge_tags", [doomed.id], kept.id, pause_at="tag_removed")
    ana.start("add_highlight", doc.id, *span("Dairy"), tag_ids=[doomed.id], note="ana's")
    blocked(team, "ana")
    ben.resume()
    assert "ok" in ben.answer()
    refusal = ana.answer()
    assert refusal["error"] == "RemovedMeanwhile" and refusal["coder"] == "ben"
    did = "deleted" if how == "delete" else f"merged into “steel {how}”"
    assert re.fullmatch(f"the tag “metal {how}” was {did} by ben {AT_TIME}; nothing was saved",
                        refusal["message"]), refusal["message"]
    # Adding the removed tag to an existing highlight is refused the same way.
    again = ana.refused("set_highlight_tags", earlier.id, [kept.id, doomed.id])
    assert again["error"] == "RemovedMeanwhile"
    # Nothing of ana's tagging was saved, nothing points at the removed tag, ben's work stands.
    assert owner.counts()["highlights"] == before
    assert links_to_missing_tags(owner) == 0
    assert [t.name for t in owner.highlight(earlier.id).tags] == [f"steel {how}"]


def test_renaming_onto_a_name_another_coder_is_creating_is_refused_not_duplicated(
        team: tuple[TempServer, str], owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    old = owner.create_tag("Trade war draft", "topic")
    ben.start("create_tag", "Trade war", "topic", pause_at="tag_name")
    ana.start("update_tag", old.id, name="Trade  war")
    blocked(team, "ana")
    ben.resume()
    assert "ok" in ben.answer()
    refusal = ana.answer()
    assert refusal["error"] == "InvalidInput"
    assert "already exists" in refusal["message"]
    assert sorted(t.name for t in owner.tags("topic") if "trade" in t.name.casefold()) == [
        "Trade war", "Trade war draft"]


@pytest.mark.parametrize("first", ["rename", "apply"])
def test_a_rename_racing_an_apply_leaves_the_tagging_under_the_new_name(
        first: str, team: tuple[TempServer, str], owner: Library,
        coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + f" Renamed {first}.", title=f"Renamed, {first} first")
    tag = owner.create_tag(f"steal {first}", "topic")  # ben fixes the typo while ana applies it
    if first == "rename":
        ben.start("update_tag", tag.id, name=f"steel {first}", pause_at="tag_name")
        ana.start("add_highlight", doc.id, *span("steel"), tag_ids=[tag.id])
        blocked(team, "ana")
        ben.resume()
    else:
        ana.start("add_highlight", doc.id, *span("steel"), tag_ids=[tag.id], pause_at="tag_rows")
        ben.start("update_tag", tag.id, name=f"steel {first}")
        blocked(team, "ben")
        ana.resume()
    tagged, renamed = ana.answer(), ben.answer()
    assert "ok" in tagged and "ok" in renamed, (tagged, renamed)
    # One tag, its new name, on ana's highlight: nobody lost anything.
    if first == "rename":  # ana's tagging read the tag after the rename committed
        assert [t["name"] for t in tagged["ok"]["tags"]] == [f"steel {first}"]
    assert [t.name for t in owner.highlight(tagged["ok"]["id"]).tags] == [f"steel {first}"]
    assert [t.name for t in owner.tags("topic") if t.id == tag.id] == [f"steel {first}"]
    assert owner.tag(tag.id).highlight_count == 1


# --------------------------------------------------------------------------- the optimistic check
def test_a_stale_edit_is_refused_naming_who_changed_it_and_theirs_stands(
        owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + " Stale.", title="Stale edits")
    trade = owner.create_tag("trade stale", "topic")
    seen = ana.call("add_highlight", doc.id, *span("Tariffs"))
    assert seen["version"] == 1 and seen["modified_by"] == "ana"
    theirs = ben.call("set_highlight_note", seen["id"], "ben's reading", expected=1)
    assert theirs["version"] == 2 and theirs["modified_by"] == "ben"
    for op, args, kwargs in [
        ("set_highlight_tags", [seen["id"], [trade.id]], {"expected": 1}),
        ("set_highlight_note", [seen["id"], "ana's"], {"expected": 1}),
        ("set_highlight_span", [seen["id"], *span("Tariffs on")], {"expected": 1}),
        ("delete_highlights", [[seen["id"]]], {"expected": {seen["id"]: 1}}),
        ("add_tags", [], {"highlight_ids": [seen["id"]], "tag_ids": [trade.id],
                          "expected": {seen["id"]: 1}}),
    ]:
        refusal = ana.refused(op, *args, **kwargs)
        assert refusal["error"] == "EditConflict" and refusal["coder"] == "ben", (op, refusal)
        assert re.match(f"the highlight “Tariffs” was changed by ben {AT_TIME} since you last saw it; "
                        "your edit was not saved", refusal["message"]), refusal["message"]
    now = owner.highlight(seen["id"])
    assert (now.note, now.tags, now.text, now.version) == ("ben's reading", (), "Tariffs", 2)
    # Having seen ben's version, ana's edit goes through.
    assert ana.call("set_highlight_tags", seen["id"], [trade.id], expected=2)["version"] == 3
    # Without expected= (the CLI, older callers) an edit applies as before.
    assert ben.call("set_highlight_note", seen["id"], "later")["version"] == 4


def test_an_edit_of_a_highlight_another_coder_deleted_says_so(
        owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + " Gone.", title="Deleted under an edit")
    seen = ana.call("add_highlight", doc.id, *span("NORAD"))
    ben.call("delete_highlights", [seen["id"]], expected={seen["id"]: 1})
    refusal = ana.refused("set_highlight_note", seen["id"], "too late", expected=1)
    assert refusal["error"] == "RemovedMeanwhile"
    assert re.fullmatch(f"the highlight “NORAD” was deleted by ben {AT_TIME}; your edit was not saved",
                        refusal["message"]), refusal["message"]
    assert owner.counts()["highlights"] == 0 or all(h.id != seen["id"] for h in owner.highlights(doc.id))


def test_undo_follows_the_coders_own_edits_but_never_undoes_another_coders(
        owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + " Undo.", title="Undo")
    a = owner.create_tag("undo a", "topic")
    b = owner.create_tag("undo b", "topic")
    h = ana.call("add_highlight", doc.id, *span("Ontario"))
    first = ana.call("set_highlight_tags", h["id"], [a.id], expected=1)              # v2
    second = ana.call("set_highlight_tags", h["id"], [a.id, b.id], expected=first["version"])
    ana.call("set_highlight_tags", h["id"], [a.id], expected=second["version"])      # undo 2nd
    # Undoing the first edit, as the window's undo does, names the version it left (v2): only
    # ana changed the highlight since, so it goes through.
    assert ana.call("set_highlight_tags", h["id"], [], expected=first["version"])["tags"] == []
    # Redo, then ben notes the highlight: now ana's undo would take back his work too.
    redone = ana.call("set_highlight_tags", h["id"], [a.id], expected=5)
    ben.call("set_highlight_note", h["id"], "ben was here")
    refusal = ana.refused("set_highlight_tags", h["id"], [], expected=redone["version"])
    assert refusal["error"] == "EditConflict" and "changed by ben" in refusal["message"]
    assert owner.highlight(h["id"]).note == "ben was here"
    assert [t.name for t in owner.highlight(h["id"]).tags] == ["undo a"]
    # A redo of ana's deletion after ben re-tagged what she restored is refused too.
    gone = ana.call("delete_highlights", [h["id"]], expected={h["id"]: owner.highlight(h["id"]).version})
    ana.call("restore_highlights", gone)
    back = owner.highlight(h["id"])
    ben.call("set_highlight_tags", h["id"], [b.id], expected=back.version)
    refusal = ana.refused("delete_highlights", [h["id"]], expected={h["id"]: back.version})
    assert refusal["error"] == "EditConflict"
    assert [t.name for t in owner.highlight(h["id"]).tags] == ["undo b"]


# --------------------------------------------------------------------------- undo of a tag edit
def test_undoing_a_new_tag_another_coder_applied_is_refused_and_the_tag_stays(
        owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    doc = add_text(owner, TEXT + " New tag.", title="New tag in use")
    made = ana.call("create_tag", "Steel towns", "topic")
    mine = ana.call("add_highlight", doc.id, *span("Ontario"), tag_ids=[made["id"]])
    theirs = ben.call("add_highlight", doc.id, *span("steel", 2), tag_ids=[made["id"]])
    refusal = ana.refused("delete_tag", made["id"], unless_used_by_others=True)
    assert refusal["error"] == "EditConflict" and refusal["coder"] == "ben"
    assert re.match(f"the tag “Steel towns” was applied by ben {AT_TIME} since you made it",
                    refusal["message"]), refusal["message"]
    assert [t.name for t in owner.highlight(theirs["id"]).tags] == ["Steel towns"]
    assert [t.name for t in owner.highlight(mine["id"]).tags] == ["Steel towns"]
    # Only ana's own highlights carry it: her undo goes through.
    ben.call("delete_highlights", [theirs["id"]])
    ana.call("delete_tag", made["id"], unless_used_by_others=True)
    assert owner.highlight(mine["id"]).tags == ()


def test_undoing_a_rename_another_coder_renamed_again_is_refused_and_theirs_stands(
        owner: Library, coders: tuple[TeamClient, TeamClient]) -> None:
    ana, ben = coders
    tag = owner.create_tag("Steal undo", "topic")
    done = ana.call("update_tag", tag.id, name="Steel undo")
    ben.call("update_tag", tag.id, name="Steel industry undo")
    refusal = ana.refused("update_tag", tag.id, name="Steal undo", expected={"name": done["name"]})
    assert refusal["error"] == "EditConflict"
    assert refusal["message"] == ("the tag “Steel industry undo” was changed by another coder since "
                                  "(it is now called “Steel industry undo”); your undo was not applied")
    assert owner.tag(tag.id).name == "Steel industry undo"
    # Nobody else in between: the undo applies.
    ana.call("update_tag", tag.id, colour="#123456")
    assert ana.call("update_tag", tag.id, colour=tag.colour, expected={"colour": "#123456"})["colour"] == tag.colour


def test_a_connection_whose_network_vanished_fails_within_seconds(owner: Library) -> None:
    # A dropped network sends no reset: without these the first query after it waits for the
    # system's TCP timeout (~15 min) before the window can say the server is unreachable.
    with owner._store.engine.connect() as conn:
        settings = conn.connection.driver_connection.info.get_parameters()
    assert settings["connect_timeout"] == "5" and settings["keepalives_idle"] == "10"
    assert settings["tcp_user_timeout"] == "15000"
