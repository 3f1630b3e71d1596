"""Reading files in worker processes, so a batch import extracts on every core while the parent
stores (the one writer), and a file that hangs a parser can be stopped alone.

Workers come from a ``forkserver`` context where the platform has one (a fresh interpreter
started by exec, never a fork of the caller, which may run Qt threads), else ``spawn``. The
fork server is started once per process and preloads the HTML and PDF readers (and any the
first batch needs), so workers start in milliseconds instead of importing trafilatura again;
they never import the caller's ``__main__`` (``main_module_hidden``).

Each worker reads one file at a time, so a file over its time limit is stopped by ending its
worker, which is then replaced. Given the project's staging folder, a worker also writes the
copy of the original there (synced, under a temporary name: ``original_copy.stage_copy``), so
the writer only renames it. Results come back in any order; ``ReaderPool`` hands them out in
file order, so the documents are stored (and numbered) as a serial import would.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed, PasswordRequired
from annotator.core.extracted import Extracted
from annotator.core.original_copy import stage_copy
from annotator.core.progress import CancelToken
from annotator.core.stale_files import PARTIAL_COPY_PREFIX
from annotator.core.worker_processes import main_module_hidden, usable_cores
from annotator.importers.limits import ImportLimits

# How long a cancel waits at most to be seen while every worker is busy.
_POLL_SECONDS = 0.1
# Files read ahead of the one being stored, per worker: keeps workers busy while the parent
# stores, without holding a whole folder of extracted texts in memory.
_READ_AHEAD_PER_WORKER = 4
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

_ALWAYS_PRELOADED = ("annotator.importers.html", "annotator.importers.pdf")


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """Why a file could not be read; ``needs_password`` for encrypted PDFs."""

    message: str
    needs_password: bool = False


@dataclass(frozen=True, slots=True)
class Staged:
    """A file read in a worker whose original's copy the worker already wrote at ``copy`` (a
    temporary name in the project's staging folder); ``extracted`` no longer carries the
    bytes."""

    extracted: Extracted
    copy: Path


ReadResult = Extracted | ReadFailure | Staged
Reader = Callable[[Path, str | None, ImportLimits, bool], ReadResult]


# Plain-text formats cost next to nothing to read: passing them through a worker costs more.
READ_IN_PROCESS = frozenset({".txt", ".text", ".md", ".markdown"})

# CPU seconds the workers of this process spent reading, summed over every batch: a worker's
# time is not in this process's own CPU figures (the fork server is its parent). Benchmarks
# report it beside the caller's.
reader_cpu_seconds = 0.0


def worker_count(files: int) -> int:
    """One worker per core this process may use, never more than there are files. (One per
    core but one, leaving the storing caller a core, measured slower on 2 cores: 60 HTML
    files at 25 docs/s against 38 with two workers and 31 read in-process.)"""
    return max(1, min(usable_cores(), files, _MAX_WORKERS))


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


def _staged(result: ReadResult, path: Path, stage_in: tuple[Path, str] | None) -> ReadResult:
    """Write the copy of the original now, in the worker, when there is somewhere to put it.
    If it cannot be written here (a full disk), the bytes travel back and the writer tries,
    so the file fails with the writer's own words."""
    if stage_in is None or not isinstance(result, Extracted) or not result.original_bytes:
        return result
    try:
        copy = stage_copy(stage_in[0], path, result.original_bytes, tag=stage_in[1])
    except OSError:
        return result
    return Staged(dataclasses.replace(result, original_bytes=b""), copy)


