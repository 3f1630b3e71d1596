"""What ``SearchIndex.status`` reports, importable without Whoosh (the index itself is opened,
and Whoosh imported, on first use: see ``Store.index``)."""

from __future__ import annotations

from dataclasses import dataclass

OTHER_VERSION = "index was built by another version"


@dataclass(frozen=True, slots=True)
class IndexStatus:
    exists: bool
    healthy: bool
    generation: int | None
    documents: int
    highlights: int
    error: str | None = None
    fingerprint: str | None = None  # the database content the index was last brought up to
