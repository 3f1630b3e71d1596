"""Reading files in worker processes, so a batch import extracts on every core while the parent
stores (the one writer), and a file that hangs a parser can be stopped alone.

Workers come from a ``forkserver`` context where the platform has one (a fresh interpreter
started by exec, never a fork of the caller, which may run Qt threads), else ``spawn``. The
fork server is started once per process and preloads the readers the first batch needs, so a
later batch's workers start in milliseconds instead of importing trafilatura again.

Each worker reads one file at a time, so a file over its time limit is stopped by ending its
worker, which is then replaced. Results come back in any order; ``extract_in_parallel`` hands
them out in file order, so the documents are stored (and numbered) as a serial import would.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed, PasswordRequired
from annotator.core.extracted import Extracted
from annotator.core.progress import CancelToken
from annotator.importers.limits import ImportLimits

# How long a cancel waits at most to be seen while every worker is busy.
_POLL_SECONDS = 0.1
# Files read ahead of the one being stored, per worker: keeps workers busy while the parent
# stores, without holding a whole folder of extracted texts in memory.
_READ_AHEAD_PER_WORKER = 3
_MAX_WORKERS = 8
# On cancel, the file in hand (the one the caller waits for) is still finished, as a serial
# import would, unless it takes longer than this: a hanging file must not hold up a cancel.
CANCEL_GRACE_SECONDS = 10.0

# Reader modules a worker would import for these suffixes; the fork server imports them once.
_READER_MODULES = {
    ".html": "annotator.importers.html", ".htm": "annotator.importers.html",
    ".xhtml": "annotator.importers.html", ".pdf": "annotator.importers.pdf",
    ".docx": "annotator.importers.docx", ".odt": "annotator.importers.odt",
    ".epub": "annotator.importers.epub",
}


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """Why a file could not be read; ``needs_password`` for encrypted PDFs."""

    message: str
    needs_password: bool = False


ReadResult = Extracted | ReadFailure
Reader = Callable[[Path, str | None, ImportLimits, bool], ReadResult]


# Plain-text formats cost next to nothing to read: passing them through a worker costs more.
READ_IN_PROCESS = frozenset({".txt", ".text", ".md", ".markdown"})


def worker_count(files: int) -> int:
    """One worker per core this process may use, never more than there are files. (One per
    core but one, leaving the storing caller a core, measured slower on 2 cores: 60 HTML
    files at 25 docs/s against 38 with two workers and 31 read in-process.)"""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, files, _MAX_WORKERS))


def read_one(path: Path, password: str | None, limits: ImportLimits,
             keep_furniture: bool = False) -> ReadResult:
    """``importers.read`` with its failures as values (what a worker sends back)."""
    from annotator.importers import read

    try:
        return read(path, password=password, limits=limits, keep_furniture=keep_furniture)
    except PasswordRequired as exc:
        return ReadFailure(str(exc), needs_password=True)
    except ImportFailed as exc:
        return ReadFailure(str(exc))


def _serve(conn: Connection, password: str | None, limits: ImportLimits, keep_furniture: bool,
           reader: Reader) -> None:
    """Worker loop: read each path sent until ``None`` (or the parent goes away)."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path = job
        try:
            result = reader(path, password, limits, keep_furniture)
        except BaseException as exc:  # noqa: BLE001 - a worker must answer, whatever happened
            result = ReadFailure(f"could not be read: {type(exc).__name__}: {exc}")
        try:
            conn.send((index, result))
        except (OSError, ValueError) as exc:  # e.g. a result too large to pickle
            conn.send((index, ReadFailure(f"could not be passed back from the reader: {exc}")))


def _context(suffixes: set[str]) -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Only takes effect when the server starts (the first batch of this process). "__main__"
    # (imported as "__mp_main__", so a guarded entry point does not run) is imported there
    # once instead of by every worker, as multiprocessing does for each spawned process.
    preload = {"annotator.importers"} | {_READER_MODULES[s] for s in suffixes
                                         if s in _READER_MODULES}
    context.set_forkserver_preload(["__main__", *sorted(preload)])
    return context


