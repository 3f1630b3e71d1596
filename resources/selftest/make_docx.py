"""Regenerate the Word sample ``annotator self-test`` imports:
``.venv/bin/python resources/selftest/make_docx.py`` (python-docx is in the test extra).

The text is ours (fictional). The core properties' dates are fixed so that a regenerated file
reads back the same metadata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import docx

OUTPUT = Path(__file__).with_name("Dairy quotas and the review - ministry memo.docx")
TITLE = "Dairy quotas and the USMCA review"
AUTHOR = "Trade Policy Desk"
PARAGRAPHS = (
    "Dairy supply management will again be on the table when the USMCA review opens in July. "
    "Washington wants wider access for American milk, cheese and butter; Ottawa has said the "
    "quotas agreed in 2018 were the last concession it will make.",
    "Prime Minister Mark Carney told dairy farmers in Saint-Hyacinthe that the government would "
    "not trade quota access for relief from steel and aluminium tariffs. International Trade "
    "Minister Elise Marchand repeated the point in a letter to provincial ministers.",
    "Officials expect the US Trade Representative, Daniel Whitcomb, to link dairy to the digital "
    "services tax and to defence spending. Farm groups want the review's terms of reference "
    "published before talks begin.",
)


def build() -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = AUTHOR
    document.core_properties.created = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
    document.core_properties.modified = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
    document.add_heading(TITLE, level=1)
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    return document


if __name__ == "__main__":
    build().save(OUTPUT)
    print(f"wrote {OUTPUT}")
