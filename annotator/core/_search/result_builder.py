"""Runs a compiled query on a searcher and turns Whoosh hits into public ``Hit`` values."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection

from whoosh import query as wq
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from annotator.core._search.query_compiler import MARKABLE_FIELDS, SCOPE_NOTES, QueryCompiler
from annotator.core._search.query_syntax import ParsedQuery
from annotator.core._search.schema import (
    BODY,
    HEADLINE,
    KIND_DOCUMENT,
    KIND_META,
    NOTE,
    number_date,
)
from annotator.core._search.snippets import find_matches, make_snippet, terms_by_field
from annotator.core.errors import InvalidQuery
from annotator.core.search_results import Hit, HitKind, SearchResults

log = logging.getLogger(__name__)

_EXCLUDE_META = wq.Term("kind", KIND_META)


def build_results(
    searcher: Searcher,
    text: str,
    parsed: ParsedQuery,
    *,
    categories: Collection[str],
    limit: int,
    document_text: Callable[[int], str] | None,
    started: float,
) -> SearchResults:
    compiled = QueryCompiler(categories).compile(parsed.tree)
    warnings = [*parsed.warnings, *(w for w in compiled.warnings if w not in parsed.warnings)]
    if compiled.query is None:
        # The repairs were "ignored" parts; with nothing left the message just says what is wrong.
        reasons = [w.replace("; it was ignored.", ".") for w in warnings]
        raise InvalidQuery(" ".join(reasons) if reasons else "Nothing to search for.")
    results = searcher.search(compiled.query, limit=max(1, limit), terms=True, mask=_EXCLUDE_META)
    terms = terms_by_field(compiled.query, searcher.reader(), MARKABLE_FIELDS)
    notes_only = compiled.scopes == {SCOPE_NOTES}
    hits = tuple(
        _hit(hit, terms, notes_only, document_text) for hit in results[: max(0, limit)]
    )
    return SearchResults(
        query=text,
        hits=hits,
        total=len(results),
        elapsed_ms=(time.perf_counter() - started) * 1000.0,
        warnings=tuple(warnings),
    )


def _is_note_hit(hit: WhooshHit, notes_only: bool) -> bool:
    """In ``in:notes`` every hit is a note; otherwise a record that matched words only in its
    note (not in its body, quote or title) is reported as a note."""
    if notes_only:
        return True
    fields = {fieldname for fieldname, _ in hit.matched_terms()}
    return NOTE in fields and not fields & {BODY, HEADLINE}


def _hit(
    hit: WhooshHit,
    terms: dict[str, frozenset[str]],
    notes_only: bool,
    document_text: Callable[[int], str] | None,
) -> Hit:
    stored = hit.fields()
    document_id = int(stored["doc_id"])
    is_document = stored["kind"] == KIND_DOCUMENT
    is_note = bool(stored.get(NOTE)) and _is_note_hit(hit, notes_only)
    start: int | None = None if is_document else stored.get("start")
    end: int | None = None if is_document else stored.get("end")
    matches: list[tuple[int, int]] = []
    kind: HitKind
    if is_note:
        kind = "note"
        note = stored.get(NOTE) or ""
        snippet = make_snippet(note, find_matches(note, terms.get(NOTE, frozenset())))
    elif is_document:
        kind = "document"
        body = _document_text(document_text, document_id)
        matches = find_matches(body, terms.get(BODY, frozenset()))
        snippet = make_snippet(body, matches)
        if matches:
            start, end = matches[0]
    else:
        kind = "highlight"
        quote = stored.get("quote") or ""
        spans = find_matches(quote, terms.get(BODY, frozenset()))
        snippet = make_snippet(quote, spans, width=max(len(quote), 300) if len(quote) <= 400 else 300)
        offset = start or 0
        matches = [(offset + a, offset + b) for a, b in spans]
    return Hit(
        kind=kind,
        document_id=document_id,
        title=stored.get("title") or "",
        highlight_id=None if is_document else stored.get("hl_id"),
        page=stored.get("page"),
        score=float(hit.score or 0.0),
        snippet=snippet,
        start=start,
        end=end,
        tags=tuple(stored.get("taglist") or ()),
        published=number_date(stored.get("published")),
        matches=tuple(matches),
    )


def _document_text(document_text: Callable[[int], str] | None, document_id: int) -> str:
    if document_text is None:
        return ""
    try:
        return document_text(document_id) or ""
    except Exception:  # a document deleted since the search ran has no text: no snippet
        log.debug("no text for document %s", document_id, exc_info=True)
        return ""
