"""What another process needs to read an export's excerpts itself, and the reader it uses.

A large CSV export writes its rows in several processes at once (``export.csv_parallel``):
each reads its share of the documents straight from the project's SQLite file, with the
criteria the ``Library`` resolved for the export (the coders it shows, the tags, a query's
hits). ``Library.excerpt_plan`` makes the ``ExcerptPlan``; ``PlanReader`` reads it, in any
process, through SQLite's own module, so a worker neither imports SQLAlchemy (a tenth of a
second at its start) nor opens the project (its lock, its index). The records are those
``Library.excerpt_batches`` gives for the same criteria.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from annotator.core._db import sqlite_excerpts, sqlite_search_reads
from annotator.core._db.sqlite_file import connect_readonly
from annotator.core.models import DocumentSummary, ExcerptRecord


@dataclass(frozen=True)
class ExcerptPlan:
    """The resolved criteria of an export and where to read them. ``documents`` are the
    documents holding a wanted highlight, ``(id, highlights at most)`` by id: at most, since a
    query's hits (``highlight_ids``) narrow a document's highlights further as they are read."""

    database: Path
    documents: tuple[tuple[int, int], ...]
    tag_ids: tuple[int, ...] | None = None
    highlight_ids: frozenset[int] | None = None
    coders: tuple[str, ...] | None = None

    @property
    def excerpts_at_most(self) -> int:
        return sum(n for _, n in self.documents)


class PlanReader:
    """Reads one plan's records, texts and document summaries, every read from one state of
    the file (one read transaction from the first read to ``close``)."""

    def __init__(self, plan: ExcerptPlan) -> None:
        self.plan = plan
        self._tags = list(plan.tag_ids) if plan.tag_ids is not None else None
        self._coders = list(plan.coders) if plan.coders is not None else None
        self._db: sqlite3.Connection = connect_readonly(plan.database)
        self._db.execute("BEGIN")
        self._rank = sqlite_excerpts.tag_rank(self._db)
        self._tag_order: dict[str, tuple[int, ...]] = {}

    def records(self, document_ids: Sequence[int]) -> list[ExcerptRecord]:
        """The wanted highlights of these documents (at most ``DOCUMENTS_PER_BATCH``), in
        reading order."""
        batch = sqlite_excerpts.read_batch(self._db, list(document_ids), self._tags,
                                           self._tag_order, self._rank, self._coders)
        wanted = self.plan.highlight_ids
        if wanted is not None:
            batch = [r for r in batch if r.id in wanted]
        return batch

    def texts(self, document_ids: Sequence[int]) -> list[tuple[int, str]]:
        return list(sqlite_search_reads.document_texts(self._db, document_ids))

    def summaries(self, document_ids: Sequence[int]) -> list[DocumentSummary]:
        return sqlite_excerpts.document_summaries(self._db, document_ids)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PlanReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
