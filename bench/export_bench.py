"""How long a large CSV export takes (never run by the test command).

Builds a project of ``--highlights`` excerpts (default 100,000) spread over ``--documents``
articles, a third of them paged like PDFs, with actors, topics, a user category and notes, then
times ``select_excerpts`` and ``write_csv`` and prints the figures. The project is built through
the public Library API: documents one by one, highlights in batches with
``Library.restore_highlights`` (the one public call that inserts many highlights in one
transaction and one index update), so setup takes minutes, not the export.

    .venv/bin/python bench/export_bench.py [--highlights N] [--documents N] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Highlight, TagRef
from annotator.export.csv_export import (
    CsvOptions,
    ExcerptFilter,
    select_excerpts,
    write_csv,
)

WORDS = (
    "tariff retaliation negotiation minister trade agreement canada mexico europe steel aluminium "
    "dairy border security treaty parliament election budget deficit market currency inflation "
    "the of and to in a is that for on with as by at from it this be are was were said would "
    "Carney Hoekstra Sheinbaum Trudeau Lagarde « naïve café » — “quoted” العربية עברית 🌍"
).split()
BATCH = 5_000


def _text(rng: random.Random, words: int) -> str:
    out: list[str] = []
    for i in range(words):
        out.append(rng.choice(WORDS))
        if i % 40 == 39:
            out.append(".\n\n" if i % 200 == 199 else ".")
    return " ".join(out)


def build_project(folder: Path, *, highlights: int, documents: int, seed: int = 7) -> Library:
    """A project with ``highlights`` excerpts over ``documents`` documents; returns it open."""
    rng = random.Random(seed)
    library = Library.create(folder)
    tags = [library.create_tag(f"Actor {i}", "actor") for i in range(20)]
    tags += [library.create_tag(f"Topic {i}", "topic") for i in range(20)]
    tags += [library.create_tag(name, "stance") for name in ("hawkish", "dovish", "neutral")]
    refs = [TagRef(t.id, t.name, t.category, t.colour) for t in tags]
    per_doc = max(1, -(-highlights // documents))
    docs: list[tuple[int, int]] = []  # (id, length)
    for d in range(documents):
        text = _text(rng, words=max(200, per_doc * 12))
        paged = d % 3 == 0
        pages: tuple[tuple[int, int], ...] = ()
        if paged:
            step = 3000
            pages = tuple((s, min(s + step, len(text))) for s in range(0, len(text), step))
        doc = library.add_document(
            Extracted(
                text=text,
                format="pdf" if paged else "html",
                title=f"Article {d}: “trade”, tariffs and the {rng.choice(WORDS)}",
                author=rng.choice(("Ana Díaz", "J. Smith", "", "مريم")),
                published=date(2025, 1, 1) + timedelta(days=d % 365),
                source=f"https://example.org/{d}",
                pages=pages,
            )
        )
        docs.append((doc.id, len(text)))
    now = datetime(2025, 6, 14, 12, 0, 0)
    batch: list[Highlight] = []
    next_id = 1
    for doc_id, length in docs:
        for _ in range(per_doc):
            if next_id > highlights:
                break
            start = rng.randrange(0, max(1, length - 300))
            end = start + rng.randrange(20, 280)
            batch.append(
                Highlight(
                    id=next_id,
                    document_id=doc_id,
                    start=start,
                    end=end,
                    text="",  # restore keeps the given text; export reads this, not the document
                    tags=tuple(rng.sample(refs, rng.randrange(1, 4))),
                    note=rng.choice((None, None, "follow up, «check»", '=SUM(A1) "x"\nline')),
                    created=now,
                    modified=now,
                    author="bench",
                )
            )
            next_id += 1
            if len(batch) >= BATCH:
                _flush(library, batch, docs)
    _flush(library, batch, docs)
    return library


def _flush(library: Library, batch: list[Highlight], docs: Sequence[tuple[int, int]]) -> None:
    if not batch:
        return
    texts = {d: library.document_text(d) for d in {h.document_id for h in batch}}
    filled = [
        Highlight(h.id, h.document_id, h.start, h.end, texts[h.document_id][h.start:h.end], h.tags,
                  h.note, h.created, h.modified, h.author)
        for h in batch
    ]
    library.restore_highlights(filled)
    batch.clear()


def _timed(work: Callable[[], int]) -> tuple[int, float, float]:
    """The result, wall-clock seconds and CPU seconds of this process (the CPU figure is the
    steadier one on a shared machine, where other processes stretch the wall clock)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--highlights", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "bench.annotator"
        started = time.perf_counter()
        if (folder / "project.sqlite").exists():
            library = Library.open(folder)
        else:
            library = build_project(folder, highlights=args.highlights, documents=args.documents)
        setup_s = time.perf_counter() - started
        with library:
            out = Path(tmp) / "excerpts.csv"
            (selected, select_s, select_cpu) = _timed(
                lambda: len(select_excerpts(library, ExcerptFilter())))
            rows, write_s, write_cpu = _timed(
                lambda: write_csv(library, out, ExcerptFilter(), CsvOptions()))
            per_tag_rows, per_tag_s, _ = _timed(
                lambda: write_csv(library, out, ExcerptFilter(), CsvOptions(per_tag=True)))
            size = out.stat().st_size
    figures = {
        "highlights": selected,
        "setup_s": round(setup_s, 1),
        "select_s": round(select_s, 2),
        "select_cpu_s": round(select_cpu, 2),
        "write_csv_s": round(write_s, 2),
        "write_csv_cpu_s": round(write_cpu, 2),
        "rows": rows,
        "write_csv_per_tag_s": round(per_tag_s, 2),
        "per_tag_rows": per_tag_rows,
        "per_tag_file_mb": round(size / 1e6, 1),
    }
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"setup (not timed for the goal): {figures['setup_s']} s")
        print(f"select_excerpts: {selected} excerpts in {figures['select_s']} s "
              f"({figures['select_cpu_s']} s CPU)")
        print(f"write_csv: {rows} rows in {figures['write_csv_s']} s "
              f"({figures['write_csv_cpu_s']} s CPU; goal: 100,000 in < 5 s)")
        print(f"write_csv --per-tag: {per_tag_rows} rows in {figures['write_csv_per_tag_s']} s, "
              f"{figures['per_tag_file_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
