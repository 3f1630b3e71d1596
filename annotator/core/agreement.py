"""Inter-coder agreement on tagged text, per tag: percent agreement, Cohen's kappa,
Krippendorff's alpha and the unitizing alpha (alpha-u) for coders whose passages have slightly
different boundaries.

What is compared: the documents every compared coder coded (holds at least one highlight of
theirs), and within them only the *coded text*, the characters some compared coder tagged with
any tag. Text nobody tagged is left out of every per-tag figure and its size is reported
(``left_out``): counting it lets agreement on "nobody coded this page" inflate the figures,
which is the complaint users make of coding comparisons computed over whole documents.

Units are characters (code points), weighted by run length, so a figure costs time in proportion
to the number of highlight boundaries, not to the length of the text.

* Percent agreement: the share of coded characters on which a pair of coders agree (tag or no
  tag), averaged over pairs.
* Cohen's kappa: for two coders; for three or more, the mean of the pairwise kappas (Light's
  kappa), which is what the name means in most QDA suites.
* Krippendorff's alpha: nominal, each character a unit, any number of coders.
* Alpha-u: Krippendorff's unitizing alpha (uα) of Krippendorff (2004), *Content Analysis*,
  2nd ed., pp. 251–256 (see annotator.core.unitizing_alpha): each coder's tagged passages are
  units, so two passages that overlap with shifted boundaries disagree by how far their ends
  lie apart, not character by character. Each stretch of coded text is one continuum.

A statistic that is undefined for the data (no variation at all, fewer than two coders) is None.
Pure computation: no database, no Qt; the caller hands over highlights.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from annotator.core.models import Highlight
from annotator.core.text import merge_intervals
from annotator.core.unitizing_alpha import unitizing_alpha

Interval = tuple[int, int]  # half-open code-point span [start, end)


@dataclass(frozen=True)
class PairCounts:
    """Characters two coders tagged both / only the first / only the second / neither."""

    both: float = 0.0
    first_only: float = 0.0
    second_only: float = 0.0
    neither: float = 0.0

    @property
    def total(self) -> float:
        return self.both + self.first_only + self.second_only + self.neither


@dataclass(frozen=True)
class TagAgreement:
    """Agreement on one tag between ``coders`` over ``documents`` documents."""

    tag: str
    coders: tuple[str, ...]
    documents: int
    units: int  # coded characters compared
    left_out: int  # characters of the compared documents that no coder tagged at all
    tagged: Mapping[str, int]  # characters each coder tagged with this tag
    percent_agreement: float | None
    cohen_kappa: float | None
    krippendorff_alpha: float | None
    krippendorff_alpha_u: float | None


def _covered(spans: list[Interval], start: int, end: int, cursor: list[int]) -> bool:
    """Whether merged ``spans`` cover ``[start, end)``, which lies wholly inside or outside them;
    ``cursor`` walks forward through ``spans`` as calls come in text order."""
    i = cursor[0]
    while i < len(spans) and spans[i][1] <= start:
        i += 1
    cursor[0] = i
    return i < len(spans) and spans[i][0] <= start and end <= spans[i][1]


def character_runs(
    tag_spans: Sequence[list[Interval]], universe: list[Interval]
) -> Iterator[tuple[int, tuple[bool, ...]]]:
    """(length, one flag per coder) for each run of ``universe`` over which no coder's tagging
    changes. ``tag_spans`` are merged, one list per coder, and lie inside ``universe``."""
    cuts = {p for start, end in universe for p in (start, end)}
    for spans in tag_spans:
        cuts.update(p for span in spans for p in span)
    points = sorted(cuts)
    cursors = [[0] for _ in tag_spans]
    inside = [0]
    for a, b in pairwise(points):
        if not _covered(universe, a, b, inside):
            continue
        yield b - a, tuple(_covered(s, a, b, c) for s, c in zip(tag_spans, cursors, strict=True))


def cohen_kappa(counts: PairCounts) -> float | None:
    """Cohen's kappa from a weighted 2×2 table; None when chance agreement is total."""
    n = counts.total
    if n <= 0:
        return None
    observed = (counts.both + counts.neither) / n
    first_yes = (counts.both + counts.first_only) / n
    second_yes = (counts.both + counts.second_only) / n
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def nominal_alpha(units: Iterable[tuple[Sequence[Hashable | None], float]]) -> float | None:
    """Krippendorff's alpha for nominal data. Each unit is (the values its coders gave, None
    where a coder gave none; a weight, e.g. how many characters the unit stands for). Units with
    fewer than two values are not pairable and count for nothing, as in Krippendorff (2011)."""
    coincidence: dict[tuple[Hashable, Hashable], float] = {}
    for values, weight in units:
        given = [v for v in values if v is not None]
        m = len(given)
        if m < 2:
            continue
        tally: dict[Hashable, int] = {}
        for v in given:
            tally[v] = tally.get(v, 0) + 1
        for c, nc in tally.items():
            for k, nk in tally.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] = coincidence.get((c, k), 0.0) + weight * pairs / (m - 1)
    return _alpha_from_coincidences(coincidence)


