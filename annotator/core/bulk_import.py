"""Writing a ``Bundle`` (documents, codes, highlights, notes) in one transaction.

``Library.add_document`` and ``add_highlight`` commit and index one thing each; an exchange
file of 5,000 documents and 25,000 highlights through them took minutes. This inserts the rows
with a handful of statements, writes the kept originals beside them, and hands the index one
update: all or nothing, as one import should be (a failure leaves no row and no file behind).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple, cast

from sqlalchemy import Connection, Table, func, insert, select

from annotator.core._db import postgres_roles
from annotator.core._db.convert import page_map_of
from annotator.core._db.highlight_records import highlight_record, indexed_tag
from annotator.core._db.schema import (
    CategoryRow,
    DocumentRow,
    HighlightRow,
    NoteRow,
    OriginalRow,
    TagRow,
    highlight_tags,
)
from annotator.core._search.records import (
    IndexedDocument,
    IndexedHighlight,
    IndexedTag,
    IndexUpdate,
)
from annotator.core.bundle import (
    Bundle,
    BundleDocument,
    BundleHighlight,
    BundleResult,
    BundleTag,
)
from annotator.core.bundle_variables import write_variables
from annotator.core.changes import Changes
from annotator.core.colours import colour_for, is_colour
from annotator.core.errors import InvalidInput
from annotator.core.original_copy import store_original
from annotator.core.store import Store
from annotator.core.text import text_sha256

_d = cast(Table, DocumentRow.__table__)
_h = cast(Table, HighlightRow.__table__)
_n = cast(Table, NoteRow.__table__)
_t = cast(Table, TagRow.__table__)
_c = cast(Table, CategoryRow.__table__)
_o = cast(Table, OriginalRow.__table__)


def write_bundle(store: Store, bundle: Bundle, *, sources_dir: str) -> BundleResult:
    result = BundleResult()
    written: list[Path] = []
    try:
        with store.write() as s:
            conn = s.connection()
            _write_categories(conn, bundle, result)
            _write_tags(conn, bundle.tags, bundle.merge_codes, result)
            writer = _DocumentWriter(conn, result, store.user)
            writer.originals_in_database = store.originals_in_database
            writer.write(bundle.documents, store.folder, sources_dir, written)
            if postgres_roles.is_postgresql(conn):  # rows went in with their ids: move the sequences on
                postgres_roles.reset_sequences(conn)
            if bundle.variables:
                new = iter(result.document_ids)
                keys = {d.key: result.existing_documents.get(d.key) or next(new)
                        for d in bundle.documents}
                write_variables(s, bundle, keys, set(result.document_ids), result)
            update = IndexUpdate(
                generation=store.next_generation(s),
                upsert_documents=tuple(writer.indexed_documents),
                upsert_highlights=tuple(writer.indexed_highlights),
            )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    store.finish(update, Changes(
        documents=frozenset(result.document_ids) | frozenset(result.existing_documents.values()),
        highlights=frozenset(result.highlight_ids),
        tags=frozenset(result.tag_ids.values()),
        notes=result.notes > 0,
        documents_added_or_removed=bool(result.document_ids),
        codebook=bool(result.created_tag_ids or result.created_categories),
    ))
    return result


def _write_categories(conn: Connection, bundle: Bundle, result: BundleResult) -> None:
    have = set(conn.execute(select(_c.c.name)).scalars())
    position = conn.execute(select(func.max(_c.c.position))).scalar() or 0
    for category in bundle.categories:
        key = category.key.strip().lower()
        if not key or ":" in key or '"' in key:
            raise InvalidInput(f"not a usable category name: {category.key!r}")
        if key in have:
            continue
        position += 1
        conn.execute(insert(_c).values(name=key, label=category.label or key.capitalize(),
                                       position=position))
        have.add(key)
        result.created_categories.append(category)


def _write_tags(conn: Connection, tags: Sequence[BundleTag], merge: bool,
                result: BundleResult) -> None:
    existing: dict[tuple[str, str], int] = {}
    for tid, category, name in conn.execute(select(_t.c.id, _t.c.category, _t.c.name)):
        existing[(category, name.casefold())] = tid
    count = len(existing)
    next_id = (conn.execute(select(func.max(_t.c.id))).scalar() or 0) + 1
    rows = []
    for tag in tags:
        name = " ".join(tag.name.split())
        if not name:
            raise InvalidInput(f"a code without a name ({tag.key})")
        category = tag.category.strip().lower()
        found = existing.get((category, name.casefold()))
        if found is not None and merge:
            result.tag_ids[tag.key] = found
            result.merged_tags[tag.key] = found
            continue
        if found is not None:
            name = _free_name(existing, category, name)
            result.renamed_tags[tag.key] = name
        # A new sub-code goes under its parent, even one merged into a tag already here (the
        # same category, as codes of one tree share it); tags already here are never moved.
        parent = result.tag_ids.get(tag.parent_key) if tag.parent_key else None
        colour = tag.colour.lower() if tag.colour and is_colour(tag.colour) else colour_for(count)
        aliases = [a for a in dict.fromkeys(" ".join(a.split()) for a in tag.aliases)
                   if a and a.casefold() != name.casefold()]
        rows.append({"id": next_id, "name": name, "category": category, "parent_id": parent,
                     "colour": colour, "description": tag.description,
                     "aliases": json.dumps(aliases)})
        existing[(category, name.casefold())] = next_id
        result.tag_ids[tag.key] = next_id
        result.created_tag_ids.append(next_id)
        next_id += 1
        count += 1
    if rows:
        conn.execute(insert(_t), rows)


def _free_name(existing: dict[tuple[str, str], int], category: str, name: str) -> str:
    number = 2
    while (category, f"{name} ({number})".casefold()) in existing:
        number += 1
    return f"{name} ({number})"


Span = tuple[int, int, frozenset[int]]


class _DocFacts(NamedTuple):
    """What a highlight's index record repeats of its document."""

    title: str
    author: str
    published: date | None
    format: str


