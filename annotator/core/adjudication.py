"""Settling disagreements into a consensus coder.

The consensus is a coder like any other: its highlights are ordinary highlights whose author is
the consensus coder's name (``consensus`` unless the project names another, kept in the
project's meta table so every member of a team sees the same one). So the agreement of each
coder with the consensus is computed like any other pair.

Settling a passage (``core.disagreements.Passage``) replaces whatever the consensus holds over
it with new highlights, in one transaction:

* accept a coder's side: copies of that coder's highlights there (spans, tags, notes);
* merge: per tag, the union of what the coders marked with it; stretches given the same span
  become one highlight with all their tags, and carry the coders' notes, each signed;
* accept agreed passages: where the coders coded alike and the consensus holds nothing yet,
  one coder's coding is copied (they are all the same).

Each returns an ``Adjudicated`` naming exactly what it added and removed, which
``undo_adjudication`` takes back and ``redo_adjudication`` puts back with the same ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core._db.highlight_records import indexed_highlights
from annotator.core._db.schema import (
    DocumentRow,
    HighlightRow,
    NoteRow,
    TagRow,
    highlight_tags,
)
from annotator.core._search.records import IndexUpdate
from annotator.core.agreement import TagAgreement, coders_documents, tag_agreements
from annotator.core.changes import Changes
from annotator.core.disagreements import Passage, passages, pooled
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.highlights import Highlights, _came_or_went
from annotator.core.models import Highlight
from annotator.core.safety import Safety
from annotator.core.store import Store
from annotator.core.text import merge_intervals

CONSENSUS_KEY = "consensus_coder"
DEFAULT_CONSENSUS = "consensus"


@dataclass(frozen=True)
class Draft:
    """A consensus highlight to write: its span, tags and note."""

    start: int
    end: int
    tag_ids: tuple[int, ...]
    note: str | None = None


@dataclass(frozen=True)
class Settlement:
    """Replace the consensus over ``[start, end)`` of a document by ``drafts``."""

    document_id: int
    start: int
    end: int
    drafts: tuple[Draft, ...]


@dataclass(frozen=True)
class Adjudicated:
    """What one settling wrote: undo deletes ``added`` and puts ``removed`` back. ``changes``
    is what it published on the change feed."""

    coder: str
    added: tuple[Highlight, ...]
    removed: tuple[Highlight, ...]
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class CoderSummary:
    name: str
    highlights: int
    documents: int


@dataclass(frozen=True)
class Review:
    """The passages where coders differ (or all they coded), each with what the consensus
    coder holds over it now (aligned with ``passages``)."""

    coders: tuple[str, ...]
    consensus_coder: str
    documents: int  # documents every compared coder coded
    passages: tuple[Passage, ...]
    consensus: tuple[tuple[Highlight, ...], ...]


def side_drafts(highlights: Iterable[Highlight]) -> tuple[Draft, ...]:
    """Drafts copying these highlights; highlights of the same span (a pooled group's members)
    become one, with all their tags and notes."""
    by_span: dict[tuple[int, int], tuple[set[int], list[str]]] = {}
    for h in highlights:
        tags, notes = by_span.setdefault((h.start, h.end), (set(), []))
        tags.update(t.id for t in h.tags)
        if h.note and h.note not in notes:
            notes.append(h.note)
    return tuple(Draft(s, e, tuple(sorted(tags)), "\n\n".join(notes) or None)
                 for (s, e), (tags, notes) in sorted(by_span.items()))


def merged_drafts(sides: Iterable[Iterable[Highlight]]) -> tuple[Draft, ...]:
    """The union of the sides, tag by tag: for each tag, the stretches any coder marked with it
    (overlapping ones joined); stretches of equal span make one highlight. Untagged
    highlights give untagged stretches. Each draft carries the notes of the highlights it
    grew from, signed by their coder."""
    every = [h for side in sides for h in side]
    by_tag: dict[int | None, list[tuple[int, int]]] = {}
    for h in every:
        ids: list[int | None] = [t.id for t in h.tags]
        for tag_id in ids or [None]:
            by_tag.setdefault(tag_id, []).append((h.start, h.end))
    by_span: dict[tuple[int, int], set[int]] = {}
    for tag_id, spans in by_tag.items():
        for span in merge_intervals(spans):
            tags = by_span.setdefault(span, set())
            if tag_id is not None:
                tags.add(tag_id)
    drafts = []
    for (s, e), tags in sorted(by_span.items()):
        notes = list(dict.fromkeys(f"{h.author}: {h.note}" for h in every
                                   if h.note and s <= h.start and h.end <= e
                                   and (not tags or tags & {t.id for t in h.tags})))
        drafts.append(Draft(s, e, tuple(sorted(tags)), "\n\n".join(notes) or None))
    return tuple(drafts)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Adjudication:
    def __init__(self, store: Store, highlights: Highlights, safety: Safety) -> None:
        self._store = store
        self._highlights = highlights
        self._safety = safety

    # ----------------------------------------------------------------- the consensus coder
    def consensus_coder(self) -> str:
        """The name consensus highlights are written under (``consensus`` unless set)."""
        return self._safety.meta_value(CONSENSUS_KEY) or DEFAULT_CONSENSUS

    def set_consensus_coder(self, name: str) -> str:
        """Name the consensus coder (for the whole project); returns the name as kept."""
        name = " ".join(name.split())
        if not name or len(name) > 100 or "," in name:
            raise InvalidInput("a consensus coder's name is 1 to 100 characters, without commas")
        self._safety.set_meta_value(CONSENSUS_KEY, name)
        return name

    def coder_summaries(self) -> list[CoderSummary]:
        """Every coder with highlights in the project: how many, in how many documents."""
        h = HighlightRow
        with self._store.read() as s:
            rows = s.execute(select(h.author, func.count(), func.count(h.document_id.distinct()))
                             .group_by(h.author).order_by(h.author)).all()
        return [CoderSummary(a, n, d) for a, n, d in rows]

    # ----------------------------------------------------------------- reading
    def coder_agreement(
        self,
        coders: Sequence[str],
        *,
        tags: Sequence[str] | None = None,
        groups: dict[str, Sequence[str]] | None = None,
    ) -> list[TagAgreement]:
        """Agreement per tag between ``coders`` (or groups of them, pooled: see
        ``disagreements.pooled``), as ``annotator report agreement`` gives it."""
        every = self._highlights.highlights(every_coder=True)  # the coder filter is a view's
        with self._store.read() as s:
            lengths = {d: n for d, n in s.execute(select(DocumentRow.id, DocumentRow.characters))}
        return tag_agreements(pooled(every, groups) if groups else every, coders, lengths, tags)

    def review_disagreements(
        self,
        coders: Sequence[str],
        *,
        tags: Sequence[str] | None = None,
        groups: dict[str, Sequence[str]] | None = None,
        include_agreed: bool = False,
    ) -> Review:
        """The passages where ``coders`` differ (groups pooled first, see
        ``disagreements.pooled``), only those disputed for one of ``tags`` (labels
        ``category:name``) when given, with the consensus coder's highlights over each."""
        consensus = self.consensus_coder()
        every = self._highlights.highlights(every_coder=True)  # the coder filter is a view's
        compared = pooled(every, groups) if groups else every
        found = passages(compared, coders, include_agreed=include_agreed)
        if tags is not None:
            wanted = set(tags)
            found = [p for p in found
                     if wanted & set(p.disputed if not p.agreed else p.labels)]
        mine: dict[int, list[Highlight]] = {}
        for h in every:
            if h.author == consensus:
                mine.setdefault(h.document_id, []).append(h)
        held = tuple(tuple(h for h in mine.get(p.document_id, ()) if h.start < p.end and p.start < h.end)
                     for p in found)
        return Review(tuple(coders), consensus, len(coders_documents(compared, coders)),
                      tuple(found), held)

    # ----------------------------------------------------------------- settling
    def accept_side(self, passage: Passage, coder: str, *, consensus: str | None = None) -> Adjudicated:
        """The consensus over ``passage`` becomes what ``coder`` coded there (nothing, when
        that coder left it untagged)."""
        if coder not in passage.coders:
            raise InvalidInput(f"{coder} is not one of the compared coders")
        return self.settle([_settlement(passage, side_drafts(passage.side(coder)))], consensus=consensus)

    def merge_sides(self, passage: Passage, coders: Sequence[str] | None = None, *,
                    consensus: str | None = None) -> Adjudicated:
        """The consensus over ``passage`` becomes the union, tag by tag, of the coders' coding
        (``coders``: only these sides; default all)."""
        chosen = passage.coders if coders is None else tuple(coders)
        unknown = [c for c in chosen if c not in passage.coders]
        if unknown:
            raise InvalidInput(f"{', '.join(unknown)} is not one of the compared coders")
        return self.settle([_settlement(passage, merged_drafts(passage.side(c) for c in chosen))],
                           consensus=consensus)

    def accept_agreed(self, agreed: Iterable[Passage], *, consensus: str | None = None) -> Adjudicated:
        """Copy into the consensus every one of these passages the coders coded alike and the
        consensus holds nothing over yet (passages they differ on are left for the user)."""
        name = consensus or self.consensus_coder()
        todo = [p for p in agreed if p.agreed]
        with self._store.read() as s:
            held: dict[int, list[tuple[int, int]]] = {}
            for d, a, b in s.execute(
                    select(HighlightRow.document_id, HighlightRow.start, HighlightRow.end)
                    .where(HighlightRow.author == name)).all():
                held.setdefault(d, []).append((a, b))
        free = [p for p in todo
                if not any(a < p.end and p.start < b for a, b in held.get(p.document_id, ()))]
        return self.settle([_settlement(p, side_drafts(p.sides[0])) for p in free], consensus=name)

    def settle(self, settlements: Sequence[Settlement], *, consensus: str | None = None) -> Adjudicated:
        """In one transaction: for each settlement, delete the consensus coder's highlights
        overlapping its stretch and write its drafts as the consensus coder's."""
        name = consensus or self.consensus_coder()
        if not settlements:
            return Adjudicated(name, (), ())
        with self._store.write() as s:
            removed_ids: list[int] = []
            for item in settlements:
                removed_ids += s.scalars(select(HighlightRow.id).where(
                    HighlightRow.document_id == item.document_id, HighlightRow.author == name,
                    HighlightRow.start < item.end, HighlightRow.end > item.start)).all()
            removed = (tuple(self._highlights.highlights(highlight_ids=removed_ids, every_coder=True))
                       if removed_ids else ())
            if removed_ids:
                s.execute(delete(HighlightRow).where(HighlightRow.id.in_(removed_ids)))
            added_ids = self._write_drafts(s, settlements, name)
            update = IndexUpdate(self._store.next_generation(s),
                                 upsert_highlights=indexed_highlights(s, added_ids),
                                 delete_highlights=tuple(removed_ids))
            added = (tuple(self._highlights.highlights(highlight_ids=added_ids, every_coder=True))
                     if added_ids else ())
            changes = _came_or_went(s.connection(), [*removed, *added], None, self._store.shown_coders)
        self._store.finish(update, changes)
        return Adjudicated(name, added, removed, changes)

    def _write_drafts(self, s: Session, settlements: Sequence[Settlement], author: str) -> list[int]:
        live = set(s.scalars(select(TagRow.id).where(TagRow.id.in_(
            {t for item in settlements for d in item.drafts for t in d.tag_ids}))))
        now = _now()
        added: list[int] = []
        for item in settlements:
            doc = s.get(DocumentRow, item.document_id)
            if doc is None:
                raise NotFound(f"no document {item.document_id}")
            for d in item.drafts:
                if not 0 <= d.start < d.end <= doc.characters:
                    raise InvalidInput(f"span {d.start}:{d.end} is not inside the text of "
                                       f"document {doc.id} (0:{doc.characters})")
                text = s.scalar(select(func.substr(DocumentRow.text, d.start + 1, d.end - d.start))
                                .where(DocumentRow.id == doc.id)) or ""
                row = HighlightRow(document_id=doc.id, start=d.start, end=d.end, text=text,
                                   author=author, created=now, modified=now)
                s.add(row)
                s.flush()
                added.append(row.id)
                links = [{"highlight_id": row.id, "tag_id": t} for t in d.tag_ids if t in live]
                if links:
                    s.execute(insert(highlight_tags), links)
                if d.note and d.note.strip():
                    s.add(NoteRow(document_id=doc.id, highlight_id=row.id, text=d.note,
                                  created=now, modified=now))
        return added

    # ----------------------------------------------------------------- undo and redo
    def undo_adjudication(self, done: Adjudicated) -> Changes:
        """Take back exactly what ``done`` wrote: its highlights go, the ones it replaced return."""
        return self._swap(remove=done.added, restore=done.removed)

    def redo_adjudication(self, done: Adjudicated) -> Changes:
        """Do ``done`` again after its undo, with the same highlight ids."""
        return self._swap(remove=done.removed, restore=done.added)

    def _swap(self, *, remove: Sequence[Highlight], restore: Sequence[Highlight]) -> Changes:
        ids = [h.id for h in remove]
        with self._store.write() as s:
            if ids:
                s.execute(delete(HighlightRow).where(HighlightRow.id.in_(ids)))
            self._highlights.insert_highlights(s, restore)
            s.flush()
            update = IndexUpdate(self._store.next_generation(s),
                                 upsert_highlights=indexed_highlights(s, [h.id for h in restore]),
                                 delete_highlights=tuple(ids))
            changes = _came_or_went(s.connection(), [*remove, *restore], None, self._store.shown_coders)
        self._store.finish(update, changes)
        return changes


def _settlement(passage: Passage, drafts: tuple[Draft, ...]) -> Settlement:
    return Settlement(passage.document_id, passage.start, passage.end, drafts)

