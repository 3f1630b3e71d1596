"""Hard-wrapped plain text (wire copy, e-mails) is shown as paragraphs: only the line breaks
that wrap a paragraph are shown as spaces; the stored text and its offsets never change."""

from __future__ import annotations

import textwrap
from pathlib import Path

from annotator.core.reflow import reflowed, wrap_joins, wrap_width
from annotator.importers import read
from annotator.importers.furniture import strip_furniture

PARAGRAPHS = [
    ("OTTAWA, March 14, 2025 (Northline Wire) — Canada and the United States agreed on Friday "
     "to keep trade talks going for another thirty days, pulling back from a threatened round "
     "of new tariffs on steel, aluminium and softwood lumber."),
    ("Prime Minister Mark Carney said after a ninety-minute call with Washington that Ottawa "
     "would not lift its own counter-tariffs until American duties on Canadian steel are gone, "
     "not merely paused, and that negotiators had a mandate to be patient."),
    ("Business groups on both sides of the border welcomed the pause and said that a month of "
     "calm would let manufacturers plan their second-quarter orders with some confidence."),
]
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "2025-03-14 Northline Wire - tariff talks.txt")


def _wrapped(paragraphs: list[str], width: int = 72, separator: str = "\n\n") -> str:
    return separator.join(textwrap.fill(p, width=width) for p in paragraphs)


def test_blank_line_paragraphs_are_joined_within_and_kept_apart() -> None:
    text = "Tariff talks stay open\n\n" + _wrapped(PARAGRAPHS)
    shown = reflowed(text)
    assert len(shown) == len(text)
    assert shown.split("\n\n") == ["Tariff talks stay open", *PARAGRAPHS]
    assert all(text[offset] == "\n" for offset in wrap_joins(text))


def test_indented_first_lines_mark_paragraphs() -> None:
    text = "\n".join(
        textwrap.fill(p, width=68, initial_indent="    ") for p in PARAGRAPHS
    )
    assert reflowed(text).split("\n") == ["    " + p for p in PARAGRAPHS]


def test_short_lines_and_list_items_are_not_joined() -> None:
    text = _wrapped(PARAGRAPHS[:2], separator="\n") + "\n- steel\n- aluminium\nThanks,\nAna"
    shown = reflowed(text).split("\n")
    assert shown[:2] == PARAGRAPHS[:2]  # a short last line ends its paragraph
    assert shown[2:] == ["- steel", "- aluminium", "Thanks,", "Ana"]


def test_text_that_is_not_hard_wrapped_is_shown_as_stored() -> None:
    one_line_paragraphs = "\n".join(PARAGRAPHS * 2)
    assert reflowed(one_line_paragraphs) == one_line_paragraphs
    assert wrap_width(["One.", "Two.", "Three."]) is None
    sentences = "\n".join(f"Paragraph {n} says the minister met her counterpart on day {n}."
                          for n in range(30))
    assert reflowed(sentences) == sentences
    poem = "Roses are red\nViolets are blue\nSugar is sweet\nAnd so are you\nThe end"
    assert reflowed(poem) == poem


def test_the_scraped_sample_imports_clean_and_shows_reflowed() -> None:
    extracted = read(SAMPLE)
    assert extracted.title == "Canada and US agree to keep tariff talks open as USMCA review nears"
    assert extracted.left_out[:3] == ("Skip to content", "Menu", "Advertisement")
    assert extracted.left_out[-1] == "Back to top"
    assert str(extracted.published) == "2025-03-14"
    assert extracted.text == strip_furniture(SAMPLE.read_text(encoding="utf-8"))[0]
    shown = reflowed(extracted.text)
    assert "Canada and the United States agreed on Friday to keep trade talks" in shown
    assert "\n\nBy Northline Wire staff\n\n" in shown
