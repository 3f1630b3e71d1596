"""The highlights service: highlights (coded segments), their tags and notes, tagged mentions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Select,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from annotator.core._db import convert
from annotator.core._db.dialect import stamp_text
from annotator.core._db.highlight_records import (
    document_update,
    documents_of,
    highlight_record,
    indexed_highlights,
    indexed_tag,
    tag_rows,
)
from annotator.core._db.removals import HIGHLIGHT, forget
from annotator.core._db.schema import (
    DocumentRow,
    HighlightRow,
    NoteRow,
    TagRow,
    documents_table,
    highlight_tags,
    highlights_table,
    notes_table,
)
from annotator.core._search.records import IndexUpdate
from annotator.core.changes import ChangePayload, Changes
from annotator.core.codebook import find_or_create_tag_rows
from annotator.core.edit_check import bump, lock_highlights, record_deleted, refreshing, single
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import Highlight, Mention, PageSpan, TagRef, page_at
from annotator.core.store import Store

h_table = highlights_table
_ID_BATCH = 5000
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
# Built once: tagging asks these on every click, and SQLAlchemy took longer to make a new
# statement's cache key than SQLite took to answer it.
_DOCUMENT_COUNTS = (select(HighlightRow.document_id, func.count())
                    .where(HighlightRow.document_id.in_(_IDS)).group_by(HighlightRow.document_id))
_CODERS: BindParameter[list[str]] = bindparam("coders", expanding=True)
_SHOWN_DOCUMENT_COUNTS = _DOCUMENT_COUNTS.where(HighlightRow.author.in_(_CODERS))
_EXISTING = select(HighlightRow.id).where(HighlightRow.id.in_(_IDS))
_VERSIONS = select(HighlightRow.id, HighlightRow.version).where(HighlightRow.id.in_(_IDS))
_TAG_LINKS = (select(highlight_tags.c.highlight_id, highlight_tags.c.tag_id)
              .where(highlight_tags.c.highlight_id.in_(_IDS))
              .order_by(highlight_tags.c.highlight_id, highlight_tags.c.tag_id))


@cache
def _highlight_queries(
    by_document: bool, by_tags: bool, by_ids: bool, by_coders: bool = False
) -> tuple[Select, Select, Select]:
    """The three statements ``highlights`` runs (rows, their tags, their notes) for one mix of
    filters, built once with bound parameters ``doc``, ``tags``, ``ids`` and ``coders``: making
    them anew on every call cost more than SQLite's answer when a click reads one highlight."""
    h = highlights_table
    conditions = []
    if by_document:
        conditions.append(h.c.document_id == bindparam("doc"))
    if by_tags:
        conditions.append(h.c.id.in_(
            select(highlight_tags.c.highlight_id)
            .where(highlight_tags.c.tag_id.in_(bindparam("tags", expanding=True)))))
    if by_ids:
        conditions.append(h.c.id.in_(bindparam("ids", expanding=True)))
    if by_coders:
        conditions.append(h.c.author.in_(bindparam("coders", expanding=True)))
    # Timestamps come back as the stored ISO text and are parsed by the C ``fromisoformat``:
    # SQLAlchemy's per-value DateTime processing was a fifth of the time of a
    # 100,000-highlight export.
    rows = (select(h.c.id, h.c.document_id, h.c.start, h.c.end, h.c.text, h.c.author,
                   stamp_text(h.c.created), stamp_text(h.c.modified), h.c.version, h.c.modified_by)
            .where(*conditions)
            .order_by(h.c.document_id, h.c.start, h.c.end, h.c.id))
    chosen = select(h.c.id).where(*conditions).scalar_subquery()
    only = [highlight_tags.c.highlight_id.in_(chosen)] if conditions else []
    only_notes = [NoteRow.highlight_id.in_(chosen)] if conditions else [NoteRow.highlight_id.is_not(None)]
    tags = (select(highlight_tags.c.highlight_id, TagRow.id, TagRow.name, TagRow.category, TagRow.colour)
            .join(TagRow, TagRow.id == highlight_tags.c.tag_id)
            .where(*only)
            .order_by(TagRow.category, TagRow.name))
    notes = select(NoteRow.highlight_id, NoteRow.text, NoteRow.author).where(*only_notes)
    return rows, tags, notes


