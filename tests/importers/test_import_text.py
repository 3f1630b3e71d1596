"""Plain text and Markdown: encodings, line endings, binary refusal, titles."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.importers import read
from annotator.importers.encoding import decode_text
from annotator.importers.metadata import MAX_TITLE_CHARS

WriteFile = Callable[[str, bytes], Path]

FRENCH = "Le Premier ministre a déclaré : « Nous négocions fermement » — c’était à Québec.\n"
GERMAN = "Grüße aus Köln: Die Straße ist gesperrt, sagte Frau Müller. Maße und Öl.\n"


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        pytest.param(FRENCH.encode("utf-8"), FRENCH, id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), FRENCH, id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), FRENCH, id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), FRENCH, id="utf-16-be-bom"),
        pytest.param((FRENCH * 3).encode("utf-16-le"), FRENCH * 3, id="utf-16-le-no-bom"),
        pytest.param((FRENCH * 3).encode("utf-16-be"), FRENCH * 3, id="utf-16-be-no-bom"),
        pytest.param((FRENCH * 4).encode("cp1252"), FRENCH * 4, id="cp1252"),
        pytest.param((GERMAN * 4).encode("latin-1"), GERMAN * 4, id="latin-1"),
    ],
)
def test_text_encodings_decode_to_the_original(encoded: bytes, expected: str) -> None:
    assert decode_text(encoded).text == expected


def test_cp1252_curly_quotes_and_dashes_are_not_read_as_central_european() -> None:
    text = "“Quoted” words – and a dash — plus café, naïve and façade in one sentence.\n" * 5
    decoded = decode_text(text.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == text


def test_polish_cp1250_stays_cp1250() -> None:
    text = "Zażółć gęślą jaźń. Wiadomości z Polski: rząd ogłosił nowe przepisy dotyczące ceł.\n" * 4
    assert decode_text(text.encode("cp1250")).text == text


def test_encoding_override_wins_and_bad_override_is_reported() -> None:
    data = "naïve".encode("cp1252")
    assert decode_text(data, encoding="latin-1").text == "naïve"
    with pytest.raises(ImportFailed, match="unknown text encoding"):
        decode_text(data, encoding="no-such-codec")


def test_read_txt_normalises_line_endings_and_nfc(write_file: WriteFile) -> None:
    decomposed = "Cafe\u0301 talks\r\nsecond line\rthird line\r\n"
    path = write_file("wire.txt", decomposed.encode("utf-8"))
    extracted = read(path)
    assert extracted.text == "Café talks\nsecond line\nthird line"
    assert extracted.format == "txt"
    assert extracted.title == "Café talks"


def test_utf16_without_bom_file(write_file: WriteFile) -> None:
    path = write_file("nobom.txt", ("Tariff talks resume in Ottawa.\n" * 10).encode("utf-16-le"))
    extracted = read(path)
    assert extracted.text.startswith("Tariff talks resume in Ottawa.\nTariff")
    assert "\x00" not in extracted.text


def test_zero_byte_txt_is_an_empty_file(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="^empty file$"):
        read(write_file("empty.txt", b""))


def test_blank_only_txt_is_refused(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="no text"):
        read(write_file("blank.txt", b" \r\n\t\n\n"))


def test_binary_renamed_txt_is_refused(write_file: WriteFile) -> None:
    png_like = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8 + b"\x00\x00\x01\x02" * 50
    with pytest.raises(ImportFailed, match="looks like a binary file, not text"):
        read(write_file("picture.txt", png_like))


def test_long_first_line_gives_a_trimmed_title(write_file: WriteFile) -> None:
    line = "word " * 200
    extracted = read(write_file("long.txt", (line + "\nbody").encode()))
    assert len(extracted.title) <= MAX_TITLE_CHARS
    assert extracted.title.endswith("…")
    assert extracted.text.startswith("word word")


def test_markdown_markers_removed_and_h1_is_title(write_file: WriteFile) -> None:
    source = (
        "Intro line before the heading\n\n"
        "# NORAD *modernisation* brief\n\n"
        "Some **bold** and _emphasised_ text with a [link](https://example.org) and `code`.\n\n"
        "## Second heading ##\n\n"
        "> quoted line\n\n"
        "---\n\n"
        "snake_case_name stays, 2 * 3 * 4 stays.\n"
    )
    extracted = read(write_file("brief.md", source.encode()))
    assert extracted.format == "md"
    assert extracted.title == "NORAD modernisation brief"
    assert extracted.text == (
        "Intro line before the heading\n\n"
        "NORAD modernisation brief\n\n"
        "Some bold and emphasised text with a link and code.\n\n"
        "Second heading\n\n"
        "quoted line\n\n"
        "snake_case_name stays, 2 * 3 * 4 stays."
    )


def test_markdown_code_fence_content_is_kept_verbatim(write_file: WriteFile) -> None:
    source = "Title\n=====\n\n```\n# not a heading\n**kept**\n```\n"
    extracted = read(write_file("code.md", source.encode()))
    assert extracted.title == "Title"
    assert extracted.text == "Title\n\n# not a heading\n**kept**"


def test_utf8_with_a_few_stray_cp1252_bytes_stays_utf8(write_file: WriteFile) -> None:
    """A UTF-8 file with one pasted cp1252 quote must not become "GrÃ¼ÃŸe" throughout."""
    data = (GERMAN * 3).encode("utf-8") + "“Zitat”\n".encode("cp1252")
    extracted = read(write_file("mixed.txt", data))
    assert extracted.text == (GERMAN * 3 + "“Zitat”").strip()
    assert extracted.warnings == ("decoded as utf-8+cp1252",)


def test_iso_2022_jp_is_not_taken_for_ascii() -> None:
    text = "日本語のテキストです。東京で会議が開かれた。\n"
    assert decode_text(text.encode("iso2022_jp")).text == text


@pytest.mark.parametrize(
    "text",
    ["café", "Ça va très bien, merci.", "Año nuevo — “quoted” – €5", "naïve", "€", "über",
     "Straße", "résumé", "½ price ©2020", "Ñandú", "¿Qué tal?", "Nº 5 and 1º lugar"],
)
def test_short_cp1252_text_is_not_read_as_utf16_cjk_or_ebcdic(text: str) -> None:
    """The detector alone labels these UTF-16, Big5, cp437, cp1006 and EBCDIC (issue 3 audit)."""
    decoded = decode_text(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


@pytest.mark.parametrize(
    ("text", "codec"),
    [("Příliš žluťoučký kůň", "cp1250"), ("中文 text here", "big5"), ("안녕하세요", "euc_kr"),
     ("Zażółć gęślą jaźń", "cp1250"), ("Wiadomości z Polski: rząd ogłosił", "cp1250")],
)
def test_short_non_western_text_is_not_forced_into_cp1252(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec)).text == text


def test_cp1252_plausibility_rejects_other_scripts_seen_through_cp1252() -> None:
    from annotator.importers.encoding import plausible_western

    assert plausible_western("Grüße, ção, “quoted” — naïve ———— rule")
    assert not plausible_western("Привет мир".encode("cp1251").decode("cp1252"))
    assert not plausible_western("中文 text".encode("big5").decode("cp1252"))
    assert not plausible_western("Łódź".encode("cp1250").decode("cp1252"))
    assert not plausible_western("rząd".encode("cp1250").decode("cp1252"))  # "rz¹d"


def test_utf16_without_nul_bytes_is_never_chosen_without_a_bom() -> None:
    """Any even-length run of Latin-1 bytes "decodes" as UTF-16; without NULs it is not."""
    data = "Déjà été: là-bas où.".encode("cp1252")
    assert len(data) % 2 == 0
    assert decode_text(data).encoding == "cp1252"
