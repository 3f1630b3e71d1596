"""The reader shows hard-wrapped plain text as paragraphs that wrap at its own width; the
characters (and so every offset) are the stored ones."""

from __future__ import annotations

import textwrap

from tests.importers.test_reflow_plain_text import PARAGRAPHS

from .test_paragraph_spacing import make_reader


def test_hard_wrapped_text_shows_one_block_per_paragraph(qtbot) -> None:
    text = "\n\n".join(textwrap.fill(p, width=72) for p in PARAGRAPHS)
    reader = make_reader(qtbot, text, "txt")
    shown = reader.toPlainText()
    assert len(shown) == len(text)
    assert shown.split("\n\n") == PARAGRAPHS
    assert reader.document().blockCount() == 2 * len(PARAGRAPHS) - 1
    start = text.index("Prime Minister")
    reader.select_span(start, start + len("Prime Minister Mark Carney"))
    assert reader.selection_span() == (start, start + len("Prime Minister Mark Carney"))