def _alpha_from_coincidences(observed: Mapping[tuple[Hashable, Hashable], float]) -> float | None:
    """1 - D_o / D_e for nominal values from their coincidence matrix (Krippendorff 2011)."""
    marginal: dict[Hashable, float] = {}
    for (c, _k), o in observed.items():
        marginal[c] = marginal.get(c, 0.0) + o
    n = sum(marginal.values())
    if n <= 0:
        return None
    denominator = n * n - n
    if denominator <= 0:
        return None
    observed_disagreement = n - sum(observed.get((c, c), 0.0) for c in marginal)
    expected_agreement = sum(n * (marginal[c] ** 2 - marginal[c]) / denominator for c in marginal)
    expected_disagreement = n - expected_agreement
    if expected_disagreement <= 1e-12:
        return None
    return 1 - observed_disagreement / expected_disagreement


def coders_documents(highlights: Iterable[Highlight], coders: Collection[str]) -> set[int]:
    """The documents every one of ``coders`` holds at least one highlight in."""
    per_coder: dict[str, set[int]] = {c: set() for c in coders}
    for h in highlights:
        if h.author in per_coder:
            per_coder[h.author].add(h.document_id)
    sets = list(per_coder.values())
    return set.intersection(*sets) if sets else set()


def tag_agreements(
    highlights: Sequence[Highlight],
    coders: Sequence[str],
    document_lengths: Mapping[int, int],
    tags: Sequence[str] | None = None,
) -> list[TagAgreement]:
    """Agreement per tag between ``coders`` (highlight authors). ``tags`` are labels
    ``category:name`` (a name alone can stand in two categories); None: every tag a compared
    coder used in the compared documents. ``document_lengths`` (characters per document) only
    serve to say how much text was left out."""
    if len(set(coders)) != len(coders):
        raise ValueError("each coder may be named once")
    documents = coders_documents(highlights, coders)
    mine = [h for h in highlights if h.author in coders and h.document_id in documents]
    coded: dict[str, dict[int, list[Interval]]] = {c: {} for c in coders}
    by_tag: dict[str, dict[str, dict[int, list[Interval]]]] = {}
    for h in mine:
        coded[h.author].setdefault(h.document_id, []).append((h.start, h.end))
        for t in h.tags:
            label = f"{t.category}:{t.name}"
            by_tag.setdefault(label, {c: {} for c in coders})[h.author].setdefault(
                h.document_id, []).append((h.start, h.end))
    universe = {d: merge_intervals(s for c in coders for s in coded[c].get(d, ())) for d in documents}
    coded_size = sum(e - s for spans in universe.values() for s, e in spans)
    left_out = sum(document_lengths.get(d, 0) for d in documents) - coded_size
    wanted = sorted(by_tag) if tags is None else list(tags)
    return [
        _one_tag(label, coders, documents, universe, by_tag.get(label, {c: {} for c in coders}),
                 coded_size, max(left_out, 0))
        for label in wanted
    ]


