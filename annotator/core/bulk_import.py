"""Writing a ``Bundle`` (documents, codes, highlights, notes) in one transaction.

``Library.add_document`` and ``add_highlight`` commit and index one thing each; an exchange
file of 5,000 documents and 25,000 highlights through them took minutes. This inserts the rows
with a handful of statements, writes the kept originals beside them, and hands the index one
update: all or nothing, as one import should be (a failure leaves no row and no file behind).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from annotator.core._db.highlight_records import indexed_highlights
from annotator.core._db.schema import (
    CategoryRow,
    DocumentRow,
    HighlightRow,
    NoteRow,
    TagRow,
    highlight_tags,
)
from annotator.core._search.records import IndexedDocument, IndexUpdate
from annotator.core.bundle import (
    Bundle,
    BundleDocument,
    BundleHighlight,
    BundleResult,
    BundleTag,
)
from annotator.core.colours import colour_for, is_colour
from annotator.core.errors import InvalidInput
from annotator.core.original_copy import store_original
from annotator.core.text import text_sha256

if TYPE_CHECKING:
    from annotator.core.library import Library

_d = cast(Table, DocumentRow.__table__)
_h = cast(Table, HighlightRow.__table__)
_n = cast(Table, NoteRow.__table__)
_t = cast(Table, TagRow.__table__)
_c = cast(Table, CategoryRow.__table__)


def write_bundle(library: Library, bundle: Bundle, *, sources_dir: str) -> BundleResult:
    result = BundleResult()
    written: list[Path] = []
    try:
        with library._write() as s:
            conn = s.connection()
            _write_categories(conn, bundle, result)
            _write_tags(conn, bundle.tags, bundle.merge_codes, result)
            indexed = _write_documents(conn, library.folder, sources_dir, bundle.documents,
                                       result, written, library.user)
            generation = library._next_generation(s)
            update = IndexUpdate(
                generation=generation,
                upsert_documents=tuple(indexed),
                upsert_highlights=_indexed(s, result.highlight_ids),
            )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    library._apply_index(update)
    return result


def _indexed(s: Session, ids: Sequence[int]) -> tuple:
    return indexed_highlights(s, ids) if ids else ()


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


def _write_documents(conn: Connection, folder: Path, sources_dir: str,
                     documents: Sequence[BundleDocument], result: BundleResult,
                     written: list[Path], user: str) -> list[IndexedDocument]:
    by_hash = dict(conn.execute(select(_d.c.sha256, _d.c.id)).all())
    next_doc = (conn.execute(select(func.max(_d.c.id))).scalar() or 0) + 1
    next_hl = (conn.execute(select(func.max(_h.c.id))).scalar() or 0) + 1
    now = datetime.now().replace(microsecond=0)
    doc_rows: list[dict] = []
    hl_rows: list[dict] = []
    links: list[dict] = []
    notes: list[dict] = []
    indexed: list[IndexedDocument] = []
    # Documents of this bundle, not inserted yet: their text and the spans given them so far,
    # for a later source of the bundle with the same text.
    pending: dict[int, tuple[str, set[tuple[int, int, frozenset[int]]]]] = {}
    for doc in documents:
        if not doc.text.strip():
            raise InvalidInput(f"source {doc.title!r} holds no text")
        digest = text_sha256(doc.text)
        existing = by_hash.get(digest)
        if existing is not None:
            result.existing_documents[doc.key] = existing
            next_hl = _add_to_existing(conn, existing, pending.get(existing), doc, result,
                                       hl_rows, links, notes, next_hl, now, user)
            continue
        doc_id = next_doc
        next_doc += 1
        by_hash[digest] = doc_id
        stored = None
        if doc.original_bytes and doc.original_name:
            target = folder / sources_dir / f"{doc_id:05d} {Path(doc.original_name).name}"
            store_original(target, Path(doc.original_name), doc.original_bytes)
            written.append(target)
            stored = f"{sources_dir}/{target.name}"
        doc_rows.append({
            "id": doc_id, "title": doc.title.strip() or "Untitled", "author": doc.author,
            "source": doc.source, "published": doc.published,
            "imported_at": doc.imported_at or now, "format": doc.format[:16], "sha256": digest,
            "text": doc.text, "characters": len(doc.text), "language": None,
            "page_map": json.dumps([list(p) for p in doc.pages]),
            "original_name": doc.original_name, "stored_file": stored, "site_name": "",
            "url": doc.url,
        })
        note = doc.note if doc.note and doc.note.strip() else None
        if note:
            result.notes += 1
            notes.append({"document_id": doc_id, "highlight_id": None, "text": note,
                          "created": now, "modified": now})
        indexed.append(IndexedDocument(doc_id, doc_rows[-1]["title"], doc.author, doc.source,
                                       doc.published, doc.format, doc.text, note))
        result.document_ids.append(doc_id)
        spans = set()
        for highlight in doc.highlights:
            spans.add(_span_key(highlight, result))
            next_hl = _add_highlight(doc_id, doc.text, highlight, result, hl_rows, links, notes,
                                     next_hl, now, user)
        pending[doc_id] = (doc.text, spans)
    if doc_rows:
        conn.execute(insert(_d), doc_rows)
    if hl_rows:
        conn.execute(insert(_h), hl_rows)
    if links:
        conn.execute(insert(highlight_tags), links)
    if notes:
        conn.execute(insert(_n), notes)
    return indexed


def _add_highlight(doc_id: int, text: str, highlight: BundleHighlight, result: BundleResult,
                   hl_rows: list[dict], links: list[dict], notes: list[dict], hid: int,
                   now: datetime, user: str) -> int:
    if not 0 <= highlight.start < highlight.end <= len(text):
        raise InvalidInput(
            f"highlight {highlight.start}-{highlight.end} lies outside its text ({len(text)})")
    created = highlight.created or now
    hl_rows.append({"id": hid, "document_id": doc_id, "start": highlight.start,
                    "end": highlight.end, "text": text[highlight.start:highlight.end],
                    "author": highlight.author or user, "created": created,
                    "modified": highlight.modified or created})
    for tag_id in dict.fromkeys(result.tag_ids[k] for k in highlight.tag_keys):
        links.append({"highlight_id": hid, "tag_id": tag_id})
        result.codings += 1
    if highlight.note and highlight.note.strip():
        result.notes += 1
        notes.append({"document_id": doc_id, "highlight_id": hid, "text": highlight.note,
                      "created": now, "modified": now})
    result.highlight_ids.append(hid)
    return hid + 1


def _span_key(highlight: BundleHighlight, result: BundleResult) -> tuple[int, int, frozenset[int]]:
    return (highlight.start, highlight.end,
            frozenset(result.tag_ids[k] for k in highlight.tag_keys))


def _add_to_existing(conn: Connection, doc_id: int,
                     pending: tuple[str, set[tuple[int, int, frozenset[int]]]] | None,
                     doc: BundleDocument, result: BundleResult, hl_rows: list[dict],
                     links: list[dict], notes: list[dict], hid: int, now: datetime,
                     user: str) -> int:
    """The document is already here: add the bundle's highlights it lacks (same span and tags
    counts as present, so importing a file twice adds nothing), if the texts are identical;
    a text that differs only in whitespace or case would put them at the wrong places."""
    if not doc.highlights:
        return hid
    if pending is not None:
        text, present = pending
    else:
        text, present = _stored_spans(conn, doc_id)
    if text != doc.text:
        result.highlights_not_placed += len(doc.highlights)
        return hid
    for highlight in doc.highlights:
        key = _span_key(highlight, result)
        if key in present:
            result.highlights_already_present += 1
            continue
        present.add(key)
        first = hid
        hid = _add_highlight(doc_id, text, highlight, result, hl_rows, links, notes, hid, now, user)
        result.highlights_on_existing.append(first)
    return hid


def _stored_spans(conn: Connection, doc_id: int) -> tuple[str, set[tuple[int, int, frozenset[int]]]]:
    """A stored document's text and its highlights as (start, end, tag ids)."""
    text = conn.execute(select(_d.c.text).where(_d.c.id == doc_id)).scalar() or ""
    present: set[tuple[int, int, frozenset[int]]] = set()
    tags_of: dict[int, set[int]] = {}
    spans = conn.execute(select(_h.c.id, _h.c.start, _h.c.end).where(_h.c.document_id == doc_id)).all()
    if spans:
        for h_id, t_id in conn.execute(
            select(highlight_tags.c.highlight_id, highlight_tags.c.tag_id)
            .join(_h, _h.c.id == highlight_tags.c.highlight_id).where(_h.c.document_id == doc_id)
        ):
            tags_of.setdefault(h_id, set()).add(t_id)
        present = {(start, end, frozenset(tags_of.get(h_id, ()))) for h_id, start, end in spans}
    return text, present
