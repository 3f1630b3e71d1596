"""A small project for the side-pane tests (codebook, highlights, notes, find mentions):
two articles, actors and topics, a few highlights. Built fresh in tmp for each test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Document, Highlight, Tag

OTTAWA = (
    "Prime Minister Mark Carney said on Thursday that Canada would seek a modern, durable "
    "economic and security partnership with the United States.\n\n"
    "Speaking in Ottawa, Carney said the talks would cover the future of USMCA and tariffs on "
    "steel. PM Carney added that tariffs hurt both sides."
)
ONTARIO = (
    "Ontario welcomed the tariff pause. Mark Carney called it a first step, and Premier Ford "
    "agreed with Carney that USMCA must survive."
)


@dataclass
class Sample:
    library: Library
    ottawa: Document
    ontario: Document
    carney: Tag  # actor "Carney" (a second spelling)
    mark_carney: Tag  # actor "Mark Carney"
    ford: Tag
    tariffs: Tag
    usmca: Tag
    h_mark: Highlight  # "Mark Carney" in OTTAWA: Mark Carney
    h_speaking: Highlight  # "Carney said the talks…USMCA": Carney + USMCA
    h_tariffs: Highlight  # "tariffs on steel": tariffs
    h_ontario: Highlight  # Ontario "Mark Carney called it a first step": Carney + tariffs


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def build_sample(folder: Path) -> Sample:
    library = Library.create(folder / "Trade Talks.annotator")
    ottawa = library.add_document(Extracted(text=OTTAWA, format="txt", title="Ottawa and Washington open talks"))
    ontario = library.add_document(Extracted(text=ONTARIO, format="txt", title="Tariff pause: reactions in Ontario"))
    mark = library.create_tag("Mark Carney", "actor", colour="#f4c542", aliases=["PM Carney"])
    carney = library.create_tag("Carney", "actor", colour="#f49ac2")
    ford = library.create_tag("Doug Ford", "actor", colour="#9be59b")
    tariffs = library.create_tag("tariffs", "topic", colour="#ffb26b")
    usmca = library.create_tag("USMCA", "topic", colour="#c3a6ff")
    h_mark = library.add_highlight(ottawa.id, *span(OTTAWA, "Mark Carney"), tag_ids=[mark.id])
    h_speaking = library.add_highlight(
        ottawa.id, *span(OTTAWA, "Carney said the talks would cover the future of USMCA"),
        tag_ids=[carney.id, usmca.id],
    )
    h_tariffs = library.add_highlight(ottawa.id, *span(OTTAWA, "tariffs on steel"), tag_ids=[tariffs.id])
    h_ontario = library.add_highlight(
        ontario.id, *span(ONTARIO, "Mark Carney called it a first step"),
        tag_ids=[carney.id, tariffs.id],
    )
    return Sample(library, ottawa, ontario, library.tag(carney.id), library.tag(mark.id),
                  library.tag(ford.id), library.tag(tariffs.id), library.tag(usmca.id),
                  h_mark, h_speaking, h_tariffs, h_ontario)


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Sample]:
    """The sample project, fresh for each test (import this fixture into the test module)."""
    s = build_sample(tmp_path)
    yield s
    s.library.close()
