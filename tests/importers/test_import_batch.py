"""Batch import: file listing, outcomes, progress, cancel; a fake library and the real one."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import DuplicateDocument, ImportFailed
from annotator.core.extracted import Extracted, NewDocument
from annotator.core.progress import CancelToken, Progress
from annotator.importers.batch import ImportOutcome, import_paths, iter_files

WriteFile = Callable[[str, bytes], Path]
PdfBuilder = Callable[..., bytes]


@dataclass(frozen=True)
class FakeDocument:
    id: int
    title: str


@dataclass
class FakeLibrary:
    """Stores texts in memory and refuses duplicates by exact text, like Library does by hash."""

    stored: dict[str, FakeDocument] = field(default_factory=dict)
    originals: list[Path] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add_document(self, extracted: Extracted, *, original: Path | None = None) -> FakeDocument:
        if extracted.text in self.stored:
            raise DuplicateDocument(self.stored[extracted.text].id)
        document = FakeDocument(next(self.ids), extracted.title)
        self.stored[extracted.text] = document
        if original is not None:
            self.originals.append(original)
        return document

    def add_documents(self, items: Sequence[NewDocument]) -> list[object]:
        results: list[object] = []
        for item in items:
            try:
                results.append(self.add_document(item.extracted, original=item.original))
            except DuplicateDocument as exc:
                results.append(exc)
        return results

    def staging_folder(self) -> None:
        return None  # workers send the bytes back, as for a read-only project


def _by_name(outcomes: list[ImportOutcome]) -> dict[str, ImportOutcome]:
    return {o.path.name: o for o in outcomes}


def test_iter_files_skips_hidden_saved_page_folders_and_unknown_types(tmp_path: Path) -> None:
    for name in ("b.txt", "A.md", "sub/c.html", "sub/deeper/d.pdf", ".hidden.txt",
                 ".git/config.txt", "page_files/inner.html", "page.html", "image.png",
                 "sub/page.HTM", "sub/Seite.htm", "sub/Seite-Dateien/x.html",
                 "case_files/memo.txt"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path], recursive=True)]
    assert names == ["A.md", "b.txt", "case_files/memo.txt", "page.html", "sub/c.html",
                     "sub/deeper/d.pdf", "sub/page.HTM", "sub/Seite.htm"]
    flat = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path], recursive=False)]
    assert flat == ["A.md", "b.txt", "page.html"]


def test_iter_files_keeps_named_files_in_order_without_repeats(tmp_path: Path) -> None:
    (tmp_path / "z.xyz").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    listed = iter_files([tmp_path / "z.xyz", tmp_path, tmp_path / "a.txt"], recursive=True)
    assert [p.name for p in listed] == ["z.xyz", "a.txt"]


def test_import_paths_reports_each_file(write_file: WriteFile, tmp_path: Path) -> None:
    write_file("one.txt", b"First article text")
    write_file("two.txt", b"Second article text")
    write_file("copy of one.txt", b"First article text")
    write_file("empty.txt", b"")
    write_file("slides.pptx", b"zip")  # named explicitly below, so it is reported
    library = FakeLibrary()
    outcomes = _by_name(list(import_paths(library, [tmp_path, tmp_path / "slides.pptx",
                                                    tmp_path / "missing.txt"])))
    assert outcomes["copy of one.txt"] == ImportOutcome(
        tmp_path / "copy of one.txt", "imported", 1, "First article text", ""
    )
    assert outcomes["one.txt"].status == "duplicate"
    assert outcomes["one.txt"].document_id == 1
    assert outcomes["two.txt"].status == "imported"
    assert (outcomes["empty.txt"].status, outcomes["empty.txt"].message) == ("failed", "empty file")
    assert outcomes["slides.pptx"].message == "unsupported file type .pptx"
    assert outcomes["missing.txt"].message == "no such file or folder"
    assert len(library.stored) == 2


def test_progress_counts_files_and_names_them(write_file: WriteFile, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        write_file(name, name.encode())
    seen: list[Progress] = []
    list(import_paths(FakeLibrary(), [tmp_path], progress=seen.append))
    assert seen == [Progress(0, 3, "a.txt"), Progress(1, 3, "b.txt"), Progress(2, 3, "c.txt"),
                    Progress(3, 3)]


def test_cancel_stops_after_the_current_file(write_file: WriteFile, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        write_file(name, name.encode())
    token = CancelToken()
    library = FakeLibrary()

    def press_cancel_on_b(progress: Progress) -> None:
        if progress.label == "b.txt":
            token.cancel()  # the user presses Cancel while b.txt is being imported

    outcomes = list(import_paths(library, [tmp_path], cancel=token, progress=press_cancel_on_b))
    assert [o.path.name for o in outcomes] == ["a.txt", "b.txt"]
    assert sorted(library.stored) == ["a.txt", "b.txt"]


def test_cancel_while_outcomes_arrive_reports_exactly_what_was_stored(
    write_file: WriteFile, tmp_path: Path
) -> None:
    """Files are stored several at a time: a cancel pressed as the first outcome arrives still
    reports the others stored with it, and nothing after them is read."""
    for i in range(200):
        write_file(f"{i:03d}.txt", f"note {i}".encode())
    token = CancelToken()
    library = FakeLibrary()
    outcomes = []
    for outcome in import_paths(library, [tmp_path], cancel=token):
        outcomes.append(outcome)
        token.cancel()
    assert 1 <= len(outcomes) < 200
    assert [o.path.name for o in outcomes] == [f"{i:03d}.txt" for i in range(len(outcomes))]
    assert len(library.stored) == len(outcomes)


def test_file_vanishing_between_listing_and_reading(write_file: WriteFile, tmp_path: Path) -> None:
    write_file("a.txt", b"first")
    doomed = write_file("b.txt", b"second")

    def delete_b_when_it_comes_up(progress: Progress) -> None:
        if progress.label == "b.txt":
            doomed.unlink()

    outcomes = _by_name(list(import_paths(FakeLibrary(), [tmp_path],
                                          progress=delete_b_when_it_comes_up)))
    assert outcomes["a.txt"].status == "imported"
    assert outcomes["b.txt"].status == "failed"
    assert outcomes["b.txt"].message == "file vanished before it could be read"


def test_password_applies_to_encrypted_pdfs(
    write_file: WriteFile, make_pdf: PdfBuilder, tmp_path: Path
) -> None:
    write_file("locked.pdf", make_pdf(["Secret brief text"], user_password="pw"))
    [without] = import_paths(FakeLibrary(), [tmp_path])
    assert (without.status, without.message, without.needs_password) == (
        "failed", "encrypted: password needed", True
    )
    [wrong] = import_paths(FakeLibrary(), [tmp_path], password="nope")
    assert wrong.message == "wrong password"
    [right] = import_paths(FakeLibrary(), [tmp_path], password="pw")
    assert right.status == "imported"


def test_library_refusal_is_a_failed_outcome(write_file: WriteFile, tmp_path: Path) -> None:
    class RefusingLibrary:
        def add_documents(self, items: Sequence[NewDocument]) -> list[object]:
            raise ImportFailed("project is read-only")

        def staging_folder(self) -> None:
            return None

    write_file("a.txt", b"text")
    [outcome] = import_paths(RefusingLibrary(), [tmp_path])
    assert (outcome.status, outcome.title, outcome.message) == ("failed", "text",
                                                                 "project is read-only")


def test_end_to_end_with_a_real_library(
    write_file: WriteFile, make_pdf: PdfBuilder, tmp_path: Path
) -> None:
    from annotator.core.library import Library

    inbox = tmp_path / "inbox — Études"
    inbox.mkdir()
    (inbox / "wire copy.txt").write_bytes("Tariff talks resume in Ottawa — café.".encode("cp1252"))
    (inbox / "brief.pdf").write_bytes(make_pdf(["Page one of the brief.", "Page two."]))
    (inbox / "again.txt").write_text("Tariff talks resume in Ottawa — café.", encoding="utf-8")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    library = Library.create(tmp_path / "p.annotator")
    try:
        outcomes = _by_name(list(import_paths(library, [inbox])))
        assert outcomes["again.txt"].status == "imported"
        assert outcomes["wire copy.txt"].status == "duplicate"
        assert outcomes["wire copy.txt"].document_id == outcomes["again.txt"].document_id
        assert outcomes["broken.pdf"].status == "failed"
        assert outcomes["broken.pdf"].message.startswith("not a valid PDF: ")
        pdf_id = outcomes["brief.pdf"].document_id
        assert pdf_id is not None
        document = library.document(pdf_id)
        text = library.document_text(pdf_id)
        assert text == "Page one of the brief.\n\nPage two."
        assert [(s.number, s.start, s.end) for s in document.page_map] == [(1, 0, 22), (2, 24, 33)]
        assert library.original_path(pdf_id) is not None
        assert library.original_path(pdf_id).read_bytes() == (inbox / "brief.pdf").read_bytes()
        assert len(library.documents()) == 2
        sources = sorted(p.name for p in (tmp_path / "p.annotator" / "sources").iterdir())
        assert len(sources) == 2  # nothing left behind by the failed or duplicate files
    finally:
        library.close()


def test_unsupported_files_in_folders_are_counted_by_type(tmp_path: Path) -> None:
    from annotator.importers.batch import SkippedFiles

    for name in ("a.doc", "b.rtf", "c.pages", "d.DOC", "sub/e.doc", "README", "keep.txt",
                 ".hidden.doc", "page.html", "page_files/logo.png"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    skipped = SkippedFiles()
    files = iter_files([tmp_path], recursive=True, skipped=skipped)
    assert [p.name for p in files] == ["keep.txt", "page.html"]
    assert skipped.total == 6  # hidden files and a saved page's assets are not counted
    assert skipped.summary() == (
        "skipped 6 files of unsupported type (.doc ×3, (no extension) ×1, .pages ×1, .rtf ×1)"
    )
    assert SkippedFiles().summary() == ""


def test_named_unsupported_file_still_fails_by_type(tmp_path: Path) -> None:
    from annotator.importers.batch import SkippedFiles

    named = tmp_path / "letter.rtf"
    named.write_text("{\\rtf1 hello}")
    skipped = SkippedFiles()
    [outcome] = import_paths(FakeLibrary(), [named], skipped=skipped)
    assert (outcome.status, outcome.message) == ("failed", "unsupported file type .rtf")
    assert skipped.total == 0