class _DocumentWriter:
    """Rows for documents, highlights, tag links and notes, inserted with one statement each
    at the end; index records built from the same values instead of read back (reading 25,000
    highlights back took longer than writing them)."""

    def __init__(self, conn: Connection, result: BundleResult, user: str) -> None:
        self.conn, self.result, self.user = conn, result, user
        self.now = datetime.now().replace(microsecond=0)
        self.next_doc = (conn.execute(select(func.max(_d.c.id))).scalar() or 0) + 1
        self.next_hl = (conn.execute(select(func.max(_h.c.id))).scalar() or 0) + 1
        self.doc_rows: list[dict] = []
        self.hl_rows: list[dict] = []
        self.links: list[dict] = []
        self.notes: list[dict] = []
        self.originals: list[dict] = []
        self.originals_in_database = False
        self.indexed_documents: list[IndexedDocument] = []
        self.indexed_highlights: list[IndexedHighlight] = []
        self.tags: dict[int, tuple[tuple[str, str], IndexedTag]] = {
            row.id: ((row.category, row.name), indexed_tag(row))
            for row in conn.execute(select(_t.c.id, _t.c.category, _t.c.name, _t.c.aliases))
        }
        # Documents of this bundle, not inserted yet: text, facts, page map and the spans
        # given so far, for a later source of the bundle with the same text.
        self.pending: dict[int, tuple[str, _DocFacts, tuple, set[Span]]] = {}

    def write(self, documents: Sequence[BundleDocument], folder: Path, sources_dir: str,
              written: list[Path]) -> None:
        by_hash = dict(self.conn.execute(select(_d.c.sha256, _d.c.id)).all())
        for doc in documents:
            if not doc.text.strip():
                raise InvalidInput(f"source {doc.title!r} holds no text")
            digest = text_sha256(doc.text)
            existing = by_hash.get(digest)
            if existing is not None:
                self.result.existing_documents[doc.key] = existing
                self.add_to_existing(existing, doc)
                continue
            doc_id = self.next_doc
            self.next_doc += 1
            by_hash[digest] = doc_id
            self.add_document(doc_id, doc, digest, self.keep_original(doc, doc_id, folder,
                                                                      sources_dir, written))
        for table, rows in ((_d, self.doc_rows), (_h, self.hl_rows),
                            (highlight_tags, self.links), (_n, self.notes),
                            (_o, self.originals)):
            if rows:
                self.conn.execute(insert(table), rows)

    def keep_original(self, doc: BundleDocument, doc_id: int, folder: Path, sources_dir: str,
                      written: list[Path]) -> str | None:
        if not (doc.original_bytes and doc.original_name):
            return None
        target = folder / sources_dir / f"{doc_id:05d} {Path(doc.original_name).name}"
        if self.originals_in_database:  # a team project: no shared sources/ folder
            self.originals.append({"document_id": doc_id, "data": doc.original_bytes,
                                   "sha256": hashlib.sha256(doc.original_bytes).hexdigest()})
            return f"{sources_dir}/{target.name}"
        store_original(target, Path(doc.original_name), doc.original_bytes)
        written.append(target)
        return f"{sources_dir}/{target.name}"

    def add_document(self, doc_id: int, doc: BundleDocument, digest: str,
                     stored: str | None) -> None:
        title = doc.title.strip() or "Untitled"
        page_json = json.dumps([list(p) for p in doc.pages])
        self.doc_rows.append({
            "id": doc_id, "title": title, "author": doc.author, "source": doc.source,
            "published": doc.published, "imported_at": doc.imported_at or self.now,
            "format": doc.format[:16], "sha256": digest, "text": doc.text,
            "characters": len(doc.text), "language": None, "page_map": page_json,
            "original_name": doc.original_name, "stored_file": stored, "site_name": "",
            "url": doc.url,
        })
        note = doc.note if doc.note and doc.note.strip() else None
        if note:
            self.result.notes += 1
            self.notes.append({"document_id": doc_id, "highlight_id": None, "text": note,
                               "author": "", "created": self.now, "modified": self.now})
        self.indexed_documents.append(IndexedDocument(doc_id, title, doc.author, doc.source,
                                                      doc.published, doc.format, doc.text, note))
        self.result.document_ids.append(doc_id)
        facts = _DocFacts(title, doc.author, doc.published, doc.format)
        page_map = page_map_of(page_json)
        spans: set[Span] = set()
        for highlight in doc.highlights:
            spans.add(self.span_key(highlight))
            self.add_highlight(doc_id, doc.text, facts, page_map, highlight)
        self.pending[doc_id] = (doc.text, facts, page_map, spans)

    def span_key(self, highlight: BundleHighlight) -> Span:
        return (highlight.start, highlight.end,
                frozenset(self.result.tag_ids[k] for k in highlight.tag_keys))

    def add_highlight(self, doc_id: int, text: str, facts: _DocFacts, page_map: tuple,
                      highlight: BundleHighlight) -> int:
        if not 0 <= highlight.start < highlight.end <= len(text):
            raise InvalidInput(
                f"highlight {highlight.start}-{highlight.end} lies outside its text ({len(text)})")
        hid = self.next_hl
        self.next_hl += 1
        created = highlight.created or self.now
        quote = text[highlight.start:highlight.end]
        self.hl_rows.append({"id": hid, "document_id": doc_id, "start": highlight.start,
                             "end": highlight.end, "text": quote,
                             "author": highlight.author or self.user, "created": created,
                             "modified": highlight.modified or created})
        tag_ids = list(dict.fromkeys(self.result.tag_ids[k] for k in highlight.tag_keys))
        for tag_id in tag_ids:
            self.links.append({"highlight_id": hid, "tag_id": tag_id})
        self.result.codings += len(tag_ids)
        note = highlight.note if highlight.note and highlight.note.strip() else None
        if note:
            self.result.notes += 1
            self.notes.append({"document_id": doc_id, "highlight_id": hid, "text": note,
                               "author": highlight.author or self.user,
                               "created": self.now, "modified": self.now})
        # Tags in the order Library.highlights lists them: category, then name.
        tags = tuple(t for _, t in sorted(self.tags[i] for i in tag_ids))
        self.indexed_highlights.append(highlight_record(
            hid, doc_id, highlight.start, highlight.end, quote, note, tags, facts, page_map))
        self.result.highlight_ids.append(hid)
        return hid

    def add_to_existing(self, doc_id: int, doc: BundleDocument) -> None:
        """The document is already here: add the bundle's highlights it lacks (same span and
        tags counts as present, so importing a file twice adds nothing), if the texts are
        identical; a text that differs only in whitespace or case would put them at the wrong
        places."""
        if not doc.highlights:
            return
        known = self.pending.get(doc_id) or self.stored(doc_id)
        text, facts, page_map, present = known
        if text != doc.text:
            self.result.highlights_not_placed += len(doc.highlights)
            return
        for highlight in doc.highlights:
            key = self.span_key(highlight)
            if key in present:
                self.result.highlights_already_present += 1
                continue
            present.add(key)
            hid = self.add_highlight(doc_id, text, facts, page_map, highlight)
            self.result.highlights_on_existing.append(hid)

    def stored(self, doc_id: int) -> tuple[str, _DocFacts, tuple, set[Span]]:
        """A stored document's text, facts, page map and highlights as (start, end, tags)."""
        conn = self.conn
        row = conn.execute(select(_d.c.text, _d.c.title, _d.c.author, _d.c.published,
                                  _d.c.format, _d.c.page_map).where(_d.c.id == doc_id)).one()
        tags_of: dict[int, set[int]] = {}
        for h_id, t_id in conn.execute(
            select(highlight_tags.c.highlight_id, highlight_tags.c.tag_id)
            .join(_h, _h.c.id == highlight_tags.c.highlight_id).where(_h.c.document_id == doc_id)
        ):
            tags_of.setdefault(h_id, set()).add(t_id)
        spans = conn.execute(
            select(_h.c.id, _h.c.start, _h.c.end).where(_h.c.document_id == doc_id)).all()
        present = {(start, end, frozenset(tags_of.get(h_id, ()))) for h_id, start, end in spans}
        known = (row.text, _DocFacts(row.title, row.author, row.published, row.format),
                 page_map_of(row.page_map), present)
        self.pending[doc_id] = known
        return known
