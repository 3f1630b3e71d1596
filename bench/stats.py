"""Figures and their summaries: min/median/max over repeats, percentiles, growth per 4x."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

HEAVY_SIZE = 5_000  # from this many documents, index builds and exports repeat heavy_repeats times


@dataclass
class Figure:
    """One measured quantity of one case at one project size.

    ``samples`` holds one value per repeat (a repeat may itself be a percentile over many
    operations, e.g. the p95 of 200 queries); the table shows their median. ``target`` is the
    goal an issue names, as text ("< 100 ms at 20k"), or empty. ``higher_is_better`` tells the
    reader (and the growth column) whether a rising figure is good news (throughputs)."""

    case: str
    name: str
    size: int | None
    unit: str
    samples: list[float]
    target: str = ""
    higher_is_better: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "name": self.name,
            "size": self.size,
            "unit": self.unit,
            "min": _round(min(self.samples)),
            "median": _round(self.median),
            "max": _round(max(self.samples)),
            "repeats": len(self.samples),
            "samples": [_round(s) for s in self.samples],
            "target": self.target or None,
            "higher_is_better": self.higher_is_better,
            "note": self.note or None,
            **({"extra": self.extra} if self.extra else {}),
        }


@dataclass(frozen=True)
class Unavailable:
    """A case (or part of one) whose code has not landed or cannot run here, and why."""

    case: str
    reason: str
    size: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case, "size": self.size, "available": False, "reason": self.reason}


Result = Figure | Unavailable


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (the same definition numpy uses by default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def time_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000.0


@dataclass(frozen=True)
class Growth:
    """How a figure changes between two project sizes: the raw ratio, the implied exponent
    (figure ∝ size^k) and the ratio that exponent gives per 4x documents."""

    case: str
    name: str
    unit: str
    small: int
    large: int
    ratio: float
    exponent: float
    per_4x: float

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case, "name": self.name, "unit": self.unit, "from": self.small,
            "to": self.large, "ratio": _round(self.ratio), "exponent": _round(self.exponent),
            "per_4x": _round(self.per_4x),
        }


def growth(figures: Sequence[Figure]) -> list[Growth]:
    """Growth between consecutive sizes for every (case, name) measured at two or more sizes,
    then, with three or more sizes, from the first size to the last (1k → 20k), which one noisy
    middle size cannot bend. Linear cost shows as exponent ≈ 1 for totals and ≈ 0 for
    latencies; a super-linear cost shows as an exponent above that."""
    by_key: dict[tuple[str, str, str], list[Figure]] = {}
    for fig in figures:
        if fig.size is not None:
            by_key.setdefault((fig.case, fig.name, fig.unit), []).append(fig)
    result = []
    for (case, name, _unit), figs in by_key.items():
        figs = sorted(figs, key=lambda f: f.size or 0)
        pairs = list(zip(figs, figs[1:]))
        if len(figs) > 2:
            pairs.append((figs[0], figs[-1]))
        for small, large in pairs:
            assert small.size is not None and large.size is not None
            if small.median <= 0 or large.median <= 0 or large.size == small.size:
                continue
            ratio = large.median / small.median
            exponent = math.log(ratio) / math.log(large.size / small.size)
            result.append(
                Growth(case, name, small.unit, small.size, large.size, ratio, exponent,
                       4.0**exponent)
            )
    return result


def _round(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    digits = max(0, 3 - int(math.floor(math.log10(abs(value)))))
    return round(value, digits)
