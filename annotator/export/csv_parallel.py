"""A large CSV export written by this process and worker processes at once.

One process reads and formats 100,000 excerpts in about 1.4 s on this 2-core machine; issue 13
asks for 1.0 s. So the export's documents are cut into chunks of a few thousand excerpts, and
each process reads its chunks from the project's SQLite file (``core.excerpt_plan``) and
formats them with the same ``RowMaker``. This process works from the first chunk up and writes
each into the export's file as soon as it is made; it hands workers chunks from the last one
down, two at a time, so the two ends meet in the middle and nothing waits in memory. A worker
writes its chunks to its own part file beside the target and says where each lies; once the
ends meet, this process copies them into the export's file in order. The file is byte for
byte what one process writes.

Workers are fresh interpreters (``spawn``: never a fork of a process that may run Qt threads)
started while ``__main__`` is hidden; they import the reading and formatting code only (a tenth
of a second), and are handed chunks only once they say they are ready, so one slow to start
costs nothing. A worker that fails, dies or falls silent leaves its chunks to this process,
which writes them itself: a worker can make an export faster, never wrong or short. Only for
local SQLite projects (``Library.excerpt_plan``); team projects are written by one process.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, BinaryIO

from annotator.core.errors import Cancelled
from annotator.core.excerpt_plan import ExcerptPlan, PlanReader
from annotator.core.models import DocumentSummary, Tag
from annotator.core.progress import CancelToken, Progress
from annotator.core.worker_processes import main_module_hidden, usable_cores
from annotator.export.csv_rows import CsvOptions, RowMaker
from annotator.export.selection import Criteria
from annotator.export.temp_files import temp_name

log = logging.getLogger(__name__)

# Below this many excerpts one process is done before a worker has started.
PARALLEL_FROM = 20_000
# A chunk: about this many excerpts (a few hundredths of a second of work, so the processes
# finish together) and never more documents than one query names.
CHUNK_EXCERPTS = 2_500
CHUNK_DOCUMENTS = 500
MAX_WORKERS = 3
# Chunks handed to a worker and not yet done: one in hand, one waiting, so it never idles
# between two and at the end has at most one left to do.
AHEAD = 2
# A worker that says nothing for this long while its chunk is awaited is stopped.
SILENCE_SECONDS = 30.0
_POLL_SECONDS = 0.1


def worker_count() -> int:
    """Workers besides this process: one per further core."""
    return max(0, min(usable_cores() - 1, MAX_WORKERS))


def chunks_of(plan: ExcerptPlan) -> list[tuple[int, ...]]:
    """The plan's documents cut, in order, into chunks of about ``CHUNK_EXCERPTS``."""
    chunks: list[tuple[int, ...]] = []
    current: list[int] = []
    size = 0
    for document_id, count in plan.documents:
        if current and (size + count > CHUNK_EXCERPTS or len(current) >= CHUNK_DOCUMENTS):
            chunks.append(tuple(current))
            current, size = [], 0
        current.append(document_id)
        size += count
    if current:
        chunks.append(tuple(current))
    return chunks


@dataclass(frozen=True)
class Job:
    """What a worker needs, sent once when it starts; chunks come one by one after."""

    plan: ExcerptPlan  # without its document list: each chunk names its documents
    criteria: Criteria
    options: CsvOptions
    tags: dict[int, Tag]
    variables: tuple[str, ...]
    values: dict[int, dict[str, str]]
    part: Path  # the worker's own part file


def chunk_bytes(reader: PlanReader, maker: RowMaker, criteria: Criteria,
                documents: Sequence[int]) -> tuple[bytes, int]:
    """One chunk's lines, encoded as the export's file is, and how many there are."""
    lines = maker.lines(criteria.kept(reader.records(documents)))
    # A lone surrogate cannot be encoded; one replaced character beats a failed export.
    return "".join(lines).encode("utf-8", "replace"), len(lines)


