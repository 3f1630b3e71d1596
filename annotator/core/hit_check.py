"""Hits checked against the database before they are shown.

An index that is behind (a killed import, a read-only session while the app holds the
project) must not offer a document or highlight that is gone, and a document hit in a paged
source gets the page of its first match (the index keeps no page maps: they are read for the
documents on this page of results only). One rule for both of search's readers of the
database: the Library's (``core.search``) and the search command's quick path
(``core.quick_search``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from annotator.core.models import page_at, page_map_of
from annotator.core.search_results import Hit, SearchResults


@dataclass(frozen=True, slots=True)
class HitIds:
    """What to look up for a page of results, each list sorted and without repeats."""

    documents: list[int]
    highlights: list[int]
    paged: list[int]  # documents whose page map gives a document hit its page


def ids_to_check(results: SearchResults) -> HitIds:
    return HitIds(
        sorted({h.document_id for h in results.hits}),
        sorted({h.highlight_id for h in results.hits if h.highlight_id is not None}),
        sorted({h.document_id for h in results.hits if _wants_page(h)}),
    )


def checked(
    results: SearchResults,
    *,
    documents: Collection[int],
    highlights: Collection[int],
    page_maps: Mapping[int, str],
) -> SearchResults:
    """``results`` without hits on documents not in ``documents`` or highlights not in
    ``highlights`` (those the database holds and the user may see), document hits given
    their page from ``page_maps`` (stored JSON by document id), and the total lowered by
    what was dropped."""
    hits = []
    for hit in results.hits:
        if hit.document_id not in documents:
            continue
        if hit.highlight_id is not None and hit.highlight_id not in highlights:
            continue
        if _wants_page(hit) and hit.document_id in page_maps:
            page = page_at(page_map_of(page_maps[hit.document_id]), hit.start or 0)
            hit = replace(hit, page=page) if page is not None else hit
        hits.append(hit)
    dropped = len(results.hits) - len(hits)
    return replace(results, hits=tuple(hits), total=max(len(hits), results.total - dropped))


def _wants_page(hit: Hit) -> bool:
    return hit.kind == "document" and hit.page is None and hit.start is not None
