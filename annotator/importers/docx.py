"""Word (.docx) files read straight from the package: body text in document order (content
controls, nested tables and text boxes included), tables as tab-separated rows, footnotes and
endnotes gathered at the end as the ODT importer does, and the core properties.

A DOCX is a zip, so a small file can inflate to gigabytes of XML. Before parsing, each part's
uncompressed size from the zip listing is checked against a cap derived from the text limit;
while parsing, the running text length is (see ``docx_body``).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from datetime import date

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.text import normalise_text
from annotator.importers.docx_body import part_blocks
from annotator.importers.limits import ImportLimits
from annotator.importers.metadata import clean_name, clean_title, first_line_title, parse_date
from annotator.importers.zip_package import MAX_MEMBER_BYTES, open_zip, parse_xml, read_member

KIND = "a Word document (.docx)"
# Encrypted .docx files and old binary .doc files are OLE compound files, not zips.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_NOTE_PARTS = ("/footnotes", "/endnotes")
_CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
# WordprocessingML spends many bytes of markup per character of text; a part inflating to
# more than this many bytes per allowed character (and more than the floor) cannot be a
# document within the limit worth parsing, only a bomb.
_XML_BYTES_PER_CHAR = 16
_XML_FLOOR_BYTES = 32 * 1024 * 1024
_SMALL_PART_BYTES = 4 * 1024 * 1024  # relationships and core properties


def extract_docx(data: bytes, limits: ImportLimits = ImportLimits()) -> Extracted:  # noqa: B008
    if data.startswith(_OLE_MAGIC):
        raise ImportFailed(
            "not a Word document (.docx): this is a password-protected or old-format (.doc) "
            "Word file; save it as an unprotected .docx first"
        )
    archive = open_zip(data, KIND)
    with archive:
        main = _related(archive, "", (_OFFICE_DOCUMENT,))
        if not main:
            raise ImportFailed(f"not {KIND}: no main document part (another format renamed?)")
        parts = [main[0], *_related(archive, main[0], _NOTE_PARTS)]
        cap = min(MAX_MEMBER_BYTES, max(_XML_FLOOR_BYTES, _XML_BYTES_PER_CHAR * limits.max_chars))
        for name in parts:
            _check_inflated_size(archive, name, cap, limits)
        counted = _Counter(limits)
        body = _read_part(archive, parts[0], counted)
        notes = [block for name in parts[1:] for block in _read_part(archive, name, counted)]
        title, author, published = _core_properties(archive)
    blocks = body + (["Notes", *notes] if notes else [])
    text = normalise_text("\n\n".join(blocks))
    if not text:
        raise ImportFailed("no text in the document")
    return Extracted(text=text, format="docx", title=title or first_line_title(text),
                     author=author, published=published)


class _Counter:
    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.total = 0

    def __call__(self, length: int) -> None:
        self.total += length
        self.limits.check_running_chars(self.total)


def _check_inflated_size(
    archive: zipfile.ZipFile, name: str, cap: int, limits: ImportLimits
) -> None:
    try:
        size = archive.getinfo(name).file_size
    except KeyError as exc:
        raise ImportFailed(f"not {KIND}: {name} is missing") from exc
    if size > cap:
        raise ImportFailed(
            f"{name} inflates to {size:,} bytes, too much for the "
            f"{limits.max_chars:,}-character text limit"
        )


def _read_part(archive: zipfile.ZipFile, name: str, counted: _Counter) -> list[str]:
    try:
        with archive.open(name) as stream:
            return part_blocks(stream, counted)
    except ImportFailed:
        raise
    except zlib.error as exc:
        raise ImportFailed(f"not {KIND}: {name} is damaged (its compressed data is corrupt)") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise ImportFailed(f"not {KIND}: {name} is damaged ({exc})") from exc
    except Exception as exc:  # lxml reports malformed XML as several types
        if isinstance(exc.__context__, zlib.error):  # raised inside the parser's read
            raise ImportFailed(
                f"not {KIND}: {name} is damaged (its compressed data is corrupt)") from exc
        raise ImportFailed(f"not {KIND}: {name} is not well-formed XML ({exc})") from exc


def _related(archive: zipfile.ZipFile, source: str, kinds: tuple[str, ...]) -> list[str]:
    """Zip names of the parts ``source`` ("" for the package) relates to, by relationship type
    suffix, in the order of ``kinds``."""
    folder, base = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
    if rels_name not in archive.namelist():
        return []
    if archive.getinfo(rels_name).file_size > _SMALL_PART_BYTES:
        raise ImportFailed(f"not {KIND}: {rels_name} is implausibly large")
    rels = parse_xml(read_member(archive, rels_name, KIND), rels_name, KIND)
    found: list[str] = []
    for kind in kinds:
        for rel in rels.iter(_REL):
            if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith(kind):
                continue
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if name in archive.namelist():
                found.append(name)
    return found


def _core_properties(archive: zipfile.ZipFile) -> tuple[str, str, date | None]:
    names = _related(archive, "", ("/metadata/core-properties",))
    if not names or archive.getinfo(names[0]).file_size > _SMALL_PART_BYTES:
        return "", "", None  # core properties are optional and no reason to refuse the text
    try:
        root = parse_xml(read_member(archive, names[0], KIND), names[0], KIND)
    except ImportFailed:
        return "", "", None

    def first(path: str) -> str:
        found = root.find(path, _CORE)
        return found.text or "" if found is not None else ""

    return (clean_title(first("dc:title")), clean_name(first("dc:creator")),
            parse_date(first("dcterms:created")))