class _Worker:
    def __init__(self, context: Any, args: tuple[str | None, ImportLimits, bool, Reader]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, *args),
                                       daemon=True, name="annotator-import-reader")
        self.process.start()
        child.close()
        self.job: tuple[int, float] | None = None  # (file index, when it was sent)

    def send(self, index: int, path: Path) -> None:
        self.conn.send((index, path))
        self.job = (index, time.monotonic())

    def stop(self) -> None:
        """Ask an idle worker to leave (``join`` reaps it)."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.conn.close()

    def join(self) -> None:
        self.process.join(5)
        if self.process.is_alive():
            self.kill()
        elif not self.conn.closed:
            self.conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        if not self.conn.closed:
            self.conn.close()


def extract_in_parallel(
    files: Sequence[Path],
    *,
    password: str | None,
    limits: ImportLimits,
    keep_furniture: bool = False,
    workers: int,
    cancel: CancelToken | None = None,
    reader: Reader = read_one,
) -> Generator[ReadResult, None, None]:
    """Yield one result per file, in the order of ``files``. Stops (and ends its workers) when
    the caller stops iterating, or once ``cancel`` is set and the file in hand is read (or
    ``CANCEL_GRACE_SECONDS`` passed). ``reader`` (a module-level function, as
    workers import it by name) is ``read_one`` but in tests."""
    context = _context({p.suffix.lower() for p in files})
    args = (password, limits, keep_furniture, reader)
    pool: list[_Worker] = []
    results: dict[int, ReadResult] = {}
    queue = deque(enumerate(files))
    window = workers * _READ_AHEAD_PER_WORKER
    try:
        pool.extend(_Worker(context, args) for _ in range(workers))
        cancelled_at: float | None = None
        for wanted in range(len(files)):
            while wanted not in results:
                if cancelled_at is None and cancel is not None and cancel.cancelled:
                    cancelled_at = time.monotonic()
                if (cancelled_at is not None
                        and time.monotonic() - cancelled_at > CANCEL_GRACE_SECONDS):
                    return
                for worker in pool:
                    # Once cancelled, only the file in hand is still read.
                    limit = wanted + (window if cancelled_at is None else 1)
                    if worker.job is None and queue and queue[0][0] < limit:
                        worker.send(*queue.popleft())
                _collect(pool, results, limits.max_seconds, context, args)
            yield results.pop(wanted)
    finally:
        for worker in pool:
            if worker.job is None:
                worker.stop()
            else:
                worker.process.kill()  # cancelled mid-file: nothing of it is stored
        for worker in pool:
            worker.join()


def _collect(pool: list[_Worker], results: dict[int, ReadResult], max_seconds: float,
             context: Any, args: tuple[str | None, ImportLimits, bool, Reader]) -> None:
    """Wait for a result, a dead worker or a deadline (at most ``_POLL_SECONDS``)."""
    busy = [w for w in pool if w.job is not None]
    if not busy:
        return
    now = time.monotonic()
    nearest = min(started + max_seconds for _, started in (w.job for w in busy if w.job))
    timeout = max(0.0, min(_POLL_SECONDS, nearest - now))
    ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
    for slot, worker in enumerate(pool):
        if worker.job is None:
            continue
        index, started = worker.job
        failure: ReadFailure | None = None
        if worker.conn in ready:
            try:
                got, result = worker.conn.recv()
            except (EOFError, OSError):
                failure = ReadFailure(_died(worker))
            else:
                results[got] = result
                worker.job = None
                continue
        elif worker.process.sentinel in ready:
            failure = ReadFailure(_died(worker))
        elif time.monotonic() - started > max_seconds:
            failure = ReadFailure(f"took longer than {max_seconds:g} s to read; stopped "
                                  "(a damaged or unusually complex file?)")
        if failure is not None:
            results[index] = failure
            worker.kill()
            pool[slot] = _Worker(context, args)


def _died(worker: _Worker) -> str:
    worker.process.join(1)
    code = worker.process.exitcode
    return ("the reader stopped unexpectedly while reading this file"
            + (f" (exit code {code})" if code is not None else ""))
