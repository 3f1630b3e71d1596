"""``Library.excerpt_batches``, the bulk read behind CSV export, agrees with ``highlights()``:
same excerpts, same order, same tags (in the same order), notes, timestamps and pages."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

import pytest

from annotator.core._db import sqlite_excerpts
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import ExcerptRecord, Highlight, TagRef
from tests.core.helpers import new_library

WORDS = "tariff Zölle naïve café steel dairy 🌍 «quoted» Ottawa border".split()


def as_record(h: Highlight) -> ExcerptRecord:
    return ExcerptRecord(
        h.id, h.document_id, h.start, h.end, h.text, h.note, tuple(t.id for t in h.tags),
        h.created.isoformat(timespec="seconds"), h.modified.isoformat(timespec="seconds"),
        h.page, h.page_end, h.author,
    )


def records(library: Library, **criteria: object) -> list[ExcerptRecord]:
    return [r for batch in library.excerpt_batches(**criteria) for r in batch]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Library:
    rng = random.Random(11)
    library = new_library(tmp_path_factory.mktemp("excerpts"))
    # Names whose byte order differs from their case-folded order, and a user category.
    tags = [library.create_tag(n, "actor") for n in ("carney", "Ford", "Élise", "ANAND")]
    tags += [library.create_tag(n, "topic") for n in ("tariffs", "Arctic", "USMCA")]
    tags += [library.create_tag(n, "stance") for n in ("hawkish", "dovish")]
    refs = [TagRef(t.id, t.name, t.category, t.colour) for t in tags]
    next_id = 1
    for d in range(12):
        text = " ".join(rng.choice(WORDS) for _ in range(300))
        pages = ((0, len(text) // 2), (len(text) // 2, len(text))) if d % 3 == 0 else ()
        doc = library.add_document(Extracted(text=text, format="pdf" if pages else "txt",
                                             title=f"Doc {d}", pages=pages))
        batch = []
        for _ in range(rng.randrange(0, 9)):  # some documents have none
            start = rng.randrange(0, len(text) - 40)
            end = start + rng.randrange(1, 40)
            created = datetime(2026, 1, 1 + d, 9, rng.randrange(60), rng.randrange(60),
                               rng.choice([0, 123456]))
            batch.append(Highlight(
                next_id, doc.id, start, end, text[start:end],
                tuple(rng.sample(refs, rng.randrange(0, 4))),
                rng.choice([None, "a note, with \"quotes\"", "follow up"]),
                created, rng.choice([created, created.replace(hour=17)]), "tester"))
            next_id += 1
        library.restore_highlights(batch)
        if batch and rng.random() < 0.5:  # same start twice: order falls back to end, id
            first = batch[0]
            added = library.add_highlight(doc.id, first.start, first.end + 1,
                                          tag_ids=[tags[0].id])
            next_id = added.id + 1
    return library


def test_every_excerpt_matches_highlights(project: Library) -> None:
    expected = [as_record(h) for h in project.highlights()]
    assert len(expected) > 30
    assert records(project) == expected
    assert any(len(r.tag_ids) > 1 for r in expected) and any(r.page for r in expected)


def test_each_criterion_narrows_like_highlights(project: Library) -> None:
    everything = project.highlights()
    tag = project.find_tag("actor", "Ford")
    assert tag is not None
    with_tag = [as_record(h) for h in everything if tag.id in h.tag_ids]
    assert records(project, tag_ids=[tag.id]) == with_tag
    some = [h.id for h in everything[::3]]
    assert records(project, highlight_ids=some) == [as_record(h) for h in everything
                                                      if h.id in set(some)]
    docs = sorted({h.document_id for h in everything})[:3]
    assert records(project, document_ids=docs) == [as_record(h) for h in everything
                                                    if h.document_id in docs]
    combined = records(project, document_ids=docs, tag_ids=[tag.id], highlight_ids=some)
    assert combined == [r for r in with_tag if r.document_id in docs and r.id in set(some)]
    assert records(project, tag_ids=[]) == [] and records(project, document_ids=[]) == []


def test_more_tag_ids_than_sqlite_binds_are_filtered_as_rows_come(
    project: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = [t.id for t in project.tags("topic")]
    expected = records(project, tag_ids=wanted)
    monkeypatch.setattr(sqlite_excerpts, "IDS_PER_QUERY", 2)
    monkeypatch.setattr(sqlite_excerpts, "DOCUMENTS_PER_BATCH", 2)
    assert records(project, tag_ids=wanted) == expected
    assert expected == [as_record(h) for h in project.highlights()
                        if not set(wanted).isdisjoint(h.tag_ids)]


def test_batches_hold_whole_documents(project: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_excerpts, "DOCUMENTS_PER_BATCH", 2)
    batches = list(project.excerpt_batches())
    assert len(batches) > 2
    seen: set[int] = set()
    for batch in batches:
        docs = {r.document_id for r in batch}
        assert len(docs) <= 2 and not docs & seen
        seen |= docs


def test_timestamps_in_an_unexpected_stored_form_are_parsed(tmp_path: Path) -> None:
    assert sqlite_excerpts.iso_seconds("2026-03-04 05:06:07.891011") == "2026-03-04T05:06:07"
    assert sqlite_excerpts.iso_seconds("2026-03-04T05:06:07+00:00") == "2026-03-04T05:06:07+00:00"


def test_document_summaries_match_the_documents(project: Library) -> None:
    from annotator.core.models import DocumentSummary

    project.update_document(project.documents()[0].id, author="Ana Ñúñez", published=date(2025, 6, 1))
    expected = [DocumentSummary(d.id, d.title, d.author, d.source, d.published, d.characters)
                for d in project.documents()]
    assert project.document_summaries() == expected
    assert any(s.published for s in expected) and any(s.published is None for s in expected)
