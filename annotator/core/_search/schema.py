"""The Whoosh schema and the mapping from Library records to index documents.

Documents and highlights live in one index, told apart by ``kind``, so one query ranks both.
Only what a result line needs is stored (title, quote, note, tags, page, span); document
bodies are not stored: snippets are cut from the database text at search time.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema

from annotator.core._search.analysis import TAG_SEPARATOR, fold, tag_analyzer, text_analyzer
from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag
from annotator.core._search.text_field import AnalysedText

KIND_DOCUMENT = "document"
KIND_HIGHLIGHT = "highlight"
KIND_META = "meta"  # one record holding the generation, written in the same commit as changes

META_UID = "meta"

# A bare word searches ``text``: everything a record says (a document's title, author, source,
# body and note; a highlight's quote, note and tag names) in one field, so each query word is one posting list
# instead of an OR over several fields. The separate fields serve fielded queries (``title:``…).
TEXT_ALL = "text"
NOTE = "note"
TAGS = "tags"  # every tag name and alias, all categories
TITLE = "title"  # the document title, on documents and their highlights (for `title:`)
AUTHOR = "author"
SOURCE = "source"  # where a document came from (its URL or original path), on documents
CATEGORY_PREFIX = "tag_"  # tag_actor, tag_topic, tag_stance… (dynamic fields)
# Whole tag names (and aliases) as single terms: actor:"Mark Carney" is one posting-list lookup
# instead of a phrase match, which Whoosh does slowly.
EXACT_TAGS = "tagx"
EXACT_CATEGORY_PREFIX = "tagx_"

DEFAULT_FIELDS: tuple[str, ...] = (TEXT_ALL,)
_URL_PUNCTUATION = re.compile(r"[./\\:_?=&#%+~-]+")


def category_field(category: str) -> str:
    return CATEGORY_PREFIX + category.casefold()


def exact_category_field(category: str) -> str:
    return EXACT_CATEGORY_PREFIX + category.casefold()


def exact_tag_key(name: str) -> str:
    """The single term a whole tag name is indexed as: folded words joined by one space."""
    return " ".join(fold(word) for word in name.split())


def build_schema() -> Schema:
    text = text_analyzer()
    tags = tag_analyzer()
    schema = Schema(
        uid=ID(unique=True, stored=True),
        kind=ID(stored=True),
        doc=ID,  # str(document id): deleting a document deletes its highlights by this term
        doc_id=STORED,
        hl_id=STORED,
        title=AnalysedText(analyzer=text, stored=True),
        author=AnalysedText(analyzer=text),  # with positions: author:"Jane Hoekstra" is a phrase
        source=AnalysedText(analyzer=text),
        text=AnalysedText(analyzer=text),
        note=AnalysedText(analyzer=text, stored=True),
        has_note=ID,
        quote=STORED,
        taglist=STORED,
        tags=AnalysedText(analyzer=tags),
        tagx=KEYWORD(commas=True, scorable=True),
        format=ID,
        published=NUMERIC(int, stored=True),
        page=NUMERIC(int, stored=True),
        page_end=NUMERIC(int),
        start=STORED,
        end=STORED,
        generation=STORED,
        schema_version=STORED,
        fingerprint=STORED,
    )
    schema.add(CATEGORY_PREFIX + "*", AnalysedText(analyzer=tags), glob=True)
    schema.add(EXACT_CATEGORY_PREFIX + "*", KEYWORD(commas=True, scorable=True), glob=True)
    return schema


def date_number(day: date) -> int:
    """Dates are indexed as yyyymmdd integers so ranges are plain numeric ranges."""
    return day.year * 10000 + day.month * 100 + day.day


def number_date(value: int | None) -> date | None:
    if not value:
        return None
    return date(value // 10000, value // 100 % 100, value % 100)


def document_uid(document_id: int) -> str:
    return f"d{document_id}"


def highlight_uid(highlight_id: int) -> str:
    return f"h{highlight_id}"


def _tag_fields(tags: tuple[IndexedTag, ...]) -> dict[str, str]:
    by_category: dict[str, list[str]] = {}
    for tag in tags:
        names = by_category.setdefault(category_field(tag.category), [])
        names.append(tag.name)
        names.extend(tag.aliases)
    fields: dict[str, str] = {}
    for name, values in by_category.items():
        fields[name] = TAG_SEPARATOR.join(values)
        category = name[len(CATEGORY_PREFIX) :]
        fields[exact_category_field(category)] = ",".join(exact_tag_key(v) for v in values)
    if tags:
        every = [value for tag in tags for value in (tag.name, *tag.aliases)]
        fields[TAGS] = TAG_SEPARATOR.join(every)
        fields[EXACT_TAGS] = ",".join(exact_tag_key(v) for v in every)
    return fields


def _source_words(source: str) -> str:
    """A URL or path as words: the tokenizer keeps "www.nytimes.com" together as one token,
    so nytimes would not find it."""
    return _URL_PUNCTUATION.sub(" ", source)


def document_fields(doc: IndexedDocument) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "uid": document_uid(doc.id),
        "kind": KIND_DOCUMENT,
        "doc": str(doc.id),
        "doc_id": doc.id,
        TITLE: doc.title,
        AUTHOR: doc.author,
        SOURCE: _source_words(doc.source),
        TEXT_ALL: TAG_SEPARATOR.join(
            (doc.title, doc.author, _source_words(doc.source), doc.body, doc.note or "")
        ),
        "format": doc.format.casefold(),
    }
    if doc.note:
        fields[NOTE] = doc.note
        fields["has_note"] = "1"
    if doc.published is not None:
        fields["published"] = date_number(doc.published)
    return fields


def highlight_fields(hl: IndexedHighlight) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "uid": highlight_uid(hl.id),
        "kind": KIND_HIGHLIGHT,
        "doc": str(hl.document_id),
        "doc_id": hl.document_id,
        "hl_id": hl.id,
        TITLE: hl.document_title,
        AUTHOR: hl.document_author,
        TEXT_ALL: TAG_SEPARATOR.join(
            (hl.quote, hl.note or "", *(v for t in hl.tags for v in (t.name, *t.aliases)))
        ),
        "quote": hl.quote,
        "format": hl.format.casefold(),
        "start": hl.start,
        "end": hl.end,
        "taglist": tuple(f"{t.category}:{t.name}" for t in hl.tags),
    }
    fields.update(_tag_fields(hl.tags))
    if hl.note:
        fields[NOTE] = hl.note
        fields["has_note"] = "1"
    if hl.published is not None:
        fields["published"] = date_number(hl.published)
    if hl.page is not None:
        fields["page"] = hl.page
        fields["page_end"] = hl.page_end if hl.page_end is not None else hl.page
    return fields


def meta_fields(generation: int, schema_version: int, fingerprint: str | None = None) -> dict[str, Any]:
    """``fingerprint``: the database's content fingerprint at ``generation`` (None: unknown)."""
    return {
        "uid": META_UID,
        "kind": KIND_META,
        "generation": generation,
        "schema_version": schema_version,
        "fingerprint": fingerprint,
    }
