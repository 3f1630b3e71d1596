"""Size limits every importer honours, so a huge or hostile file is refused instead of hanging."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ImportFailed

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """``max_bytes`` caps the file on disk; ``max_chars`` caps the extracted text (a small file
    can still expand to a huge text, e.g. a compressed PDF or a zipped DOCX); ``max_seconds``
    caps the time one file may take to read when a batch reads in worker processes (a file
    that hangs a parser is stopped and reported; the rest of the batch goes on)."""

    max_bytes: int = 200 * _MB
    max_chars: int = 20_000_000
    max_seconds: float = 300.0

    def check_bytes(self, size: int) -> None:
        if size > self.max_bytes:
            raise ImportFailed(
                f"file is larger than the {format_size(self.max_bytes)} limit ({format_size(size)})"
            )

    def check_chars(self, length: int) -> None:
        if length > self.max_chars:
            raise ImportFailed(
                f"text is longer than the {self.max_chars:,}-character limit "
                f"({length:,} characters)"
            )

    def check_running_chars(self, length: int) -> None:
        """For importers that count while extracting, so a bomb is stopped early, not after
        its whole text was built."""
        if length > self.max_chars:
            raise ImportFailed(
                f"text is longer than the {self.max_chars:,}-character limit "
                f"(stopped reading at {length:,} characters)"
            )


def format_size(size: int) -> str:
    """Whole megabytes for real limits ("200 MB"); smaller units so tiny test limits read right."""
    if size >= _MB:
        return f"{round(size / _MB):,} MB"
    if size >= 1024:
        return f"{round(size / 1024):,} KB"
    return f"{size:,} bytes"


# Parsing a saved page and extracting its article took about 1.4 s and 30 MB of memory per MB
# of dense HTML (a 190 MB page: four minutes and 6 GB), so a page above this size is refused
# before parsing. A saved article is rarely over a few MB even with inline styles and scripts.
MAX_HTML_BYTES = 16 * _MB


def check_html_size(data: bytes) -> None:
    _refuse_html(len(data))


def check_html_file(path: Path) -> None:
    """The same limit from the file's size on disk, before reading it (a vanished file is
    left for the reading to report)."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    _refuse_html(size)


def _refuse_html(size: int) -> None:
    if size > MAX_HTML_BYTES:
        raise ImportFailed(
            f"the page is {format_size(size)} of HTML, more than the "
            f"{format_size(MAX_HTML_BYTES)} Annotator parses (save the article alone, or as PDF)"
        )


# Reading a page tree costs time even when the pages are empty; no article or report runs to
# this many pages.
MAX_PDF_PAGES = 20_000


def check_pdf_pages(count: int) -> None:
    if count > MAX_PDF_PAGES:
        raise ImportFailed(
            f"the PDF declares {count:,} pages, more than the {MAX_PDF_PAGES:,} Annotator reads"
        )