def serve(conn: Connection) -> None:
    """A worker's life: take the ``Job``, say ``ready``, then write each chunk it is handed to
    the part file and say where it lies (``done``), until handed None; ``failed`` and out on
    any error."""
    try:
        job: Job = conn.recv()
        with PlanReader(job.plan) as reader, open(job.part, "wb") as out:
            maker = RowMaker(reader.texts, {}, job.tags, job.options, job.variables, job.values)
            conn.send(("ready",))
            offset = 0
            while (chunk := conn.recv()) is not None:
                k, documents = chunk
                maker.documents.update((d.id, d) for d in reader.summaries(documents))
                long_before = maker.long_cells
                data, rows = chunk_bytes(reader, maker, job.criteria, documents)
                out.write(data)
                out.flush()  # this process reads it as soon as it hears "done"
                conn.send(("done", k, offset, len(data), rows, maker.long_cells - long_before))
                offset += len(data)
    except EOFError:
        pass  # the export is over (or cancelled): nothing more to do
    except BaseException as exc:  # noqa: BLE001 - the parent must hear of it, whatever it was
        try:
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        except (OSError, ValueError):
            pass
    finally:
        conn.close()


def _send_job(conn: Connection, job: Job) -> None:
    """Runs on its own thread: the send waits until the worker, still starting, reads it."""
    try:
        conn.send(job)
    except (OSError, ValueError):
        pass  # the worker is gone; its end of the pipe says so


