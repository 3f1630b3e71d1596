"""Search benchmark: our Whoosh index against an SQLite FTS5 baseline on the same corpus.

    .venv/bin/python bench/search_bench.py --docs 20000 [--procs 2] [--json out.json]

Builds a seeded synthetic news corpus (~4,000-character articles, Zipf vocabulary, actors with
aliases, topics, dates, formats; five tagged highlights per article, a third with notes), then
measures for both engines: index build throughput, p50/p95 latency of a fixed mix of 200
queries (single words, two-word AND, phrases, field filters, date ranges) returning the first
20 results with snippets, and for ours the latency of applying one highlight update. Never run
by the test suite except as a smoke test at a tiny size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from annotator.core._search.index import SearchIndex
from annotator.core._search.records import (
    IndexedDocument,
    IndexedHighlight,
    IndexedTag,
    IndexUpdate,
)

SEED = 20251122
HIGHLIGHTS_PER_DOC = 5
TARGET_CHARS = 4000
FUNCTION_WORDS = (
    "the of and to in a is that for on with as was by it at from be this have are an has not "
    "but or had which its were been would will their they more than also who about after said"
).split()
CONTENT_WORDS = (
    "government minister talks negotiation negotiations agreement deal trade tariff tariffs duties "
    "officials border security economy economic market markets exports imports industry workers "
    "jobs prices inflation policy meeting summit statement leaders deadline proposal concessions "
    "pressure retaliation measures sanctions investment manufacturing supply chain provinces "
    "premiers federal parliament congress committee report analysts forecast growth recession "
    "steel aluminum lumber dairy energy oil pipeline defence military radar arctic sovereignty "
    "election campaign budget deficit spending taxes negotiator negotiated negotiating"
).split()
ACTORS = (
    ("Mark Carney", ("Carney", "Prime Minister Carney")),
    ("Donald Trump", ("Trump", "President Trump")),
    ("Wopke Hoekstra", ("Hoekstra",)),
    ("Chrystia Freeland", ("Freeland",)),
    ("Doug Ford", ("Ford", "Premier Ford")),
    ("Mélanie Joly", ("Joly",)),
    ("Dominic LeBlanc", ("LeBlanc",)),
    ("Howard Lutnick", ("Lutnick",)),
)
TOPICS = ("tariffs", "supply management", "NORAD", "critical minerals", "softwood lumber",
          "auto sector", "energy exports", "border security")
_FUNCTION_SET = frozenset(FUNCTION_WORDS)
FORMATS = ("html", "html", "html", "pdf", "pdf", "txt")


@dataclass(frozen=True)
class Corpus:
    documents: list[IndexedDocument]
    highlights: list[IndexedHighlight]
    vocabulary: list[str]
    bigrams: list[str]  # word pairs that occur in the text, for phrase queries


def _vocabulary(rng: Random, size: int) -> list[str]:
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
    made = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = FUNCTION_WORDS + CONTENT_WORDS + sorted(made - set(CONTENT_WORDS))
    return words[:size]


def build_corpus(docs: int, seed: int = SEED) -> Corpus:
    rng = Random(seed)
    vocab = _vocabulary(rng, 12000)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    documents: list[IndexedDocument] = []
    highlights: list[IndexedHighlight] = []
    bigrams: list[str] = []
    first_day = date(2024, 1, 1)
    hl_id = 0
    for doc_id in range(1, docs + 1):
        sentences: list[tuple[str, tuple[IndexedTag, ...]]] = []
        length = 0
        while length < TARGET_CHARS:
            words = rng.choices(vocab, cum_weights=cum, k=rng.randint(10, 24))
            tags: list[IndexedTag] = []
            if rng.random() < 0.35:
                name, aliases = rng.choice(ACTORS)
                words.insert(rng.randrange(len(words)), rng.choice((name, *aliases)))
                tags.append(IndexedTag("actor", name, aliases))
            if rng.random() < 0.25:
                topic = rng.choice(TOPICS)
                words.insert(rng.randrange(len(words)), topic)
                tags.append(IndexedTag("topic", topic))
            sentence = " ".join(words).capitalize() + "."
            sentences.append((sentence, tuple(tags)))
            length += len(sentence) + 1
            if rng.random() < 0.05:
                i = rng.randrange(len(words) - 1)
                if words[i] not in _FUNCTION_SET and words[i + 1] not in _FUNCTION_SET:
                    bigrams.append(f"{words[i]} {words[i + 1]}")
        body = " ".join(s for s, _ in sentences)
        title_words = rng.choices(vocab[40:2000], k=rng.randint(4, 9))
        published = first_day + timedelta(days=rng.randrange(3 * 365))
        fmt = rng.choice(FORMATS)
        doc = IndexedDocument(
            id=doc_id,
            title=" ".join(title_words).capitalize(),
            author=rng.choice(("Jane Smith", "Bob Jones", "Ana Müller", "Li Wei", "Sam Roy")),
            source=rng.choice(("Globe", "CBC", "Reuters", "FT")),
            published=published,
            format=fmt,
            body=body,
            note="Follow up with the desk" if rng.random() < 0.1 else None,
        )
        documents.append(doc)
        offsets = []
        pos = 0
        for sentence, tags in sentences:
            offsets.append((pos, pos + len(sentence), tags))
            pos += len(sentence) + 1
        for start, end, tags in rng.sample(offsets, min(HIGHLIGHTS_PER_DOC, len(offsets))):
            hl_id += 1
            highlights.append(
                IndexedHighlight(
                    id=hl_id, document_id=doc_id, document_title=doc.title, published=published,
                    format=fmt, start=start, end=end, quote=body[start:end],
                    note=rng.choice(("check this figure", "follow up", "compare with June", None))
                    if rng.random() < 0.3 else None,
                    tags=tags, page=rng.randint(1, 6) if fmt == "pdf" else None,
                    page_end=None, document_author=doc.author,
                )
            )
    return Corpus(documents, highlights, vocab, bigrams)


# ----------------------------------------------------------------------------- query mix


@dataclass(frozen=True)
class BenchQuery:
    category: str
    ours: str
    fts: str  # FTS5 MATCH expression
    date_range: tuple[str, str] | None = None


def query_mix(corpus: Corpus, count: int = 200, seed: int = SEED) -> list[BenchQuery]:
    rng = Random(seed + 1)
    words = CONTENT_WORDS + corpus.vocabulary[len(FUNCTION_WORDS) + len(CONTENT_WORDS):][:1500]
    mix: list[BenchQuery] = []
    shares = (("word", 0.3), ("and", 0.25), ("phrase", 0.2), ("field", 0.15), ("date", 0.1))
    for category, share in shares:
        for _ in range(max(1, round(count * share))):
            if category == "word":
                w = rng.choice(words)
                mix.append(BenchQuery(category, w, w))
            elif category == "and":
                a, b = rng.choice(CONTENT_WORDS), rng.choice(words)
                mix.append(BenchQuery(category, f"{a} {b}", f"{a} {b}"))
            elif category == "phrase":
                phrase = rng.choice(corpus.bigrams) if corpus.bigrams else "trade deal"
                mix.append(BenchQuery(category, f'"{phrase}"', f'"{phrase}"'))
            elif category == "field":
                name, _ = rng.choice(ACTORS)
                w = rng.choice(CONTENT_WORDS)
                mix.append(BenchQuery(category, f'actor:"{name}" {w}', f'tags:"{name}" AND {w}'))
            else:
                start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
                end = start + timedelta(days=30)
                w = rng.choice(CONTENT_WORDS)
                mix.append(BenchQuery(
                    category, f"published:[{start} to {end}] {w}", w, (str(start), str(end))
                ))
    return mix[:count]


# ----------------------------------------------------------------------------- FTS5 baseline


class Fts5Baseline:
    """Documents and highlights in FTS5 tables (porter tokenizer, diacritics removed), searched
    together like ours: top 20 by bm25 across both, with snippet() for each hit."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.executescript(
            """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
            CREATE TABLE docs(id INTEGER PRIMARY KEY, title, author, published TEXT, format, body);
            CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2');
            CREATE TABLE hls(id INTEGER PRIMARY KEY, doc_id, published TEXT, quote, note, tags);
            CREATE VIRTUAL TABLE hls_fts USING fts5(quote, note, tags, content='hls', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2');
            """
        )

    def build(self, corpus: Corpus) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT INTO docs VALUES (?,?,?,?,?,?)",
                ((d.id, d.title, d.author, str(d.published), d.format, d.body) for d in corpus.documents),
            )
            self.conn.execute("INSERT INTO docs_fts(rowid, title, body) SELECT id, title, body FROM docs")
            self.conn.executemany(
                "INSERT INTO hls VALUES (?,?,?,?,?,?)",
                ((h.id, h.document_id, str(h.published), h.quote, h.note or "",
                  " ; ".join(t.name + " " + " ".join(t.aliases) for t in h.tags))
                 for h in corpus.highlights),
            )
            self.conn.execute("INSERT INTO hls_fts(rowid, quote, note, tags) SELECT id, quote, note, tags FROM hls")

    def search(self, q: BenchQuery) -> list[tuple]:
        date_sql, params = "", [q.fts]
        if q.date_range:
            date_sql = " AND published BETWEEN ? AND ?"
            params += list(q.date_range)
        rows: list[tuple] = []
        if q.category != "field":  # tags live on highlights only
            rows += self.conn.execute(
                "SELECT bm25(docs_fts), docs.id, snippet(docs_fts, 1, '«', '»', '…', 32) "
                f"FROM docs_fts JOIN docs ON docs.id = docs_fts.rowid WHERE docs_fts MATCH ?{date_sql} "
                "ORDER BY bm25(docs_fts) LIMIT 20", params).fetchall()
        rows += self.conn.execute(
            "SELECT bm25(hls_fts), hls.id, snippet(hls_fts, 0, '«', '»', '…', 32) "
            f"FROM hls_fts JOIN hls ON hls.id = hls_fts.rowid WHERE hls_fts MATCH ?{date_sql} "
            "ORDER BY bm25(hls_fts) LIMIT 20", params).fetchall()
        return sorted(rows)[:20]

    def close(self) -> None:
        self.conn.close()


