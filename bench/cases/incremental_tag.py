"""Incremental tagging latency, as one user action: ``add_highlight`` (a new tagged passage)
and ``add_tags`` (one more tag on an existing highlight), each timed from the call to its
return on this run's copy of the project. The Library may hand the index update to a
background writer and return before it is committed, so a third figure times the whole round
trip: ``add_highlight`` with a note holding a fresh word, then the ``note:`` search that finds
it (searches wait for queued index commits)."""

from __future__ import annotations

import time
from random import Random

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable, percentile, time_ms

NAME = "tagging"
OPERATIONS = 60
QUICK_OPERATIONS = 25


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
    except ImportError as exc:
        return [Unavailable(NAME, f"Library not available: {exc}")]
    count = QUICK_OPERATIONS if ctx.quick or ctx.tiny else OPERATIONS
    results: list[Result] = []
    for size in ctx.sizes:
        rng = Random(f"tagging:{ctx.seed}:{size}")
        add_p50: list[float] = []
        add_p95: list[float] = []
        tag_p50: list[float] = []
        tag_p95: list[float] = []
        seen_p50: list[float] = []
        seen_p95: list[float] = []
        missed = 0
        with Library.open(ctx.work_copy(size)) as library:
            documents = [(d.id, d.characters) for d in library.documents()]
            tag_ids = [t.id for t in library.tags()]
            highlight_count = library.counts()["highlights"]
            for _ in range(ctx.repeats_for(size)):
                added: list[float] = []
                tagged: list[float] = []
                for _ in range(count):
                    doc_id, length = rng.choice(documents)
                    start = rng.randrange(0, max(1, length - 200))
                    end = min(length, start + rng.randrange(40, 200))
                    tag = rng.choice(tag_ids)
                    added.append(time_ms(lambda: library.add_highlight(
                        doc_id, start, end, tag_ids=[tag])))
                    # Highlight ids 1..N are the corpus's own; tag a random one of them.
                    target = rng.randint(1, highlight_count)
                    extra_tag = rng.choice(tag_ids)
                    tagged.append(time_ms(lambda: library.add_tags(
                        highlight_ids=[target], tag_ids=[extra_tag])))
                add_p50.append(percentile(added, 50))
                add_p95.append(percentile(added, 95))
                tag_p50.append(percentile(tagged, 50))
                tag_p95.append(percentile(tagged, 95))
                seen: list[float] = []
                for _ in range(max(5, count // 3)):
                    word = _fresh_word(rng)
                    doc_id, length = rng.choice(documents)
                    start = rng.randrange(0, max(1, length - 200))
                    started = time.perf_counter()
                    made = library.add_highlight(doc_id, start, start + 80,
                                                 tag_ids=[rng.choice(tag_ids)], note=word)
                    hits = library.search(f"note:{word}", limit=20).hits
                    seen.append((time.perf_counter() - started) * 1000)
                    missed += not any(h.highlight_id == made.id for h in hits)
                seen_p50.append(percentile(seen, 50))
                seen_p95.append(percentile(seen, 95))
        note = f"{count} operations per repeat; returns may precede the index commit"
        results += [
            Figure(NAME, "add_highlight p50", size, "ms", add_p50, note=note),
            Figure(NAME, "add_highlight p95", size, "ms", add_p95, target="< 20 ms"),
            Figure(NAME, "add_tags p50", size, "ms", tag_p50),
            Figure(NAME, "add_tags p95", size, "ms", tag_p95, target="< 20 ms"),
            Figure(NAME, "add_highlight + search finds it p50", size, "ms", seen_p50,
                   note=f"{max(5, count // 3)} round trips per repeat"
                        + (f"; {missed} not found by the search" if missed else "")),
            Figure(NAME, "add_highlight + search finds it p95", size, "ms", seen_p95,
                   target="< 20 ms (update incl. index)"),
        ]
    return results


def _fresh_word(rng: Random) -> str:
    """A letters-only word no article contains (the corpus never writes 'qz')."""
    return "qz" + "".join(rng.choice("bcdfghjklmnprstvw") for _ in range(10))
