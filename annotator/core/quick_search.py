"""The search command's quick path: a search of a local project whose index is current,
answered without opening the ``Library``.

A ``Library`` imports SQLAlchemy and every service; for ``annotator search`` that import was
most of the process (0.5 s of 0.75 s) while the search took a few milliseconds. A search needs
only the index and a handful of reads, so when the project is plainly fine (a local SQLite
project at the current schema that passes SQLite's quick check, blind coding off, an index
whose generation and counts match the database) it runs the same ``SearchIndex.search`` and
the same hit check (``hit_check``) over a read-only ``sqlite3`` connection. In every other case
it answers None and the caller opens the Library, which reports, repairs or refuses exactly as
before: a missing or stale index, a project that needs an upgrade, a damaged file, a team
project.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from annotator.core._db import sqlite_search_reads as reads
from annotator.core._db.schema_head import SCHEMA_HEAD
from annotator.core._db.sqlite_file import connect_readonly, inspect_connection
from annotator.core.coder_identity import BLIND_ON, blind_key, current_user
from annotator.core.errors import ProjectError
from annotator.core.hit_check import checked, ids_to_check
from annotator.core.project_layout import DB_NAME, INDEX_DIR, OUR_TABLES, TEAM_FILE
from annotator.core.search_results import INDEX_NOTICES, SearchResults

log = logging.getLogger(__name__)



def search_if_current(folder: Path, query: str, *, limit: int = 20) -> SearchResults | None:
    """``Library.search(query, limit=limit)`` of the local project in ``folder`` opened
    read-only, or None when only the Library can answer (see the module's docstring). Raises
    ``InvalidQuery`` for a malformed query, as the Library does."""
    folder = Path(folder).expanduser()
    db_path = folder / DB_NAME
    if (folder / TEAM_FILE).exists():
        return None
    try:
        db = connect_readonly(db_path)  # fails on a missing file (mode=ro creates nothing)
    except sqlite3.Error:
        return None
    try:
        return _search(db, folder, query, limit)
    except (sqlite3.Error, ProjectError, UnicodeDecodeError, ValueError):
        # Whatever went wrong here, the Library's open says it properly (or works).
        log.debug("quick search of %s gave way to the Library", folder, exc_info=True)
        return None
    finally:
        db.close()


def _search(db: sqlite3.Connection, folder: Path, query: str, limit: int) -> SearchResults | None:
    tables, revision = inspect_connection(db)
    if revision != SCHEMA_HEAD or not OUR_TABLES <= tables:
        return None
    db.execute("BEGIN")  # every read below sees one state of the database
    if reads.meta_value(db, blind_key(current_user())) == BLIND_ON:
        return None  # the Library hides other coders' hits and counts
    generation = reads.generation(db)
    documents, highlights = reads.counts(db)

    from annotator.core._search.index import SearchIndex  # Whoosh: only once the rest is fine

    index = SearchIndex(folder / INDEX_DIR, readonly=True)
    try:
        status = index.status()
        if not (status.exists and status.healthy and status.generation == generation
                and status.documents == documents and status.highlights == highlights):
            return None  # the Library repairs the index, or says why it cannot
        results = index.search(
            query,
            limit=limit,
            document_text=lambda document_id: reads.document_text(db, document_id),
            categories=reads.category_names(db),
            document_texts=lambda ids: reads.document_texts(db, ids),
            variables=reads.variable_fields(db),
        )
    finally:
        index.close()
    if any(w in INDEX_NOTICES for w in results.warnings):
        return None  # a segment failed to read: the Library rebuilds the index
    wanted = ids_to_check(results)
    if not wanted.documents:
        return results
    return checked(
        results,
        documents={i for i, _ in reads.pairs(db, "documents", "id", wanted.documents)},
        highlights={i for i, _ in reads.pairs(db, "highlights", "id", wanted.highlights)},
        page_maps=dict(reads.pairs(db, "documents", "page_map", wanted.paged)),
    )
