"""A small known corpus for the search tests, and checks that building it indexes everything.

Other search test modules import ``build_corpus_index`` from here (tests/core is a package).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from annotator.core._search.index import SearchIndex
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag

CARNEY = IndexedTag("actor", "Mark Carney", ("PM Carney", "Carney"))
TRUDEAU = IndexedTag("actor", "Justin Trudeau")
HOEKSTRA = IndexedTag("actor", "Wopke Hoekstra")
TARIFFS = IndexedTag("topic", "Tariffs")
DEFENCE = IndexedTag("topic", "Continental defence")
HAWKISH = IndexedTag("stance", "hawkish")

DOC1 = IndexedDocument(
    id=1,
    title="Carney signals retaliation on steel tariffs",
    author="Jane Smith",
    source="Globe",
    published=date(2025, 6, 14),
    format="html",
    body=(
        "Prime Minister Mark Carney said on Friday that negotiations with Washington would "
        "continue, but Canada is ready for retaliation if the steel tariffs stay.\n\n"
        "Officials described the talks as difficult. The minister, François Legault, was "
        "not consulted."
    ),
    note="Follow up with the trade desk",
)
DOC2 = IndexedDocument(
    id=2,
    title="NORAD modernisation enters a new phase",
    author="Bob Jones",
    source="CBC",
    published=date(2025, 7, 2),
    format="pdf",
    body=(
        "The NORAD modernisation plan moves ahead. Defence ministers negotiated a cost "
        "sharing deal in Ottawa.\n\nA negotiator said the radar upgrade is on schedule."
    ),
)
DOC3 = IndexedDocument(
    id=3,
    title="European view of the trade war",
    author="Ana Müller",
    source="FT",
    published=date(2024, 12, 1),
    format="txt",
    body=(
        "Trade commissioner Wopke Hoekstra warned that a trade war helps nobody. "
        "Brussels prefers negotiation over tariffs."
    ),
)
DOC4 = IndexedDocument(
    id=4,
    title="Undated memo",
    author="",
    source="",
    published=None,
    format="docx",
    body="A short memo about fisheries quotas and nothing else.",
)

HL10 = IndexedHighlight(
    id=10,
    document_id=1,
    document_title=DOC1.title,
    published=DOC1.published,
    format="html",
    start=0,
    end=DOC1.body.index("continue") + len("continue"),
    quote=DOC1.body[: DOC1.body.index("continue") + len("continue")],
    note="check this quote later",
    tags=(CARNEY, TARIFFS, HAWKISH),
    page=None,
    page_end=None,
    document_author=DOC1.author,
)
_Q11_START = DOC1.body.index("Canada is ready")
_Q11_END = DOC1.body.index("stay.") + len("stay.")
HL11 = IndexedHighlight(
    id=11,
    document_id=1,
    document_title=DOC1.title,
    published=DOC1.published,
    format="html",
    start=_Q11_START,
    end=_Q11_END,
    quote=DOC1.body[_Q11_START:_Q11_END],
    note=None,
    tags=(TARIFFS,),
    page=None,
    page_end=None,
    document_author=DOC1.author,
)
_Q20_END = DOC2.body.index("Ottawa.") + len("Ottawa.")
HL20 = IndexedHighlight(
    id=20,
    document_id=2,
    document_title=DOC2.title,
    published=DOC2.published,
    format="pdf",
    start=0,
    end=_Q20_END,
    quote=DOC2.body[:_Q20_END],
    note="radar costs: follow up",
    tags=(TRUDEAU, DEFENCE),
    page=2,
    page_end=3,
    document_author=DOC2.author,
)
HL30 = IndexedHighlight(
    id=30,
    document_id=3,
    document_title=DOC3.title,
    published=DOC3.published,
    format="txt",
    start=0,
    end=len(DOC3.body),
    quote=DOC3.body,
    note=None,
    tags=(HOEKSTRA, TARIFFS),
    page=7,
    page_end=7,
    document_author=DOC3.author,
)

DOCUMENTS = (DOC1, DOC2, DOC3, DOC4)
HIGHLIGHTS = (HL10, HL11, HL20, HL30)
TEXTS = {d.id: d.body for d in DOCUMENTS}


def build_corpus_index(folder: Path, generation: int = 7) -> SearchIndex:
    index = SearchIndex(folder)
    index.rebuild(DOCUMENTS, HIGHLIGHTS, generation=generation, total=len(DOCUMENTS) + len(HIGHLIGHTS))
    return index


def test_building_the_corpus_indexes_every_record(tmp_path: Path) -> None:
    index = build_corpus_index(tmp_path / "index")
    try:
        status = index.status()
        assert status.exists and status.healthy
        assert (status.generation, status.documents, status.highlights) == (7, 4, 4)
        assert status.error is None
    finally:
        index.close()