def _serve(conn: Connection, password: str | None, limits: ImportLimits, keep_furniture: bool,
           stage_in: tuple[Path, str] | None, reader: Reader) -> None:
    """Worker loop: read each path sent until ``None`` (or the parent goes away). Each answer
    carries the CPU time the file took."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path = job
        started = time.process_time()
        try:
            result = _staged(reader(path, password, limits, keep_furniture), path, stage_in)
        except BaseException as exc:  # noqa: BLE001 - a worker must answer, whatever happened
            result = ReadFailure(f"could not be read: {type(exc).__name__}: {exc}")
        spent = time.process_time() - started
        try:
            conn.send((index, result, spent))
        except (OSError, ValueError) as exc:  # e.g. a result too large to pickle
            if isinstance(result, Staged):
                result.copy.unlink(missing_ok=True)
            conn.send((index, ReadFailure(f"could not be passed back from the reader: {exc}"),
                       spent))


def _context(suffixes: set[str]) -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Only takes effect when the server starts (the first batch of this process). HTML and
    # PDF readers always: the server outlives this batch, and a later batch of the other kind
    # would otherwise have every one of its workers import its reader again. Never
    # "__main__": workers do not import it (``main_module_hidden``).
    preload = {"annotator.importers", *_ALWAYS_PRELOADED} | {
        _READER_MODULES[s] for s in suffixes if s in _READER_MODULES}
    context.set_forkserver_preload(sorted(preload))
    return context


_Args = tuple[str | None, ImportLimits, bool, tuple[Path, str] | None, Reader]


class _Worker:
    def __init__(self, context: Any, args: _Args) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, *args),
                                       daemon=True, name="annotator-import-reader")
        with main_module_hidden():
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


class ReaderPool:
    """Worker processes reading ``files``; ``take`` hands out one result per file, in the
    order of ``files``. Once ``cancel`` is set only the file the caller waits for is still
    read (for at most ``CANCEL_GRACE_SECONDS``); ``close`` ends the workers (a file being read
    is abandoned). ``reader`` (a module-level function, as workers import it by name) is
    ``read_one`` but in tests; with ``stage_in``, workers write the originals' copies there
    (``Staged`` results)."""

    def __init__(
        self,
        files: Sequence[Path],
        *,
        password: str | None,
        limits: ImportLimits,
        workers: int,
        keep_furniture: bool = False,
        cancel: CancelToken | None = None,
        reader: Reader = read_one,
        stage_in: Path | None = None,
    ) -> None:
        self._context = _context({p.suffix.lower() for p in files})
        # Copies this pool's workers stage are named after it, so close() finds leftovers.
        self._staging = (stage_in, f"{secrets.token_hex(4)}-") if stage_in is not None else None
        self._args: _Args = (password, limits, keep_furniture, self._staging, reader)
        self._max_seconds = limits.max_seconds
        self._cancel = cancel
        self._cancelled_at: float | None = None
        self._queue = deque(enumerate(files))
        self._count = len(files)
        self._window = workers * _READ_AHEAD_PER_WORKER
        self._wanted = 0  # the index of the next result to hand out
        self._results: dict[int, ReadResult] = {}
        self._pool: list[_Worker] = []
        try:
            self._pool.extend(_Worker(self._context, self._args) for _ in range(workers))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether the next result is in (waiting up to ``timeout`` seconds for it); also
        true once there is nothing more to hand out, so ``take`` never blocks after it."""
        deadline = time.monotonic() + timeout
        while self._wanted not in self._results and not self._gave_up():
            self._dispatch()
            self._collect(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                break
        return self._wanted in self._results or self._gave_up()

    def take(self) -> ReadResult | None:
        """The next file's result, waiting for it; None when none is left or the import was
        cancelled while this file was read and its grace ran out."""
        while self._wanted not in self._results:
            if self._gave_up():
                return None
            self._dispatch()
            self._collect(_POLL_SECONDS)
        self._wanted += 1
        return self._results.pop(self._wanted - 1)

    def close(self) -> None:
        for worker in self._pool:
            if worker.job is None:
                worker.stop()
            else:
                worker.process.kill()  # cancelled mid-file: nothing of it is stored
        for worker in self._pool:
            worker.join()
        self._pool = []
        self._results.clear()
        if self._staging is not None:
            # Copies of files read but never taken, or cut short when a worker was ended.
            folder, tag = self._staging
            for leftover in folder.glob(f"{PARTIAL_COPY_PREFIX}{tag}*"):
                leftover.unlink(missing_ok=True)

    def _gave_up(self) -> bool:
        if self._wanted >= self._count:
            return True
        if self._cancelled_at is None and self._cancel is not None and self._cancel.cancelled:
            self._cancelled_at = time.monotonic()
        return (self._cancelled_at is not None
                and time.monotonic() - self._cancelled_at > CANCEL_GRACE_SECONDS)

    def _dispatch(self) -> None:
        # Once cancelled, only the file in hand is still read.
        limit = self._wanted + (self._window if self._cancelled_at is None else 1)
        for worker in self._pool:
            if worker.job is None and self._queue and self._queue[0][0] < limit:
                worker.send(*self._queue.popleft())

    def _collect(self, timeout: float) -> None:
        """Wait for a result, a dead worker or a deadline (at most ``timeout``)."""
        global reader_cpu_seconds
        busy = [w for w in self._pool if w.job is not None]
        if not busy:
            return
        now = time.monotonic()
        nearest = min(started + self._max_seconds for _, started in
                      (w.job for w in busy if w.job))
        timeout = max(0.0, min(timeout, nearest - now))
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        for slot, worker in enumerate(self._pool):
            if worker.job is None:
                continue
            index, started = worker.job
            failure: ReadFailure | None = None
            if worker.conn in ready:
                try:
                    got, result, spent = worker.conn.recv()
                except (EOFError, OSError):
                    failure = ReadFailure(_died(worker))
                else:
                    self._results[got] = result
                    reader_cpu_seconds += spent
                    worker.job = None
                    continue
            elif worker.process.sentinel in ready:
                failure = ReadFailure(_died(worker))
            elif time.monotonic() - started > self._max_seconds:
                failure = ReadFailure(f"took longer than {self._max_seconds:g} s to read; "
                                      "stopped (a damaged or unusually complex file?)")
            if failure is not None:
                self._results[index] = failure
                worker.kill()
                self._pool[slot] = _Worker(self._context, self._args)


def _died(worker: _Worker) -> str:
    worker.process.join(1)
    code = worker.process.exitcode
    return ("the reader stopped unexpectedly while reading this file"
            + (f" (exit code {code})" if code is not None else ""))
