"""A page laid out with tables is read as paragraphs, not as one table row of the whole page,
and the data table nested in it keeps its rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.importers import read
from annotator.importers.html_layout import keeps_text, looks_flattened, without_layout_tables

WriteFile = Callable[[str, bytes], Path]
PARAGRAPHS = [
    f"Paragraph {n} of the weekly edition discusses the long dispute between the two companies "
    "over the trademark and what it means for users who bought boards from either side."
    for n in range(8)
]
ROWS = "".join(
    f"<tr><td>Developer {chr(65 + i)} Example</td><td>{60 - i}</td><td>{16 - i}.5%</td></tr>"
    for i in range(6)
)
PAGE = f"""<html><head><title>Weekly Edition</title></head><body>
<table width="100%"><tr><td valign="top"><a href="/">Front page</a> <a href="/s">Security</a></td>
<td><h2>A trademark battle</h2>{"".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])}
<blockquote><table><tr><th colspan="3">Most active developers</th></tr>{ROWS}</table></blockquote>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:])}</td></tr></table></body></html>"""


def test_a_layout_table_page_reads_as_paragraphs_with_its_data_table(
    write_file: WriteFile,
) -> None:
    text = read(write_file("edition.html", PAGE.encode("utf-8"))).text
    paragraphs = text.split("\n\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in paragraphs
    assert not any(p.startswith("|") and len(p) > 1000 for p in paragraphs)
    for name in ("Developer A Example", "Developer F Example", "16.5%"):
        assert name in text
    assert text.index("Developer A Example") < text.index(PARAGRAPHS[4])


def test_only_layout_tables_are_unwrapped() -> None:
    unwrapped = without_layout_tables(PAGE)
    assert unwrapped is not None
    assert unwrapped.count("<table") == 1 and "Developer A Example" in unwrapped
    data_only = f"<html><body><p>{PARAGRAPHS[0]}</p><table>{ROWS}</table></body></html>"
    assert without_layout_tables(data_only) is None


def test_looks_flattened() -> None:
    assert looks_flattened(["| " + " ".join(PARAGRAPHS) + " |"])
    assert not looks_flattened(PARAGRAPHS)
    assert not looks_flattened(["| a | b |", *PARAGRAPHS])


def test_a_second_reading_that_loses_the_opening_is_not_taken() -> None:
    assert keeps_text(PARAGRAPHS, PARAGRAPHS[:1] + PARAGRAPHS[1:])
    assert not keeps_text(PARAGRAPHS, PARAGRAPHS[3:])
