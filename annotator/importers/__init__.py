"""File -> ``Extracted`` (text, metadata, page map). Qt-free and database-free.

``read`` picks the importer by suffix and guarantees that every failure is an ``ImportFailed``
(or ``PasswordRequired``) whose message can be shown as it is after the file name. Format
modules are imported lazily: trafilatura alone takes about a second to import.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.importers.limits import ImportLimits, check_html_file
from annotator.importers.source_file import read_source_bytes

__all__ = ["SUPPORTED_SUFFIXES", "Extracted", "ImportLimits", "read"]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx", ".odt",
     ".epub"}
)


_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_FORMAT_NAMES = {
    ".txt": "text", ".text": "text", ".md": "Markdown", ".markdown": "Markdown",
    ".html": "HTML", ".htm": "HTML", ".xhtml": "XHTML", ".pdf": "PDF", ".docx": "Word (.docx)",
    ".odt": "OpenDocument", ".epub": "EPUB",
}


def read(
    path: Path,
    *,
    password: str | None = None,
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen, so sharing it is safe
    encoding: str | None = None,
    keep_furniture: bool = False,
) -> Extracted:
    """Read one file. ``password`` is used for encrypted PDFs only; ``encoding`` (a Python codec
    name) overrides detection for text files only; ``keep_furniture`` keeps the page-furniture
    lines ("Skip to content", "Comments"…) of text saved from a browser."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFailed(f"unsupported file type {suffix}" if suffix else
                           "unsupported file type (the name has no extension)")
    if suffix in _HTML_SUFFIXES:
        check_html_file(path)  # before a 190 MB page is read into memory at all
    data = read_source_bytes(path, limits)
    try:
        extracted = _dispatch(suffix, data, password=password, encoding=encoding, limits=limits,
                              file_name=path.name, keep_furniture=keep_furniture)
    except ImportFailed:
        raise
    except MemoryError as exc:
        raise ImportFailed("not enough memory to read this file") from exc
    except Exception as exc:  # last line of defence: never leak a raw traceback
        # A library's own words ("'NoneType' object is not subscriptable", "Error -3 while
        # decompressing") tell a researcher nothing; the kind of error is kept for reports.
        raise ImportFailed(
            f"could not be read: the file is damaged or not a valid {_FORMAT_NAMES[suffix]} "
            f"file (internal error {type(exc).__name__})"
        ) from exc
    limits.check_chars(len(extracted.text))
    return dataclasses.replace(
        extracted, source=extracted.source or str(path.resolve()), original_bytes=data
    )


def _dispatch(
    suffix: str,
    data: bytes,
    *,
    password: str | None,
    encoding: str | None,
    limits: ImportLimits,
    file_name: str,
    keep_furniture: bool,
) -> Extracted:
    if suffix in (".txt", ".text", ".md", ".markdown"):
        from annotator.importers.text import MARKDOWN_SUFFIXES, extract_text

        return extract_text(data, markdown=suffix in MARKDOWN_SUFFIXES, encoding=encoding,
                            file_name=file_name, keep_furniture=keep_furniture)
    if suffix in (".html", ".htm", ".xhtml"):
        from annotator.importers.html import extract_html
        from annotator.importers.limits import check_html_size

        check_html_size(data)
        return extract_html(data)
    if suffix == ".pdf":
        from annotator.importers.pdf import extract_pdf

        return extract_pdf(data, password=password, limits=limits)
    if suffix == ".odt":
        from annotator.importers.odt import extract_odt

        return extract_odt(data)
    if suffix == ".epub":
        from annotator.importers.epub import extract_epub

        return extract_epub(data, limits)
    from annotator.importers.docx import extract_docx

    return extract_docx(data, limits)
