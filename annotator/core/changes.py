"""What an operation touched, so views refresh only what they show (as Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    documents: frozenset[int] = field(default_factory=frozenset)
    highlights: frozenset[int] = field(default_factory=frozenset)
    tags: frozenset[int] = field(default_factory=frozenset)
    notes: bool = False
    documents_added_or_removed: bool = False
    codebook: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents | other.documents,
            highlights=self.highlights | other.highlights,
            tags=self.tags | other.tags,
            notes=self.notes or other.notes,
            documents_added_or_removed=self.documents_added_or_removed
            or other.documents_added_or_removed,
            codebook=self.codebook or other.codebook,
        )