def _one_tag(
    label: str,
    coders: Sequence[str],
    documents: set[int],
    universe: Mapping[int, list[Interval]],
    spans: Mapping[str, Mapping[int, list[Interval]]],
    coded_size: int,
    left_out: int,
) -> TagAgreement:
    m = len(coders)
    pairs = list(combinations(range(m), 2))
    tables = {p: [0.0, 0.0, 0.0, 0.0] for p in pairs}  # both, first only, second only, neither
    observed: dict[tuple[Hashable, Hashable], float] = {}
    tagged = dict.fromkeys(coders, 0)
    continua: list[tuple[Interval, list[list[Interval]]]] = []
    untagged: list[list[Interval]] = [[] for _ in coders]
    for d in sorted(documents):
        per_coder = [merge_intervals(spans.get(c, {}).get(d, ())) for c in coders]
        if not any(per_coder):
            # Most documents lack most tags: all their coded text is one "neither" run.
            continua += [(piece, untagged) for piece in universe[d]]
            _count_run(sum(e - s for s, e in universe[d]), (False,) * m, pairs, tables, observed)
            continue
        for c, merged in zip(coders, per_coder, strict=True):
            tagged[c] += sum(e - s for s, e in merged)
        continua += _by_continuum(universe[d], per_coder)
        for length, flags in character_runs(per_coder, universe[d]):
            _count_run(length, flags, pairs, tables, observed)
    counts = [PairCounts(*tables[p]) for p in pairs]
    agreement = None
    if counts and coded_size:
        agreement = sum((t.both + t.neither) / t.total for t in counts if t.total) / len(counts)
    kappas = [cohen_kappa(t) for t in counts]
    kappa = None if not kappas or any(k is None for k in kappas) else (
        sum(k for k in kappas if k is not None) / len(kappas))
    alpha = _alpha_from_coincidences(observed) if m >= 2 else None
    alpha_u = unitizing_alpha(continua) if m >= 2 else None
    return TagAgreement(
        tag=label, coders=tuple(coders), documents=len(documents), units=coded_size,
        left_out=left_out, tagged=tagged, percent_agreement=agreement, cohen_kappa=kappa,
        krippendorff_alpha=alpha, krippendorff_alpha_u=alpha_u,
    )


def _count_run(
    length: int,
    flags: tuple[bool, ...],
    pairs: list[tuple[int, int]],
    tables: dict[tuple[int, int], list[float]],
    observed: dict[tuple[Hashable, Hashable], float],
) -> None:
    """Add a run of ``length`` characters, tagged by the coders whose flag is set, to the pair
    tables (kappa, percent agreement) and the coincidences (alpha)."""
    for i, j in pairs:
        slot = 0 if flags[i] and flags[j] else 1 if flags[i] else 2 if flags[j] else 3
        tables[(i, j)][slot] += length
    m = len(flags)
    if m < 2:
        return
    yes = sum(flags)
    no = m - yes
    for cell, count in (((True, True), yes * (yes - 1)), ((False, False), no * (no - 1)),
                        ((True, False), yes * no), ((False, True), yes * no)):
        if count:
            observed[cell] = observed.get(cell, 0.0) + length * count / (m - 1)


def _by_continuum(
    universe: list[Interval], per_coder: list[list[Interval]]
) -> list[tuple[Interval, list[list[Interval]]]]:
    """Each stretch of coded text with, per coder, the merged spans inside it (a coder's span
    never straddles two stretches: the stretches are the union of every coder's spans)."""
    out: list[tuple[Interval, list[list[Interval]]]] = [(piece, [[] for _ in per_coder])
                                                         for piece in universe]
    starts = [start for start, _ in universe]
    for k, spans in enumerate(per_coder):
        for span in spans:
            out[bisect_right(starts, span[0]) - 1][1][k].append(span)
    return out
