"""Runs a compiled query on a searcher and turns Whoosh hits into public ``Hit`` values."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from whoosh.searching import Searcher

from annotator.core._search import evaluator
from annotator.core._search.query_compiler import (
    MARKABLE_FIELDS,
    SCOPE_NOTES,
    QueryCompiler,
    VariableField,
)
from annotator.core._search.query_syntax import ParsedQuery
from annotator.core._search.schema import (
    KIND_DOCUMENT,
    NOTE,
    TEXT_ALL,
    number_date,
)
from annotator.core._search.snippets import Marks, find_matches, make_snippet, marks_by_field
from annotator.core.errors import InvalidQuery
from annotator.core.search_results import Hit, HitKind, SearchResults

log = logging.getLogger(__name__)

# Many documents' texts at once: (id, text) pairs.
DocumentTexts = Callable[[list[int]], Iterable[tuple[int, str]]]


def build_results(
    searcher: Searcher,
    text: str,
    parsed: ParsedQuery,
    *,
    categories: Collection[str],
    limit: int,
    document_text: Callable[[int], str] | None,
    started: float,
    document_texts: DocumentTexts | None = None,
    variables: Mapping[str, VariableField] | None = None,
) -> SearchResults:
    reader = searcher.reader()
    compiled = QueryCompiler(categories, lambda f, t: (f, t) in reader, variables).compile(
        parsed.tree)
    warnings = [*parsed.warnings, *(w for w in compiled.warnings if w not in parsed.warnings)]
    if compiled.query is None:
        raise InvalidQuery(nothing_left(warnings))
    top, total = evaluator.search(searcher, compiled.query, max(0, limit))
    terms = marks_by_field(compiled.query, reader, MARKABLE_FIELDS)
    notes_only = compiled.scopes == {SCOPE_NOTES}
    records = [(searcher.stored_fields(docnum), score) for docnum, score in top]
    texts = _prefetch(document_texts, document_text, records)
    hits = tuple(_hit(stored, score, terms, notes_only, texts) for stored, score in records)
    return SearchResults(
        query=text,
        hits=hits,
        total=total,
        elapsed_ms=(time.perf_counter() - started) * 1000.0,
        warnings=tuple(warnings),
    )


NOTHING_TO_SEARCH = "Nothing to search for"
# With nothing left to run, "…was ignored" and "…was closed at the end" describe repairs that
# did not happen: the message says only what is wrong.
_REPAIR_CLAUSES = ("; it was ignored.", " was ignored.", "; it was closed at the end.",
                   "; the rest was searched as a phrase.")


def nothing_left(warnings: list[str]) -> str:
    reasons = []
    for warning in warnings:
        for clause in _REPAIR_CLAUSES:
            if warning.endswith(clause):
                warning = warning[: -len(clause)] + "."
                break
        reasons.append(warning)
    # One line, whatever the query held (a pasted line break inside a quote, say): the CLI
    # prints this as its one-line error.
    said = " ".join(" ".join(reasons).split())
    return f"{NOTHING_TO_SEARCH}: {said}" if said else f"{NOTHING_TO_SEARCH}."


def _hit(
    stored: dict[str, Any],
    score: float,
    terms: dict[str, Marks],
    notes_only: bool,
    document_text: Callable[[int], str],
) -> Hit:
    """A record whose words matched only in its note (not its text, quote or title) is
    reported as a note; in ``in:notes`` every hit is."""
    document_id = int(stored["doc_id"])
    is_document = stored["kind"] == KIND_DOCUMENT
    text_terms = terms.get(TEXT_ALL, Marks())
    note = stored.get(NOTE) or ""
    start: int | None = None if is_document else stored.get("start")
    end: int | None = None if is_document else stored.get("end")
    if is_document:
        text = document_text(document_id)
        spans = find_matches(text, text_terms)
        matched_elsewhere = bool(spans) or bool(find_matches(stored.get("title") or "", text_terms))
    else:
        text = stored.get("quote") or ""
        spans = find_matches(text, text_terms)
        matched_elsewhere = bool(spans)
    note_spans = find_matches(note, text_terms | terms.get(NOTE, Marks())) if note else []
    kind: HitKind
    matches: list[tuple[int, int]] = []
    if note and (notes_only or (note_spans and not matched_elsewhere)):
        kind = "note"
        snippet = make_snippet(note, note_spans)
    elif is_document:
        kind = "document"
        snippet = make_snippet(text, spans)
        matches = spans
        if spans:
            start, end = spans[0]
    else:
        kind = "highlight"
        # A passage is shown whole unless it is long; matches are moved into document offsets.
        snippet = make_snippet(text, spans, width=max(len(text), 300) if len(text) <= 400 else 300)
        offset = start or 0
        matches = [(offset + a, offset + b) for a, b in spans]
    return Hit(
        kind=kind,
        document_id=document_id,
        title=stored.get("title") or "",
        highlight_id=None if is_document else stored.get("hl_id"),
        page=stored.get("page"),
        score=float(score or 0.0),
        snippet=snippet,
        start=start,
        end=end,
        tags=tuple(stored.get("taglist") or ()),
        published=number_date(stored.get("published")),
        matches=tuple(matches),
    )


def _prefetch(
    document_texts: DocumentTexts | None,
    document_text: Callable[[int], str] | None,
    records: list[tuple[dict[str, Any], float]],
) -> Callable[[int], str]:
    """The texts of every document on the page in one read (one database query instead of
    one per hit, which cost a millisecond each), falling back to ``document_text``."""
    fetched: dict[int, str] = {}
    ids = [int(stored["doc_id"]) for stored, _ in records if stored["kind"] == KIND_DOCUMENT]
    if document_texts is not None and ids:
        try:
            fetched = dict(document_texts(ids))
        except Exception:  # a snippet is not worth failing the search for
            log.debug("reading document texts failed", exc_info=True)
    return lambda document_id: (
        fetched[document_id] if document_id in fetched
        else _document_text(document_text, document_id)
    )


def _document_text(document_text: Callable[[int], str] | None, document_id: int) -> str:
    if document_text is None:
        return ""
    try:
        return document_text(document_id) or ""
    except Exception:  # a document deleted since the search ran has no text: no snippet
        log.debug("no text for document %s", document_id, exc_info=True)
        return ""
