"""``Library.excerpt_plan`` and ``PlanReader``: another process reading the plan's documents
straight from the SQLite file gets the records ``Library.excerpt_batches`` gives for the same
criteria, the coder filter included; the counts bound what it reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from annotator.core._db import sqlite_excerpts
from annotator.core.excerpt_plan import ExcerptPlan, PlanReader
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import ExcerptRecord, Highlight, TagRef, page_at


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = Library.create(tmp_path_factory.mktemp("plan") / "p.annotator")
    tags = [lib.create_tag(f"T{i}", ("actor", "topic", "stance")[i % 3]) for i in range(6)]
    refs = [TagRef(t.id, t.name, t.category, t.colour) for t in tags]
    made = datetime(2026, 1, 2, 3, 4, 5, 678)
    highlights = []
    for d in range(12):
        text = f"Document {d} speaks of tariffs, dairy and the border at some length. " * 4
        pages = ((0, 100), (100, len(text))) if d % 2 else ()
        doc = lib.add_document(Extracted(text=text, format="pdf" if pages else "txt",
                                         title=f"D{d}", pages=pages))
        for i in range(d % 4 + 1):
            start = 20 * i + d
            highlights.append(Highlight(
                id=len(highlights) + 1, document_id=doc.id, start=start, end=start + 90,
                text=text[start:start + 90], tags=tuple(refs[(d + i + k) % 6] for k in range(i % 3)),
                note="n" if i == 1 else None, created=made,
                modified=made + timedelta(seconds=i), author=("ana", "ben")[(d + i) % 2]))
    lib.restore_highlights(highlights)
    yield lib
    lib.close()


def _through_plan(plan: ExcerptPlan) -> list[ExcerptRecord]:
    documents = [d for d, _ in plan.documents]
    with PlanReader(plan) as reader:
        return [r for at in range(0, len(documents), 3) for r in reader.records(documents[at:at + 3])]


CRITERIA: list[dict[str, Any]] = [
    {},
    {"tag_ids": [1, 4]},
    {"tag_ids": []},
    {"highlight_ids": [2, 3, 5, 8, 13, 21]},
    {"coders": ["ben"]},
    {"coders": []},
    {"document_ids": [2, 5, 7, 40]},
    {"document_ids": [1, 2, 3, 4, 5], "tag_ids": [2], "coders": ["ana"], "highlight_ids": range(30)},
]


@pytest.mark.parametrize("criteria", CRITERIA)
def test_plan_reads_what_excerpt_batches_gives(library: Library, criteria: dict[str, Any]) -> None:
    expected = [r for batch in library.excerpt_batches(**criteria) for r in batch]
    plan = library.excerpt_plan(**criteria)
    assert plan is not None and plan.database == library.folder / "project.sqlite"
    assert _through_plan(plan) == expected
    assert plan.excerpts_at_most >= len(expected)
    if "highlight_ids" not in criteria:
        assert plan.excerpts_at_most == len(expected)
    assert [d for d, _ in plan.documents] == sorted({r.document_id for r in expected})


def test_plan_follows_the_coder_filter(library: Library) -> None:
    library.set_visible_coders(["ana"])
    try:
        plan = library.excerpt_plan()
        assert plan is not None and plan.coders == ("ana",)
        records = _through_plan(plan)
        assert records and {r.author for r in records} == {"ana"}
        assert records == [r for b in library.excerpt_batches() for r in b]
    finally:
        library.set_visible_coders(None)


def test_pages_and_stamps_match_the_highlights(library: Library) -> None:
    plan = library.excerpt_plan()
    assert plan is not None
    records = {r.id: r for r in _through_plan(plan)}
    for h in library.highlights():
        r = records[h.id]
        assert (r.created, r.modified) == (h.created.isoformat(timespec="seconds"),
                                           h.modified.isoformat(timespec="seconds"))
        pages = library.document(h.document_id).page_map
        assert (r.page, r.page_end) == (page_at(pages, h.start), page_at(pages, h.end - 1))
    assert any(r.page == 1 and r.page_end == 2 for r in records.values())


def test_too_many_tags_to_bind_means_no_plan(library: Library) -> None:
    assert library.excerpt_plan(tag_ids=range(sqlite_excerpts.IDS_PER_QUERY + 1)) is None


def test_timestamps_sqlite_cannot_recut_are_parsed(library: Library, tmp_path: Path) -> None:
    """A timestamp stored in another form (written by another tool) still reads right."""
    import sqlite3

    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(library.folder / "project.sqlite") as live, sqlite3.connect(copy) as db:
        live.backup(db)
        db.execute("UPDATE highlights SET created = '2026-01-02T03:04:05+00:00',"
                   " modified = '2026-01-02T03:04:05+00:00' WHERE id = 1")
    plan = library.excerpt_plan()
    assert plan is not None
    with PlanReader(ExcerptPlan(copy, plan.documents)) as reader:
        [first] = [r for r in reader.records([d for d, _ in plan.documents][:1]) if r.id == 1]
    assert (first.created, first.modified) == ("2026-01-02T03:04:05+00:00",) * 2