def _document_counts(conn: Connection, shown: frozenset[str] | None,
                     document_ids: list[int]) -> list[Any]:
    """(document id, highlights of the shown coders) for those of these documents that have any."""
    if shown is None:
        return list(conn.execute(_DOCUMENT_COUNTS, {"ids": document_ids}).all())
    return list(conn.execute(_SHOWN_DOCUMENT_COUNTS,
                             {"ids": document_ids, "coders": sorted(shown)}).all())


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Highlights:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ----------------------------------------------------------------- reading
    def highlights(
        self,
        document_id: int | None = None,
        *,
        tag_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
        every_coder: bool = False,
    ) -> list[Highlight]:
        """Highlights in reading order (document, then start), optionally only those carrying
        any of ``tag_ids`` or with the given ids. Only the coders shown (``Library.
        visible_coders``, blind coding) count, unless ``every_coder`` (undo snapshots: what a
        write removes must come back whole, whoever made it).

        Reads flat rows (three queries, no ORM objects): a reader opening a document with
        thousands of highlights waits on this."""
        if highlight_ids is not None:
            ids = list(dict.fromkeys(highlight_ids))
            if len(ids) > _ID_BATCH:  # stay under SQLite's bound-parameter limit
                found: list[Highlight] = []
                for i in range(0, len(ids), _ID_BATCH):
                    found += self.highlights(
                        document_id, tag_ids=tag_ids, highlight_ids=ids[i : i + _ID_BATCH],
                        every_coder=every_coder)
                found.sort(key=lambda h: h.reading_key)
                return found
            highlight_ids = ids
        coders = None if every_coder else self._store.shown_coders
        rows_query, tags_query, notes_query = _highlight_queries(
            document_id is not None, tag_ids is not None, highlight_ids is not None,
            coders is not None)
        params = {"doc": document_id, "tags": list(tag_ids) if tag_ids is not None else None,
                  "ids": highlight_ids, "coders": sorted(coders) if coders is not None else None}
        with self._store.read() as s:
            conn = s.connection()  # Core rows: no ORM loading per row
            rows = conn.execute(rows_query, params).all()
            if not rows:
                return []
            tags: dict[int, list[TagRef]] = {}
            for hid, tid, name, category, colour in conn.execute(tags_query, params).all():
                tags.setdefault(hid, []).append(TagRef(tid, name, category, colour))
            notes = {hid: (text, author) for hid, text, author in conn.execute(notes_query, params)}
            maps = self._page_maps(s, {r.document_id for r in rows})
        out = []
        parse = datetime.fromisoformat
        no_note = (None, "")
        for hid, doc_id, start, end, text, author, created, modified, version, modified_by in rows:
            page_map = maps[doc_id]
            stamp = parse(created)
            note, note_author = notes.get(hid, no_note)
            out.append(
                Highlight(hid, doc_id, start, end, text, tuple(tags.get(hid, ())),
                          note, stamp, stamp if modified == created else parse(modified),
                          author,
                          page_at(page_map, start) if page_map else None,
                          page_at(page_map, end - 1) if page_map else None,
                          note_author, version, modified_by)
            )
        return out

    def highlight(self, highlight_id: int, *, every_coder: bool = False) -> Highlight:
        found = self.highlights(highlight_ids=[highlight_id], every_coder=every_coder)
        if not found:
            raise NotFound(f"no highlight {highlight_id}")
        return found[0]

    def highlight_counts(self, document_ids: Iterable[int]) -> dict[int, int]:
        """How many highlights each of these documents holds (0 included), as
        ``Document.highlight_count`` says, without reading the documents."""
        ids = list(dict.fromkeys(document_ids))
        counts = dict.fromkeys(ids, 0)
        with self._store.read() as s:
            for i in range(0, len(ids), _ID_BATCH):
                counts.update(_document_counts(s.connection(), self._store.shown_coders,
                                               ids[i:i + _ID_BATCH]))
        return counts

    def highlight_tag_ids(self, highlight_ids: Iterable[int]) -> dict[int, list[int]]:
        """The tag ids each of these highlights carries (ids that do not exist are skipped),
        without reading text, notes or page maps as ``highlights`` does: an undo command keeps
        a highlight's tags before changing them on every tagging."""
        ids = list(dict.fromkeys(highlight_ids))
        out: dict[int, list[int]] = {}
        with self._store.read() as s:
            conn = s.connection()
            for i in range(0, len(ids), _ID_BATCH):
                batch = ids[i:i + _ID_BATCH]
                out.update((hid, []) for hid in conn.execute(_EXISTING, {"ids": batch}).scalars())
                for hid, tid in conn.execute(_TAG_LINKS, {"ids": batch}).all():
                    out[hid].append(tid)
        return {hid: out[hid] for hid in ids if hid in out}

    def highlight_versions(self, highlight_ids: Iterable[int]) -> dict[int, int]:
        """Each highlight's version (ids that do not exist are skipped): what an edit hands back
        as ``expected=`` so another coder's change since is refused, not overwritten."""
        ids = list(dict.fromkeys(highlight_ids))
        out: dict[int, int] = {}
        with self._store.read() as s:
            for i in range(0, len(ids), _ID_BATCH):
                out.update(s.connection().execute(_VERSIONS, {"ids": ids[i:i + _ID_BATCH]}).all())
        return out

    def highlight_documents(self, highlight_ids: Iterable[int]) -> frozenset[int]:
        """The documents holding these highlights (ids that no longer exist are skipped)."""
        with self._store.read() as s:
            return documents_of(s.connection(), highlight_ids)

    @staticmethod
    def _page_maps(s: Session, document_ids: set[int]) -> dict[int, tuple]:
        if not document_ids:
            return {}
        rows = s.execute(
            select(DocumentRow.id, DocumentRow.page_map).where(DocumentRow.id.in_(document_ids))
        ).all()
        return {i: convert.page_map_of(raw) for i, raw in rows}

    # ----------------------------------------------------------------- writing
    def add_highlight(
        self,
        document_id: int,
        start: int,
        end: int,
        *,
        tag_ids: Sequence[int] = (),
        note: str | None = None,
        new_tags: Sequence[tuple[str, str]] = (),
    ) -> Highlight:
        """Code ``text[start:end]`` (code points, end exclusive). Overlaps are allowed.
        ``new_tags`` are ``(category, name)`` pairs found or created in the same transaction:
        a highlight that cannot be made (bad span, missing document) creates no tag.

        Plain SQL, and the returned highlight is made from what was written instead of read
        back: this runs on every click that codes a passage."""
        h, d = highlights_table, documents_table
        known = self._store.texts.get(document_id)
        known_text, known_pages = (known.text, known.page_map) if known else (None, None)
        with refreshing(self._store.publish), self._store.write() as s:
            conn = s.connection()
            # SQLite's substr counts code points of TEXT values, 1-based, as Python slices do.
            quote = func.substr(d.c.text, start + 1, end - start) if known_text is None else literal("")
            # Columns stored after the text cost that walk too: the length is the text's.
            pages = d.c.page_map if known_pages is None else literal("")
            length = d.c.characters if known_text is None else literal(len(known_text))
            doc = conn.execute(
                select(length.label("characters"), pages.label("page_map"), d.c.title, d.c.author,
                       d.c.published, d.c.format, quote.label("quote"))
                .where(d.c.id == document_id)
            ).first()
            if doc is None:
                raise NotFound(f"no document {document_id}")
            _check_span(start, end, doc.characters)
            text = (doc.quote or "") if known_text is None else known_text[start:end]
            if new_tags:
                tag_ids = [*tag_ids, *find_or_create_tag_rows(s, new_tags)]
            tags = tag_rows(conn, tag_ids)
            now = _now()
            hid: int = conn.execute(
                insert(h).values(document_id=document_id, start=start, end=end, text=text,
                                 author=self._store.user, created=now, modified=now, version=1,
                                 modified_by=self._store.user)
                .returning(h.c.id)
            ).scalar_one()
            if tags:
                conn.execute(insert(highlight_tags), [{"highlight_id": hid, "tag_id": t.id} for t in tags])
            kept_note = note if note and note.strip() else None
            if kept_note is not None:
                conn.execute(insert(notes_table).values(
                    document_id=document_id, highlight_id=hid, text=kept_note,
                    author=self._store.user, created=now, modified=now))
            page_map = self._page_map_of(document_id, doc.page_map, known_pages)
            record = highlight_record(hid, document_id, start, end, text, kept_note,
                                      tuple(indexed_tag(t) for t in tags), doc, page_map)
            update = IndexUpdate(self._store.next_generation(s), upsert_highlights=(record,))
            written = _as_written(hid, document_id, start, end, text, tags, kept_note, now, now,
                                  self._store.user, page_map,
                                  self._store.user if kept_note is not None else "", 1,
                                  self._store.user)
            changes = _came_or_went(conn, [written], (written,), self._store.shown_coders)
        self._store.finish(update, changes)
        return written

    def _page_map_of(
        self, document_id: int, stored: str, kept: tuple[PageSpan, ...] | None
    ) -> tuple[PageSpan, ...]:
        """The document's page map: the one kept for the reader's document, or the stored one
        parsed (and kept, when it is the reader's document)."""
        if kept is not None:
            return kept
        page_map = convert.page_map_of(stored)
        self._store.texts.keep_page_map(document_id, page_map)
        return page_map

    def _highlight_update(self, s: Session, highlight_ids: list[int]) -> IndexUpdate:
        return IndexUpdate(self._store.next_generation(s),
                           upsert_highlights=indexed_highlights(s, highlight_ids))

    def set_highlight_span(self, highlight_id: int, start: int, end: int, *,
                           expected: int | None = None) -> Highlight:
        """Extend or shrink a highlight to a new span of the same document. ``expected``: the
        version the caller last saw; refused (``EditConflict``) if another coder changed it."""
        with refreshing(self._store.publish), self._store.write() as s:
            conn = s.connection()
            lock_highlights(conn, self._store.own_versions, [highlight_id], single(highlight_id, expected))
            row = _highlight_row(s, highlight_id)
            doc = s.get(DocumentRow, row.document_id)
            assert doc is not None
            _check_span(start, end, doc.characters)
            text = _slice(s, doc.id, start, end)
            conn.execute(update(h_table).where(h_table.c.id == highlight_id)
                         .values(start=start, end=end, text=text))
            bump(conn, self._store.own_versions, [highlight_id], self._store.user, _now())
            s.expire(row)
            update_ = self._highlight_update(s, [highlight_id])
            written = self.highlight(highlight_id, every_coder=True)
        self._store.finish(update_, Changes(
            documents=frozenset({written.document_id}), highlights=frozenset({highlight_id}),
            same_highlight_counts=True, payload=ChangePayload(rows=(written,))))
        return written

    def set_highlight_tags(self, highlight_id: int, tag_ids: Sequence[int], *,
                           expected: int | None = None) -> Highlight:
        """Give the highlight exactly these tags. Plain SQL, and the index record and the
        returned highlight come from the same reads, as ``add_highlight`` does: every tag added
        to a selected highlight runs this (the ORM way took 7 ms with its read-back).
        ``expected``: the version the caller last saw (see ``set_highlight_span``)."""
        h, d = highlights_table, documents_table
        with refreshing(self._store.publish), self._store.write() as s:
            conn = s.connection()
            tags = tag_rows(conn, tag_ids)  # tags locked before the highlight: see edit_check
            lock_highlights(conn, self._store.own_versions, [highlight_id], single(highlight_id, expected))
            row = conn.execute(
                select(h.c.document_id, h.c.start, h.c.end, h.c.text, h.c.author,
                       stamp_text(h.c.created).label("created"))
                .where(h.c.id == highlight_id)
            ).first()
            if row is None:
                raise NotFound(f"no highlight {highlight_id}")
            known = self._store.texts.get(row.document_id)
            known_pages = known.page_map if known else None
            pages = d.c.page_map if known_pages is None else literal("")
            doc = conn.execute(
                select(d.c.title, d.c.author, d.c.published, d.c.format, pages.label("page_map"))
                .where(d.c.id == row.document_id)
            ).one()
            note, note_author = conn.execute(
                select(NoteRow.text, NoteRow.author).where(NoteRow.highlight_id == highlight_id)
            ).first() or (None, "")
            before = set(conn.execute(
                delete(highlight_tags).where(highlight_tags.c.highlight_id == highlight_id)
                .returning(highlight_tags.c.tag_id)).scalars())
            if tags:
                conn.execute(insert(highlight_tags),
                             [{"highlight_id": highlight_id, "tag_id": t.id} for t in tags])
            now = _now()
            version = bump(conn, self._store.own_versions, [highlight_id], self._store.user, now)[highlight_id]
            page_map = self._page_map_of(row.document_id, doc.page_map, known_pages)
            record = highlight_record(highlight_id, row.document_id, row.start, row.end, row.text, note,
                                      tuple(indexed_tag(t) for t in tags), doc, page_map)
            index_update = IndexUpdate(self._store.next_generation(s), upsert_highlights=(record,))
        written = _as_written(highlight_id, row.document_id, row.start, row.end, row.text, tags, note,
                              datetime.fromisoformat(row.created), now, row.author, page_map,
                              note_author, version, self._store.user)
        self._store.finish(index_update, Changes(
            documents=frozenset({row.document_id}), highlights=frozenset({highlight_id}),
            tags=frozenset(before.symmetric_difference(t.id for t in tags)),
            same_highlight_counts=True, payload=ChangePayload(rows=(written,))))
        return written

    def add_tags(self, *, highlight_ids: Sequence[int], tag_ids: Sequence[int],
                 expected: Mapping[int, int] | None = None) -> None:
        """Add these tags to each of these highlights (those they already carry stay).
        ``expected``: the versions the caller last saw, by highlight id."""
        hids, tids = list(dict.fromkeys(highlight_ids)), list(dict.fromkeys(tag_ids))
        with refreshing(self._store.publish), self._store.write() as s:
            conn = s.connection()
            tag_rows(conn, tids)
            lock_highlights(conn, self._store.own_versions, hids, expected)
            found = set(conn.execute(_EXISTING, {"ids": hids}).scalars())
            for hid in hids:
                if hid not in found:
                    raise NotFound(f"no highlight {hid}")
            existing = set(
                s.execute(
                    select(highlight_tags.c.highlight_id, highlight_tags.c.tag_id).where(
                        highlight_tags.c.highlight_id.in_(hids), highlight_tags.c.tag_id.in_(tids)
                    )
                ).all()
            )
            rows = [{"highlight_id": h, "tag_id": t} for h in hids for t in tids
                    if (h, t) not in existing]
            if rows:
                s.execute(insert(highlight_tags), rows)
            bump(conn, self._store.own_versions, hids, self._store.user, _now())
            update = self._highlight_update(s, hids)
            changes = Changes(documents=documents_of(conn, hids), highlights=frozenset(hids),
                              tags=frozenset(tids), same_highlight_counts=True)
        self._store.finish(update, changes)

    def delete_highlights(self, highlight_ids: Iterable[int], *,
                          expected: Mapping[int, int] | None = None) -> list[Highlight]:
        """Delete highlights (their notes go with them); returns them for undo. ``expected``:
        the versions the caller last saw, by highlight id (see ``set_highlight_span``)."""
        ids = list(dict.fromkeys(highlight_ids))
        with refreshing(self._store.publish), self._store.write() as s:
            lock_highlights(s.connection(), self._store.own_versions, ids, expected)
            gone = self.highlights(highlight_ids=ids, every_coder=True)
            if len(gone) != len(ids):
                missing = sorted(set(ids) - {h.id for h in gone})
                raise NotFound(f"no highlight {missing[0]}")
            s.execute(delete(HighlightRow).where(HighlightRow.id.in_(ids)))
            record_deleted(s.connection(), gone, self._store.user, _now())
            generation = self._store.next_generation(s)
            changes = _came_or_went(s.connection(), gone, (), self._store.shown_coders)
        self._store.finish(IndexUpdate(generation=generation, delete_highlights=tuple(ids)), changes)
        return gone

    def restore_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Undo of ``delete_highlights`` (and redo of ``add_highlight``): same ids, tags, notes."""
        with self._store.write() as s:
            self.insert_highlights(s, highlights)
            s.flush()
            conn = s.connection()
            forget_removed(conn, [h.id for h in highlights])
            # Back as a change of this coder's (the deletion was theirs): its own version, so
            # a redo that deletes it again is checked against it.
            bump(conn, self._store.own_versions, [h.id for h in highlights], self._store.user, None)
            update = self._highlight_update(s, [h.id for h in highlights])
            # A restored highlight may have lost a tag deleted meanwhile: views read it again.
            changes = _came_or_went(s.connection(), highlights, None, self._store.shown_coders)
        self._store.finish(update, changes)

    @staticmethod
    def insert_highlights(s: Session, highlights: Sequence[Highlight]) -> None:
        """Put back highlights as they were (ids, tags that still exist, notes), inside the
        caller's transaction: undo of deleting them, or their document."""
        live_tags = set(s.scalars(select(TagRow.id)))
        for h in highlights:
            if s.get(HighlightRow, h.id) is not None:
                raise InvalidInput(f"highlight {h.id} already exists")
            s.add(HighlightRow(id=h.id, document_id=h.document_id, start=h.start, end=h.end,
                               text=h.text, author=h.author, created=h.created,
                               modified=h.modified, version=h.version,
                               modified_by=h.modified_by))
        s.flush()
        links = [{"highlight_id": h.id, "tag_id": t.id} for h in highlights for t in h.tags
                 if t.id in live_tags]
        if links:
            s.execute(insert(highlight_tags), links)
        now = _now()
        for h in highlights:
            if h.note:
                s.add(NoteRow(document_id=h.document_id, highlight_id=h.id, text=h.note,
                              author=h.note_author, created=now, modified=now))

    # ----------------------------------------------------------------- notes
    def set_highlight_note(self, highlight_id: int, text: str | None, *,
                           expected: int | None = None) -> Highlight:
        """Set, replace or (with None/blank) remove the note on a highlight. ``expected``: the
        version the caller last saw (see ``set_highlight_span``)."""
        with refreshing(self._store.publish), self._store.write() as s:
            lock_highlights(s.connection(), self._store.own_versions, [highlight_id],
                            single(highlight_id, expected))
            row = _highlight_row(s, highlight_id)
            _set_note(s, row.document_id, highlight_id, text, self._store.user)
            s.flush()
            bump(s.connection(), self._store.own_versions, [highlight_id], self._store.user, _now())
            s.expire(row)
            update = self._highlight_update(s, [highlight_id])
            written = self.highlight(highlight_id, every_coder=True)
        self._store.finish(update, Changes(
            documents=frozenset({written.document_id}), highlights=frozenset({highlight_id}),
            notes=True, same_highlight_counts=True, payload=ChangePayload(rows=(written,))))
        return written

    def set_document_note(self, document_id: int, text: str | None) -> None:
        with self._store.write() as s:
            doc = s.get(DocumentRow, document_id)
            if doc is None:
                raise NotFound(f"no document {document_id}")
            _set_note(s, document_id, None, text, self._store.user)
            s.flush()
            update = document_update(s, doc, self._store.next_generation(s))
        self._store.finish(IndexUpdate(generation=update.generation,
                                       upsert_documents=update.upsert_documents),
                           Changes(documents=frozenset({document_id}), notes=True))

    def tag_mentions(self, tag_id: int, mentions: Sequence[Mention]) -> list[Highlight]:
        """Tag the chosen mentions in one step: one highlight each."""
        created: list[int] = []
        with refreshing(self._store.publish), self._store.write() as s:
            tag_rows = _tag_rows(s, [tag_id])
            now = _now()
            for m in mentions:
                doc = s.get(DocumentRow, m.document_id)
                if doc is None:
                    raise NotFound(f"no document {m.document_id}")
                _check_span(m.start, m.end, doc.characters)
                row = HighlightRow(document_id=m.document_id, start=m.start, end=m.end,
                                   text=_slice(s, doc.id, m.start, m.end), author=self._store.user,
                                   created=now, modified=now, version=1,
                                   modified_by=self._store.user)
                row.tags = list(tag_rows)
                s.add(row)
                s.flush()
                created.append(row.id)
            update = self._highlight_update(s, created)
            written = self.highlights(highlight_ids=created, every_coder=True)
            changes = _came_or_went(s.connection(), written, tuple(written), self._store.shown_coders)
        self._store.finish(update, changes)
        return written