# ----------------------------------------------------------------------------- measuring


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_queries(run: Callable[[BenchQuery], object], mix: list[BenchQuery]) -> dict[str, list[float]]:
    """Wall-clock ms per category, plus "cpu:<category>" with this process's CPU ms (the
    machine may be shared: CPU time shows the cost without other processes' load)."""
    for q in mix[:10]:  # warm caches
        run(q)
    timings: dict[str, list[float]] = {}
    for q in mix:
        started, cpu = time.perf_counter(), time.process_time()
        run(q)
        wall_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        for key, value in ((q.category, wall_ms), ("all", wall_ms),
                           (f"cpu:{q.category}", cpu_ms), ("cpu:all", cpu_ms)):
            timings.setdefault(key, []).append(value)
    return timings


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def apply_latencies(index: SearchIndex, corpus: Corpus, count: int) -> dict[str, list[float]]:
    """ms for apply() to return (what the GUI thread waits) and until the update is committed
    and searchable (apply + flush), for single-highlight tag/note edits one at a time."""
    rng = Random(SEED + 2)
    generation = 10
    timings: dict[str, list[float]] = {"return": [], "committed": [], "committed_cpu": []}
    for _ in range(count):
        hl = rng.choice(corpus.highlights)
        name, aliases = rng.choice(ACTORS)
        changed = replace(hl, tags=(*hl.tags, IndexedTag("actor", name, aliases)), note="edited note")
        generation += 1
        started, cpu = time.perf_counter(), time.process_time()
        index.apply(IndexUpdate(generation=generation, upsert_highlights=(changed,)))
        timings["return"].append((time.perf_counter() - started) * 1000)
        index.flush()
        timings["committed"].append((time.perf_counter() - started) * 1000)
        timings["committed_cpu"].append((time.process_time() - cpu) * 1000)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--procs", type=int, default=None,
                        help="Whoosh writer processes for the build (default: as the CLI would)")
    parser.add_argument("--updates", type=int, default=200, help="single-highlight applies to time")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: reuse the indexes a previous run left there (no build figures)")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"docs": args.docs, "highlights": args.docs * HIGHLIGHTS_PER_DOC,
                                  "procs": args.procs}
    try:
        started = time.perf_counter()
        corpus = build_corpus(args.docs)
        mix = query_mix(corpus, args.queries)
        print(f"corpus: {len(corpus.documents)} documents, {len(corpus.highlights)} highlights, "
              f"{sum(len(d.body) for d in corpus.documents) / max(1, len(corpus.documents)):.0f} "
              f"chars/doc, generated in {time.perf_counter() - started:.1f} s")

        # FTS5 first so its peak memory is not hidden behind ours.
        fts_path = work / "fts5.sqlite"
        index_dir = work / "index"
        reuse_fts = args.reuse and args.keep is not None and fts_path.exists()
        reuse = reuse_fts and index_dir.exists() and SearchIndex(index_dir, readonly=True).status().healthy
        our_build = float("nan")
        results["ours_build_cpu_s"] = float("nan")
        if reuse_fts:
            fts = Fts5Baseline.__new__(Fts5Baseline)
            fts.conn = sqlite3.connect(fts_path)
            fts_build = float("nan")
        else:
            fts_path.unlink(missing_ok=True)
            fts = Fts5Baseline(fts_path)
            started = time.perf_counter()
            fts.build(corpus)
            fts_build = time.perf_counter() - started
        fts_times = time_queries(fts.search, mix)

        if not reuse:
            shutil.rmtree(index_dir, ignore_errors=True)
        index = SearchIndex(index_dir)
        if not reuse:
            started, build_cpu = time.perf_counter(), time.process_time()
            index.rebuild(corpus.documents, corpus.highlights, generation=1,
                          total=len(corpus.documents) + len(corpus.highlights), procs=args.procs)
            our_build = time.perf_counter() - started
            results["ours_build_cpu_s"] = time.process_time() - build_cpu

        def document_text(doc_id: int) -> str:  # as the Library does: one row from SQLite
            return fts.conn.execute("SELECT body FROM docs WHERE id=?", (doc_id,)).fetchone()[0]

        our_times = time_queries(lambda q: index.search(q.ours, limit=20, document_text=document_text), mix)
        totals = {q.ours: index.search(q.ours, limit=20).total for q in mix[:5]}
        applies = apply_latencies(index, corpus, args.updates)
        after_apply = time_queries(lambda q: index.search(q.ours, limit=20, document_text=document_text), mix[:50])
        index.close()
        fts.close()

        n = len(corpus.documents)
        results.update({
            "ours_build_s": our_build, "ours_docs_per_s": n / our_build,
            "fts5_build_s": fts_build, "fts5_docs_per_s": n / fts_build,
            "ours_index_mb": folder_mb(index_dir), "fts5_db_mb": folder_mb(fts_path),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "apply_return_p50_ms": percentile(applies["return"], 50),
            "apply_return_p95_ms": percentile(applies["return"], 95),
            "apply_committed_p50_ms": percentile(applies["committed"], 50),
            "apply_committed_p95_ms": percentile(applies["committed"], 95),
            "apply_committed_max_ms": max(applies["committed"], default=0.0),
            "apply_committed_cpu_p50_ms": percentile(applies["committed_cpu"], 50),
            "search_after_updates_p95_ms": percentile(after_apply["all"], 95),
            "sample_totals": totals,
        })
        results["load_average"] = os.getloadavg()
        print(f"\nload average {results['load_average'][0]:.1f} on {os.cpu_count()} CPUs")
        print(f"build: ours {n / our_build:,.0f} docs/s ({our_build:.1f} s, {len(corpus.highlights)} "
              f"highlights included), FTS5 {n / fts_build:,.0f} docs/s ({fts_build:.1f} s); "
              f"ratio {fts_build and our_build / fts_build:.1f}x slower; ours used "
              f"{results['ours_build_cpu_s']:.1f} s CPU in this process")
        print(f"size: ours {results['ours_index_mb']:.0f} MB, FTS5 {results['fts5_db_mb']:.0f} MB "
              f"(with text); peak RSS {results['peak_rss_mb']:.0f} MB")
        print(f"\n{'queries (first 20, snippets)':<30}{'ours p50':>10}{'p95':>9}{'FTS5 p50':>10}{'p95':>9}"
              f"{'ratio p50':>11}{'p95':>7}")
        categories = ("word", "and", "phrase", "field", "date", "all")
        for category in (*categories, *(f"cpu:{c}" for c in categories)):
            if category not in our_times:
                continue
            o50, o95 = percentile(our_times[category], 50), percentile(our_times[category], 95)
            f50, f95 = percentile(fts_times[category], 50), percentile(fts_times[category], 95)
            results[f"{category}_ours_p50_ms"], results[f"{category}_ours_p95_ms"] = o50, o95
            results[f"{category}_fts5_p50_ms"], results[f"{category}_fts5_p95_ms"] = f50, f95
            label = f"{category} ({len(our_times[category])})"
            print(f"{label:<30}{o50:>9.1f}ms{o95:>7.1f}ms{f50:>8.1f}ms{f95:>7.1f}ms"
                  f"{o50 / max(f50, 1e-6):>10.1f}x{o95 / max(f95, 1e-6):>6.1f}x")
        print(f"\napply one highlight ({len(applies['return'])} edits): apply() returns in p50 "
              f"{results['apply_return_p50_ms']:.2f} / p95 {results['apply_return_p95_ms']:.2f} ms; "
              f"committed and searchable p50 {results['apply_committed_p50_ms']:.1f} / p95 "
              f"{results['apply_committed_p95_ms']:.1f} / max {results['apply_committed_max_ms']:.1f} ms "
              f"(CPU p50 {results['apply_committed_cpu_p50_ms']:.1f} ms); "
              f"search p95 afterwards {results['search_after_updates_p95_ms']:.1f} ms")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, default=str))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
