"""PDF text that looks right but cannot be found: Arabic presentation forms, right-to-left runs
drawn in logical order, and text layers whose font has no Unicode map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.library import Library
from annotator.importers import read
from annotator.importers.batch import import_paths
from annotator.importers.garbled import GARBLED_WARNING, looks_garbled
from annotator.importers.pdf_script import logical_rtl_text

PdfBuilder = Callable[..., bytes]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# العربية and اللغة as presentation forms, in reading order.
ARABIC_FORMS = "\ufe8d\ufedf\ufecc\ufeae\ufe91\ufef4\ufe94"
LANGUAGE_FORMS = "\ufe8d\ufedf\ufee0\ufed0\ufe94"


def _unicode_pdf(lines: list[str]) -> bytes:
    if not DEJAVU.is_file():
        pytest.skip("needs the DejaVu Sans font to embed Arabic glyphs")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=14)
    for line in lines:
        pdf.cell(text=line)
        pdf.ln()
    return bytes(pdf.output())


def test_presentation_forms_are_stored_as_letters_in_reading_order(tmp_path: Path) -> None:
    # Line 1 is drawn in visual order (as PDF producers do), line 2 in logical order: pypdf
    # reverses right-to-left runs, so line 2 comes out backwards unless we turn it round.
    data = _unicode_pdf([
        "Arabic: " + (ARABIC_FORMS + " " + LANGUAGE_FORMS)[::-1],
        ARABIC_FORMS + " " + LANGUAGE_FORMS,
    ])
    path = tmp_path / "arabic.pdf"
    path.write_bytes(data)
    text = read(path).text
    assert not any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text)
    assert text.count("العربية") == 2
    assert text.splitlines()[1] == "العربية اللغة"
    with Library.create(tmp_path / "p.annotator") as library:
        [outcome] = import_paths(library, [path])
        assert [hit.document_id for hit in library.search("العربية").hits] == [outcome.document_id]


def test_logical_rtl_text_leaves_ordinary_text_alone() -> None:
    plain = "حَبيبي habibi حَبيبي — ﬁne ² ＡＢＣ"
    assert logical_rtl_text(plain) == plain
    # Numbers keep their direction when a run turns round.
    backwards = "\ufe94\ufef4\ufe91\ufeae\ufecc\ufedf\ufe8d 2025"
    assert logical_rtl_text(backwards) == "العربية 2025"


def test_the_shared_arabic_pdf_reads_in_logical_order(shared_data: Path) -> None:
    text = read(shared_data / "py-pdf-sample-files" / "015-arabic" / "habibi.pdf").text
    assert text == "حَبيبي habibi حَبيبي"


def _shifted(text: str, shift: int = -31) -> str:
    """What a font without a Unicode map gives: glyph codes read as characters."""
    return "".join(chr(ord(c) + shift) if c != " " else " " for c in text)


ARTICLE = ("This is an Arial text about the harbour authority and the ferry contract, which was "
           "delayed until the summer because of a review of the bids. ") * 6


def test_a_shifted_alphabet_is_detected_but_real_text_is_not() -> None:
    assert looks_garbled(_shifted(ARTICLE))
    assert looks_garbled(_shifted(ARTICLE).replace(" ", ""))
    assert not looks_garbled(ARTICLE)
    finnish = ("Suomen hallitus päätti torstaina lykätä lauttasopimuksen myöntämistä kesään "
               "saakka, koska tarjouksia arvioidaan vielä uudelleen. ") * 6
    assert not looks_garbled(finnish)
    table = " ".join(f"{i * 37 % 1000} kg" for i in range(300))
    assert not looks_garbled(table)


def test_a_garbled_pdf_imports_with_a_warning_in_the_summary_and_on_the_document(
    tmp_path: Path, make_pdf: PdfBuilder
) -> None:
    path = tmp_path / "garbled.pdf"
    path.write_bytes(make_pdf([_shifted(ARTICLE)]))
    with Library.create(tmp_path / "p.annotator") as library:
        [outcome] = import_paths(library, [path])
        assert outcome.status == "imported"
        assert GARBLED_WARNING in outcome.message
        document = library.document(outcome.document_id or 0)
        assert document.note is not None and GARBLED_WARNING in document.note
    fine = tmp_path / "fine.pdf"
    fine.write_bytes(make_pdf([ARTICLE]))
    extracted = read(fine)
    assert extracted.warnings == () and extracted.note == ""