def forget_removed(conn: Connection, highlight_ids: Sequence[int]) -> None:
    forget(conn, HIGHLIGHT, highlight_ids)


def _came_or_went(
    conn: Connection, highlights: Sequence[Highlight], rows: tuple[Highlight, ...] | None,
    shown: frozenset[str] | None,
) -> Changes:
    """What adding or removing these highlights changed, with their documents' new counts (of
    the ``shown`` coders' highlights, as the views count) and ``rows``: the highlights as now
    stored when known (``()`` once deleted)."""
    documents = frozenset(h.document_id for h in highlights)
    counts = dict.fromkeys(documents, 0)
    counts.update(_document_counts(conn, shown, list(documents)))
    return Changes(
        documents=documents,
        highlights=frozenset(h.id for h in highlights),
        tags=frozenset(t.id for h in highlights for t in h.tags),
        notes=any(h.note for h in highlights),
        payload=ChangePayload(rows=rows, document_counts=tuple(counts.items())),
    )


def _slice(s: Session, document_id: int, start: int, end: int) -> str:
    """``text[start:end]`` without loading the whole text: SQLite's substr counts characters
    (code points) of TEXT values, 1-based."""
    return s.scalar(
        select(func.substr(DocumentRow.text, start + 1, end - start)).where(
            DocumentRow.id == document_id
        )
    ) or ""


