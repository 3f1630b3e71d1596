"""The search service: full-text search, index upkeep and saved searches.

The index is a cache of the database, so every question about it ("is it current?") is
answered by comparing the two, and every repair is a rebuild from the database. Hits are
checked against the database before they are returned: an index that is behind (a killed
import, a read-only session while the app holds the project) must not offer a document or
highlight that is gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from annotator.core._db import convert
from annotator.core._db.schema import DocumentRow, HighlightRow, NoteRow, SavedSearchRow
from annotator.core._search.index_status import OTHER_VERSION, IndexStatus
from annotator.core._search.records import IndexedDocument, IndexedHighlight
from annotator.core.changes import Changes
from annotator.core.codebook import Codebook
from annotator.core.documents import Documents
from annotator.core.errors import InvalidInput, NotFound, ReadOnlyProject
from annotator.core.hit_check import checked, ids_to_check
from annotator.core.models import SavedSearch
from annotator.core.progress import CancelToken, ProgressCallback
from annotator.core.search_results import SearchResults
from annotator.core.store import Store
from annotator.core.variable_search import variable_fields

_IDS_PER_QUERY = 900  # SQLite's bound-parameter limit (999 on older builds)


class Search:
    def __init__(self, store: Store, codebook: Codebook, documents: Documents) -> None:
        self._store, self._codebook, self._documents = store, codebook, documents

    # ----------------------------------------------------------------- search
    def search(self, query: str, *, limit: int = 20) -> SearchResults:
        """Full-text search over documents, highlights and notes (query language: QUERY_HELP)."""
        categories = [c.name for c in self._codebook.categories()]

        def run(wanted: int) -> SearchResults:
            return self._store.index.search(
                query,
                limit=wanted,
                document_text=self._documents.document_text,
                categories=categories,
                document_texts=self._documents.document_texts,
                variables=variable_fields(self._store),
            )

        results = run(limit)
        if self._store.shown_coders is not None and results.total > len(results.hits):
            # Only some coders are shown (blind coding): their hits are dropped below, so
            # every match is read and checked. A page of others' hits must not leave the
            # list short, and the total must not count what blind coding hides.
            every = self._checked_against_database(run(results.total))
            return replace(every, hits=every.hits[:limit], total=len(every.hits))
        return self._checked_against_database(results)

    def _checked_against_database(self, results: SearchResults) -> SearchResults:
        """``hit_check.checked`` with what the database holds (and blind coding shows)."""
        wanted = ids_to_check(results)
        if not wanted.documents:
            return results
        with self._store.read() as s:
            docs = {i for i, _ in _rows(s, DocumentRow.id, DocumentRow.id, wanted.documents)}
            # A hit on a highlight (or its note) of a coder not shown counts as no hit: blind
            # coding hides others' work from search too (``core.coders``).
            shown = self._store.shown_coders
            hls = {i for i, author in _rows(s, HighlightRow.id, HighlightRow.author,
                                            wanted.highlights)
                   if shown is None or author in shown}
            page_maps = dict(_rows(s, DocumentRow.id, DocumentRow.page_map, wanted.paged))
        return checked(results, documents=docs, highlights=hls, page_maps=page_maps)

    def index_status(self) -> IndexStatus:
        return self._store.index.status()

    def index_is_current(self) -> bool:
        """True when the index matches the database (generation and counts)."""
        return self.index_problem() is None

    def content_fingerprint(self) -> str:
        """A digest of every indexed column of the database (see ``_db.dialect``)."""
        return self._store.content_fingerprint()

    def index_problem(self, *, deep: bool = False, content: bool = True) -> str | None:
        """None when index and database agree, else what is wrong, e.g. "search index is
        missing" or "index is stale: index has 325 documents, database 391". ``deep`` also
        decodes every index segment (seconds on a big project) to find damaged data;
        ``content=False`` skips the content fingerprint (0.1-0.2 s at 100,000 highlights)
        and compares only generation and counts."""
        followed = self._store.catch_up()
        status = self._store.index.status(deep=deep)
        if not status.exists:
            return "search index is missing"
        if not status.healthy and status.error == OTHER_VERSION:
            return "search index was built by another version of Annotator"
        if not status.healthy:
            return f"search index is damaged ({status.error})"
        if followed is None:
            counts = self._documents.counts()
            docs, hls = counts["documents"], counts["highlights"]
            gen = self._store.generation()
        else:
            gen, docs, hls = followed
        problems = []
        if status.generation != gen:
            problems.append(f"index generation {status.generation} != database {gen}")
        if status.documents != docs:
            problems.append(f"index has {status.documents} documents, database {docs}")
        if status.highlights != hls:
            problems.append(f"index has {status.highlights} highlights, database {hls}")
        # A team project's log names every edit, psql's too: no fingerprint to compare there.
        if content and followed is None and not problems and \
                status.fingerprint not in (None, self.content_fingerprint()):
            problems.append("the database was edited outside Annotator since the last indexing")
        return "index is stale: " + "; ".join(problems) if problems else None

    def check(self, *, deep: bool = False) -> tuple[bool, str]:
        """Whether index and database agree, with a sentence saying so or saying how not."""
        problem = self.index_problem(deep=deep)
        if problem is None:
            counts = self._documents.counts()
            docs, hls = counts["documents"], counts["highlights"]
            return True, f"index and database agree: {docs} documents, {hls} highlights"
        if problem.startswith("search index"):
            return False, f"{problem}; run `annotator reindex`"
        return False, problem

    def refresh_index(
        self, *, progress: ProgressCallback | None = None, processes: int = 1
    ) -> str | None:
        """Rebuild the index if it is missing, damaged or behind the database; returns what
        was wrong (None when it was current). Needs the project open for writing."""
        problem = self.index_problem()
        if problem is not None:
            self.reindex(progress=progress, processes=processes)
        return problem

    def reindex(
        self,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        processes: int = 1,
    ) -> None:
        """Rebuild the index from the database. Runs off the GUI thread; edits made meanwhile
        reach the old index and are replayed by the index onto the new one before the swap
        (updates are upserts keyed by generation, so one seen twice does no harm). Up to
        ``processes`` writer processes are forked for a big rebuild: only a caller without Qt
        threads (the CLI) may allow more than one."""
        if self._store.readonly:
            raise ReadOnlyProject(f"{self._store.folder} is open read-only")
        rebuilt = self._store.on_rebuild()
        succeeded = False
        try:
            with self._store.write_lock:  # generation and fingerprint of the same database state
                generation = self._store.generation()
                fingerprint = self.content_fingerprint()
            with self._store.read() as s:
                doc_total = s.scalar(select(func.count()).select_from(DocumentRow)) or 0
                hl_total = s.scalar(select(func.count()).select_from(HighlightRow)) or 0
            self._store.index.rebuild(
                self._iter_indexed_documents(),
                self._iter_indexed_highlights(),
                generation=generation,
                total=doc_total + hl_total,
                progress=progress,
                cancel=cancel,
                fingerprint=fingerprint,
                processes=processes,
            )
            succeeded = True
        finally:
            rebuilt(succeeded)

    def _iter_indexed_documents(self) -> Iterator[IndexedDocument]:
        with self._store.read() as s:
            notes = dict(
                s.execute(
                    select(NoteRow.document_id, NoteRow.text).where(NoteRow.highlight_id.is_(None))
                ).all()
            )
            ids = s.scalars(select(DocumentRow.id).order_by(DocumentRow.id)).all()
        for start in range(0, len(ids), 200):
            with self._store.read() as s:
                rows = s.scalars(
                    select(DocumentRow).where(DocumentRow.id.in_(ids[start : start + 200]))
                ).all()
                for row in rows:
                    yield convert.indexed_document(row, notes.get(row.id))

    def _iter_indexed_highlights(self) -> Iterator[IndexedHighlight]:
        with self._store.read() as s:
            docs = {
                d.id: (d, convert.page_map_of(d.page_map))
                for d in s.execute(
                    select(DocumentRow.id, DocumentRow.title, DocumentRow.author,
                           DocumentRow.published, DocumentRow.format, DocumentRow.page_map)
                ).all()
            }
            ids = s.scalars(select(HighlightRow.id).order_by(HighlightRow.id)).all()
        for start in range(0, len(ids), 1000):
            with self._store.read() as s:
                rows = s.scalars(
                    select(HighlightRow)
                    .where(HighlightRow.id.in_(ids[start : start + 1000]))
                    .options(selectinload(HighlightRow.tags), selectinload(HighlightRow.note))
                ).all()
                for row in rows:
                    doc, page_map = docs[row.document_id]
                    yield convert.indexed_highlight(row, doc, page_map)

    # ----------------------------------------------------------------- saved searches
    def saved_searches(self) -> list[SavedSearch]:
        with self._store.read() as s:
            rows = s.scalars(select(SavedSearchRow).order_by(SavedSearchRow.name)).all()
            return [SavedSearch(r.id, r.name, r.query) for r in rows]

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save (or overwrite, by name) a query to rerun from the sidebar."""
        name = name.strip()
        if not name or not query.strip():
            raise InvalidInput("a saved search needs a name and a query")
        with self._store.write() as s:
            row = s.scalar(select(SavedSearchRow).where(SavedSearchRow.name == name))
            if row is None:
                row = SavedSearchRow(name=name, query=query)
                s.add(row)
            else:
                row.query = query
            s.flush()
            saved = SavedSearch(row.id, row.name, row.query)
        self._store.publish(Changes(saved_searches=True))
        return saved

    def saved_search_named(self, name: str) -> SavedSearch | None:
        """The saved search called ``name`` (after trimming), if any: callers ask before
        ``save_search`` overwrites it."""
        with self._store.read() as s:
            row = s.scalar(select(SavedSearchRow).where(SavedSearchRow.name == name.strip()))
            return SavedSearch(row.id, row.name, row.query) if row is not None else None

    def rename_saved_search(self, search_id: int, name: str) -> SavedSearch:
        """Give a saved search another name; refuses a name another saved search has."""
        name = name.strip()
        if not name:
            raise InvalidInput("a saved search needs a name")
        with self._store.write() as s:
            row = s.get(SavedSearchRow, search_id)
            if row is None:
                raise NotFound(f"no saved search {search_id}")
            other = s.scalar(select(SavedSearchRow).where(SavedSearchRow.name == name))
            if other is not None and other.id != search_id:
                raise InvalidInput(f"there is already a saved search called “{name}”")
            row.name = name
            saved = SavedSearch(row.id, row.name, row.query)
        self._store.publish(Changes(saved_searches=True))
        return saved

    def delete_saved_search(self, search_id: int) -> None:
        with self._store.write() as s:
            row = s.get(SavedSearchRow, search_id)
            if row is None:
                raise NotFound(f"no saved search {search_id}")
            s.delete(row)
        self._store.publish(Changes(saved_searches=True))


def _rows(session: Any, key: Any, value: Any, ids: list[int]) -> Iterator[tuple[Any, Any]]:
    """(key, value) of the rows whose ``key`` is one of ``ids``."""
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start : start + _IDS_PER_QUERY]
        yield from session.execute(select(key, value).where(key.in_(chunk)))
