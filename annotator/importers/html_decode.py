"""Bytes of a saved web page to str, trusting the bytes over the page's own charset claim.

Many saved pages declare UTF-8 but are really ISO-8859-1/cp1252, and a few declare Latin-1 but
were re-saved as UTF-8. Valid UTF-8 with non-ASCII bytes is almost never an accident, so strict
(or nearly strict) UTF-8 wins first; otherwise the declared charset is used when it decodes,
and the text detector decides when the declaration is missing or wrong.
"""

from __future__ import annotations

import codecs
import re

from annotator.importers.encoding import decode_text, mostly_utf8

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""",
    re.IGNORECASE,
)
# WHATWG: browsers decode these labels as windows-1252, and real pages rely on it (curly quotes
# and dashes in the 0x80-0x9F range of "ISO-8859-1" pages).
_AS_CP1252 = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252"})
_SNIFF_BYTES = 8192


def decode_html(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data).text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes beats any declaration: see encoding.mostly_utf8.
    mixed = mostly_utf8(data)
    if mixed is not None:
        return mixed.text
    declared = _declared_codec(data)
    if declared and declared != "utf_8":
        try:
            return data.decode("cp1252" if declared in _AS_CP1252 else declared)
        except UnicodeDecodeError:
            pass
    # Raises ImportFailed("looks like a binary file…") for random bytes named .html.
    return decode_text(data).text


def _declared_codec(data: bytes) -> str | None:
    match = _DECLARED.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
