"""What a write touched, so views refresh only what they show (as Anki's OpChanges).

Every ``Library`` write builds one ``Changes`` where it writes, from the same facts that feed
the search index update, and publishes it on the store's change feed (``Library.subscribe``,
``Library.collect_changes``); the GUI turns the feed into one Qt signal per user action.

``Changes`` is the event: ids and flags, enough for any view to know what to read again.
``ChangePayload`` is optional cached state a writer already holds (the highlights as written,
the documents' new counts, renamed tags), so the views that show it need not read it back:
tagging in the window runs all of this on every click, and each read-back cost a few
milliseconds of the 20 a repaint may take. A view may always ignore the payload and read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from annotator.core.models import Highlight, TagRef


@dataclass(frozen=True)
class ChangePayload:
    # The highlights the change names, as they now are; a named id missing here was deleted.
    # None: not known, read them.
    rows: tuple[Highlight, ...] | None = None
    # Highlight counts of the named documents after the change (document id, count), when known.
    document_counts: tuple[tuple[int, int], ...] | None = None
    # Tags whose name or colour changed: views holding highlights swap these in for the old
    # ones (every highlight carrying them), instead of the change naming those highlights.
    tag_refs: tuple[TagRef, ...] = ()


@dataclass(frozen=True)
class Changes:
    documents: frozenset[int] = field(default_factory=frozenset)
    highlights: frozenset[int] = field(default_factory=frozenset)
    tags: frozenset[int] = field(default_factory=frozenset)
    notes: bool = False
    documents_added_or_removed: bool = False
    codebook: bool = False
    # True when no highlight came or went (tags, notes or spans changed): counts stand.
    same_highlight_counts: bool = False
    saved_searches: bool = False
    payload: ChangePayload = field(default_factory=ChangePayload)

    @property
    def tag_refs(self) -> tuple[TagRef, ...]:
        return self.payload.tag_refs

    def fresh_rows(self) -> dict[int, Highlight] | None:
        """The payload's rows by id, or None when the views must read the named highlights."""
        rows = self.payload.rows
        return None if rows is None else {h.id: h for h in rows}

    def retagged(self, highlights: Iterable[Highlight]) -> list[Highlight]:
        """Those of ``highlights`` carrying a tag in ``tag_refs``, with the new refs swapped in
        (in the order ``Library.highlights`` gives tags: category, then name)."""
        refs = {t.id: t for t in self.payload.tag_refs}
        out = []
        for h in highlights:
            if any(t.id in refs for t in h.tags):
                tags = sorted((refs.get(t.id, t) for t in h.tags), key=lambda t: (t.category, t.name))
                out.append(replace(h, tags=tuple(tags)))
        return out

    def counts(self) -> dict[int, int] | None:
        counts = self.payload.document_counts
        return None if counts is None else dict(counts)

    def __or__(self, other: Changes) -> Changes:
        """This change followed by ``other`` (one user action of several writes)."""
        return Changes.merge([self, other])

    @staticmethod
    def merge(changes: Sequence[Changes]) -> Changes:
        """These changes, in the order they happened, as one (an import of thousands of
        documents merges them once, not pairwise)."""
        if len(changes) == 1:
            return changes[0]
        documents: set[int] = set()
        highlights: set[int] = set()
        tags: set[int] = set()
        for c in changes:
            documents.update(c.documents)
            highlights.update(c.highlights)
            tags.update(c.tags)
        payload = changes[0].payload if changes else ChangePayload()
        named_highlights = named_documents = False
        for before, after in zip(changes, changes[1:]):
            named_highlights = named_highlights or bool(before.highlights)
            named_documents = named_documents or bool(before.documents)
            payload = _merged(payload, named_highlights, named_documents, after)
        return Changes(
            documents=frozenset(documents),
            highlights=frozenset(highlights),
            tags=frozenset(tags),
            notes=any(c.notes for c in changes),
            documents_added_or_removed=any(c.documents_added_or_removed for c in changes),
            codebook=any(c.codebook for c in changes),
            same_highlight_counts=bool(changes) and all(c.same_highlight_counts for c in changes),
            saved_searches=any(c.saved_searches for c in changes),
            payload=payload,
        )


def _merged(first: ChangePayload, first_names_highlights: bool, first_names_documents: bool,
            two: Changes) -> ChangePayload:
    later = two.payload
    # A change naming no highlights (documents) knows all their rows (counts): none.
    first_rows = () if first.rows is None and not first_names_highlights else first.rows
    later_rows = () if later.rows is None and not two.highlights else later.rows
    rows = None
    if first_rows is not None and later_rows is not None:
        merged = {h.id: h for h in first_rows}
        fresh = {h.id: h for h in later_rows}
        for hid in two.highlights:  # the later change has the last word on what it names
            if hid in fresh:
                merged[hid] = fresh[hid]
            else:
                merged.pop(hid, None)
        rows = tuple(merged.values())
    first_counts = () if first.document_counts is None and not first_names_documents else first.document_counts
    later_counts = () if later.document_counts is None and not two.documents else later.document_counts
    counts = None if first_counts is None or later_counts is None else tuple(
        {**dict(first_counts), **dict(later_counts)}.items())
    refs = tuple({t.id: t for t in (*first.tag_refs, *later.tag_refs)}.values())
    return ChangePayload(rows, counts, refs)
