"""Word documents generated with python-docx: body order, tables, core properties, bad files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import docx
import pytest

from annotator.core.errors import ImportFailed
from annotator.importers import read

WriteFile = Callable[[str, bytes], Path]


def _docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_headings_and_tables_in_body_order(write_file: WriteFile) -> None:
    document = docx.Document()
    document.add_heading("Arctic sovereignty brief", level=1)
    document.add_paragraph("First paragraph about NORAD.")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, (("Item", "Cost", "Year"), ("Radar", "C$ 6 bn", "2028")),
                           strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("After the table", level=2)
    document.add_paragraph("")
    document.add_paragraph("Closing paragraph.")
    extracted = read(write_file("brief.docx", _docx_bytes(document)))
    assert extracted.format == "docx"
    assert extracted.text == (
        "Arctic sovereignty brief\n\n"
        "First paragraph about NORAD.\n\n"
        "Item\tCost\tYear\nRadar\tC$ 6 bn\t2028\n\n"
        "After the table\n\n"
        "Closing paragraph."
    )


def test_docx_merged_cells_are_shown_once(write_file: WriteFile) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Spanning heading"
    for cell, value in zip(table.rows[1].cells, "abc", strict=True):
        cell.text = value
    extracted = read(write_file("merged.docx", _docx_bytes(document)))
    assert extracted.text == "Spanning heading\na\tb\tc"


def test_docx_core_properties(write_file: WriteFile) -> None:
    document = docx.Document()
    document.add_paragraph("Body text about critical minerals.")
    document.core_properties.title = "Minerals memo"
    document.core_properties.author = "Daniel Whitcomb"
    document.core_properties.created = datetime(2025, 9, 19, 10, 0)
    extracted = read(write_file("memo.docx", _docx_bytes(document)))
    assert (extracted.title, extracted.author, extracted.published) == (
        "Minerals memo", "Daniel Whitcomb", date(2025, 9, 19)
    )


def test_docx_without_title_uses_first_paragraph(write_file: WriteFile) -> None:
    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("  Opening line of the memo  ")
    assert read(write_file("memo.docx", _docx_bytes(document))).title == "Opening line of the memo"


def test_empty_docx_is_refused(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="^no text in the document$"):
        read(write_file("blank.docx", _docx_bytes(docx.Document())))


def test_random_bytes_named_docx(write_file: WriteFile) -> None:
    junk = bytes((i * 31 + 7) % 256 for i in range(2048))
    with pytest.raises(ImportFailed, match=r"^not a Word document \(\.docx\): "):
        read(write_file("junk.docx", junk))


def test_zip_that_is_not_a_docx(write_file: WriteFile) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "just a zip")
    with pytest.raises(ImportFailed, match=r"^not a Word document \(\.docx\): "):
        read(write_file("archive.docx", out.getvalue()))


def test_encrypted_or_old_word_file(write_file: WriteFile) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    with pytest.raises(ImportFailed, match="password-protected or old-format"):
        read(write_file("locked.docx", ole))


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _with_document_xml(body_xml: str) -> bytes:
    """A python-docx package whose word/document.xml body is replaced by ``body_xml``."""
    base = docx.Document()
    base.add_paragraph("placeholder")
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes(base)))
    document = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}">'
                f"<w:body>{body_xml}</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = document.encode() if info.filename == "word/document.xml" else source.read(info)
            archive.writestr(info.filename, data)
    return out.getvalue()


def _paragraphs(text: str, count: int) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * count


def test_docx_bomb_is_refused_from_the_zip_listing_before_parsing(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.importers.docx as docx_importer
    from annotator.importers.limits import ImportLimits

    def must_not_parse(*args: object) -> list[str]:
        raise AssertionError("document.xml was parsed")

    monkeypatch.setattr(docx_importer, "_XML_FLOOR_BYTES", 0)
    monkeypatch.setattr(docx_importer, "part_blocks", must_not_parse)
    data = _with_document_xml(_paragraphs("inflate " * 20, 2000))  # ~370 KB of XML
    assert len(data) < 60_000  # python-docx's template (with its thumbnail) is most of it
    with pytest.raises(ImportFailed, match=r"^word/document\.xml inflates to [\d,]+ bytes, too "
                                           r"much for the 1,000-character text limit$"):
        read(write_file("bomb.docx", data), limits=ImportLimits(max_chars=1000))


def test_docx_text_past_the_limit_stops_reading_early(write_file: WriteFile) -> None:
    from annotator.importers.limits import ImportLimits

    data = _with_document_xml(_paragraphs("x" * 100, 5000))  # 500,000 characters of text
    with pytest.raises(ImportFailed, match=r"stopped reading at 10,100 characters\)$"):
        read(write_file("long.docx", data), limits=ImportLimits(max_chars=10_000))


def test_docx_running_limit_is_exact_at_the_boundary(write_file: WriteFile) -> None:
    from annotator.importers.limits import ImportLimits

    data = _with_document_xml(_paragraphs("y" * 50, 10))
    assert read(write_file("ok.docx", data), limits=ImportLimits(max_chars=600)).text
    with pytest.raises(ImportFailed, match="stopped reading at 450 characters"):
        read(write_file("ok.docx", data), limits=ImportLimits(max_chars=449))


def test_docx_table_nested_in_a_cell_keeps_its_text(write_file: WriteFile) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Outer left"
    cell = outer.cell(0, 1)
    cell.text = "Outer right"
    inner = cell.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "Inner A", (0, 1): "Inner B", (1, 0): "Inner C",
                              (1, 1): "Inner D"}.items():
        inner.cell(row, col).text = value
    extracted = read(write_file("nested.docx", _docx_bytes(document)))
    # Flattened into the cell, so the outer table's tab-separated columns stay aligned.
    assert extracted.text == "Outer left\tOuter right Inner A Inner B Inner C Inner D"


def test_docx_content_controls_are_read(write_file: WriteFile) -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Before the control.")
    ns = f'xmlns:w="{_W_NS}"'
    block = parse_xml(
        f"<w:sdt {ns}><w:sdtPr><w:alias w:val='Summary'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>Block control text.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(len(document.element.body) - 1, block)  # before w:sectPr
    paragraph = document.add_paragraph("Signed by ")
    paragraph._p.append(parse_xml(  # python-docx has no content-control API
        f"<w:sdt {ns}><w:sdtContent><w:r><w:t>Ana Ruiz</w:t></w:r></w:sdtContent></w:sdt>"
    ))
    paragraph.add_run(" on Monday.")
    extracted = read(write_file("controls.docx", _docx_bytes(document)))
    assert extracted.text == (
        "Before the control.\n\nBlock control text.\n\nSigned by Ana Ruiz on Monday."
    )


def _with_notes(data: bytes, notes: dict[str, str]) -> bytes:
    """Add word/footnotes.xml and/or word/endnotes.xml (kind -> paragraph text of note 1) with
    their relationships and content types; python-docx cannot write notes."""
    rel_base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                extra = "".join(
                    f'<Relationship Id="rIdNote{kind}" Type="{rel_base}/{kind}s" '
                    f'Target="{kind}s.xml"/>' for kind in notes
                )
                content = content.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                extra = "".join(
                    f'<Override PartName="/word/{kind}s.xml" ContentType="application/vnd.'
                    f'openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/>'
                    for kind in notes
                )
                content = content.replace(b"</Types>", extra.encode() + b"</Types>")
            archive.writestr(info, content)
        for kind, text in notes.items():
            archive.writestr(
                f"word/{kind}s.xml",
                f'<w:{kind}s xmlns:w="{_W_NS}">'
                f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                f"</w:{kind}>"
                f'<w:{kind} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}>'
                f"</w:{kind}s>",
            )
    return out.getvalue()


def test_docx_footnotes_and_endnotes_are_appended_as_notes(write_file: WriteFile) -> None:
    document = docx.Document()
    document.add_paragraph("Body with a note.")
    data = _with_notes(_docx_bytes(document), {"footnote": "See the 2024 treaty.",
                                               "endnote": "Figures from StatCan."})
    extracted = read(write_file("notes.docx", data))
    assert extracted.text == (
        "Body with a note.\n\nNotes\n\nSee the 2024 treaty.\n\nFigures from StatCan."
    )


def test_docx_text_box_is_read_once_not_again_from_its_fallback(write_file: WriteFile) -> None:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent><w:p><w:r><w:t>Boxed quote.</w:t></w:r></w:p></w:txbxContent>"
    data = _with_document_xml(
        f'<w:p><w:r><w:t>Main text.</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="{mc}">'
        f"<mc:Choice Requires='wps'><w:drawing>{box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    assert read(write_file("box.docx", data)).text == "Boxed quote.\n\nMain text."
