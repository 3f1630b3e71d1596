"""Plain text copied or saved from a web page: page furniture left out (and said so), a real
headline for a title, the published date from the file name or the top lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from annotator.core.library import Library
from annotator.importers import read
from annotator.importers.batch import import_paths
from annotator.importers.furniture import furniture_summary, strip_furniture
from annotator.importers.text_meta import (
    date_from_file_name,
    plain_text_title,
    published_date,
    readable_file_name,
)

WriteFile = Callable[[str, bytes], Path]

SCRAPED = """top of page
Skip to content

Harbour authority delays the Northline ferry contract

Published 14 March 2025

The harbour authority said on Friday it would delay the award of the Northline ferry
contract until the summer, citing a review of the bids.

Advertisement

"We want the review to be thorough," the chair told reporters. She said the Comments
section of the consultation had drawn more than 400 replies.

Comments
bottom of page
"""


def test_furniture_at_the_edges_and_alone_between_paragraphs_is_left_out(
    write_file: WriteFile,
) -> None:
    path = write_file("scraped.txt", SCRAPED.encode("utf-8"))
    extracted = read(path)
    assert extracted.left_out == (
        "top of page", "Skip to content", "Advertisement", "Comments", "bottom of page",
    )
    assert extracted.text.startswith("Harbour authority delays")
    assert extracted.text.endswith("drawn more than 400 replies.")
    assert "\n\nAdvertisement\n\n" not in extracted.text
    # Part of a sentence, so kept, even though "Comments" alone would be furniture.
    assert "She said the Comments\nsection" in extracted.text
    assert "\n\n\n" not in extracted.text
    assert extracted.title == "Harbour authority delays the Northline ferry contract"


def test_keep_furniture_keeps_every_line(write_file: WriteFile) -> None:
    path = write_file("scraped.txt", SCRAPED.encode("utf-8"))
    extracted = read(path, keep_furniture=True)
    assert extracted.left_out == ()
    assert extracted.text == SCRAPED.strip()
    # The title still skips the furniture.
    assert extracted.title == "Harbour authority delays the Northline ferry contract"


def test_a_furniture_word_that_continues_a_sentence_is_kept() -> None:
    text = "The minister would not discuss the\nComments\n"
    assert strip_furniture(text) == (text, ())
    lone = "Skip to content\nAdvertisement\n"
    assert strip_furniture(lone) == (lone, ()), "a file of nothing else is what the user meant"


def test_photo_credits_and_cookie_notices_at_the_top_are_left_out() -> None:
    text = ("We use cookies to improve your experience on our site.\n"
            "Photo: Jane Doe/Northline Wire\n\nBody of the article goes on here.\n\n"
            "Photograph: Aroha Parata\n\nSecond paragraph.\n\n"
            "More on the budget\n\nThird paragraph.")
    kept, left_out = strip_furniture(text)
    assert left_out == ("We use cookies to improve your experience on our site.",
                        "Photo: Jane Doe/Northline Wire", "Photograph: Aroha Parata")
    assert kept == ("Body of the article goes on here.\n\nSecond paragraph.\n\n"
                    "More on the budget\n\nThird paragraph.")


def test_summary_names_what_was_left_out() -> None:
    assert furniture_summary(("top of page", "Comments", "bottom of page")) == (
        "left out 3 lines of page furniture: top of page, Comments, bottom of page"
    )
    assert furniture_summary(()) == ""


def test_batch_outcome_reports_the_furniture_and_sources_keep_the_original(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scraped.txt"
    path.write_bytes(SCRAPED.encode("utf-8"))
    with Library.create(tmp_path / "p.annotator") as library:
        [outcome] = import_paths(library, [path])
        assert outcome.status == "imported"
        assert outcome.message == ("left out 5 lines of page furniture: top of page, "
                                   "Skip to content, Advertisement, Comments, bottom of page")
        document = library.document(outcome.document_id or 0)
        assert document.stored_file is not None
        assert (tmp_path / "p.annotator" / document.stored_file).read_bytes() == path.read_bytes()
        assert document.published == date(2025, 3, 14)


# ------------------------------------------------------------------ titles
def test_a_long_first_sentence_is_not_a_headline() -> None:
    sentence = ("The harbour authority said on Friday it would delay the award of the Northline "
                "ferry contract until the summer, citing a review of the bids that it had "
                "commissioned from an outside firm.")
    text = sentence + "\n\nMore text."
    title = plain_text_title(text, "")
    assert len(title) <= 121 and title.endswith("…")
    assert sentence.startswith(title[:-1].rstrip())
    assert title[-2] != " " and " ".join(title[:-1].split()[-1:]) in sentence.split()
    # A file name that says something is the better title.
    assert plain_text_title(text, "2025-03-14 harbour-ferry_delay.txt") == "harbour ferry delay"


def test_a_hard_wrapped_first_sentence_is_not_a_headline() -> None:
    text = ("WELLINGTON, March 14, 2025 (Northline Wire) - The harbour authority said on\n"
            "Friday it would delay the award of the ferry contract until the summer.\n")
    assert plain_text_title(text, "Northline Wire ferry delay.txt") == "Northline Wire ferry delay"
    assert plain_text_title(text, "untitled.txt").startswith("WELLINGTON, March 14, 2025")


def test_bylines_and_date_lines_are_not_titles() -> None:
    text = "Friday 14 March 2025 10.00 GMT\nBy Aroha Parata\n\nFerry contract delayed\n\nBody."
    assert plain_text_title(text) == "Ferry contract delayed"


@pytest.mark.parametrize(
    ("name", "readable"),
    [
        ("2025-03-14 Northline Wire grid outage.txt", "Northline Wire grid outage"),
        ("northline_wire-grid-outage.md", "northline wire grid outage"),
        ("Untitled 3.txt", ""),
        ("document.txt", ""),
    ],
)
def test_readable_file_names(name: str, readable: str) -> None:
    assert readable_file_name(name) == readable


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2025-03-14 Northline Wire grid outage.txt", date(2025, 3, 14)),
        ("20250314_outage.txt", date(2025, 3, 14)),
        ("2025-02-30 impossible.txt", None),
        ("outage 2025-03-14.txt", None),
        ("1234567890.txt", None),
    ],
)
def test_date_from_file_name(name: str, expected: date | None) -> None:
    assert date_from_file_name(name) == expected


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("Headline\n\nPublished: March 14, 2025\n\nBody.", date(2025, 3, 14)),
        ("Headline\nFirst published on Fri 14 Mar 2025 09.12 GMT\n\nBody.", date(2025, 3, 14)),
        ("Headline\n\nWELLINGTON, 14 March 2025 - The harbour said...", date(2025, 3, 14)),
        ("Headline\n\n2025-03-14\n\nBody.", date(2025, 3, 14)),
        # Two different dates at the top: which is the article's would be a guess.
        ("Headline\n\n14 March 2025\n\n15 March 2025\n\nBody.", None),
        # "Published" wins over an "Updated" date line.
        ("Headline\nPublished 14 March 2025\nUpdated 16 March 2025\n\nBody.", date(2025, 3, 14)),
        # A date in the body is about the story, not the article.
        ("Headline\n\nThe strike began on 3 February 2025 and lasted a week.", None),
    ],
)
def test_published_date_from_the_top_lines(top: str, expected: date | None) -> None:
    assert published_date(top, "notes.txt") == expected


def test_file_name_date_is_imported(write_file: WriteFile) -> None:
    path = write_file("2025-03-14 Northline Wire grid outage.txt", b"Grid outage\n\nBody.\n")
    assert read(path).published == date(2025, 3, 14)
