"""Title and published date of a plain-text article, which carries no metadata fields: taken from
its first lines and from its file name ("2025-03-14 Northline Wire grid outage.txt")."""

from __future__ import annotations

import re
from datetime import date

from annotator.importers.furniture import is_furniture
from annotator.importers.metadata import clean_title

TITLE_CHARS = 120
# A single line this long, or a line ending a sentence of this many words, is body text.
_SENTENCE_WORDS = 14
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$")
_FILE_DATE = re.compile(r"^(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)[\s_.\-–—]*")
# Words people leave in file names that say nothing about the article.
_GENERIC_NAMES = frozenset(
    """untitled document new text article page copy clipboard paste pasted file export
    download note notes draft text""".split()
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_WRITTEN_DATES = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # March 14, 2025
    re.compile(rf"\b{_DAY}\.?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 14 March 2025
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),  # 2025-03-14
)
_PUBLISHED = re.compile(
    r"^\s*(?:first\s+)?(?:published|posted|publication date|date published|dated?)\b",
    re.IGNORECASE,
)
# Only these first lines are searched for a date: a date further down is about the story.
_TOP_LINES = 12
_DATELINE_CHARS = 90


def plain_text_title(text: str, file_name: str = "") -> str:
    """The headline when the text starts with one; else the file name made readable when it
    says something; else the opening sentence cut to a title's length."""
    paragraph = _first_paragraph(text)
    if paragraph:
        first = paragraph[0].strip()
        if _is_headline(first, continued=len(paragraph) > 1):
            return clean_title(first)
    from_name = readable_file_name(file_name)
    if from_name:
        return from_name
    return clean_title(" ".join(line.strip() for line in paragraph), max_chars=TITLE_CHARS)


def _first_paragraph(text: str) -> list[str]:
    """The first block of consecutive lines that is not furniture, a byline or a date line."""
    block: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if block:
                return block
            continue
        if not block and (is_furniture(line) or is_date_line(line) or _is_byline(line)):
            continue
        block.append(line)
    return block


def _is_headline(line: str, *, continued: bool) -> bool:
    if len(line) > TITLE_CHARS:
        return False
    if _SENTENCE_END.search(line) and len(line.split()) >= _SENTENCE_WORDS:
        return False
    # A hard-wrapped first sentence: the line breaks mid-sentence and the paragraph goes on.
    return not (continued and len(line) >= 50 and not _SENTENCE_END.search(line)
                and line[-1].isalpha() and line[-1].islower())


def _is_byline(line: str) -> bool:
    return bool(re.match(r"^\s*(by|from)\s+\S", line, re.IGNORECASE)) and len(line) <= 80


def is_date_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= _DATELINE_CHARS and (
        bool(_PUBLISHED.match(stripped)) or _only_a_date(stripped)
    )


def _only_a_date(line: str) -> bool:
    """"Friday 14 March 2025 10.00 GMT": a date with only weekday, time and zone around it."""
    for pattern in _WRITTEN_DATES:
        match = pattern.search(line)
        if match:
            rest = (line[: match.start()] + " " + line[match.end():]).casefold()
            words = re.findall(r"[^\W\d_]+", rest)
            noise = {"updated", "last", "on", "at", "am", "pm", "gmt", "utc", "bst", "cet", "est",
                     "edt", "pst", "pdt", "monday", "tuesday", "wednesday", "thursday", "friday",
                     "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
            return all(word in noise for word in words)
    return False


def readable_file_name(file_name: str) -> str:
    """"2025-03-14_northline-wire_grid-outage.txt" -> "northline wire grid outage"; "" for
    names that say nothing ("Untitled 3.txt", "document.txt")."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    stem = _FILE_DATE.sub("", stem)
    words = re.sub(r"[_\s]+|(?<=\w)-(?=\w)|(?<=[a-z])\.(?=[a-z])", " ", stem).split()
    meaningful = [w for w in words if re.search(r"[^\W\d_]{2,}", w)
                  and w.casefold().strip("()") not in _GENERIC_NAMES]
    if len(meaningful) < 2:
        return ""
    return clean_title(" ".join(words), max_chars=TITLE_CHARS)


def date_from_file_name(file_name: str) -> date | None:
    """The date a file name starts with: 2025-03-14, 2025_03_14, 20250314."""
    match = _FILE_DATE.match(file_name)
    return _valid(match.group(1), match.group(2), match.group(3)) if match else None


def published_date(text: str, file_name: str = "") -> date | None:
    """From the file name, else from a "Published …" line or a line that is only a date among
    the first lines; None when those lines hold different dates (ambiguous)."""
    from_name = date_from_file_name(file_name)
    if from_name is not None:
        return from_name
    lines = [line.strip() for line in text.split("\n") if line.strip()][:_TOP_LINES]
    published: set[date] = set()
    datelines: set[date] = set()
    for line in lines:
        found = _date_in(line)
        if found is None or len(line) > _DATELINE_CHARS * 2:
            continue
        if _PUBLISHED.match(line):
            published.add(found)
        elif _only_a_date(line) or _is_dateline(line):
            datelines.add(found)
    for candidates in (published, datelines):
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            return None  # two different dates: which one is the article's is a guess
    return None


def _is_dateline(line: str) -> bool:
    """A wire dateline: "WELLINGTON, March 14, 2025 (Northline Wire) — The …"."""
    return bool(re.match(r"^[A-Z][A-Z .'-]{2,40},", line))


def _date_in(line: str) -> date | None:
    for pattern in _WRITTEN_DATES:
        match = pattern.search(line)
        if match:
            month = match.group("month")
            number = int(month) if month.isdigit() else _MONTHS[month.casefold().rstrip(".")]
            return _valid(match.group("year"), str(number), match.group("day"))
    return None


def _valid(year: str, month: str, day: str) -> date | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2100 else None
