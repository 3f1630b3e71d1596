"""Hard-wrapped plain text: which line breaks only wrapped a paragraph."""

from __future__ import annotations

import textwrap

from annotator.core.text_layout import reflowed, soft_breaks

PARAGRAPHS = [
    "OTTAWA, March 14 (Northline Wire) - Canada and the United States agreed on Friday to keep "
    "trade talks going for another thirty days, pulling back from a threatened round of new "
    "tariffs on steel, aluminium and softwood lumber.",
    "Prime Minister Mark Carney said after a ninety-minute call that Ottawa would not lift its "
    "own counter-tariffs until American duties on Canadian steel are gone, not merely paused.",
    "Officials on both sides said a deal on critical minerals was the most likely first step.",
]


def wrapped(width: int = 68, separator: str = "\n\n") -> str:
    return separator.join(textwrap.fill(p, width) for p in PARAGRAPHS)


def test_wire_copy_wrapped_at_68_reads_as_paragraphs() -> None:
    text = wrapped()
    shown = reflowed(text)
    assert len(shown) == len(text)
    assert shown.split("\n\n") == PARAGRAPHS


def test_indented_first_lines_mark_paragraphs() -> None:
    text = "\n".join(textwrap.fill(p, 72, initial_indent="    ") for p in PARAGRAPHS)
    shown = reflowed(text)
    assert [line.strip() for line in shown.split("\n")] == PARAGRAPHS


def test_short_lines_lists_and_one_paragraph_per_line_stay() -> None:
    assert soft_breaks("\n\n".join(PARAGRAPHS)) == []  # not hard-wrapped at all
    poem = "Roses are red\nviolets are blue\n" * 6
    assert soft_breaks(poem) == []
    listed = wrapped() + "\n\n" + "\n".join(f"- item number {i} of the list, short" for i in range(8))
    shown = reflowed(listed)
    assert shown.endswith("\n".join(f"- item number {i} of the list, short" for i in range(8)))


def test_a_hyphen_at_the_end_of_a_line_keeps_its_break() -> None:
    text = wrapped().replace("aluminium and", "alumin-\nium and", 1)
    assert "alumin-\n" in reflowed(text)


def test_one_short_paragraph_per_line_is_not_taken_for_wrapping() -> None:
    lines = [f"Paragraph {n} says the minister met her counterpart on day {n}." for n in range(30)]
    assert soft_breaks("\n".join(lines)) == []
