"""Small helpers shared by importers to clean titles, names and dates from file metadata."""

from __future__ import annotations

import re
from datetime import date, datetime

MAX_TITLE_CHARS = 200
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# PDF dates look like "D:20250314093000+01'00'"; only the calendar part matters here.
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def clean_title(raw: str | None, *, max_chars: int = MAX_TITLE_CHARS) -> str:
    """One line, single spaces, cut at a word boundary with an ellipsis when too long, so a
    first "line" that is really a whole paragraph still makes a usable list entry."""
    if not raw:
        return ""
    title = _SPACES.sub(" ", raw).strip()
    if len(title) <= max_chars:
        return title
    cut = title[: max_chars - 1]
    if " " in cut[max_chars // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def clean_name(raw: str | None) -> str:
    return _SPACES.sub(" ", raw).strip() if raw else ""


def parse_date(raw: object) -> date | None:
    """A calendar date from a datetime, an ISO-like string or a PDF date string; None when the
    value is missing or not a real date (metadata is often junk and must never fail an import)."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    match = _ISO_DATE.search(text)
    if match:
        parts = match.groups()
    else:
        pdf = _PDF_DATE.match(text)
        if not pdf:
            return None
        parts = (pdf.group(1), pdf.group(2) or "01", pdf.group(3) or "01")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def first_line_title(text: str) -> str:
    """The first non-empty line, for formats without a title field."""
    for line in text.split("\n"):
        if line.strip():
            return clean_title(line)
    return ""
