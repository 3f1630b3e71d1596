"""Text normalisation applied once, at import, so stored offsets never shift afterwards."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """LF line endings, NFC, no BOM, no NULs, no trailing blanks on lines, at most one empty
    line in a row, no leading/trailing blank lines."""
    text = text.replace("\ufeff", "").replace("\x00", "")
    text = _NEWLINES.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def text_sha256(text: str) -> str:
    """Duplicate detection key: the hash of the normalised text with whitespace runs folded,
    so the same article saved twice with different wrapping is still caught."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def merge_intervals(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches ``spans`` cover: sorted, empty ones dropped, overlapping or touching ones
    joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
