"""Where highlights overlap: cut a range of text into segments, each with the highlights that
cover all of it, outermost first. Pure Python, no Qt, so it is cheap to test.

A span here is ``(start, end, key)`` in any unit (the reader passes UTF-16 positions).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def segments(
    spans: Iterable[tuple[int, int, K]], lo: int | None = None, hi: int | None = None
) -> Iterator[tuple[int, int, list[K]]]:
    """Yield ``(start, end, keys)`` for every stretch covered by at least one span, clipped to
    ``[lo, hi)``. ``keys`` (comparable, e.g. highlight ids) are ordered outermost first
    (earlier start, then longer span, then smaller key), so the last key is the innermost
    layer."""
    low = -1 if lo is None else lo
    high = 1 << 62 if hi is None else hi
    kept = [(start, end, key) for start, end, key in spans if max(start, low) < min(end, high)]
    if not kept:
        return
    # Layers are ranked on the whole spans, before clipping: clipped to a repainted stretch,
    # an outer highlight can look exactly like the one nested in it. Equal spans: the smaller
    # key (the older highlight) is outer, whatever order the spans came in.
    kept.sort(key=lambda s: (s[0], -s[1], s[2]))
    clipped = [(max(start, low), -min(end, high), key, rank) for rank, (start, end, key) in enumerate(kept)]
    clipped.sort(key=lambda s: (s[0], s[3]))
    # Fast path for the common case of no overlap at all: each span is its own segment.
    previous_end = -1
    for start, neg_end, _, _ in clipped:
        if start < previous_end:
            break
        previous_end = -neg_end
    else:
        for start, neg_end, key, _ in clipped:
            yield start, -neg_end, [key]
        return
    yield from _overlapping(clipped)


def _overlapping(ordered: list[tuple[int, int, K, int]]) -> Iterator[tuple[int, int, list[K]]]:
    """Sweep over ``(start, -end, key, rank)`` sorted by start; ``rank`` orders the layers."""
    boundaries = sorted({p for start, neg_end, _, _ in ordered for p in (start, -neg_end)})
    active: list[tuple[int, int, int, K]] = []  # (rank, start, end, key)
    following = 0
    count = len(ordered)
    for left, right in zip(boundaries, boundaries[1:]):
        if active:
            active = [a for a in active if a[2] > left]
        added = False
        while following < count and ordered[following][0] <= left:
            start, neg_end, key, rank = ordered[following]
            active.append((rank, start, -neg_end, key))
            following += 1
            added = True
        if active:
            if added and len(active) > 1:
                active.sort()
            yield left, right, [a[3] for a in active]
