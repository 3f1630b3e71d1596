"""Regenerate the sample PDF: ``.venv/bin/python resources/samples/make_pdf.py``.

The text is ours (fictional). Core PDF fonts only cover Latin-1, so the text avoids curly
quotes and dashes; that keeps the script free of any system font dependency. The creation date
is fixed so the committed PDF is reproducible byte for byte.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUTPUT = Path(__file__).with_name("USMCA review and border security - policy brief.pdf")
TITLE = "Before the USMCA review: trade and security on separate tracks"
AUTHOR = "Northern Policy Review"

PAGE_ONE = (
    "Canada and the United States are preparing for the first joint review of the USMCA, the "
    "trade agreement that replaced NAFTA in 2020. The review, due in July 2026, decides whether "
    "the pact is extended for another sixteen years or moves to annual reviews that would leave "
    "exporters guessing every summer.",
    "Prime Minister Mark Carney has said Ottawa will go into the review \"with every tariff on "
    "the table and no deadline on our side.\" Officials describe a two-track approach: trade "
    "questions such as steel and aluminium duties, dairy quotas and digital services taxes are "
    "handled by International Trade Minister Elise Marchand, while border enforcement and defence "
    "spending sit with the security ministers.",
    "The US Trade Representative, Daniel Whitcomb, has asked for the tracks to be brought "
    "together. In testimony to a congressional committee, Whitcomb said that \"a partner that "
    "wants open markets should also share the cost of a secure perimeter.\" Canadian officials "
    "reply that linking the two would turn every radar contract into a trade concession.",
)
PAGE_TWO = (
    "Security spending is where the pressure is most visible. Canada has promised to reach the "
    "NATO target of two per cent of GDP, and the NORAD modernisation plan adds new radars, "
    "satellite surveillance and upgraded northern airfields. General Rebecca Thornton, the "
    "commander of NORAD, has called the Arctic \"the front door, not the back yard.\"",
    "For exporters the practical questions are narrower. Will the review keep the dispute panels "
    "that Canada relied on in the softwood lumber fight? Will the rules of origin for cars "
    "tighten again? And will PM Carney accept quotas on aluminium in exchange for the removal of "
    "blanket duties?",
    "Our assessment: a short extension is more likely than a clean sixteen-year renewal. Carney "
    "needs visible tariff relief before he can sell any security commitments at home, and "
    "Washington wants those commitments first. Expect the two tracks to stay separate in public "
    "and to meet quietly in private.",
    "This brief is fictional and was written as a sample document for Annotator.",
)


def build() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(TITLE)
    pdf.set_author(AUTHOR)
    pdf.set_creator("resources/samples/make_pdf.py")
    pdf.set_creation_date(datetime(2025, 10, 6, 9, 0, tzinfo=UTC))
    pdf.set_margins(22, 22, 22)
    for number, paragraphs in enumerate((PAGE_ONE, PAGE_TWO), start=1):
        pdf.add_page()
        if number == 1:
            pdf.set_font("Helvetica", "B", 15)
            pdf.multi_cell(0, 8, TITLE, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "I", 10)
            byline = f"{AUTHOR} - policy brief - 6 October 2025"
            pdf.multi_cell(0, 6, byline, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        pdf.set_font("Helvetica", "", 11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


if __name__ == "__main__":
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT}")
