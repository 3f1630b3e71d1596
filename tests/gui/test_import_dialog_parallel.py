"""The import dialog on the batch import's parallel path: HTML and PDF files read in worker
processes, stored by one writer in file order, with the dialog's progress, its report naming
a broken file, and Cancel ending the workers and keeping exactly what was stored."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.library import Library
from annotator.gui.dialogs.import_dialog import ImportDialog
from annotator.importers import batch
from tests.importers.conftest import build_pdf

HTML = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>Ministers met on day {n} to weigh the tariff schedule and the steel quotas they "
        "had argued over for months; item {n} came last.</p></article></body></html>")


def _html_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"story {n:02d}.html"
        path.write_text(HTML.format(title=f"Story {n}", n=n), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the reader pools the import started (to see the parallel path
    was taken, not the in-process one)."""
    started: list[int] = []

    class CountedPool(batch.ReaderPool):
        def __init__(self, *args: object, workers: int, **kwargs: object) -> None:
            started.append(workers)
            super().__init__(*args, workers=workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "ReaderPool", CountedPool)
    return started


def test_dialog_imports_html_and_pdf_in_workers_and_names_the_broken_file(
    qtbot, tmp_path: Path, pools: list[int]
) -> None:
    from annotator.gui.tasks import TaskRunner

    files = _html_files(tmp_path / "in", 6)
    brief = tmp_path / "in" / "story 06 brief.pdf"
    brief.write_bytes(build_pdf(["Page one of the brief on dairy.", "Page two on NORAD."]))
    broken = tmp_path / "in" / "story 07 broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    with Library.create(tmp_path / "p.annotator") as library:
        runner = TaskRunner()
        dialog = ImportDialog(library, [tmp_path / "in"], runner)
        qtbot.addWidget(dialog)
        labels: list[str] = []
        dialog.task.signals.progress.connect(lambda _p: labels.append(dialog.status.text()))
        with qtbot.waitSignal(dialog.imported, timeout=60_000) as blocker:
            dialog.show()
        runner.wait()
        assert pools and pools[0] >= 1
        documents = library.documents()
        # One writer, in file order: ids follow the files' order, as a serial import gives them.
        assert [d.title for d in sorted(documents, key=lambda d: d.id)] == [
            *(f"Story {n}" for n in range(6)), "Page one of the brief on dairy."]
        assert sorted(blocker.args[0]) == sorted(d.id for d in documents)
        assert [p.name for p in sorted((library.folder / "sources").iterdir())] == [
            f"{d.id:05d} {name}" for d, name in zip(
                sorted(documents, key=lambda d: d.id),
                [f.name for f in files] + [brief.name], strict=True)]
        assert dialog.status.text() == "7 imported, 0 already in the project, 1 failed"
        assert str(broken) in dialog.report.toPlainText()
        assert any(" of 8 — story 07 broken.pdf" in text for text in labels)
        assert dialog.bar.value() == dialog.bar.maximum()
        hits = library.search("tariff")
        assert hits.total == 6
    assert not multiprocessing.active_children()


def test_cancel_in_the_dialog_ends_the_workers_and_keeps_what_was_stored(
    qtbot, tmp_path: Path, pools: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.gui.tasks import TaskRunner

    monkeypatch.setattr(batch, "STORE_BATCH_FILES", 4)
    files = _html_files(tmp_path / "many", 60)
    with Library.create(tmp_path / "p.annotator") as library:
        runner = TaskRunner()
        dialog = ImportDialog(library, files, runner)
        qtbot.addWidget(dialog)
        dialog.show()
        # Wait on the dialog's state (see test_documents_and_import): the first outcomes are in.
        qtbot.waitUntil(lambda: len(dialog.outcomes) >= 1, timeout=30_000)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(dialog.imported, timeout=30_000) as blocker:
            pass
        runner.wait()
        assert pools
        imported = blocker.args[0]
        assert 1 <= len(imported) < 60
        assert "cancelled" in dialog.status.text()
        stored = sorted(library.documents(), key=lambda d: d.id)
        assert [d.id for d in stored] == sorted(imported)
        # The files stored are the first ones, in order; nothing after them was kept.
        assert [d.title for d in stored] == [f"Story {n}" for n in range(len(stored))]
        # No copy of a file read but never stored is left in the project.
        assert sorted(p.name for p in (library.folder / "sources").iterdir()) == [
            f"{d.id:05d} story {n:02d}.html" for n, d in enumerate(stored)]
    assert not multiprocessing.active_children()
