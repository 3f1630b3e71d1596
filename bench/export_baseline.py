"""The export case's in-run baseline: the same file written the plain way.

The same reads as ``write_csv`` (``Library.document_summaries``, ``Library.tags``,
``Library.excerpt_batches`` and the batch's ``document_texts`` for context), the same cells
(``csv_export.neutralise`` on every text cell, the same context functions), and then one
``csv.writer`` row per excerpt with every cell quoted: what anyone would write first. Its
output is byte-identical to ``write_csv``'s default layout (tests/export/test_export_bench.py
checks), so the ratio of the two times is what the tuned row building in
``annotator.export`` saves, on this machine under this run's load, as FTS5 is for search.
"""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.core.library import Library
from annotator.core.models import ACTOR, TOPIC
from annotator.export.csv_export import (
    COLUMNS,
    JOIN,
    context_after,
    context_before,
    neutralise,
    page_label,
)


def plain_csv_export(library: Library, path: Path, *, context_chars: int = 100) -> int:
    """Every excerpt to ``path`` with ``csv.writer``; returns the number of data rows."""
    documents = {d.id: d for d in library.document_summaries()}
    tags = {t.id: t for t in library.tags()}
    rows = 0
    with path.open("w", encoding="utf-8", errors="replace", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for batch in library.excerpt_batches():
            wanted = list(dict.fromkeys(r.document_id for r in batch))
            texts = dict(library.document_texts(wanted)) if context_chars else {}
            for r in batch:
                doc = documents[r.document_id]
                named = [tags[t] for t in r.tag_ids]
                text = texts.get(r.document_id, "")
                writer.writerow([
                    r.id, doc.id, neutralise(doc.title), neutralise(doc.author),
                    doc.published.isoformat() if doc.published else "", neutralise(doc.source),
                    page_label(r.page, r.page_end), r.start, r.end,
                    neutralise(JOIN.join(t.name for t in named if t.category == ACTOR)),
                    neutralise(JOIN.join(t.name for t in named if t.category == TOPIC)),
                    neutralise(JOIN.join(f"{t.category}:{t.name}" for t in named
                                         if t.category not in (ACTOR, TOPIC))),
                    neutralise(r.note or ""), neutralise(r.text),
                    neutralise(context_before(text, r.start, context_chars)),
                    neutralise(context_after(text, r.end, context_chars)),
                    r.created, r.modified, neutralise(r.author),
                ])
                rows += 1
    return rows
