"""Fault 9 and the minor import faults: damaged compressed data gets a sentence, not zlib's
words; DOCX keeps the text after an unresolved entity; EPUB does not leak a DOCTYPE's "]>";
a partial copy left by a killed import is removed, not kept for ever."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from annotator.core.errors import ImportFailed
from annotator.importers import read
from tests.core.helpers import new_library

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _package(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _docx_with_body(body: str, doctype: str = "") -> bytes:
    base = docx.Document()
    base.add_paragraph("placeholder")
    buffer = io.BytesIO()
    base.save(buffer)
    source = zipfile.ZipFile(buffer)
    document = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{_W}">'
                f"<w:body>{body}</w:body></w:document>").encode()
    return _package({info.filename: document if info.filename == "word/document.xml"
                     else source.read(info) for info in source.infolist()})


def _corrupt_deflate(data: bytes, member: str) -> bytes:
    """Garble the middle of ``member``'s compressed stream, keeping the zip listing valid."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    header = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    for offset in range(header + info.compress_size // 3, header + info.compress_size // 3 + 6):
        damaged[offset] ^= 0x5A
    return bytes(damaged)


ODT_CONTENT = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:'
               'xmlns:text:1.0"><office:body><office:text>'
               + "".join(f"<text:p>Paragraph {n} about tariffs, steel and dairy.</text:p>"
                         for n in range(400))
               + "</office:text></office:body></office:document-content>").encode()


@pytest.mark.parametrize("suffix, member", [(".odt", "content.xml"), (".docx", "word/document.xml")])
def test_corrupt_compressed_data_is_named_plainly(tmp_path: Path, suffix: str, member: str) -> None:
    if suffix == ".odt":
        data = _package({"mimetype": b"application/vnd.oasis.opendocument.text",
                         "content.xml": ODT_CONTENT})
    else:
        data = _docx_with_body("".join(f"<w:p><w:r><w:t>Paragraph {n} on tariffs</w:t></w:r></w:p>"
                                       for n in range(400)))
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(_corrupt_deflate(data, member))
    with pytest.raises(ImportFailed) as caught:
        read(path)
    message = str(caught.value)
    assert "damaged" in message
    assert "Error -3" not in message and "decompressing" not in message


def test_docx_keeps_the_text_after_an_unresolved_entity(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE w:document [<!ENTITY sig "Signed">]>'
    data = _docx_with_body("<w:p><w:r><w:t>Before &sig; and after it.</w:t></w:r></w:p>",
                           doctype=doctype)
    path = tmp_path / "entity.docx"
    path.write_bytes(data)
    assert read(path).text == "Before  and after it."


def test_epub_doctype_internal_subset_leaks_nothing(tmp_path: Path) -> None:
    chapter = (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x "y">]>'
               b"<html><body><p>Chapter text about the Arctic.</p></body></html>")
    data = _package({
        "mimetype": b"application/epub+zip",
        "META-INF/container.xml": b'<?xml version="1.0"?><container version="1.0" xmlns="urn:'
        b'oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="b.opf"'
        b' media-type="application/oebps-package+xml"/></rootfiles></container>',
        "b.opf": b'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
        b'version="3.0"><metadata/><manifest><item id="c" href="c.xhtml" media-type="'
        b'application/xhtml+xml"/></manifest><spine><itemref idref="c"/></spine></package>',
        "c.xhtml": chapter,
    })
    path = tmp_path / "doctype.epub"
    path.write_bytes(data)
    text = read(path).text
    assert "]>" not in text
    assert text == "Chapter text about the Arctic."


def test_partial_copies_of_killed_imports_are_removed_on_open(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    folder = library.folder
    library.close()
    (folder / "sources").mkdir(exist_ok=True)
    partial = folder / "sources" / ".importing-abc123"
    partial.write_bytes(b"half a file")
    old = folder / "orphaned-sources" / ".importing-old999"
    old.parent.mkdir()
    old.write_bytes(b"moved here by an older version")
    scratch = folder / "index.rebuilding"
    scratch.mkdir()
    (scratch / "_MAIN_1.toc").write_bytes(b"x")
    from annotator.core.library import Library

    with Library.open(folder) as reopened:
        assert reopened.orphaned_sources == []
    assert not partial.exists() and not old.exists() and not scratch.exists()
