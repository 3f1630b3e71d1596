"""PDF import on generated files: pages, hyphenation, metadata, passwords, broken files."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfWriter

from annotator.core.errors import ImportFailed, PasswordRequired
from annotator.importers import read

PdfBuilder = Callable[..., bytes]
WriteFile = Callable[[str, bytes], Path]

PAGE_1 = "Canada and the United States resumed tariff talks in Ottawa."
PAGE_2 = "The NORAD commander briefed ministers on Arctic radar plans."
PAGE_3 = "Critical minerals were discussed on the final day."


def test_multi_page_pdf_has_exact_page_ranges(make_pdf: PdfBuilder, write_file: WriteFile) -> None:
    path = write_file("brief.pdf", make_pdf([PAGE_1, PAGE_2, PAGE_3]))
    extracted = read(path)
    assert extracted.format == "pdf"
    assert len(extracted.pages) == 3
    for (start, end), expected in zip(extracted.pages, (PAGE_1, PAGE_2, PAGE_3), strict=True):
        assert extracted.text[start:end] == expected
    assert extracted.text == f"{PAGE_1}\n\n{PAGE_2}\n\n{PAGE_3}"


def test_empty_middle_page_gets_an_empty_range_and_a_warning(
    make_pdf: PdfBuilder, write_file: WriteFile
) -> None:
    extracted = read(write_file("gap.pdf", make_pdf([PAGE_1, "", PAGE_3])))
    first, middle, last = extracted.pages
    assert middle[0] == middle[1] == first[1]
    assert extracted.text[last[0] : last[1]] == PAGE_3
    assert any("page(s) 2" in w for w in extracted.warnings)


def test_line_end_hyphenation_joined_only_for_split_words(
    make_pdf: PdfBuilder, write_file: WriteFile
) -> None:
    text = (
        "The negoti-\nators met in Washing-\nton. The Canada-\nUS file and 2024-\n2025 plans"
        " for NATO-\nled patrols."
    )
    extracted = read(write_file("hyphen.pdf", make_pdf([text])))
    assert "negotiators" in extracted.text
    assert "Washing-\nton" not in extracted.text and "Washington" in extracted.text
    assert "Canada-\nUS" in extracted.text
    assert "2024-\n2025" in extracted.text
    assert "NATO-\nled" in extracted.text


def test_pdf_metadata_from_info_dictionary(make_pdf: PdfBuilder, write_file: WriteFile) -> None:
    data = make_pdf(
        [PAGE_1],
        title="Trade brief",
        author="Élise Marchand",
        created=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
    )
    extracted = read(write_file("meta.pdf", data))
    assert extracted.title == "Trade brief"
    assert extracted.author == "Élise Marchand"
    assert extracted.published == date(2025, 3, 14)


def test_pdf_without_title_uses_first_line(make_pdf: PdfBuilder, write_file: WriteFile) -> None:
    extracted = read(write_file("untitled.pdf", make_pdf([PAGE_1])))
    assert extracted.title == PAGE_1


def test_encrypted_pdf_without_password_asks_for_one(
    make_pdf: PdfBuilder, write_file: WriteFile
) -> None:
    path = write_file("locked.pdf", make_pdf([PAGE_1], user_password="secret"))
    with pytest.raises(PasswordRequired, match="^encrypted: password needed$"):
        read(path)


def test_encrypted_pdf_wrong_password(make_pdf: PdfBuilder, write_file: WriteFile) -> None:
    path = write_file("locked.pdf", make_pdf([PAGE_1], user_password="secret"))
    with pytest.raises(PasswordRequired, match="^wrong password$"):
        read(path, password="guess")


@pytest.mark.parametrize("password", ["secret", "pässwört"])
def test_encrypted_pdf_right_password(
    make_pdf: PdfBuilder, write_file: WriteFile, password: str
) -> None:
    path = write_file("locked.pdf", make_pdf([PAGE_1, PAGE_2], user_password=password))
    extracted = read(path, password=password)
    assert extracted.text == f"{PAGE_1}\n\n{PAGE_2}"


def test_pdf_with_only_an_owner_password_opens_without_asking(
    make_pdf: PdfBuilder, write_file: WriteFile
) -> None:
    path = write_file("restricted.pdf", make_pdf([PAGE_1], owner_password="owner-only"))
    assert read(path).text == PAGE_1


def test_pdf_without_any_text_is_reported_as_scanned(
    make_pdf: PdfBuilder, write_file: WriteFile
) -> None:
    message = r"^no text layer \(scanned PDF\?\) — OCR is not supported$"
    with pytest.raises(ImportFailed, match=message):
        read(write_file("scan.pdf", make_pdf(["", ""])))


def test_zero_page_pdf(write_file: WriteFile) -> None:
    out = io.BytesIO()
    PdfWriter().write(out)
    with pytest.raises(ImportFailed, match="^the PDF has no pages$"):
        read(write_file("zero.pdf", out.getvalue()))


def test_truncated_pdf_is_refused_clearly(make_pdf: PdfBuilder, write_file: WriteFile) -> None:
    data = make_pdf([PAGE_1, PAGE_2])
    with pytest.raises(ImportFailed, match="^(not a valid PDF: |no text layer)"):
        read(write_file("cut.pdf", data[: len(data) // 3]))


def test_random_bytes_named_pdf(write_file: WriteFile) -> None:
    junk = bytes((i * 97 + 13) % 256 for i in range(4096))
    with pytest.raises(ImportFailed, match="^not a valid PDF: "):
        read(write_file("junk.pdf", junk))


def test_pdf_header_followed_by_garbage(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="^not a valid PDF: "):
        read(write_file("header-only.pdf", b"%PDF-1.7\n" + b"\xff\xfe garbage " * 200))


def test_zero_byte_pdf_is_an_empty_file(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="^empty file$"):
        read(write_file("empty.pdf", b""))


def test_pdf_extraction_stops_at_the_page_that_passes_the_text_limit(
    write_file: WriteFile, make_pdf: PdfBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.importers.pdf as pdf_importer
    from annotator.importers.limits import ImportLimits

    extracted_pages: list[int] = []
    real_page_text = pdf_importer._page_text

    def counting(reader: object, index: int) -> str:
        extracted_pages.append(index)
        return real_page_text(reader, index)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_importer, "_page_text", counting)
    path = write_file("long.pdf", make_pdf(["Forty characters of text on every page."] * 6))
    with pytest.raises(ImportFailed, match=r"100-character limit \(stopped reading at 117 "):
        read(path, limits=ImportLimits(max_chars=100))
    assert extracted_pages == [0, 1, 2]


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # both halves common words, no other evidence: a compound, hyphen kept
        (["A well-\nknown and long-\nterm plan."], ["A well-\nknown and long-\nterm plan."]),
        # a half that is no word: a split word, joined
        (["The negoti-\nators and inter-\nlocutors."], ["The negotiators and interlocutors."]),
        # the document spells it joined elsewhere (another page): joined despite common halves
        (["Mark the high-\nlight.", "One highlight."], ["Mark the highlight.", "One highlight."]),
        # the document spells it hyphenated elsewhere: kept despite "co" + "operation"
        (["Co-operation and co-\noperation."], ["Co-operation and co-\noperation."]),
        # capitals and digits never join
        (["NATO-\nled, Canada-\nUS, 2024-\n2025."], ["NATO-\nled, Canada-\nUS, 2024-\n2025."]),
    ],
)
def test_line_end_hyphen_rule(pages: list[str], expected: list[str]) -> None:
    from annotator.importers.hyphenation import dehyphenate

    assert dehyphenate(pages) == expected


def test_hyphen_rule_in_a_pdf_keeps_the_page_map_exact(
    make_pdf: PdfBuilder, write_file: WriteFile
) -> None:
    extracted = read(write_file("two.pdf", make_pdf(
        ["A well-\nknown fact about negoti-\nators.", "The negotiators met."]
    )))
    first, second = (extracted.text[start:end] for start, end in extracted.pages)
    assert first == "A well-\nknown fact about negotiators."
    assert second == "The negotiators met."
