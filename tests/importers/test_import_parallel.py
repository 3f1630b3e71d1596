"""Batch import reading files in worker processes: the same documents, ids and messages as a
serial import, a hanging or crashing file failing alone, cancel ending the workers."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.core.progress import CancelToken
from annotator.importers import batch, parallel
from annotator.importers.batch import import_paths
from annotator.importers.limits import ImportLimits
from annotator.importers.parallel import ReaderPool, ReadFailure, ReadResult
from tests.importers.stub_readers import crash_on_crash_files, hang_on_hang_files
from tests.importers.test_import_batch import FakeLibrary

WriteFile = Callable[[str, bytes], Path]


def extract_in_parallel(files: list[Path], **options: object) -> Iterator[ReadResult]:
    """One result per file, in the order of ``files``: a ``ReaderPool`` taken to the end (or
    until the caller stops iterating)."""
    with ReaderPool(files, **options) as pool:  # type: ignore[arg-type]
        while (result := pool.take()) is not None:
            yield result
PdfBuilder = Callable[..., bytes]

HTML = ("<html><head><title>{title}</title></head><body><nav>Home | World</nav><article>"
        "<h1>{title}</h1><p>{body} The committee met on Tuesday to weigh the tariff schedule "
        "and the steel quotas that ministers had argued over for months.</p></article></body>"
        "</html>")


def _articles(write_file: WriteFile, count: int) -> None:
    for i in range(count):
        write_file(f"{i}.html", HTML.format(title=f"Story {i}", body=f"Body {i}.").encode())


def _mixed_folder(write_file: WriteFile, make_pdf: PdfBuilder) -> None:
    for i in range(6):
        write_file(f"{i:02d} page.html", HTML.format(title=f"Story {i}", body=f"Body {i}.").encode())
        write_file(f"{i:02d} note.txt", f"Plain note number {i}.".encode())
    write_file("07 again.txt", b"Plain note number 3.")  # a duplicate of "03 note.txt"
    write_file("08 brief.pdf", make_pdf(["Page one of the brief.", "Page two."]))
    write_file("09 broken.pdf", b"%PDF-1.7\n1 0 obj <<")
    write_file("10 locked.pdf", make_pdf(["Secret"], user_password="pw"))


def test_parallel_import_gives_what_a_serial_one_gives(
    write_file: WriteFile, make_pdf: PdfBuilder, tmp_path: Path
) -> None:
    _mixed_folder(write_file, make_pdf)
    serial, parallel = FakeLibrary(), FakeLibrary()
    one = list(import_paths(serial, [tmp_path], workers=0))
    two = list(import_paths(parallel, [tmp_path], workers=2))
    assert len(one) == 16
    assert one == two  # same files, order, statuses, ids, titles and messages
    assert serial.stored == parallel.stored
    assert serial.originals == parallel.originals
    statuses = {o.path.name: o.status for o in two}
    assert statuses["07 again.txt"] == "duplicate"
    assert statuses["09 broken.pdf"] == "failed"
    assert [o.needs_password for o in two if o.path.name == "10 locked.pdf"] == [True]
    assert not multiprocessing.active_children()


def test_parallel_import_into_a_real_library_numbers_documents_in_file_order(
    write_file: WriteFile, tmp_path: Path
) -> None:
    from annotator.core.library import Library

    inbox = tmp_path / "in"
    for i in range(5):
        write_file(f"in/{i}.html", HTML.format(title=f"Story {i}", body=f"Body {i}.").encode())
    with Library.create(tmp_path / "p.annotator") as library:
        outcomes = list(import_paths(library, [inbox], workers=2))
        assert [o.document_id for o in outcomes] == [1, 2, 3, 4, 5]
        assert [library.document(i).title for i in range(1, 6)] == [f"Story {i}" for i in range(5)]


def test_a_hanging_file_times_out_alone(write_file: WriteFile, tmp_path: Path) -> None:
    files = [write_file(name, name.encode()) for name in ("a.txt", "hang.txt", "b.txt", "c.txt")]
    results = list(extract_in_parallel(files, password=None, limits=ImportLimits(max_seconds=1),
                                       workers=2, reader=hang_on_hang_files))
    assert [getattr(r, "text", None) for r in results] == ["a.txt", None, "b.txt", "c.txt"]
    assert results[1] == ReadFailure(
        "took longer than 1 s to read; stopped (a damaged or unusually complex file?)")
    assert not multiprocessing.active_children()


def test_workers_do_not_run_the_callers_main_module(
    write_file: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker re-running the caller's main script (the GUI's, a benchmark's) paid for
    every import at its top before reading a file."""
    marker = tmp_path / "main ran"
    script = write_file("main_script.py", (
        "import os, pathlib\n"
        f"pathlib.Path({str(marker)!r}).open('a').write(f'{{os.getpid()}}\\n')\n").encode())
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    files = [write_file(f"{i}.html", b"<p>x</p>") for i in range(3)]
    results = list(extract_in_parallel(files, password=None, limits=ImportLimits(),
                                       workers=2, reader=hang_on_hang_files))
    assert all(not isinstance(r, ReadFailure) for r in results)
    assert not marker.exists()


