"""``annotator publish`` copies a local project to a server, ``annotator clone`` copies it
back: documents with their originals, the codebook, highlights with their coders, notes,
variables and saved searches all survive the round trip with every reference intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.text import normalise_text
from tests.pg_server import TempServer
from tests.team.helpers import ARTICLE, cli, plain_url, write_article

SECOND = normalise_text("Dairy quotas came next, then NORAD and the steel question again.")


def _build_local(folder: Path, originals: Path) -> None:
    first = write_article(originals, "talks.txt")
    second = write_article(originals, "dairy.txt", SECOND)
    with Library.create(folder) as lib:
        a = lib.add_document(Extracted(text=normalise_text(ARTICLE), format="txt", title="Talks"),
                             original=first)
        b = lib.add_document(Extracted(text=SECOND, format="txt", title="Dairy"), original=second)
        # A tag whose parent has the higher id: the copy must not trip over the order.
        child = lib.create_tag("metal", "topic", aliases=["iron"])
        steel = lib.create_tag("steel", "topic", colour="#123456", description="all steel")
        lib.update_tag(child.id, parent_id=steel.id)
        carney = lib.create_tag("Mark Carney", "actor")
        lib.add_category("stance")
        start = lib.document_text(a.id).index("Tariffs")
        lib.add_highlight(a.id, start, start + 16, tag_ids=[steel.id, carney.id], note="key",
                          new_tags=[("stance", "Firm")])
        lib._store.user = "bob"  # a second coder's highlight
        lib.add_highlight(b.id, 0, 5, tag_ids=[child.id])
        lib.set_document_note(b.id, "read again")
        lib.define_variable("outlet", "choice", ["CBC", "Globe"])
        lib.set_document_variable(a.id, "outlet", "CBC")
        lib.save_search("steel talk", "topic:steel")


def content(lib: Library) -> dict[str, Any]:
    """Everything a researcher would miss, with ids replaced by what they point at."""
    docs = {d.id: d.title for d in lib.documents()}
    tags = {t.id: t for t in lib.tags()}
    originals = {}
    for doc_id, title in docs.items():
        path = lib.original_path(doc_id)
        originals[title] = path.read_bytes() if path else None
    return {
        "documents": sorted((d.title, d.author, d.published, d.format, d.original_name, d.note,
                             lib.document_text(d.id)) for d in lib.documents()),
        "originals": originals,
        "categories": sorted((c.name, c.label) for c in lib.categories()),
        "tags": sorted((t.category, t.name, t.colour, t.description, tuple(t.aliases),
                        tags[t.parent_id].name if t.parent_id else None) for t in tags.values()),
        "highlights": sorted((docs[h.document_id], h.start, h.end, h.text, h.author, h.note,
                              tuple(sorted(t.name for t in h.tags)))
                             for d in docs for h in lib.highlights(d)),
        "variables": [(v.name, v.type, tuple(v.choices)) for v in lib.variables()],
        "values": {docs[d]: v for d, v in lib.all_document_variables().items()},
        "searches": sorted((s.name, s.query) for s in lib.saved_searches()),
        "search": sorted(docs[h.document_id] for h in lib.search("topic:steel").hits),
    }


def test_publish_then_clone_gives_the_same_project(
        pg_server: TempServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local, back, client = tmp_path / "Local", tmp_path / "Back", tmp_path / "Client"
    _build_local(local, tmp_path / "in")
    with Library.open(local, readonly=True) as lib:
        before = content(lib)
    assert before["originals"]["Talks"] == ARTICLE.encode()
    db = pg_server.database()
    url = plain_url(pg_server, db)
    code, out, err = cli(capsys, "publish", str(local), "--db", url)
    assert code == 0, err
    assert "2 documents, 2 highlights, 4 tags, 2 notes, 1 variables, 2 originals" in out, out

    code, out, err = cli(capsys, "init", "--db", url, str(client))
    assert code == 0 and out.startswith("connected to"), err
    with Library.open(client) as team:
        assert content(team) == before
        # New rows after the copied ids: the sequences moved on.
        made = team.create_tag("aluminium", "topic")
        assert made.id > max(t.id for t in team.tags() if t.name != "aluminium")
        team.delete_tags([made.id])

    code, out, err = cli(capsys, "clone", "--db", url, str(back))
    assert code == 0, err
    with Library.open(back) as copy:
        assert content(copy) == before
        assert copy.team is None
        assert copy.verify_content().ok
    assert sorted(p.name for p in (back / "sources").iterdir()) == [
        "00001 talks.txt", "00002 dairy.txt"]
    # Publishing again into the same (now full) database is refused, nothing changed.
    code, out, err = cli(capsys, "publish", str(local), "--db", url)
    assert code == 1 and "already holds documents" in err
    pg_server.drop_database(db)


def test_clone_refuses_a_folder_in_use(pg_server: TempServer, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    code, out, err = cli(capsys, "clone", "--db", plain_url(pg_server, "nothing"),
                         str(tmp_path / "busy"))
    assert code == 1 and "not empty" in err
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"
