"""``Library.tags()`` is kept between writes (a window's panes each read the codebook as it
opens) and is never stale: every write, undo included, and every raw connection drops it."""

from __future__ import annotations

import threading
from pathlib import Path

from annotator.core.codebook import Codebook
from annotator.core.library import Library
from annotator.core.models import ACTOR, TOPIC

from .helpers import add_text, new_library


def fresh(library: Library, category: str | None = None) -> list:
    tags = list(Codebook._read_tags(library._codebook))  # past the counting wrapper below
    return [t for t in tags if t.category == category] if category else tags


def test_tags_are_read_once_between_writes_and_follow_every_write(tmp_path: Path, monkeypatch) -> None:
    library = new_library(tmp_path)
    doc = add_text(library, "The minister met the union on Tuesday about the harbour.")
    minister = library.create_tag("Minister", ACTOR)
    harbour = library.create_tag("Harbour", TOPIC)
    reads = []
    real = library._codebook._read_tags
    monkeypatch.setattr(library._codebook, "_read_tags", lambda: reads.append(1) or real())

    assert library.tags() == fresh(library)
    assert library.tags(ACTOR) == fresh(library, ACTOR) == [t for t in library.tags() if t.category == ACTOR]
    assert len(reads) == 1  # the second and third calls came from the cache

    edits = [
        lambda: library.add_highlight(doc.id, 4, 12, tag_ids=[minister.id]),
        lambda: library.update_tag(minister.id, name="Prime Minister"),
        lambda: library.create_tag("Union", ACTOR),
        lambda: library.delete_tags([harbour.id]),
    ]
    for edit in edits:
        edit()
        assert library.tags() == fresh(library)
        assert library.tags(TOPIC) == fresh(library, TOPIC)
    assert [t.name for t in library.tags(ACTOR)] == ["Prime Minister", "Union"]
    assert library.tags(ACTOR)[0].highlight_count == 1
    library.close()


def test_a_read_while_another_thread_writes_is_not_kept(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    tag = library.create_tag("Minister", ACTOR)
    inside, release = threading.Event(), threading.Event()

    def write() -> None:
        with library._store.write():
            inside.set()
            release.wait(10)

    writer = threading.Thread(target=write)
    writer.start()
    inside.wait(10)
    assert library._store.stable_revision() is None
    assert library.tags() == fresh(library)  # read, but not cached while the write is open
    assert library._codebook._tags_cache is None
    release.set()
    writer.join()
    library.update_tag(tag.id, name="Premier")
    assert [t.name for t in library.tags()] == ["Premier"]
    library.close()
