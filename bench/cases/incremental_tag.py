"""Incremental tagging latency, database and search index together, as one user action:
``add_highlight`` (a new tagged passage) and ``add_tags`` (one more tag on an existing
highlight), each timed from the call to its return on this run's copy of the project."""

from __future__ import annotations

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
        note = f"{count} operations per repeat, DB transaction + index commit"
        results += [
            Figure(NAME, "add_highlight p50", size, "ms", add_p50, note=note),
            Figure(NAME, "add_highlight p95", size, "ms", add_p95, target="< 20 ms"),
            Figure(NAME, "add_tags p50", size, "ms", tag_p50),
            Figure(NAME, "add_tags p95", size, "ms", tag_p95, target="< 20 ms"),
        ]
    return results
