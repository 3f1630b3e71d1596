"""Reading members of zip-based documents (ODT, EPUB) safely: size caps against zip bombs and
an XML parser that never resolves entities or touches the network."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from annotator.core.errors import ImportFailed

# A 200 MB limit on the file does not bound what its members inflate to.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFailed(f"not {kind}: the file is not a zip package ({exc})") from exc


def read_member(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise ImportFailed(f"not {kind}: {name} is missing") from exc
    if info.file_size > MAX_MEMBER_BYTES:
        raise ImportFailed(f"{name} inflates to more than {MAX_MEMBER_BYTES // (1024 * 1024)} MB")
    try:
        return archive.read(info)
    # RuntimeError also covers an encrypted member and an unsupported compression method.
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise ImportFailed(f"not {kind}: {name} is damaged ({exc})") from exc


def parse_xml(data: bytes, name: str, kind: str) -> etree._Element:
    try:
        return etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"not {kind}: {name} is not well-formed XML ({exc})") from exc
