"""Search latency: the search issue's fixed mix of 200 queries (single words, two-word AND,
phrases, field filters, date ranges; first page of 20 with snippets) through
``Library.search``, and the SQLite FTS5 baseline over the same records in the same run.

The query mix, the FTS5 baseline and the per-query timer are the search engineer's
(``bench.search_bench``: ``query_mix``, ``Fts5Baseline``, ``time_queries``); this case feeds
them this bench's corpus, read back from the project through the public Library API, so both
engines search exactly what the project holds.
"""

from __future__ import annotations

import re
from random import Random
from time import perf_counter
from types import ModuleType
from typing import TYPE_CHECKING

from bench.context import BenchContext
from bench.stats import Figure, Result, Unavailable, percentile
from bench.vocabulary import FUNCTION_WORDS, build_vocabulary

if TYPE_CHECKING:
    from annotator.core.library import Library
    from bench.search_bench import BenchQuery, Corpus

NAME = "search"
QUERIES = 200
_PAIR = re.compile(r"(?<![\w-])([a-z]+) ([a-z]+)(?![\w-])")


def run(ctx: BenchContext) -> list[Result]:
    try:
        from annotator.core.library import Library
        from bench import search_bench
    except ImportError as exc:
        return [Unavailable(NAME, f"search or its bench not available: {exc}")]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.project(size)
        with Library.open(folder, readonly=True) as library:
            corpus = _corpus(search_bench, library, ctx.seed)
            mix = search_bench.query_mix(corpus, QUERIES, seed=ctx.seed)
            fts_path = ctx.work / f"fts5-n{size}.sqlite"
            for leftover in (fts_path, fts_path.with_name(fts_path.name + "-wal"),
                             fts_path.with_name(fts_path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            fts = search_bench.Fts5Baseline(fts_path)
            started = perf_counter()
            fts.build(corpus)
            ctx.baselines[("fts5_build_s", size)] = perf_counter() - started
            failures: list[str] = []

            def ours(query: BenchQuery) -> object:
                try:
                    return library.search(query.ours, limit=20)
                except Exception as exc:  # noqa: BLE001 - count it, keep timing the rest
                    failures.append(f"{query.ours}: {exc}")
                    return None

            passes = ctx.repeats_for(size)
            ours_runs: list[dict[str, list[float]]] = []
            fts_runs: list[dict[str, list[float]]] = []
            for _ in range(passes):
                # Alternate engines per pass so background load hits both alike.
                fts_runs.append(search_bench.time_queries(fts.search, mix))
                ours_runs.append(search_bench.time_queries(ours, mix))
            fts.close()
        results += _figures(size, ours_runs, fts_runs, len(mix), sorted(set(failures)))
    return results


def _corpus(search_bench: ModuleType, library: Library, seed: int) -> Corpus:
    """The project's documents and highlights as the search bench's ``Corpus``: its records,
    a vocabulary ordered as ``query_mix`` slices it (its function and content words, then this
    corpus's rare words), and word pairs that occur in the text for phrase queries."""
    from annotator.core._search.records import IndexedDocument, IndexedHighlight, IndexedTag

    tags = {t.id: t for t in library.tags()}
    documents = []
    pairs: list[str] = []
    rng = Random(f"phrases:{seed}")
    for doc in library.documents():
        body = library.document_text(doc.id)
        documents.append(IndexedDocument(doc.id, doc.title, doc.author, doc.source,
                                          doc.published, doc.format, body, doc.note))
        common = search_bench._FUNCTION_SET
        found = [m for m in _PAIR.finditer(body) if m[1] not in common and m[2] not in common]
        if found:
            pairs.append(rng.choice(found).group(0))
    by_id = {d.id: d for d in documents}
    highlights = []
    for h in library.highlights():
        doc = by_id[h.document_id]
        highlights.append(IndexedHighlight(
            h.id, h.document_id, doc.title, doc.published, doc.format, h.start, h.end, h.text,
            h.note, tuple(IndexedTag(t.category, t.name, tags[t.id].aliases) for t in h.tags),
            h.page, h.page_end, doc.author,
        ))
    # The mix draws "rare" words from the slice after its own lists: keep this corpus's
    # function words out of it (the index rightly refuses "if" as too common to search for).
    known = (set(search_bench.FUNCTION_WORDS) | set(search_bench.CONTENT_WORDS)
             | set(FUNCTION_WORDS))
    vocabulary = (list(search_bench.FUNCTION_WORDS) + list(search_bench.CONTENT_WORDS)
                  + [w for w in build_vocabulary(seed) if w not in known])
    return search_bench.Corpus(documents, highlights, vocabulary, pairs)


def _figures(
    size: int,
    ours_runs: list[dict[str, list[float]]],
    fts_runs: list[dict[str, list[float]]],
    queries: int,
    failures: list[str],
) -> list[Result]:
    def per_pass(runs: list[dict[str, list[float]]], key: str, pct: float) -> list[float]:
        return [percentile(r[key], pct) for r in runs if r.get(key)]

    note = f"{queries} queries, first 20 hits with snippets"
    if failures:
        note += f"; {len(failures)} raised, e.g. {failures[0]}"
    figures: list[Result] = [
        Figure(NAME, "ours p50", size, "ms", per_pass(ours_runs, "all", 50), note=note),
        Figure(NAME, "ours p95", size, "ms", per_pass(ours_runs, "all", 95),
               target="< 100 ms at 20k docs"),
        Figure(NAME, "FTS5 p50", size, "ms", per_pass(fts_runs, "all", 50)),
        Figure(NAME, "FTS5 p95", size, "ms", per_pass(fts_runs, "all", 95)),
    ]
    for pct in (50, 95):
        ratios = [o / f for o, f in zip(per_pass(ours_runs, "all", pct),
                                        per_pass(fts_runs, "all", pct)) if f > 0]
        figures.append(Figure(NAME, f"ours/FTS5 p{pct}", size, "x", ratios))
    extra_ours = {k: round(percentile(v, 95), 2) for k, v in ours_runs[-1].items()
                  if not k.startswith("cpu:")}
    extra_fts = {k: round(percentile(v, 95), 2) for k, v in fts_runs[-1].items()
                 if not k.startswith("cpu:")}
    if per_pass(ours_runs, "phrase", 95):
        figures.append(Figure(
            NAME, "ours p95, phrases", size, "ms", per_pass(ours_runs, "phrase", 95),
            note="the slowest category in the reference figures; p95 of every category (last "
                 "pass) in extra",
            extra={"ours_p95_ms": extra_ours, "fts5_p95_ms": extra_fts},
        ))
    return figures
