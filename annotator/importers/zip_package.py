"""Reading members of zip-based documents (ODT, EPUB) safely: size caps against zip bombs and
an XML parser that never resolves entities or touches the network."""

from __future__ import annotations

import io
import weakref
import zipfile
import zlib

from lxml import etree

from annotator.core.errors import ImportFailed

_MB = 1024 * 1024
# A 200 MB limit on the file does not bound what its members inflate to. Parsed into a tree,
# markup takes several times its size in memory, so a part is read only up to this size, a
# package only up to MAX_PACKAGE_BYTES in all (an EPUB whose spine lists one huge chapter
# twenty times), and a part with more tags than MAX_MARKUP_TAGS is refused before parsing (a
# few megabytes of empty elements make gigabytes of tree). Real documents stay far below:
# the content of a 1,000-page book is some tens of megabytes of XML.
MAX_MEMBER_BYTES = 64 * _MB
MAX_PACKAGE_BYTES = 160 * _MB
MAX_MARKUP_TAGS = 1_500_000
_spent: weakref.WeakKeyDictionary[zipfile.ZipFile, int] = weakref.WeakKeyDictionary()
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFailed(f"not {kind}: the file is not a zip package ({exc})") from exc


def read_member(archive: zipfile.ZipFile, name: str, kind: str, *,
                max_member: int | None = None, max_total: int | None = None) -> bytes:
    """``max_member``/``max_total``: a format whose parts are bigger by nature (a REFI-QDA
    project of 20,000 documents holds an 85 MB ``project.qde``) passes its own caps; else
    ``MAX_MEMBER_BYTES`` and ``MAX_PACKAGE_BYTES``."""
    max_total = MAX_PACKAGE_BYTES if max_total is None else max_total
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise ImportFailed(f"not {kind}: {name} is missing") from exc
    check_member_size(info, kind, max_member)
    spent = _spent.get(archive, 0) + info.file_size
    if spent > max_total:
        raise ImportFailed(
            f"its parts inflate to more than {max_total // _MB} MB in all (a damaged "
            f"file or a zip bomb?); not read"
        )
    _spent[archive] = spent
    try:
        return archive.read(info)
    except zlib.error as exc:
        raise ImportFailed(f"not {kind}: {name} is damaged (its compressed data is corrupt)") from exc
    # RuntimeError also covers an encrypted member and an unsupported compression method.
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise ImportFailed(f"not {kind}: {name} is damaged ({exc})") from exc


def check_member_size(info: zipfile.ZipInfo, kind: str, limit: int | None = None) -> None:
    """Refuse a part that inflates past ``limit`` (``MAX_MEMBER_BYTES`` unless given; from the
    zip listing: reading never goes past the listed size)."""
    limit = MAX_MEMBER_BYTES if limit is None else limit
    if info.file_size > limit:
        raise ImportFailed(
            f"{info.filename} inflates to {info.file_size / _MB:,.0f} MB, more than the "
            f"{limit // _MB} MB read from one part of {kind} (a damaged file or a "
            "zip bomb?)"
        )


def check_markup(data: bytes, name: str) -> None:
    """Refuse markup with more tags than a tree of it can hold in reasonable memory."""
    tags = data.count(b"<")
    if tags > MAX_MARKUP_TAGS:
        raise ImportFailed(
            f"{name} holds {tags:,} tags, more than the {MAX_MARKUP_TAGS:,} Annotator reads "
            "from one part (a damaged file or a crafted one?)"
        )


def parse_xml(data: bytes, name: str, kind: str) -> etree._Element:
    check_markup(data, name)
    try:
        return etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"not {kind}: {name} is not well-formed XML ({exc})") from exc
