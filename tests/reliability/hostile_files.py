"""Crafted files under the size limits that once exhausted memory or time (issue 14, fault 3).
Each is generated here, small on disk where the format compresses."""

from __future__ import annotations

import zipfile
from pathlib import Path

_MB = 1024 * 1024


def _stream_member(zf: zipfile.ZipFile, name: str, head: bytes, body: bytes, repeat: int,
                   tail: bytes) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        for _ in range(repeat):
            out.write(body)
        out.write(tail)


def _zip(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)


def odt_bomb(path: Path, inflated_mb: int = 450) -> Path:
    """An ODT whose content.xml inflates to ``inflated_mb`` MB of paragraphs."""
    para = b"<text:p>" + b"tariff " * 140 + b"</text:p>"
    with _zip(path) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        head = (b'<?xml version="1.0"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                b"<office:body><office:text>")
        _stream_member(zf, "content.xml", head, para * 1024, inflated_mb * _MB // (len(para) * 1024),
                       b"</office:text></office:body></office:document-content>")
    return path


def epub_one_chapter_many_times(path: Path, chapter_mb: int = 100, entries: int = 20) -> Path:
    """An EPUB whose spine lists one ``chapter_mb`` MB chapter ``entries`` times."""
    with _zip(path) as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("META-INF/container.xml",
                    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                    'opendocument:xmlns:container"><rootfiles><rootfile full-path="book.opf" '
                    'media-type="application/oebps-package+xml"/></rootfiles></container>')
        refs = "".join('<itemref idref="c"/>' for _ in range(entries))
        zf.writestr("book.opf",
                    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                    'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                    '<dc:title>Bomb</dc:title></metadata><manifest><item id="c" href="c.xhtml" '
                    f'media-type="application/xhtml+xml"/></manifest><spine>{refs}</spine>'
                    "</package>")
        para = b"<p>" + b"retaliation " * 80 + b"</p>"
        _stream_member(zf, "c.xhtml", b"<html><body>", para * 1024,
                       chapter_mb * _MB // (len(para) * 1024), b"</body></html>")
    return path


def docx_empty_runs(path: Path, inflated_mb: int = 300) -> Path:
    """A DOCX whose document.xml is ``inflated_mb`` MB of empty runs."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with _zip(path) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                    'org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                    'Target="word/document.xml"/></Relationships>')
        runs = b"<w:r></w:r>" * 4096
        _stream_member(zf, "word/document.xml",
                       f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body><w:p>'.encode(),
                       runs, inflated_mb * _MB // len(runs),
                       b"<w:r><w:t>end</w:t></w:r></w:p></w:body></w:document>")
    return path


def huge_html(path: Path, mb: int = 190) -> Path:
    """A saved page of ``mb`` MB of nested markup."""
    block = b"<div><p>Trade <b>talks</b> <i>went</i> on.</p></div>\n" * 1024
    with path.open("wb") as out:
        out.write(b"<html><head><title>Huge</title></head><body>")
        for _ in range(mb * _MB // len(block)):
            out.write(block)
        out.write(b"</body></html>")
    return path


def pdf_many_pages(path: Path, pages: int = 99_000) -> Path:
    """A valid PDF of ``pages`` empty pages (one flat page tree)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(f"{n + 3} 0 R".encode() for n in range(pages))
        + f"] /Count {pages} >>".encode(),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
