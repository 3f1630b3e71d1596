"""What every importer returns and ``Library.add_document`` stores: plain text plus metadata.

Core owns the shape (the importers build it, the Library reads it), so core needs nothing from
the importers to type its own API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Extracted:
    """The result of reading one file. ``pages`` holds (start, end) code-point ranges, one per
    page, for paged sources (PDF); empty otherwise. ``text`` is already normalised (LF line
    endings, NFC) by ``normalise_text`` so offsets computed on it stay valid for ever."""

    text: str
    format: str  # "txt", "md", "html", "pdf", "docx"…
    title: str = ""
    author: str = ""
    published: date | None = None
    source: str = ""  # canonical URL or the original path
    language: str | None = None
    site_name: str = ""
    url: str = ""
    pages: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = field(default=())
    # Lines of page furniture ("Skip to content", "Comments"…) left out of ``text``.
    left_out: tuple[str, ...] = field(default=())
    # Stored as the document's note, so a problem the reader must know about (a garbled PDF
    # text layer) stays visible on the document and not only in the import summary.
    note: str = ""
    # The file's bytes exactly as parsed, so the project stores the copy that matches the text
    # even if the file on disk changes or vanishes before the import is committed.
    original_bytes: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class NewDocument:
    """One document for ``Library.add_documents``: what was read, the file it came from, and
    (from a batch import's reader processes) the copy of its bytes already written and synced
    under the project's ``sources/`` with a temporary name, which storing it renames into
    place instead of writing the bytes again."""

    extracted: Extracted
    original: Path | None = None
    staged_copy: Path | None = None
