"""Web pages: the title is not repeated as the body's first paragraph, caption list items are
left out, site and byline suffixes leave the title, and the precise/balanced readings are
merged paragraph by paragraph instead of picked by length."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.importers import read
from annotator.importers.html_choice import merge_readings
from annotator.importers.html_title import split_title
from tests.importers.test_import_html import ARTICLE_PARAGRAPHS

WriteFile = Callable[[str, bytes], Path]
CLOSING = "The chair said the board would meet again in June to decide, and bidders were told."


def _page(title: str, head: str = "", body_top: str = "", body_middle: str = "") -> bytes:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title>{head}
<link rel="canonical" href="https://www.northlinewire.example/harbour/ferry">
</head><body><article>{body_top}
{paragraphs}
{body_middle}
<p>{CLOSING}</p>
</article></body></html>""".encode()


def test_title_heading_and_caption_list_items_leave_the_body(write_file: WriteFile) -> None:
    page = _page(
        "Harbour ferry contract delayed",
        body_top="<h1>Harbour ferry contract delayed</h1>"
                 "<ul><li>Photo: Jane Doe/Northline Wire</li></ul>",
        body_middle="<ul><li>Photograph: Kiri Walker for Northline Wire</li>"
                    "</ul><ul><li>Photos of the wharf were shown to the board</li></ul>",
    )
    extracted = read(write_file("page.html", page))
    assert extracted.title == "Harbour ferry contract delayed"
    assert extracted.text.startswith(ARTICLE_PARAGRAPHS[0])
    assert "Photo: Jane Doe" not in extracted.text
    assert "Photograph: Kiri Walker" not in extracted.text
    assert "- Photos of the wharf were shown to the board" in extracted.text
    assert extracted.text.endswith(CLOSING)


def test_site_and_byline_suffixes_leave_the_title_and_the_site_is_kept(
    write_file: WriteFile,
) -> None:
    title = "Harbour ferry contract delayed - The Northline Wire"
    extracted = read(write_file("a.html", _page(title, f'<meta property="og:title" content="{title}">')))
    assert (extracted.title, extracted.site_name) == (
        "Harbour ferry contract delayed", "The Northline Wire")
    title = "Harbour ferry contract delayed | Eleanor Ainge Roy | Northline Wire"
    head = (f'<meta property="og:title" content="{title}">'
            '<meta name="author" content="Eleanor Ainge Roy">')
    extracted = read(write_file("b.html", _page(title, head)))
    assert (extracted.title, extracted.site_name, extracted.author) == (
        "Harbour ferry contract delayed", "Northline Wire", "Eleanor Ainge Roy")


def test_split_title_keeps_a_dash_that_is_part_of_the_headline() -> None:
    assert split_title("Brexit - what happens next", site_name="Northline Wire") == (
        "Brexit - what happens next", "Northline Wire")
    assert split_title("Talks resume | Northline Wire", site_name="Northline Wire") == (
        "Talks resume", "Northline Wire")
    assert split_title("Harbour talks resume - Kiri Walker", author="Kiri Walker") == (
        "Harbour talks resume", "")


TITLE = "Ferry contract delayed"
BODY = [
    "The harbour authority delayed the award of the ferry contract until the summer months.",
    "Bidders were told on Friday that a review of the tenders would take another ten weeks.",
    "The chair said the review had been asked for by two board members after the last vote.",
]


def test_short_but_complete_precise_reading_wins_over_the_balanced_extras() -> None:
    balanced = [
        TITLE.upper(), "- 24 July 2015", "- 941 comments", BODY[0], "Photo: Jane Doe/Wire",
        BODY[1], "Related: Port strike ends after a week", BODY[2],
        "Port strike ends after a week", "Harbour board elects new chair",
    ]
    links = ["Port strike ends after a week", "Harbour board elects new chair"]
    assert merge_readings(BODY, balanced, title=TITLE, link_texts=links) == BODY


def test_a_fragment_of_precise_reading_gets_the_rest_of_the_article() -> None:
    rest = [
        "Pros", "- Most powerful hardware ever in a home console",
        "In use", "Navigating the interface is fast, mostly thanks to the faster storage inside.",
    ]
    balanced = [BODY[0], *rest, BODY[1], BODY[2]]
    assert merge_readings([BODY[0]], balanced, title=TITLE) == balanced


def test_a_lone_linked_heading_between_paragraphs_stays_but_a_link_run_goes() -> None:
    balanced = [BODY[0], "“Rez Infinite” ($30)", BODY[1], BODY[2], "More ferries", "Old wharf"]
    links = ["“Rez Infinite” ($30)", "More ferries", "Old wharf"]
    assert merge_readings(BODY, balanced, title=TITLE, link_texts=links) == balanced[:4]


def test_a_table_row_repeating_the_article_is_not_added() -> None:
    row = "| Weekly edition " + " ".join(BODY) + " |"
    assert merge_readings(BODY, [row, *BODY], title=TITLE) == BODY
