"""Comparing coders (issue 17) over the whole project, as the Compare Coders window and
``annotator report agreement`` / ``report disagreements`` make them: the agreement table for
two coders over every tag, and the list of passages they differ on. The corpus has one coder,
so a second one is made first on this run's copy: every highlight copied (in one transaction,
through ``Library.settle``), every third with its start moved a few characters and every
seventh left out, so the comparison has boundaries and omissions to find. No target is named
by the issue; both run off the GUI thread."""

from __future__ import annotations

import time

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "coder_agreement"
SECOND = "bench-second-coder"


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.adjudication import Draft, Settlement
        from annotator.core.library import Library
    except ImportError as exc:
        return [Unavailable(NAME, f"adjudication not available: {exc}")]
    results: list[Result] = []
    for size in ctx.sizes:
        with Library.open(ctx.work_copy(size)) as library:
            every = library.highlights()
            if not every:
                results.append(Unavailable(NAME, f"no highlights at {size} documents"))
                continue
            first = every[0].author
            drafts: dict[int, list[Draft]] = {}
            for k, h in enumerate(every):
                if k % 7 == 6:
                    continue
                start = min(h.start + 4, h.end - 1) if k % 3 == 0 else h.start
                drafts.setdefault(h.document_id, []).append(
                    Draft(start, h.end, tuple(t.id for t in h.tags)))
            started = time.perf_counter()
            # Settlements over an empty stretch replace nothing: one per document, all at once.
            library.settle([Settlement(d, 0, 0, tuple(ds)) for d, ds in drafts.items()],
                           consensus=SECOND)
            copy_seconds = time.perf_counter() - started
            seconds: dict[str, list[float]] = {"agreement": [], "disagreements": []}
            found = 0
            for _ in range(ctx.repeats_for(size)):
                started = time.perf_counter()
                library.coder_agreement([first, SECOND])
                seconds["agreement"].append(time.perf_counter() - started)
                started = time.perf_counter()
                found = len(library.review_disagreements([first, SECOND]).passages)
                seconds["disagreements"].append(time.perf_counter() - started)
        note = f"{len(every):,} highlights per coder, {found:,} passages differ"
        results.append(Figure(NAME, "agreement table, 2 coders, every tag", size, "s",
                              seconds["agreement"], note=note))
        results.append(Figure(NAME, "disagreements list, 2 coders", size, "s",
                              seconds["disagreements"]))
        results.append(Figure(NAME, "second coder written (one settle)", size, "s", [copy_seconds],
                              note="bench set-up: every highlight copied in one transaction"))
    return results
