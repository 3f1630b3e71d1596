"""Analysis counts (issue 15) over the whole project: the actor x topic matrix at the same
highlight scope (target <= 0.5 s at 20,000 documents / 100,000 highlights) and at document
scope (<= 1 s), the overlap and paragraph scopes (no target; paragraph measured after its
one-time computation of paragraph spans, whose cost is reported apart), and a timeline of
every topic by month (<= 0.5 s). Each is one ``Library`` call, as the Analysis window and
``annotator report`` make it. Runs on this run's copy of the project (opened for writing, so
an older cached project is upgraded and the paragraph spans can be stored)."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "cooccurrence"


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
        from annotator.core.models import ACTOR, TOPIC
    except ImportError as exc:
        return [Unavailable(NAME, f"Library not available: {exc}")]
    if not hasattr(Library, "tag_matrix"):
        return [Unavailable(NAME, "no Library.tag_matrix in this version")]
    results: list[Result] = []
    for size in ctx.sizes:
        with Library.open(ctx.work_copy(size)) as library:
            topics = [t.id for t in library.tags(TOPIC)]
            started = time.perf_counter()
            library.tag_matrix(ACTOR, TOPIC, "paragraph")
            first_paragraph = time.perf_counter() - started
            runs: dict[str, tuple[Callable[[], object], str | None]] = {
                "highlight": (lambda: library.tag_matrix(ACTOR, TOPIC, "highlight"), "<= 0.5 s"),
                "document": (lambda: library.tag_matrix(ACTOR, TOPIC, "document"), "<= 1 s"),
                "overlap": (lambda: library.tag_matrix(ACTOR, TOPIC, "overlap"), None),
                "paragraph": (lambda: library.tag_matrix(ACTOR, TOPIC, "paragraph"), None),
                "timeline": (lambda: library.tag_timeline(topics, "month"), "<= 0.5 s"),
            }
            seconds: dict[str, list[float]] = {key: [] for key in runs}
            for _ in range(ctx.repeats_for(size)):
                for key, (action, _target) in runs.items():
                    started = time.perf_counter()
                    action()
                    seconds[key].append(time.perf_counter() - started)
            cells = library.cooccurrence()
            note = (f"{len(cells.rows)} actors x {len(cells.columns)} topics, "
                    f"{library.counts()['highlights']:,} highlights")
        for key, (_action, target) in runs.items():
            label = (f"timeline, {len(topics)} topics by month" if key == "timeline"
                     else f"actor x topic matrix, {key} scope")
            results.append(Figure(NAME, label, size, "s", seconds[key], target=target or "",
                                  note=note if key == "highlight" else ""))
        results.append(Figure(NAME, "paragraph spans, first use", size, "s", [first_paragraph],
                              note="once per project: spans stored for every highlighted "
                                   "document, with the first paragraph-scope matrix"))
    return results
