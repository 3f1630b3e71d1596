"""Which excerpts an export keeps: ``ExcerptFilter`` and the functions that apply it.

Reads through the ``Library`` facade only. Shared by the CSV writer, the export dialog's live
count and the CLI, so all three agree on what a filter means (docs/export.md, "Filters").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import ACTOR, TOPIC, DocumentSummary, ExcerptRecord, Highlight
from annotator.export.errors import ExportFailed

if TYPE_CHECKING:
    from annotator.core.library import Library

# How several named tags combine (``ExcerptFilter.tag_match``).
BY_CATEGORY = "category"  # one tag of each category named: an actor *and* a topic
ANY_TAG = "any"  # at least one of the named tags, as the reader paints a codebook filter
ALL_TAGS = "all"  # every named tag
TAG_MATCHES = (BY_CATEGORY, ANY_TAG, ALL_TAGS)


@dataclass(frozen=True)
class ExcerptFilter:
    """Which highlights to export. Empty fields do not filter.

    Tag names match case-insensitively and by alias. ``tag_match`` says how several names
    combine: ``"category"`` (the default) keeps a highlight carrying one named tag of each
    category named (``actors=("Carney", "Ford"), topics=("tariffs",)``: either actor, and
    tariffs); ``"any"`` one named tag of any category; ``"all"`` every named tag. ``tags``
    holds ``(category, name)`` pairs of any category, ``actor`` and ``topic`` included.
    ``date_from``/``date_to`` bound the document's published date, inclusive; documents
    without one are left out when either bound is set. ``query`` uses the search language and
    keeps highlights that match it themselves or through their note. ``coders`` keeps the
    highlights these coders made (any of them).
    """

    actors: Sequence[str] = ()
    topics: Sequence[str] = ()
    tags: Sequence[tuple[str, str]] = ()
    document_ids: Sequence[int] = ()
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""
    tag_match: str = BY_CATEGORY
    coders: Sequence[str] = ()

    def __post_init__(self) -> None:
        # Tuples, so a filter can be compared, hashed and shared with a worker thread.
        object.__setattr__(self, "actors", tuple(self.actors))
        object.__setattr__(self, "topics", tuple(self.topics))
        object.__setattr__(self, "tags", tuple((c, n) for c, n in self.tags))
        object.__setattr__(self, "document_ids", tuple(self.document_ids))
        object.__setattr__(self, "coders", tuple(c.strip() for c in self.coders))
        object.__setattr__(self, "query", (self.query or "").strip())
        if self.tag_match not in TAG_MATCHES:
            raise InvalidInput(
                f"tags match by {', '.join(repr(m) for m in TAG_MATCHES)}, not {self.tag_match!r}"
            )

    def tag_names(self) -> list[tuple[str, str]]:
        """Every tag criterion as ``(category, name)``."""
        return [
            *((ACTOR, n) for n in self.actors),
            *((TOPIC, n) for n in self.topics),
            *((" ".join(c.split()).lower(), n) for c, n in self.tags),
        ]


class ExcerptCount(NamedTuple):
    """What ``count_excerpts`` found: excerpts, rows with ``per_tag`` (one per tag, at least
    one per excerpt) and the search's notes on the query (a mistyped field, say)."""

    excerpts: int
    rows: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criteria:
    """A filter resolved to ids: what the database narrows by (``Library.excerpt_batches``
    and ``Library.excerpt_plan`` take these), and the tag groups checked on each record (a
    highlight must carry a tag of every group; the database narrows by the smallest)."""

    document_ids: frozenset[int] | None = None
    tag_ids: frozenset[int] | None = None
    highlight_ids: frozenset[int] | None = None
    coders: tuple[str, ...] | None = None
    other_tag_groups: tuple[frozenset[int], ...] = ()

    @property
    def wants_nothing(self) -> bool:
        return self.document_ids is not None and not self.document_ids

    def narrowing(self) -> dict[str, Any]:
        """The keyword arguments of ``excerpt_batches`` and ``excerpt_plan``."""
        return {"document_ids": self.document_ids, "tag_ids": self.tag_ids,
                "highlight_ids": self.highlight_ids, "coders": self.coders}

    def kept(self, batch: list[ExcerptRecord]) -> list[ExcerptRecord]:
        """The records of ``batch`` that carry a tag of every other group."""
        rest = self.other_tag_groups
        if not rest:
            return batch
        return [r for r in batch if all(not g.isdisjoint(r.tag_ids) for g in rest)]


@dataclass(frozen=True)
class Selection:
    """The kept excerpts, a batch of documents at a time in reading order (read lazily, once),
    with the search's warnings about the query and the criteria they were read by."""

    batches: Iterator[list[ExcerptRecord]]
    warnings: tuple[str, ...] = ()
    criteria: Criteria = Criteria()


def select_excerpts(library: Library, excerpt_filter: ExcerptFilter) -> list[Highlight]:
    """The highlights ``excerpt_filter`` keeps, by document then position.

    Raises ``NotFound`` for a tag name or document id the project does not have (a typo
    should not silently export nothing), ``InvalidInput`` for a reversed date range,
    ``InvalidQuery`` for a query that does not parse and ``ExportFailed`` when a query is given
    but the search index does not match the project.
    """
    documents = {d.id: d for d in library.document_summaries()}
    ids = [r.id for batch in select(library, excerpt_filter, documents).batches for r in batch]
    order = {hid: i for i, hid in enumerate(ids)}
    return sorted(library.highlights(highlight_ids=ids), key=lambda h: order[h.id])


