"""Paragraphs of a stored text, for the analysis matrix's "same paragraph" scope.

A paragraph is a run of lines between blank lines (lines holding only whitespace), which is
how every importer writes paragraph breaks into the stored text. A text without any blank
line (plain text written one paragraph per line) has one paragraph per non-empty line
instead. Spans are code points, end exclusive, and leave out the surrounding whitespace.

The spans are derived from the immutable text, so they are computed once per document, the
first time an analysis needs them, and kept in the ``paragraphs`` table (deleted with the
document). A project open read-only keeps them in a temporary table for the session.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from annotator.core._db.analysis_sql import AnalysisDb

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_LINE = re.compile(r"[^\n]+")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``, in order."""
    if _BLANK_LINE.search(text):
        pieces = _pieces(text, _BLANK_LINE.finditer(text))
    else:
        pieces = ((m.start(), m.end()) for m in _LINE.finditer(text))
    spans = []
    for start, end in pieces:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


def _pieces(text: str, breaks: Iterable[re.Match[str]]) -> Iterator[tuple[int, int]]:
    at = 0
    for match in breaks:
        yield at, match.start()
        at = match.end()
    yield at, len(text)


TextReader = Callable[[list[int]], Iterable[tuple[int, str]]]


def ensure_paragraphs(db: AnalysisDb, read_texts: TextReader) -> None:
    """Fill in the paragraphs of every highlighted document that has none yet (into the
    TEMP copy when a read-only project made one: ``_db.analysis_sql.temporary_paragraphs``)."""
    missing = [d for (d,) in db.execute(
        "SELECT DISTINCT document_id FROM highlights WHERE document_id NOT IN "
        "(SELECT DISTINCT document_id FROM paragraphs)")]
    if not missing:
        return
    rows: list[tuple[int, int, int, int]] = []
    for doc_id, text in read_texts(missing):
        rows += ((doc_id, n, s, e) for n, (s, e) in enumerate(paragraph_spans(text), 1))
    db.executemany('INSERT INTO paragraphs (document_id, number, start, "end") '
                   "VALUES (?, ?, ?, ?)", rows)