def test_a_crashing_reader_fails_its_file_alone(write_file: WriteFile, tmp_path: Path) -> None:
    files = [write_file(name, name.encode()) for name in ("a.txt", "crash.txt", "b.txt")]
    results = list(extract_in_parallel(files, password=None, limits=ImportLimits(),
                                       workers=2, reader=crash_on_crash_files))
    assert [getattr(r, "text", None) for r in results] == ["a.txt", None, "b.txt"]
    assert isinstance(results[1], ReadFailure)
    assert results[1].message == "the reader stopped unexpectedly while reading this file (exit code 3)"


def test_cancel_while_the_first_file_is_read_still_stores_it(
    write_file: WriteFile, tmp_path: Path
) -> None:
    _articles(write_file, 8)
    token = CancelToken()
    library = FakeLibrary()
    # Pressed as the dialog shows "File 1 of 8", before any worker has answered.
    outcomes = list(import_paths(library, [tmp_path], cancel=token, workers=2,
                                 progress=lambda _p: token.cancel()))
    assert [o.path.name for o in outcomes] == ["0.html"]
    assert not multiprocessing.active_children()


def test_cancel_stops_a_parallel_import_and_its_workers(
    write_file: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel pressed as the first outcome arrives: the files stored with it are reported,
    nothing after them is stored, the workers end and the copies they wrote of files never
    stored are removed."""
    from annotator.core.library import Library

    monkeypatch.setattr(batch, "STORE_BATCH_FILES", 2)
    for i in range(12):
        write_file(f"in/{i:02d}.html", HTML.format(title=f"Story {i}", body=f"Body {i}.").encode())
    token = CancelToken()
    with Library.create(tmp_path / "p.annotator") as library:
        outcomes = []
        for outcome in import_paths(library, [tmp_path / "in"], cancel=token, workers=2):
            outcomes.append(outcome)
            token.cancel()  # pressed while the first file is being stored
        assert 1 <= len(outcomes) <= 2
        assert [o.path.name for o in outcomes] == [f"{i:02d}.html" for i in range(len(outcomes))]
        assert [d.id for d in library.documents()] == [o.document_id for o in outcomes]
        assert sorted(p.name for p in (library.folder / "sources").iterdir()) == [
            f"{o.document_id:05d} {o.path.name}" for o in outcomes]
    assert not multiprocessing.active_children()


def test_cancel_while_a_file_hangs_ends_after_the_grace(
    write_file: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "CANCEL_GRACE_SECONDS", 0.5)
    files = [write_file(name, name.encode()) for name in ("hang.txt", "b.txt", "c.txt")]
    token = CancelToken()
    results = extract_in_parallel(files, password=None, limits=ImportLimits(), workers=2,
                                  cancel=token, reader=hang_on_hang_files)
    threading.Timer(0.5, token.cancel).start()  # the user presses Cancel while it hangs
    assert list(results) == []
    assert not multiprocessing.active_children()
