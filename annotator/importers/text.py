"""Plain text and Markdown files: detect the encoding, normalise, take a title from the top."""

from __future__ import annotations

from annotator.core.errors import ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.text import normalise_text
from annotator.importers.encoding import decode_text
from annotator.importers.furniture import strip_furniture
from annotator.importers.markdown import markdown_to_text
from annotator.importers.metadata import clean_title
from annotator.importers.text_meta import plain_text_title, published_date

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def extract_text(
    data: bytes,
    *,
    markdown: bool,
    encoding: str | None = None,
    file_name: str = "",
    keep_furniture: bool = False,
) -> Extracted:
    """``data`` is the whole file; ``encoding`` overrides detection when the user knows better.
    ``file_name`` may give the title and the date; page furniture lines at the edges are left
    out unless ``keep_furniture``."""
    decoded = decode_text(data, encoding=encoding)
    text = normalise_text(decoded.text)
    title = ""
    if markdown:
        reading, title = markdown_to_text(text)
        text = normalise_text(reading)
    if not text.strip():
        raise ImportFailed("no text in the file (only blank space)")
    left_out: tuple[str, ...] = ()
    if not keep_furniture:
        text, left_out = strip_furniture(text)
    warnings: tuple[str, ...] = ()
    if decoded.encoding not in ("utf-8", "ascii"):
        warnings = (f"decoded as {decoded.encoding}",)
    return Extracted(
        text=text,
        format="md" if markdown else "txt",
        title=clean_title(title) or plain_text_title(text, file_name),
        published=published_date(text, file_name),
        warnings=warnings,
        left_out=left_out,
    )
