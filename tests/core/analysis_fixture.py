"""A hand-built project whose every analysis count is worked out by hand in the tests.

Document 1 (2025-01-15), three paragraphs:
  p1 "Para one alpha beta gamma."  h1 "alpha beta" [A1, T1]; h2 "beta gamma" [T2] (overlaps
     h1); h5 "alpha" [A2] (nested inside h1)
  p2 "Para two delta epsilon."     h3 "delta" [A2]; h4 "epsilon" [T1] (same paragraph, apart)
  p3 "Para three zeta eta."        no highlights
Document 2 (no date), one paragraph: h6 "A1 here" [A1]; h7 "T2 there" [T2] (apart)
Document 3 (2025-03-02): h8 "both" [A1, T1]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from annotator.core.library import Library
from annotator.core.models import ACTOR, TOPIC, Highlight
from tests.core.helpers import add_text, new_library

TEXT_1 = "Para one alpha beta gamma.\n\nPara two delta epsilon.\n\nPara three zeta eta."
TEXT_2 = "Only para with A1 here and T2 there."
TEXT_3 = "A passage that has both tags."


@dataclass
class Fixture:
    library: Library
    docs: list[int]
    tags: dict[str, int]
    h: dict[int, Highlight]


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def build(tmp_path: Path, library: Library | None = None) -> Fixture:
    """The fixture in ``library`` (a new local project when none is given)."""
    library = library or new_library(tmp_path)
    d1 = add_text(library, TEXT_1, "First", published=date(2025, 1, 15)).id
    d2 = add_text(library, TEXT_2, "Second").id
    d3 = add_text(library, TEXT_3, "Third", published=date(2025, 3, 2)).id
    tags = {name: library.create_tag(name, cat).id
            for cat, name in ((ACTOR, "A1"), (ACTOR, "A2"), (TOPIC, "T1"), (TOPIC, "T2"))}

    def hl(doc: int, text: str, quote: str, *names: str) -> Highlight:
        start, end = _span(text, quote)
        return library.add_highlight(doc, start, end, tag_ids=[tags[n] for n in names])

    h = {
        1: hl(d1, TEXT_1, "alpha beta", "A1", "T1"),
        2: hl(d1, TEXT_1, "beta gamma", "T2"),
        3: hl(d1, TEXT_1, "delta", "A2"),
        4: hl(d1, TEXT_1, "epsilon", "T1"),
        6: hl(d2, TEXT_2, "A1 here", "A1"),
        7: hl(d2, TEXT_2, "T2 there", "T2"),
        8: hl(d3, TEXT_3, "both", "A1", "T1"),
    }
    start, _ = _span(TEXT_1, "alpha")
    h[5] = library.add_highlight(d1, start, start + len("alpha"), tag_ids=[tags["A2"]])
    return Fixture(library, [d1, d2, d3], tags, h)
