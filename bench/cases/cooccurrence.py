"""Co-occurrence computation (which tags are applied together), which the benchmark issue
asks for "when that lands". Timed as ``Library.cooccurrence()`` over the whole project once a
Library method of that name exists; until then the case reports itself not available."""

from __future__ import annotations

import time

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "cooccurrence"
METHOD_NAMES = ("cooccurrence", "co_occurrence", "tag_cooccurrence")


def run(ctx: BenchContext) -> list[Result]:
    from annotator.core.library import Library

    method = next((m for m in METHOD_NAMES if hasattr(Library, m)), None)
    if method is None:
        return [Unavailable(NAME, "no co-occurrence computation in annotator yet "
                                  f"(no Library.{'/'.join(METHOD_NAMES)})")]
    results: list[Result] = []
    for size in ctx.sizes:
        with Library.open(ctx.project(size), readonly=True) as library:
            seconds = []
            for _ in range(ctx.repeats_for(size)):
                started = time.perf_counter()
                getattr(library, method)()
                seconds.append(time.perf_counter() - started)
        results.append(Figure(NAME, f"Library.{method}() over all highlights", size, "s",
                              seconds))
    return results
