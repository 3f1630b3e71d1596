"""The copy under sources/ is exactly the bytes that were parsed, and all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.errors import InvalidInput, StorageFailed
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.store import Store
from annotator.importers import read


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.create(tmp_path / "p.annotator")
    try:
        yield lib
    finally:
        lib.close()


def _sources(library: Library) -> list[str]:
    folder = library.folder / "sources"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _import_fails(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    error: type[BaseException], message: str,
) -> Path:
    """Import a fresh file with the patched failure in place; nothing may be left behind."""
    path = tmp_path / "memo.txt"
    path.write_bytes(b"Text that must not be half imported.")
    with pytest.raises(error, match=message):
        library.add_document(read(path), original=path)
    monkeypatch.undo()
    assert library.documents() == []
    assert _sources(library) == []
    return path


def test_stored_copy_is_what_was_parsed_even_if_the_file_changes(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "memo.txt"
    path.write_bytes("Première version du mémo.".encode("cp1252"))
    extracted = read(path)
    path.write_text("An editor saved a different text over it.", encoding="utf-8")
    document = library.add_document(extracted, original=path)
    stored = library.original_path(document.id)
    assert stored is not None
    assert stored.read_bytes() == "Première version du mémo.".encode("cp1252")
    assert library.document_text(document.id) == "Première version du mémo."
    assert _sources(library) == [stored.name]  # no temporary file left beside it


def test_file_vanishing_between_read_and_copy_still_stores_the_read_bytes(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "gone.txt"
    path.write_bytes(b"Read, then deleted by a sync client.")
    extracted = read(path)
    path.unlink()
    document = library.add_document(extracted, original=path)
    stored = library.original_path(document.id)
    assert stored is not None and stored.read_bytes() == b"Read, then deleted by a sync client."


def test_without_kept_bytes_a_vanished_file_leaves_no_document_and_no_file(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "gone.txt"
    with pytest.raises(InvalidInput, match="^file vanished before it could be copied$"):
        library.add_document(Extracted(text="Some text.", format="txt"), original=path)
    assert library.documents() == []
    assert _sources(library) == []


@pytest.mark.parametrize("step", ["next_generation", "sync_folder"])
def test_failure_after_the_copy_leaves_no_document_and_no_file(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    from annotator.core import document_batch

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    target = Store if step == "next_generation" else document_batch
    monkeypatch.setattr(target, step, fail)
    path = _import_fails(library, tmp_path, monkeypatch, RuntimeError, "disk full")
    # and the same file imports cleanly afterwards
    document = library.add_document(read(path), original=path)
    assert _sources(library) == [Path(library.original_path(document.id) or "").name]


def test_failed_write_of_the_copy_leaves_no_temporary_file(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.core.original_copy as original_copy

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(original_copy.os, "replace", fail)
    # The Library says what happened in one sentence (issue 14): no raw OSError.
    _import_fails(library, tmp_path, monkeypatch, StorageFailed, "the disk holding .* is full")
