"""Where coders differ: the passages behind the agreement figures, for a researcher to read and
settle (``core.adjudication``).

A *passage* is a stretch of one document covered by overlapping highlights of the compared
coders (highlights chained by overlap make one passage; touching ones do not). It is a
disagreement when the coders did not code it alike:

* ``missing``: some coder has no highlight in it (one tagged it, another did not);
* ``tags``: every coder coded it, with different tags;
* ``boundaries``: the same tags, over different stretches of text.

A passage can be both ``tags`` and ``boundaries``. ``disputed`` names the tags whose coverage
differs between coders, so a passage is listed under each tag it is disputed for. Only the
documents every compared coder coded are looked at, as for the agreement figures: a document
one coder never opened is not a disagreement. Groups of coders are pooled first
(``pooled``). Pure computation: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from annotator.core.agreement import Interval, coders_documents
from annotator.core.models import Highlight
from annotator.core.text import merge_intervals

MISSING, TAGS, BOUNDARIES = "missing", "tags", "boundaries"


def tag_label(category: str, name: str) -> str:
    """How agreement figures name a tag: ``category:name``."""
    return f"{category}:{name}"


def labels_of(highlight: Highlight) -> frozenset[str]:
    return frozenset(tag_label(t.category, t.name) for t in highlight.tags)


@dataclass(frozen=True)
class Passage:
    """One passage the compared coders coded, and what each of them did there."""

    document_id: int
    start: int
    end: int
    coders: tuple[str, ...]
    sides: tuple[tuple[Highlight, ...], ...]  # per coder, in ``coders`` order
    disputed: tuple[str, ...]  # tag labels whose coverage differs between coders
    kinds: frozenset[str]

    @property
    def agreed(self) -> bool:
        return not self.kinds

    def side(self, coder: str) -> tuple[Highlight, ...]:
        return self.sides[self.coders.index(coder)]

    @property
    def labels(self) -> tuple[str, ...]:
        """Every tag any coder gave here, sorted."""
        return tuple(sorted({lab for side in self.sides for h in side for lab in labels_of(h)}))

    def describe(self) -> str:
        """The kinds of difference in words, e.g. "only ann tagged it; different boundaries"."""
        words = []
        if MISSING in self.kinds:
            coded = [c for c, side in zip(self.coders, self.sides, strict=True) if side]
            words.append(f"only {_and(coded)} tagged it")
        if TAGS in self.kinds:
            words.append("different tags")
        if BOUNDARIES in self.kinds:
            words.append("different boundaries")
        return "; ".join(words) or "agreed"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def pooled(highlights: Iterable[Highlight], groups: Mapping[str, Sequence[str]]) -> list[Highlight]:
    """The highlights with each group member's authorship given to the group (``groups``: group
    name -> its coders), so a group compares as one coder whose coding is its members'
    together. Highlights of coders in no group keep their author; ids stay, so a pooled
    highlight still opens the real one."""
    owner: dict[str, str] = {}
    for group, members in groups.items():
        for member in members:
            if owner.setdefault(member, group) != group:
                raise ValueError(f"coder {member!r} is in two groups")
    return [replace(h, author=owner[h.author]) if h.author in owner else h for h in highlights]


def passages(highlights: Sequence[Highlight], coders: Sequence[str],
             *, include_agreed: bool = False) -> list[Passage]:
    """The passages where ``coders`` (highlight authors, after ``pooled``) differ, in reading
    order; with ``include_agreed``, the ones they coded alike as well."""
    if len(coders) < 2 or len(set(coders)) != len(coders):
        raise ValueError("compare two or more different coders")
    documents = coders_documents(highlights, coders)
    wanted = set(coders)
    per_document: dict[int, list[Highlight]] = {}
    for h in highlights:
        if h.author in wanted and h.document_id in documents:
            per_document.setdefault(h.document_id, []).append(h)
    found = []
    for document_id in sorted(per_document):
        for cluster in _clusters(per_document[document_id]):
            passage = _passage(document_id, cluster, tuple(coders))
            if include_agreed or not passage.agreed:
                found.append(passage)
    return found


def _clusters(highlights: list[Highlight]) -> Iterable[list[Highlight]]:
    """Runs of highlights chained by overlap, in text order."""
    cluster: list[Highlight] = []
    reach = -1
    for h in sorted(highlights, key=lambda h: (h.start, h.end, h.id)):
        if cluster and h.start >= reach:
            yield cluster
            cluster = []
        reach = max(reach, h.end) if cluster else h.end
        cluster.append(h)
    if cluster:
        yield cluster


def _passage(document_id: int, cluster: list[Highlight], coders: tuple[str, ...]) -> Passage:
    sides = tuple(tuple(h for h in cluster if h.author == c) for c in coders)
    kinds: set[str] = set()
    if any(not side for side in sides):
        kinds.add(MISSING)
    labels = sorted({lab for h in cluster for lab in labels_of(h)})
    coverage = [{lab: merge_intervals((h.start, h.end) for h in side if lab in labels_of(h))
                 for lab in labels} for side in sides]
    disputed = tuple(lab for lab in labels if len({tuple(c[lab]) for c in coverage}) > 1)
    if MISSING not in kinds:
        given = [{lab for lab in labels if c[lab]} for c in coverage]
        if any(g != given[0] for g in given):
            kinds.add(TAGS)
        common = set.intersection(*given)
        spans: list[list[Interval]] = [merge_intervals((h.start, h.end) for h in side) for side in sides]
        if any(lab in disputed for lab in common) or any(s != spans[0] for s in spans):
            kinds.add(BOUNDARIES)
    return Passage(document_id, min(h.start for h in cluster), max(h.end for h in cluster),
                   coders, sides, disputed, frozenset(kinds))