def count_excerpts(library: Library, excerpt_filter: ExcerptFilter) -> ExcerptCount:
    """How many excerpts the filter keeps and how many rows they make with ``per_tag``, with
    the query's warnings. Raises as ``select_excerpts`` does."""
    documents = {d.id: d for d in library.document_summaries()}
    selection = select(library, excerpt_filter, documents)
    excerpts = rows = 0
    for batch in selection.batches:
        excerpts += len(batch)
        rows += sum(len(r.tag_ids) or 1 for r in batch)
    return ExcerptCount(excerpts, rows, selection.warnings)


def select(
    library: Library, excerpt_filter: ExcerptFilter, documents: dict[int, DocumentSummary]
) -> Selection:
    """Check the filter (raising for unknown tags, documents, a reversed range or a bad query)
    and run its query; the batches are read as the caller iterates."""
    f = excerpt_filter
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise InvalidInput(f"the date range ends ({f.date_to}) before it starts ({f.date_from})")
    groups = _tag_groups(library, f.tag_names(), f.tag_match)
    for doc_id in f.document_ids:
        if doc_id not in documents:
            raise NotFound(f"no document {doc_id}")
    wanted_docs = set(f.document_ids) or None
    if f.date_from or f.date_to:
        dated = {i for i, d in documents.items() if _in_range(d.published, f.date_from, f.date_to)}
        wanted_docs = dated if wanted_docs is None else wanted_docs & dated
    coders = _known_coders(library, f.coders) if f.coders else None
    query_ids, warnings = _query_highlight_ids(library, f.query) if f.query else (None, ())
    # The database narrows by document, query hits and one tag group; a highlight must carry
    # a tag of every other group too, checked on the records (``Criteria.kept``).
    smallest = min(groups, key=len) if groups else None
    criteria = Criteria(
        frozenset(wanted_docs) if wanted_docs is not None else None,
        frozenset(smallest) if smallest is not None else None,
        frozenset(query_ids) if query_ids is not None else None,
        tuple(coders) if coders is not None else None,
        tuple(frozenset(g) for g in groups if g is not smallest),
    )
    return Selection(_filtered(library, criteria), warnings, criteria)


def _known_coders(library: Library, names: Sequence[str]) -> list[str]:
    """The coders named, each checked: a mistyped name must not export nothing in silence."""
    known = [c.name for c in library.coders()]
    for name in names:
        if name not in known:
            shown = ", ".join(repr(c) for c in known) or "none yet"
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise NotFound(f"no coder {name!r} in this project{hint}; coders: {shown}")
    return list(dict.fromkeys(names))


def _filtered(library: Library, criteria: Criteria) -> Iterator[list[ExcerptRecord]]:
    if criteria.wants_nothing:
        return
    for batch in library.excerpt_batches(**criteria.narrowing()):
        batch = criteria.kept(batch)
        if batch:
            yield batch


def _tag_groups(library: Library, names: Iterable[tuple[str, str]], match: str) -> list[set[int]]:
    """Sets of tag ids a highlight must carry one of each: per category, one set of all the
    named tags (``any``) or one set per tag (``all``)."""
    groups: dict[object, set[int]] = {}
    for category, name in names:
        tag = library.find_tag(category, name)
        if tag is None:
            raise NotFound(_unknown_tag_message(library, category, name))
        key = {BY_CATEGORY: category, ANY_TAG: None, ALL_TAGS: tag.id}[match]
        groups.setdefault(key, set()).add(tag.id)
    return list(groups.values())


def _unknown_tag_message(library: Library, category: str, name: str) -> str:
    known = library.tags(category)
    if not known:
        if category not in {c.name for c in library.categories()}:
            return f"no tag category {category!r} in this project"
        return f"no {category} tags in this project yet, so none named {name!r}"
    spellings = {t.name.casefold(): t.name for t in known}
    spellings.update({a.casefold(): a for t in known for a in t.aliases})
    close = difflib.get_close_matches(name.casefold(), list(spellings), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(spellings[c]) for c in close)}?)" if close else ""
    return f"no {category} named {name!r}{hint}"


def _in_range(published: date | None, lo: date | None, hi: date | None) -> bool:
    if published is None:
        return False
    return (lo is None or published >= lo) and (hi is None or published <= hi)


def _query_highlight_ids(library: Library, query: str) -> tuple[set[int], tuple[str, ...]]:
    """Ids of highlights the query matches, directly or through their note, and the search's
    warnings (a repaired query still exports, but the researcher must see what was repaired)."""
    ok, why = library.check()
    if not ok:
        # A stale index would silently drop or add rows; the researcher must know.
        raise ExportFailed(f"cannot filter by a search query: {why}")
    counts = library.counts()
    # Every highlight and document could match; ask for all of them so none is cut off.
    limit = counts["highlights"] + counts["documents"] + 1
    results = library.search(query, limit=limit)
    ids = {
        hit.highlight_id
        for hit in results.hits
        if hit.kind in ("highlight", "note") and hit.highlight_id is not None
    }
    return ids, tuple(results.warnings)
