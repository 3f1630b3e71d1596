"""OpenDocument text and EPUB, built by hand as zip packages in tmp_path."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.importers import read

WriteFile = Callable[[str, bytes], Path]

ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:body><office:text>
<text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>
<text:h text:outline-level="1">Arctic <text:span>brief</text:span></text:h>
<text:p>First<text:s text:c="2"/>paragraph<text:note text:note-class="footnote">
  <text:note-citation>1</text:note-citation>
  <text:note-body><text:p>A footnote about NORAD.</text:p></text:note-body>
  </text:note>.<office:annotation>
  <dc:creator>Reviewer</dc:creator><text:p>Reviewer comment</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>Item one</text:p></text:list-item>
  <text:list-item><text:list><text:list-item><text:p>Nested item</text:p></text:list-item>
  </text:list></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Cost</text:p></table:table-cell>
  <table:table-cell><text:p>Year</text:p></table:table-cell><table:table-cell/></table:table-row>
  <table:table-row><table:table-cell><text:p>C$ 6 bn</text:p></table:table-cell>
  <table:table-cell><text:p>2028</text:p></table:table-cell></table:table-row></table:table>
<text:section><text:p>Inside a section</text:p></text:section>
</office:text></office:body></office:document-content>"""

ODT_META = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:meta><dc:title>Arctic brief</dc:title>
<meta:initial-creator>Élise Marchand</meta:initial-creator>
<meta:creation-date>2025-05-01T10:00:00</meta:creation-date></office:meta></office:document-meta>"""


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_odt_text_in_order_with_notes_last_and_comments_dropped(write_file: WriteFile) -> None:
    data = _zip({"mimetype": "application/vnd.oasis.opendocument.text",
                 "content.xml": ODT_CONTENT, "meta.xml": ODT_META})
    extracted = read(write_file("brief.odt", data))
    assert extracted.format == "odt"
    assert extracted.text == (
        "Arctic brief\n\nFirst  paragraph.\n\nItem one\n\nNested item\n\n"
        "Cost\tYear\nC$ 6 bn\t2028\n\nInside a section\n\nNotes\n\nA footnote about NORAD."
    )
    assert (extracted.title, extracted.author, extracted.published) == (
        "Arctic brief", "Élise Marchand", date(2025, 5, 1)
    )


def test_password_protected_odt(write_file: WriteFile) -> None:
    manifest = '<manifest:manifest><manifest:encryption-data/></manifest:manifest>'
    data = _zip({"content.xml": b"\x8f\x01binary", "META-INF/manifest.xml": manifest})
    with pytest.raises(ImportFailed, match="password-protected"):
        read(write_file("locked.odt", data))


def test_odt_spreadsheet_or_broken_xml(write_file: WriteFile) -> None:
    sheet = ODT_CONTENT.replace("office:text>", "office:spreadsheet>")
    with pytest.raises(ImportFailed, match="no text body"):
        read(write_file("sheet.odt", _zip({"content.xml": sheet})))
    with pytest.raises(ImportFailed, match="not well-formed XML"):
        read(write_file("broken.odt", _zip({"content.xml": "<office:document-content"})))
    with pytest.raises(ImportFailed, match="not a zip package"):
        read(write_file("junk.odt", b"not a zip at all" * 10))


def test_odt_xml_entities_are_not_expanded(write_file: WriteFile, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    content = ODT_CONTENT.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    ).replace("Item one", "Item &xxe;")
    extracted = read(write_file("xxe.odt", _zip({"content.xml": content})))
    assert "SECRET-CONTENT" not in extracted.text
    assert "&xxe;" not in extracted.text
    assert "\n\nItem\n\n" in extracted.text  # the unexpanded entity leaves no trace


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Northern Trade</dc:title><dc:creator>Hannah Okafor</dc:creator>
<dc:date>2025-02-03</dc:date><dc:language>en</dc:language></metadata>
<manifest>
<item id="c2" href="text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="text/chapter1.xhtml" media-type="application/xhtml+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
<item id="gone" href="text/missing.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="c1"/><itemref idref="css"/><itemref idref="gone"/>
<itemref idref="c2"/></spine>
</package>"""


def _chapter(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{title}</title><style>p {{}}</style></head><body><header><h1>{title}</h1>"
        f"</header><p>{body}</p><script>alert('x')</script></body></html>"
    )


def test_epub_chapters_in_spine_order_with_metadata(write_file: WriteFile) -> None:
    data = _zip({
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": OPF,
        "OEBPS/text/chapter1.xhtml": _chapter("One", "Tariffs were the first topic — élan."),
        "OEBPS/text/chapter 2.xhtml": _chapter("Two", "Then came NORAD."),
        "OEBPS/style.css": "p {}",
    })
    extracted = read(write_file("book.epub", data))
    assert extracted.format == "epub"
    assert extracted.text == (
        "One\n\nTariffs were the first topic — élan.\n\nTwo\n\nThen came NORAD."
    )
    assert (extracted.title, extracted.author, extracted.published, extracted.language) == (
        "Northern Trade", "Hannah Okafor", date(2025, 2, 3), "en"
    )


def test_drm_epub_and_missing_container(write_file: WriteFile) -> None:
    drm = _zip({"META-INF/container.xml": CONTAINER, "META-INF/encryption.xml": "<x/>"})
    with pytest.raises(ImportFailed, match="DRM-protected"):
        read(write_file("drm.epub", drm))
    with pytest.raises(ImportFailed, match="container.xml is missing"):
        read(write_file("bare.epub", _zip({"mimetype": "application/epub+zip"})))
