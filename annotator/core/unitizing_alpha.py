"""Krippendorff's unitizing alpha (uα) for one tag, as defined in Krippendorff (2004), *Content
Analysis: An Introduction to Its Methodology*, 2nd ed., pp. 251–256 (after Krippendorff 1995,
"On the reliability of unitizing continuous data", Sociological Methodology 25).

Each coder cuts each continuum into *units* (passages tagged with the tag) and *gaps* (the rest).
Two coders' sections that overlap disagree by

* unit against unit: the squared differences of their beginnings plus of their ends;
* a unit lying wholly inside the other coder's gap: the unit's length squared;
* anything else: nothing.

    D_o = 2 / (m (m - 1) L²) · Σ over coder pairs and overlapping sections of δ²
    D_e = 2 / L · Σ_units [ (N - 1)(2l³ - 3l² + l) / 3 + l² Σ_{gaps g ≥ l} (g - l + 1) ]
          / (mL (mL - 1) - Σ_units l (l - 1))
    uα  = 1 - D_o / D_e

with m coders, L the summed length of the continua, N the number of units of all coders, l a
unit's length and g a gap's length (every coder's gaps). The expectation pairs each unit with
every place it could have fallen, so a statistic over text split into several continua (the
coded stretches of several documents) is still one figure.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate, combinations

Interval = tuple[int, int]  # half-open code-point span [start, end)
Section = tuple[int, int, bool]  # start, end, whether it is a unit (tagged) or a gap


def _sections(units: list[Interval], continuum: Interval) -> list[Section]:
    """A coder's units (merged, in order, inside ``continuum``) with the gaps between them."""
    out: list[Section] = []
    at = continuum[0]
    for start, end in units:
        if start > at:
            out.append((at, start, False))
        out.append((start, end, True))
        at = end
    if at < continuum[1]:
        out.append((at, continuum[1], False))
    return out


def _distance(a: Section, b: Section) -> int:
    """δ² between two sections of different coders (nothing unless they overlap)."""
    (a0, a1, a_unit), (b0, b1, b_unit) = a, b
    if a1 <= b0 or b1 <= a0:
        return 0
    if a_unit and b_unit:
        return (a0 - b0) ** 2 + (a1 - b1) ** 2
    if a_unit and not b_unit and b0 <= a0 and a1 <= b1:
        return (a1 - a0) ** 2
    if b_unit and not a_unit and a0 <= b0 and b1 <= a1:
        return (b1 - b0) ** 2
    return 0


def _pair_disagreement(first: list[Section], second: list[Section]) -> int:
    """Σ δ² over the overlapping sections of two coders on one continuum (both cover it all)."""
    total, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        total += _distance(first[i], second[j])
        first_end, second_end = first[i][1], second[j][1]
        if first_end <= second_end:
            i += 1
        if second_end <= first_end:
            j += 1
    return total


def unitizing_alpha(continua: Sequence[tuple[Interval, Sequence[list[Interval]]]]) -> float | None:
    """uα over ``continua``: each a span and, per coder (the same coders, in the same order, for
    every continuum), that coder's merged units inside it. None when undefined (fewer than two
    coders, nothing to compare, or no expected disagreement: no unit at all)."""
    if not continua:
        return None
    m = len(continua[0][1])
    length = sum(end - start for (start, end), _ in continua)
    if m < 2 or length <= 0:
        return None
    observed = 0
    unit_lengths: list[int] = []
    gap_lengths: list[int] = []
    for continuum, per_coder in continua:
        if not any(per_coder):  # nobody tagged it: one gap per coder, no disagreement
            gap_lengths += [continuum[1] - continuum[0]] * m
            continue
        sections = [_sections(units, continuum) for units in per_coder]
        for s in sections:
            for start, end, is_unit in s:
                (unit_lengths if is_unit else gap_lengths).append(end - start)
        observed += sum(_pair_disagreement(sections[i], sections[j])
                        for i, j in combinations(range(m), 2))
    d_o = 2 * observed / (m * (m - 1) * length * length)
    gap_lengths.sort()
    from_top = list(accumulate(reversed(gap_lengths)))  # sums of the k longest gaps
    n = len(unit_lengths)
    expected = 0.0
    for u in unit_lengths:
        longer = len(gap_lengths) - bisect_left(gap_lengths, u)  # gaps at least u long
        fitting = (from_top[longer - 1] if longer else 0) - (u - 1) * longer
        expected += (n - 1) * (2 * u**3 - 3 * u**2 + u) / 3 + u * u * fitting
    denominator = m * length * (m * length - 1) - sum(u * (u - 1) for u in unit_lengths)
    if denominator <= 0:
        return None
    d_e = 2 / length * expected / denominator
    if d_e <= 1e-15:
        return None
    return 1 - d_o / d_e
