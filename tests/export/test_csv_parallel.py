"""A large CSV export written by this process and worker processes (``csv_parallel``) gives the
very bytes one process writes, whatever the filter and layout, and survives workers that die,
fail, hang or never start; a cancel leaves no file, no part file and no worker behind.

The thresholds are lowered so a project of a few dozen documents takes the parallel path with
many small chunks. Workers are real processes (``spawn``): about a tenth of a second each to
start, so this module takes ~15 s.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import Cancelled
from annotator.core.excerpt_plan import PlanReader
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Highlight, TagRef
from annotator.core.progress import CancelToken, Progress
from annotator.export import csv_export, csv_parallel
from annotator.export.csv_export import CsvOptions, ExcerptFilter, write_csv
from tests.export import stub_csv_workers

WORDS = ("tariff", "minister", "Carney", "dairy", "border", "the", "of", "and", "«naïve»",
         '"quoted"', "=SUM(A1)", "-5%", "@handle", "🌍", "العربية", "x,y;z", "line\nbreak")
CODERS = ("ana", "ben", "chloé")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """30 documents (every third paged) with 6-8 highlights each by three coders, tags of three
    categories, notes (some formula-like, one longer than Excel keeps) and two variables."""
    rng = random.Random(13)
    library = Library.create(tmp_path_factory.mktemp("parallel") / "p.annotator")
    tags = [library.create_tag(f"Actor {i}", "actor") for i in range(4)]
    tags += [library.create_tag(f"Topic {i}", "topic") for i in range(4)]
    tags += [library.create_tag(n, "stance") for n in ("hawkish", "dovish")]
    refs = [TagRef(t.id, t.name, t.category, t.colour) for t in tags]
    library.define_variable("outlet")
    library.define_variable("region")
    highlights: list[Highlight] = []
    stamp = datetime(2026, 3, 1, 9, 30, 15, 123456)
    for d in range(30):
        text = _text(rng, 160)
        pages = tuple((s, min(s + 300, len(text))) for s in range(0, len(text), 300))
        doc = library.add_document(Extracted(
            text=text, format="pdf" if d % 3 == 0 else "html", title=f"=Doc {d}, “{rng.choice(WORDS)}”",
            author=rng.choice(("Ana Díaz", "", "مريم")), source=f"https://example.org/{d}?a=1,2",
            published=date(2025, 1, 1) + timedelta(days=9 * d) if d % 5 else None,
            pages=pages if d % 3 == 0 else ()))
        library.set_document_variable(doc.id, "outlet", rng.choice(("Globe", '"Star"', "=Post")))
        if d % 2:
            library.set_document_variable(doc.id, "region", "Prairies; North")
        for _ in range(rng.randrange(6, 9)):
            start = rng.randrange(0, len(text) - 40)
            end = start + rng.randrange(5, 40)
            note = rng.choice((None, None, "check «this»", '=HYPERLINK("x")', " -1 later"))
            if d == 7 and not any(h.note and len(h.note) > 40_000 for h in highlights):
                note = "long; " * 7_000
            made = stamp + timedelta(minutes=len(highlights))
            highlights.append(Highlight(
                id=len(highlights) + 1, document_id=doc.id, start=start, end=end,
                text=text[start:end], tags=tuple(rng.sample(refs, rng.randrange(0, 4))),
                note=note, created=made,
                modified=made if rng.random() < 0.7 else made + timedelta(hours=3),
                author=rng.choice(CODERS)))
    library.restore_highlights(highlights)
    library.reindex()
    try:
        yield library
    finally:
        library.close()


class _Recording(csv_parallel.ParallelWriter):
    """The writer, remembered, and made to wait until its workers are up: on a project this
    small this process would otherwise write every chunk before a worker could take one."""

    made: list[csv_parallel.ParallelWriter] = []
    wait_for_workers = True

    def write(self, out: Any, report: Any, cancel: Any) -> int:
        deadline = time.monotonic() + 60
        while (self.wait_for_workers and time.monotonic() < deadline
               and not all(w.ready or w.ended for w in self.workers)):
            self._listen(0.05)
        _Recording.made.append(self)
        return super().write(out, report, cancel)


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> type[_Recording]:
    """Every export takes the parallel path with one worker and chunks of ~6 excerpts."""
    monkeypatch.setattr(csv_export, "PARALLEL_FROM", 0)
    monkeypatch.setattr(csv_export, "worker_count", lambda: 1)
    monkeypatch.setattr(csv_parallel, "CHUNK_EXCERPTS", 6)
    monkeypatch.setattr(csv_export, "ParallelWriter", _Recording)
    _Recording.made = []
    _Recording.wait_for_workers = True
    return _Recording


def _one_process(library: Library, path: Path, excerpt_filter: ExcerptFilter,
                 options: CsvOptions) -> tuple[int, list[str]]:
    warnings: list[str] = []
    with pytest.MonkeyPatch.context() as m:
        m.setattr(csv_export, "worker_count", lambda: 0)
        m.setattr(csv_export, "PARALLEL_FROM", 10**9)
        rows = write_csv(library, path, excerpt_filter, options, warn=warnings.append)
    return rows, warnings


def _compare(library: Library, tmp_path: Path, excerpt_filter: ExcerptFilter,
             options: CsvOptions) -> csv_parallel.ParallelWriter:
    serial_rows, serial_warnings = _one_process(library, tmp_path / "one.csv", excerpt_filter,
                                                options)
    warnings: list[str] = []
    rows = write_csv(library, tmp_path / "many.csv", excerpt_filter, options,
                     warn=warnings.append)
    [writer] = _Recording.made
    assert (tmp_path / "many.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    assert (rows, warnings) == (serial_rows, serial_warnings)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.csv", "one.csv"]
    assert not any(w.process.is_alive() for w in writer.workers)
    return writer


@pytest.mark.parametrize("options", [
    CsvOptions(),
    CsvOptions(per_tag=True),
    CsvOptions(excel_bom=True, delimiter=";"),
    CsvOptions(delimiter="\t", context_chars=0),
    CsvOptions(neutralise_formulas=False, context_chars=7),
], ids=["default", "per-tag", "bom-semicolon", "tab-no-context", "unguarded"])
def test_workers_write_the_bytes_one_process_writes(
    project: Library, tmp_path: Path, parallel: type[_Recording], options: CsvOptions
) -> None:
    writer = _compare(project, tmp_path, ExcerptFilter(), options)
    shares = [len(w.done) for w in writer.workers]
    assert shares and all(shares), "the worker wrote no chunk: the test proves nothing"
    assert len(writer.chunks) > sum(shares), "this process wrote no chunk"


@pytest.mark.parametrize("excerpt_filter", [
    ExcerptFilter(query="tariff OR dairy"),
    ExcerptFilter(actors=("Actor 1", "Actor 2"), topics=("Topic 0",)),
    ExcerptFilter(tags=(("actor", "Actor 0"), ("stance", "hawkish")), tag_match="all"),
    ExcerptFilter(coders=("ben", "chloé")),
    ExcerptFilter(date_from=date(2025, 2, 1), date_to=date(2025, 6, 30)),
    ExcerptFilter(document_ids=tuple(range(2, 30, 2))),
], ids=["query", "actor-and-topic", "all-tags", "coders", "dates", "documents"])
def test_filters_keep_the_same_rows_with_workers(
    project: Library, tmp_path: Path, parallel: type[_Recording], excerpt_filter: ExcerptFilter
) -> None:
    _compare(project, tmp_path, excerpt_filter, CsvOptions())


def test_two_workers_share_the_work(project: Library, tmp_path: Path,
                                    parallel: type[_Recording],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_export, "worker_count", lambda: 2)
    writer = _compare(project, tmp_path, ExcerptFilter(), CsvOptions(per_tag=True))
    assert len(writer.workers) == 2 and all(w.done for w in writer.workers)


@pytest.mark.parametrize("stub", ["die_on_first_chunk", "fail_on_first_chunk",
                                  "silent_on_first_chunk", "never_ready"])
def test_a_worker_that_goes_wrong_leaves_its_chunks_to_this_process(
    project: Library, tmp_path: Path, parallel: type[_Recording],
    monkeypatch: pytest.MonkeyPatch, stub: str
) -> None:
    monkeypatch.setattr(csv_parallel, "serve", getattr(stub_csv_workers, stub))
    monkeypatch.setattr(csv_parallel, "SILENCE_SECONDS", 1.0)
    parallel.wait_for_workers = stub != "never_ready"
    started = time.monotonic()
    writer = _compare(project, tmp_path, ExcerptFilter(), CsvOptions())
    assert time.monotonic() - started < 30
    [worker] = writer.workers
    assert not worker.done
    if stub != "never_ready":
        assert worker.ended and worker.failure
        assert worker.handed, "the worker was handed no chunk: the test proves nothing"


def test_cancel_leaves_no_file_part_file_or_worker(
    project: Library, tmp_path: Path, parallel: type[_Recording]
) -> None:
    target = tmp_path / "excerpts.csv"
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.label == "Writing rows…" and p.done > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        write_csv(project, target, ExcerptFilter(), CsvOptions(), progress=progress, cancel=token)
    assert list(tmp_path.iterdir()) == []
    [writer] = parallel.made
    assert writer.workers and not any(w.process.is_alive() for w in writer.workers)


def test_the_previous_file_survives_a_failed_parallel_export(
    project: Library, tmp_path: Path, parallel: type[_Recording], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "excerpts.csv"
    target.write_text("yesterday's export")

    def broken(*_args: Any) -> tuple[bytes, int]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_parallel, "chunk_bytes", broken)
    with pytest.raises(csv_export.ExportFailed, match="No space left on device"):
        write_csv(project, target, ExcerptFilter(), CsvOptions())
    assert target.read_text() == "yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == ["excerpts.csv"]


def test_small_exports_start_no_worker(project: Library, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real = csv_export.Crew

    def crew(count: int, target: Path) -> csv_parallel.Crew:
        started.append(count)
        return real(count, target)

    monkeypatch.setattr(csv_export, "Crew", crew)
    assert write_csv(project, tmp_path / "x.csv", ExcerptFilter(), CsvOptions()) > 100
    assert started == [0]  # 200-odd highlights: far below PARALLEL_FROM


def test_a_database_workers_cannot_read_is_written_by_one_process(
    project: Library, tmp_path: Path, parallel: type[_Recording], monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(_plan: Any) -> PlanReader:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(csv_export, "PlanReader", unreadable)
    rows = write_csv(project, tmp_path / "x.csv", ExcerptFilter(), CsvOptions())
    assert parallel.made == []
    assert rows == _one_process(project, tmp_path / "y.csv", ExcerptFilter(), CsvOptions())[0]
    assert (tmp_path / "x.csv").read_bytes() == (tmp_path / "y.csv").read_bytes()


def test_chunks_keep_documents_whole_and_in_order() -> None:
    from annotator.core.excerpt_plan import ExcerptPlan

    plan = ExcerptPlan(Path("p.sqlite"), ((1, 3000), (2, 10), (3, 2000), (5, 600), (9, 1)))
    assert csv_parallel.chunks_of(plan) == [(1,), (2, 3), (5, 9)]
    many = ExcerptPlan(Path("p.sqlite"), tuple((d, 1) for d in range(1, 1202)))
    sizes = [len(c) for c in csv_parallel.chunks_of(many)]
    assert sizes == [csv_parallel.CHUNK_DOCUMENTS] * 2 + [201]


def test_a_worker_that_cannot_start_leaves_the_export_to_one_process(
    project: Library, tmp_path: Path, parallel: type[_Recording], monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing.context

    def refuse(_process: Any) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    rows = write_csv(project, tmp_path / "x.csv", ExcerptFilter(), CsvOptions())
    assert parallel.made == []
    assert rows == _one_process(project, tmp_path / "y.csv", ExcerptFilter(), CsvOptions())[0]
    assert (tmp_path / "x.csv").read_bytes() == (tmp_path / "y.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv", "y.csv"]
