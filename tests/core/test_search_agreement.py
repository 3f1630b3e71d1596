"""Random sequences of apply() (and the odd rebuild) keep the index equal to a model of what
should be in it: the same records, counts and generation, and searches find exactly them."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from annotator.core._search import update_queue
from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag, IndexUpdate

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
ACTORS = ("Mark Carney", "Justin Trudeau", "Wopke Hoekstra")
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
doc_ids = st.integers(min_value=1, max_value=6)
hl_ids = st.integers(min_value=1, max_value=12)


class IndexAgreement(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="search-agreement-"))
        self.index = SearchIndex(self.tmp / "index")
        self.index.rebuild([], [], generation=0)
        self.generation = 0
        self.documents: dict[int, IndexedDocument] = {}
        self.highlights: dict[int, IndexedHighlight] = {}

    def teardown(self) -> None:
        self.index.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _apply(self, **changes: object) -> None:
        self.generation += 1
        assert self.index.apply(IndexUpdate(generation=self.generation, **changes))  # type: ignore[arg-type]

    @rule(doc_id=doc_ids, body=words, title=words, note=st.none() | words)
    def upsert_document(self, doc_id: int, body: str, title: str, note: str | None) -> None:
        doc = IndexedDocument(doc_id, title, "", "", date(2025, 1, doc_id), "txt", body, note)
        self.documents[doc_id] = doc
        self._apply(upsert_documents=(doc,))

    @precondition(lambda self: self.documents)
    @rule(data=st.data())
    def delete_document(self, data: st.DataObject) -> None:
        doc_id = data.draw(st.sampled_from(sorted(self.documents)))
        del self.documents[doc_id]
        self.highlights = {k: h for k, h in self.highlights.items() if h.document_id != doc_id}
        self._apply(delete_documents=(doc_id,))

    @precondition(lambda self: self.documents)
    @rule(data=st.data(), hl_id=hl_ids, quote=words, actors=st.sets(st.sampled_from(ACTORS)))
    def upsert_highlight(self, data: st.DataObject, hl_id: int, quote: str, actors: set[str]) -> None:
        if hl_id in self.highlights:  # a highlight never moves to another document
            doc_id = self.highlights[hl_id].document_id
        else:
            doc_id = data.draw(st.sampled_from(sorted(self.documents)))
        doc = self.documents[doc_id]
        tags = tuple(IndexedTag("actor", a) for a in sorted(actors))
        hl = IndexedHighlight(hl_id, doc_id, doc.title, doc.published, "txt", 0, len(quote), quote,
                              None, tags, None, None)
        self.highlights[hl_id] = hl
        self._apply(upsert_highlights=(hl,))

    @precondition(lambda self: self.highlights)
    @rule(data=st.data())
    def delete_highlight(self, data: st.DataObject) -> None:
        hl_id = data.draw(st.sampled_from(sorted(self.highlights)))
        del self.highlights[hl_id]
        self._apply(delete_highlights=(hl_id,))

    @rule()
    def rebuild(self) -> None:
        self.generation += 1
        self.index.rebuild(self.documents.values(), self.highlights.values(), generation=self.generation)

    @invariant()
    def status_matches_the_model(self) -> None:
        status = self.index.status()
        assert status.healthy, status.error
        assert status.generation == self.generation
        assert (status.documents, status.highlights) == (len(self.documents), len(self.highlights))

    @invariant()
    def searches_find_exactly_the_model_records(self) -> None:
        for word in WORDS:
            expected_docs = {
                d.id for d in self.documents.values()
                if word in f"{d.title} {d.body} {d.note or ''}".split()
            }
            got = self.index.search(f"in:documents {word}", limit=100).hits
            assert {h.document_id for h in got} == expected_docs
            expected_hls = {h.id for h in self.highlights.values() if word in h.quote.split()}
            got = self.index.search(f"in:highlights {word}", limit=100).hits
            assert {h.highlight_id for h in got} == expected_hls
        for actor in ACTORS:
            expected = {h.id for h in self.highlights.values() if any(t.name == actor for t in h.tags)}
            got = self.index.search(f'actor:"{actor}"', limit=100).hits
            assert {h.highlight_id for h in got} == expected


IndexAgreement.TestCase.settings = settings(max_examples=20, stateful_step_count=30, deadline=None)
TestIndexAgreement = IndexAgreement.TestCase


class StagedIndexAgreement(IndexAgreement):
    """The same, with status() (which commits) only now and then: searches between run over
    updates still staged in memory on top of the disk segments, and commits fold many staged
    updates (the same highlight changed several times among them) into one."""

    def __init__(self) -> None:
        super().__init__()
        self._idle = update_queue.IDLE_BEFORE_HOUSEKEEPING_S
        update_queue.IDLE_BEFORE_HOUSEKEEPING_S = 600.0  # commits only when a rule asks

    def teardown(self) -> None:
        update_queue.IDLE_BEFORE_HOUSEKEEPING_S = self._idle
        super().teardown()

    def status_matches_the_model(self) -> None:  # not an invariant here: it would commit
        pass

    @rule()
    def check_status(self) -> None:
        IndexAgreement.status_matches_the_model(self)

    @invariant()
    def totals_count_each_record_once(self) -> None:
        results = self.index.search("in:highlights " + " OR ".join(WORDS), limit=100)
        assert results.total == len(results.hits) == len(self.highlights)


StagedIndexAgreement.TestCase.settings = settings(max_examples=20, stateful_step_count=30, deadline=None)
TestStagedIndexAgreement = StagedIndexAgreement.TestCase
