"""What an operation touched, so views refresh only what they show (as Anki's OpChanges).

Besides naming what changed, a writer that already holds the new state can hand it over, so
the views that show it need not read it back: tagging in the window runs all of this on every
click, and each read-back cost a few milliseconds of the 20 a repaint may take."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from annotator.core.models import Highlight, TagRef


@dataclass(frozen=True)
class Changes:
    documents: frozenset[int] = field(default_factory=frozenset)
    highlights: frozenset[int] = field(default_factory=frozenset)
    tags: frozenset[int] = field(default_factory=frozenset)
    notes: bool = False
    documents_added_or_removed: bool = False
    codebook: bool = False
    # The highlights named above as they now are; a named id missing here was deleted.
    # None: not known, read them.
    rows: tuple[Highlight, ...] | None = None
    # Highlight counts of the named documents after the change (document id, count), when known.
    document_counts: tuple[tuple[int, int], ...] | None = None
    # True when no highlight came or went (tags, notes or spans changed): counts stand.
    same_highlight_counts: bool = False
    # Tags whose name or colour changed: views holding highlights swap these in for the old
    # ones (every highlight carrying them), instead of the change naming those highlights.
    tag_refs: tuple[TagRef, ...] = ()

    def fresh_rows(self) -> dict[int, Highlight] | None:
        """``rows`` by id, or None when the views must read the named highlights."""
        return None if self.rows is None else {h.id: h for h in self.rows}

    def retagged(self, highlights: Iterable[Highlight]) -> list[Highlight]:
        """Those of ``highlights`` carrying a tag in ``tag_refs``, with the new refs swapped in
        (in the order ``Library.highlights`` gives tags: category, then name)."""
        refs = {t.id: t for t in self.tag_refs}
        out = []
        for h in highlights:
            if any(t.id in refs for t in h.tags):
                tags = sorted((refs.get(t.id, t) for t in h.tags), key=lambda t: (t.category, t.name))
                out.append(replace(h, tags=tuple(tags)))
        return out

    def counts(self) -> dict[int, int] | None:
        return None if self.document_counts is None else dict(self.document_counts)

    def __or__(self, other: Changes) -> Changes:
        rows = None
        if self.rows is not None and other.rows is not None:
            merged = {h.id: h for h in self.rows}
            later = {h.id: h for h in other.rows}
            for hid in other.highlights:  # the later change has the last word on what it names
                if hid in later:
                    merged[hid] = later[hid]
                else:
                    merged.pop(hid, None)
            rows = tuple(merged.values())
        counts = None if self.document_counts is None or other.document_counts is None else tuple(
            {**dict(self.document_counts), **dict(other.document_counts)}.items())
        return Changes(
            documents=self.documents | other.documents,
            highlights=self.highlights | other.highlights,
            tags=self.tags | other.tags,
            notes=self.notes or other.notes,
            documents_added_or_removed=self.documents_added_or_removed
            or other.documents_added_or_removed,
            codebook=self.codebook or other.codebook,
            rows=rows,
            document_counts=counts,
            same_highlight_counts=self.same_highlight_counts and other.same_highlight_counts,
            tag_refs=tuple({t.id: t for t in (*self.tag_refs, *other.tag_refs)}.values()),
        )
