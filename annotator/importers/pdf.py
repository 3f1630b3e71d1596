"""PDF files through pypdf: text per page, a page map, metadata, and precise refusals.

pypdf raises more than its own ``PyPdfError`` on bad input (``DependencyError`` is not one, and
broken streams can surface as ``UnicodeDecodeError``, ``KeyError``, ``struct.error``…), so the
whole read is wrapped and every failure leaves as ``ImportFailed`` with a reason.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from datetime import date

from pypdf import PasswordType, PdfReader
from pypdf.errors import (
    DependencyError,
    EmptyFileError,
    FileNotDecryptedError,
    PdfReadError,
    PyPdfError,
    WrongPasswordError,
)

from annotator.core.errors import ImportFailed, PasswordRequired
from annotator.core.extracted import Extracted
from annotator.importers.garbled import GARBLED_WARNING, looks_garbled
from annotator.importers.hyphenation import dehyphenate
from annotator.importers.limits import ImportLimits, check_pdf_pages
from annotator.importers.metadata import clean_name, clean_title, first_line_title, parse_date
from annotator.importers.pages import join_pages
from annotator.importers.pdf_script import logical_rtl_text
from annotator.importers.quiet_logs import quieter

SCANNED_MESSAGE = "no text layer (scanned PDF?) — OCR is not supported"
PASSWORD_NEEDED = "encrypted: password needed"
WRONG_PASSWORD = "wrong password"

_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
# Typographic ligatures (U+FB00-FB06) survive NFC; spelled out, "misﬁts" is found by a search
# for "misfits" and highlights line up with what the reader types.
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st"}
)
# Titles that PDF producers write when the author wrote none.
_PLACEHOLDER_TITLE = re.compile(
    r"^(untitled|title|document\d*|microsoft (word|powerpoint) - .*|.*\.(docx?|pdf|odt|rtf))$",
    re.IGNORECASE,
)


def extract_pdf(
    data: bytes,
    *,
    password: str | None = None,
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen, so sharing it is safe
) -> Extracted:
    try:
        # pypdf logs every repair it attempts ("EOF marker not found"…) on the console; the
        # outcome reaches the user as our ImportFailed message or a successful import instead.
        with quieter("pypdf", logging.ERROR):
            return _extract(data, password, limits)
    except ImportFailed:
        raise
    except EmptyFileError as exc:
        raise ImportFailed("empty file") from exc
    except (FileNotDecryptedError, WrongPasswordError) as exc:
        raise PasswordRequired(WRONG_PASSWORD if password else PASSWORD_NEEDED) from exc
    except DependencyError as exc:
        raise ImportFailed(f"this PDF needs a component that is not installed: {exc}") from exc
    except (PdfReadError, PyPdfError) as exc:
        raise ImportFailed(f"not a valid PDF: {_reason(exc)}") from exc
    except RecursionError as exc:
        raise ImportFailed("not a valid PDF: its structure is nested too deeply") from exc
    except Exception as exc:  # pypdf leaks arbitrary errors on broken files
        raise ImportFailed(f"not a valid PDF: {type(exc).__name__}: {_reason(exc)}") from exc


def _extract(data: bytes, password: str | None, limits: ImportLimits) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed("not a valid PDF: the file does not start with a PDF header")
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        _decrypt(reader, password)
    check_pdf_pages(_declared_pages(reader))
    page_count = len(reader.pages)
    if page_count == 0:
        raise ImportFailed("the PDF has no pages")
    raw_pages: list[str] = []
    running = 0
    for index in range(page_count):
        raw_pages.append(_page_text(reader, index))
        # Stop at the page that passes the limit: a PDF of repeated content streams can hold
        # far more text than its size suggests, and extracting it all first wastes minutes.
        running += len(raw_pages[-1])
        limits.check_running_chars(running)
    if not any(page.strip() for page in raw_pages):
        raise ImportFailed(SCANNED_MESSAGE)
    # Line-end hyphens are judged against the whole document's vocabulary, page by page.
    text, pages = join_pages(dehyphenate(raw_pages))
    title, author, published = _metadata(reader)
    warnings = _empty_page_warning(raw_pages)
    note = ""
    if looks_garbled(text):
        # Kept as the document's note too: the summary is gone once closed, and whoever opens
        # the document later must know why a search finds nothing in it.
        warnings = (GARBLED_WARNING, *warnings)
        note = f"Import warning: {GARBLED_WARNING}."
    return Extracted(
        text=text,
        format="pdf",
        title=title or first_line_title(text),
        author=author,
        published=published,
        pages=pages,
        warnings=warnings,
        note=note,
    )


def _declared_pages(reader: PdfReader) -> int:
    """The page count the page tree's root claims, read without walking the tree."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count)
    except Exception:  # noqa: BLE001 - a broken root is judged by the full read that follows
        return 0


def _decrypt(reader: PdfReader, password: str | None) -> None:
    """An empty user password is common (print/copy restrictions only): try it silently."""
    if reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return
    if not password:
        raise PasswordRequired(PASSWORD_NEEDED)
    if reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
        raise PasswordRequired(WRONG_PASSWORD)


def _page_text(reader: PdfReader, index: int) -> str:
    text = (reader.pages[index].extract_text() or "").translate(_LIGATURES)
    return logical_rtl_text(_SOFT_HYPHEN_BREAK.sub("", text))


def _empty_page_warning(raw_pages: Sequence[str]) -> tuple[str, ...]:
    empty = [str(number) for number, page in enumerate(raw_pages, 1) if not page.strip()]
    if not empty:
        return ()
    shown = ", ".join(empty[:20]) + (" …" if len(empty) > 20 else "")
    return (f"no text on page(s) {shown} (images only?)",)


def _metadata(reader: PdfReader) -> tuple[str, str, date | None]:
    """(title, author, published) from the info dictionary, else XMP; junk never fails import."""
    title = author = ""
    published: date | None = None
    try:
        info = reader.metadata
    except Exception:  # noqa: BLE001 - a broken info dictionary is not worth refusing the PDF
        info = None
    if info is not None:
        title = _useful_title(info.get("/Title"))
        author = clean_name(_as_str(info.get("/Author")))
        published = parse_date(_as_str(info.get("/CreationDate")))
    if not (title and author and published):
        xmp_title, xmp_author, xmp_date = _xmp(reader)
        title = title or xmp_title
        author = author or xmp_author
        published = published or xmp_date
    return title, author, published


def _xmp(reader: PdfReader) -> tuple[str, str, date | None]:
    try:
        xmp = reader.xmp_metadata
        if xmp is None:
            return "", "", None
        titles = xmp.dc_title or {}
        title = _useful_title(next(iter(titles.values()), "") if isinstance(titles, dict) else "")
        creators = xmp.dc_creator or []
        author = clean_name("; ".join(str(c) for c in creators))
        return title, author, parse_date(xmp.xmp_create_date)
    except Exception:  # noqa: BLE001 - malformed XMP is common and never worth failing over
        return "", "", None


def _useful_title(raw: object) -> str:
    title = clean_title(_as_str(raw))
    return "" if _PLACEHOLDER_TITLE.match(title) else title


def _as_str(value: object) -> str:
    return "" if value is None else str(value)


_TRUNCATION_HINTS = ("ended unexpectedly", "EOF marker", "startxref", "truncated")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()[:200] or type(exc).__name__
    if any(hint in text for hint in _TRUNCATION_HINTS):
        return f"the file is truncated or damaged ({text})"
    return text
