"""Joining per-page texts into one normalised text with exact page ranges."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.text import normalise_text

PAGE_SEPARATOR = "\n\n"


def join_pages(page_texts: Iterable[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Normalise each page, then join them with a blank line.

    Each page is normalised and stripped on its own *before* joining, so the joined text is
    already in normal form and the (start, end) code-point ranges stay exact; an empty page
    gets an empty range at the current position and adds no separator."""
    parts: list[str] = []
    ranges: list[tuple[int, int]] = []
    position = 0
    for raw in page_texts:
        page = normalise_text(raw).strip()
        if not page:
            ranges.append((position, position))
            continue
        if parts:
            parts.append(PAGE_SEPARATOR)
            position += len(PAGE_SEPARATOR)
        parts.append(page)
        ranges.append((position, position + len(page)))
        position += len(page)
    # Stripping a page only removes whitespace and NFC never composes across "\n", so the joined
    # text is a fixed point of normalise_text (tests/importers/test_pages.py checks it).
    return "".join(parts), tuple(ranges)
