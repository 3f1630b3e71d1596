"""The excerpts service: every highlight as a flat ``ExcerptRecord``, for exports of a whole
project, and the documents' summaries those exports list.

On SQLite the records come from ``_db.sqlite_excerpts`` (raw DB-API SQL: a 100,000-excerpt
export spent half its time in SQLAlchemy's and the ORM's per-row work); on any other engine
from the same questions asked through SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Connection, select

from annotator.core._db import convert, sqlite_excerpts
from annotator.core._db.dialect import is_sqlite, sqlite_connection, stamp_text
from annotator.core._db.schema import (
    DocumentRow,
    documents_table,
    highlight_tags,
    highlights_table,
    notes_table,
    tags_table,
)
from annotator.core.excerpt_plan import ExcerptPlan
from annotator.core.models import DocumentSummary, ExcerptRecord, page_at
from annotator.core.store import Store


class Excerpts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def document_summaries(self, document_ids: Iterable[int] | None = None) -> list[DocumentSummary]:
        """Every document's (or only these documents') id, title, author, source, published
        date and length, by id; ids of no document are skipped."""
        with self._store.read() as s:
            conn = s.connection()
            if is_sqlite(conn):
                return sqlite_excerpts.document_summaries(sqlite_connection(conn), document_ids)
            d = documents_table
            query = select(d.c.id, d.c.title, d.c.author, d.c.source, d.c.published, d.c.characters)
            if document_ids is None:
                rows = list(conn.execute(query.order_by(d.c.id)))
            else:
                ids, rows = sorted(set(document_ids)), []
                for at in range(0, len(ids), sqlite_excerpts.IDS_PER_QUERY):
                    chunk = ids[at:at + sqlite_excerpts.IDS_PER_QUERY]
                    rows += conn.execute(query.where(d.c.id.in_(chunk)).order_by(d.c.id)).all()
        return [DocumentSummary(*row) for row in rows]

    def excerpt_batches(
        self,
        *,
        document_ids: Iterable[int] | None = None,
        tag_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
        coders: Iterable[str] | None = None,
    ) -> Iterator[list[ExcerptRecord]]:
        """Highlights in reading order (document, start, end, id) as ``ExcerptRecord`` lists,
        one list per batch of documents. Each given criterion narrows the result: only these
        documents, only highlights carrying any of ``tag_ids``, only these highlight ids, only
        highlights these ``coders`` made. Only the coders the Library shows count at all
        (``Library.visible_coders``, blind coding)."""
        tags = sorted(set(tag_ids)) if tag_ids is not None else None
        if tags is not None and not tags:
            return
        wanted_tags = None
        if tags is not None and len(tags) > sqlite_excerpts.IDS_PER_QUERY:
            wanted_tags, tags = set(tags), None  # too many to bind: filter as rows come
        wanted_ids = set(highlight_ids) if highlight_ids is not None else None
        chosen = _coders(self._store.shown_coders, coders)
        if chosen is not None and not chosen:
            return
        with self._store.read() as s:
            conn = s.connection()
            if is_sqlite(conn):
                batches = sqlite_excerpts.excerpt_batches(sqlite_connection(conn), document_ids, tags,
                                                          wanted_ids, chosen)
            else:
                batches = _portable_batches(conn, document_ids, tags, wanted_ids, chosen)
            for batch in batches:
                if wanted_ids is not None:
                    batch = [r for r in batch if r.id in wanted_ids]
                if wanted_tags is not None:
                    batch = [r for r in batch if not wanted_tags.isdisjoint(r.tag_ids)]
                if batch:
                    yield batch

    def excerpt_plan(
        self,
        *,
        document_ids: Iterable[int] | None = None,
        tag_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
        coders: Iterable[str] | None = None,
    ) -> ExcerptPlan | None:
        """What another process needs to read the highlights ``excerpt_batches`` gives for
        the same criteria (``core.excerpt_plan``); None when it cannot: a project on a
        database server, or more tags than one query can bind."""
        tags = sorted(set(tag_ids)) if tag_ids is not None else None
        if tags is not None and len(tags) > sqlite_excerpts.IDS_PER_QUERY:
            return None
        wanted_ids = frozenset(highlight_ids) if highlight_ids is not None else None
        chosen = _coders(self._store.shown_coders, coders)
        with self._store.read() as s:
            conn = s.connection()
            if not is_sqlite(conn):
                return None
            db = sqlite_connection(conn)
            database = sqlite_excerpts.database_file(db)
            if database is None:
                return None
            nothing = (tags is not None and not tags) or (chosen is not None and not chosen)
            documents = [] if nothing else sqlite_excerpts.document_counts(
                db, document_ids, tags, set(wanted_ids) if wanted_ids is not None else None,
                chosen)
        return ExcerptPlan(database, tuple(documents),
                           tuple(tags) if tags is not None else None, wanted_ids,
                           tuple(chosen) if chosen is not None else None)


def _coders(shown: frozenset[str] | None, asked: Iterable[str] | None) -> list[str] | None:
    """The coders an export keeps: those asked for among those shown (None: every coder)."""
    if asked is None:
        return None if shown is None else sorted(shown)
    wanted = set(asked)
    return sorted(wanted if shown is None else wanted & shown)


def _portable_batches(
    conn: Connection,
    document_ids: Iterable[int] | None,
    tags: list[int] | None,
    wanted_ids: set[int] | None,
    coders: list[str] | None,
) -> Iterator[list[ExcerptRecord]]:
    h, ht, n, t = highlights_table, highlight_tags, notes_table, tags_table
    per_query = sqlite_excerpts.IDS_PER_QUERY
    rank = {tid: i for i, tid in enumerate(
        conn.execute(select(t.c.id).order_by(t.c.category, t.c.name, t.c.id)).scalars())}
    tagged = [h.c.id.in_(select(ht.c.highlight_id).where(ht.c.tag_id.in_(tags)))] if tags else []
    if coders is not None:
        tagged.append(h.c.author.in_(coders))
    found: set[int] = set()
    if wanted_ids is None:
        found.update(conn.execute(select(h.c.document_id).where(*tagged).distinct()).scalars())
    else:
        ids = sorted(wanted_ids)
        for at in range(0, len(ids), per_query):
            found.update(conn.execute(select(h.c.document_id).where(
                h.c.id.in_(ids[at:at + per_query]), *tagged).distinct()).scalars())
    if document_ids is not None:
        found &= set(document_ids)
    documents = sorted(found)
    for at in range(0, len(documents), sqlite_excerpts.DOCUMENTS_PER_BATCH):
        batch = documents[at:at + sqlite_excerpts.DOCUMENTS_PER_BATCH]
        chosen = select(h.c.id).where(h.c.document_id.in_(batch), *tagged)
        rows = conn.execute(
            select(h.c.id, h.c.document_id, h.c.start, h.c.end, h.c.text,
                   stamp_text(h.c.created), stamp_text(h.c.modified), h.c.author)
            .where(h.c.document_id.in_(batch), *tagged)
            .order_by(h.c.document_id, h.c.start, h.c.end, h.c.id)).all()
        notes = dict(conn.execute(select(n.c.highlight_id, n.c.text).where(n.c.highlight_id.in_(chosen))).all())
        links: dict[int, list[int]] = {}
        for hid, tid in conn.execute(select(ht.c.highlight_id, ht.c.tag_id).where(ht.c.highlight_id.in_(chosen))):
            links.setdefault(hid, []).append(tid)
        page_maps = {
            doc_id: convert.page_map_of(raw) for doc_id, raw in conn.execute(
                select(DocumentRow.id, DocumentRow.page_map).where(DocumentRow.id.in_(batch)))
        }
        out = []
        for hid, doc_id, start, end, text, created, modified, author in rows:
            made = sqlite_excerpts.iso_seconds(created)
            page_map = page_maps.get(doc_id)
            out.append(ExcerptRecord(
                hid, doc_id, start, end, text, notes.get(hid),
                tuple(sorted(links.get(hid, ()), key=rank.__getitem__)),
                made, made if modified == created else sqlite_excerpts.iso_seconds(modified),
                page_at(page_map, start) if page_map else None,
                page_at(page_map, end - 1) if page_map else None, author,
            ))
        yield out