def _as_written(hid: int, document_id: int, start: int, end: int, text: str, tags: Sequence[Any],
                note: str | None, created: datetime, modified: datetime, author: str,
                page_map: tuple, note_author: str, version: int, modified_by: str) -> Highlight:
    """The highlight a write just made, from what it wrote (``tags``: rows from ``tag_rows``)."""
    return Highlight(hid, document_id, start, end, text,
                     tuple(TagRef(t.id, t.name, t.category, t.colour) for t in tags),
                     note, created, modified, author,
                     page_at(page_map, start) if page_map else None,
                     page_at(page_map, end - 1) if page_map else None,
                     note_author, version, modified_by)


def _check_span(start: int, end: int, length: int) -> None:
    if not (0 <= start < end <= length):
        raise InvalidInput(
            f"span {start}:{end} is not inside the text (0:{length}) or is empty"
        )


def _highlight_row(s: Session, highlight_id: int) -> HighlightRow:
    row = s.get(HighlightRow, highlight_id)
    if row is None:
        raise NotFound(f"no highlight {highlight_id}")
    return row


def _tag_rows(s: Session, tag_ids: Sequence[int]) -> list[TagRow]:
    tag_rows(s.connection(), tag_ids)  # locked as every tagging locks them (see tag_rows)
    return [s.get_one(TagRow, tid) for tid in dict.fromkeys(tag_ids)]


def _set_note(s: Session, document_id: int, highlight_id: int | None, text: str | None,
              author: str) -> None:
    """``author`` is whoever writes the text now: a note is attributed to its words' writer."""
    if highlight_id is None:
        row = s.scalar(select(NoteRow).where(NoteRow.document_id == document_id,
                                             NoteRow.highlight_id.is_(None)))
    else:
        row = s.scalar(select(NoteRow).where(NoteRow.highlight_id == highlight_id))
    if text is None or not text.strip():
        if row is not None:
            s.delete(row)
        return
    now = _now()
    if row is None:
        s.add(NoteRow(document_id=document_id, highlight_id=highlight_id, text=text,
                      author=author, created=now, modified=now))
    else:
        if row.text != text:
            row.author = author
        row.text, row.modified = text, now
