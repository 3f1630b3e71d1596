"""A page of results reads its documents' texts in one batch when the caller offers one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from annotator.core._search.index import SearchIndex
from tests.core.test_search_corpus import TEXTS, build_corpus_index


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = build_corpus_index(tmp_path_factory.mktemp("page-texts") / "index")
    yield idx
    idx.close()


def test_document_texts_are_read_once_per_page(index: SearchIndex) -> None:
    batches: list[list[int]] = []

    def texts(ids: list[int]) -> Iterable[tuple[int, str]]:
        batches.append(list(ids))
        return [(i, TEXTS[i]) for i in ids]

    def one_by_one(document_id: int) -> str:
        raise AssertionError(f"read document {document_id} on its own")

    batched = index.search("in:documents trade OR negotiation OR norad", document_text=one_by_one,
                           document_texts=texts)
    single = index.search("in:documents trade OR negotiation OR norad",
                          document_text=TEXTS.__getitem__)
    assert len(batches) == 1 and sorted(batches[0]) == sorted(h.document_id for h in batched.hits)
    assert len(batched.hits) > 1
    assert [h.snippet for h in batched.hits] == [h.snippet for h in single.hits]
    assert all("«" in h.snippet for h in batched.hits)


def test_a_document_missing_from_the_batch_falls_back_to_one_read(index: SearchIndex) -> None:
    result = index.search("in:documents retaliation", document_text=TEXTS.__getitem__,
                          document_texts=lambda ids: [])
    assert "«retaliation»" in result.hits[0].snippet