@dataclass
class _Worker:
    process: Any
    conn: Connection
    part: Path
    ready: bool = False
    handed: set[int] = field(default_factory=set)  # chunks given and not yet done
    done: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # offset, length, rows
    heard: float = field(default_factory=time.monotonic)
    ended: bool = False
    finishing: bool = False  # told that nothing more comes
    # Its end of the pipe is closed: it takes no more work, but what it said before leaving
    # ("done", "failed") is still to be read, so it ends when ``_listen`` reads its end.
    deaf: bool = False
    failure: str = ""
    _file: BinaryIO | None = None

    def hand(self, k: int, documents: tuple[int, ...]) -> bool:
        if not self._send((k, documents)):
            return False
        self.handed.add(k)
        return True

    def finish(self) -> None:
        """Nothing more comes: the worker does what it holds and leaves."""
        if not (self.ended or self.finishing):
            self.finishing = True
            self._send(None)

    def _send(self, message: object) -> bool:
        try:
            self.conn.send(message)
        except (OSError, ValueError):
            self.deaf = True
            return False
        return True

    def read(self, k: int) -> bytes:
        offset, length, _ = self.done[k]
        if self._file is None:
            self._file = open(self.part, "rb")
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:
            raise OSError(f"{self.part.name} holds {len(data)} of {length} bytes")
        return data

    def stop(self) -> None:
        """End the process (everything it could still do is written, or the export is over)
        and remove its part file."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        if self._file is not None:
            self._file.close()
        self.conn.close()
        self.part.unlink(missing_ok=True)


class Crew:
    """Worker processes, started as an export begins (they take a tenth of a second to start,
    which the export spends reading its selection) and briefed once its plan is known. Use as
    a context manager: leaving it ends every worker and removes their part files."""

    def __init__(self, count: int, target: Path) -> None:
        self.workers: list[_Worker] = []
        context = multiprocessing.get_context("spawn")
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=serve, args=(theirs,), daemon=True,
                                      name="annotator-csv-writer")
            try:
                with main_module_hidden():
                    process.start()
            except Exception as exc:  # noqa: BLE001 - a worker is a help, never a need
                log.info("no CSV worker (%s): this process writes every row", exc)
                ours.close()
                break
            finally:
                theirs.close()
            self.workers.append(_Worker(process, ours, temp_name(target)))

    def brief(self, job: Job) -> None:
        """Send each worker the job, on a thread per worker: a send waits until the worker,
        maybe still starting, reads it."""
        for worker in self.workers:
            briefing = dataclasses.replace(job, part=worker.part)
            threading.Thread(target=_send_job, args=(worker.conn, briefing), daemon=True,
                             name="annotator-csv-job").start()

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, *_exc: object) -> None:
        for worker in self.workers:
            worker.stop()

    @property
    def failures(self) -> list[str]:
        """What went wrong in workers whose chunks this process then wrote itself."""
        return [w.failure for w in self.workers if w.failure]


class ParallelWriter:
    """Writes the plan's rows into an open binary file, with the crew's help; this process
    reads its own chunks through ``reader`` (its caller's, and closed by it)."""

    def __init__(self, crew: Crew, reader: PlanReader, criteria: Criteria,
                 documents: dict[int, DocumentSummary], tags: dict[int, Tag],
                 options: CsvOptions, variables: Sequence[str],
                 values: dict[int, dict[str, str]]) -> None:
        plan = reader.plan
        self.reader, self.plan, self.criteria, self.documents = reader, plan, criteria, documents
        self.tags, self.options = tags, options
        self.variables, self.values = tuple(variables), values
        self.chunks = chunks_of(plan)
        sizes = dict(plan.documents)
        self.chunk_sizes = [sum(sizes[d] for d in chunk) for chunk in self.chunks]
        self.workers = crew.workers
        self.long_cells = 0
        self.lo, self.hi = 0, len(self.chunks)  # the chunks nobody has yet: [lo, hi)
        crew.brief(Job(dataclasses.replace(plan, documents=()), criteria, options, tags,
                       self.variables, values, Path()))

    def write(self, out: BinaryIO, report: Callable[[Progress], None],
              cancel: CancelToken | None) -> int:
        """Every row after the header; returns how many were written. Raises ``Cancelled``."""
        maker = RowMaker(self.reader.texts, self.documents, self.tags, self.options,
                         self.variables, self.values)
        try:
            return self._write(out, self.reader, maker, report, cancel)
        finally:
            self.long_cells += maker.long_cells

    def _write(self, out: BinaryIO, reader: PlanReader, maker: RowMaker,
               report: Callable[[Progress], None], cancel: CancelToken | None) -> int:
        total = self.plan.excerpts_at_most
        rows = written = 0  # written: excerpts of the chunks in the file so far

        def progress() -> None:
            done = written + sum(self.chunk_sizes[k] for w in self.workers for k in w.done)
            report(Progress(min(done, total), total, "Writing rows…"))

        def make(k: int) -> None:
            nonlocal rows, written
            _check_cancel(cancel)
            data, made = chunk_bytes(reader, maker, self.criteria, self.chunks[k])
            out.write(data)
            rows += made
            written += self.chunk_sizes[k]

        # This process's end: from the first chunk up, each written as soon as it is made.
        while self.lo < self.hi:
            k = self.lo
            self.lo += 1
            make(k)
            self._listen(0)
            self._hand_out()
            progress()
        for worker in self.workers:
            worker.finish()
        # The workers' end, in order: copied from their part files, or made here when their
        # worker ended without it.
        for k in range(self.lo, len(self.chunks)):
            while True:
                holder = next((w for w in self.workers if k in w.done), None)
                if holder is not None:
                    out.write(holder.read(k))
                    rows += holder.done[k][2]
                    written += self.chunk_sizes[k]
                    break
                owner = next((w for w in self.workers if k in w.handed and not w.ended), None)
                if owner is None:
                    make(k)
                    break
                self._wait(cancel)
            progress()
        return rows

    # ----------------------------------------------------------------- workers
    def _hand_out(self) -> None:
        """Top every ready worker up to ``AHEAD`` chunks, from the last unclaimed one down.
        A worker slow to start (a loaded machine) is handed nothing and costs nothing."""
        for worker in self.workers:
            while (worker.ready and not worker.ended and not worker.deaf
                   and len(worker.handed) < AHEAD and self.lo < self.hi):
                if not worker.hand(self.hi - 1, self.chunks[self.hi - 1]):
                    break
                self.hi -= 1

    def _listen(self, timeout: float) -> None:
        """Take in what the workers said (waiting up to ``timeout`` for the first word)."""
        live = {w.conn: w for w in self.workers if not w.ended}
        if not live:
            return
        for conn in wait(list(live), timeout):
            worker = live[conn]  # type: ignore[index]
            try:
                while True:
                    message = worker.conn.recv()
                    worker.heard = time.monotonic()
                    if message[0] == "ready":
                        worker.ready = True
                    elif message[0] == "done":
                        _, k, offset, length, made, long_cells = message
                        worker.handed.discard(k)
                        worker.done[k] = (offset, length, made)
                        self.long_cells += long_cells
                    else:
                        worker.ended, worker.failure = True, message[1]
                        break
                    if not worker.conn.poll():
                        break
            except (EOFError, OSError):
                worker.ended = True
                if worker.handed and not worker.failure:
                    worker.process.join(1)  # its pipe closed: it is gone or going
                    worker.failure = f"ended while writing (exit code {worker.process.exitcode})"

    def _wait(self, cancel: CancelToken | None) -> None:
        """Wait a little for word from a worker; stop one that has been silent too long."""
        _check_cancel(cancel)
        self._listen(_POLL_SECONDS)
        now = time.monotonic()
        for worker in self.workers:
            if not worker.ended and worker.handed and now - worker.heard > SILENCE_SECONDS:
                worker.process.kill()
                worker.ended, worker.failure = True, f"no word for {SILENCE_SECONDS:.0f} s"


def _check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled("export cancelled; no file was written")
