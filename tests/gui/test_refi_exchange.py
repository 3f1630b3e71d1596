"""File › Export › REFI-QDA and File › Import › REFI-QDA in the window: the menus, background
jobs, the report shown, and the whole import as one undo step."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.core.library import Library
from annotator.export.refi_export import write_qdpx
from annotator.importers.refi_report import REPORTS_DIR


def _menu_action(window, *names: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    for name in names[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text() == name)
    return next(a for a in menu.actions() if a.text() == names[-1])


def test_export_project_and_codebook_from_the_menu(window, qtbot, tmp_path: Path, monkeypatch) -> None:
    targets = iter([str(tmp_path / "mine"), str(tmp_path / "codes.qdc")])
    monkeypatch.setattr("annotator.gui.refi_exchange.QFileDialog.getSaveFileName",
                        lambda *a, **k: (next(targets), ""))
    with qtbot.waitSignal(window.actions_.refi.exported, timeout=30_000):
        _menu_action(window, "&Export", "REFI-QDA &Project…").trigger()
    assert zipfile.is_zipfile(tmp_path / "mine.qdpx")
    assert "Wrote" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.actions_.refi.exported, timeout=30_000):
        _menu_action(window, "&Export", "REFI-QDA Code&book…").trigger()
    assert (tmp_path / "codes.qdc").read_bytes().startswith(b"<?xml")


def test_import_is_one_undo_step(window_on, qtbot, tmp_path: Path, sample_project: Path,
                                 monkeypatch) -> None:
    with Library.open(sample_project) as sample:
        write_qdpx(sample, tmp_path / "sample.qdpx")
        expected = sample.counts()
    window = window_on(Library.create(tmp_path / "Empty.annotator"))
    monkeypatch.setattr("annotator.gui.refi_exchange.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "sample.qdpx"), ""))
    with qtbot.waitSignal(window.actions_.refi.imported, timeout=30_000):
        _menu_action(window, "Import &REFI-QDA Project or Codebook…").trigger()
    library = window.library
    assert library.counts() == expected
    box = window.actions_.refi.report_box
    assert box.isVisible() and "new document" in box.text() and "Not representable" in box.detailedText()
    assert any((library.folder / REPORTS_DIR).iterdir())
    assert window.library_pane.isVisible()
    qtbot.waitUntil(lambda: window.library_pane.model.rowCount() == expected["documents"])
    box.close()

    window.undo_stack.undo()
    assert library.counts() == {"documents": 0, "highlights": 0, "tags": 0, "notes": 0}
    assert {c.name for c in library.categories()} == {"actor", "topic"}
    window.undo_stack.redo()
    assert library.counts() == expected
    assert window.undo_stack.count() == 1


def test_import_of_a_hostile_file_says_why_and_changes_nothing(window, qtbot, tmp_path: Path,
                                                               monkeypatch, unexpected_message_boxes) -> None:
    bad = tmp_path / "slip.qdpx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("project.qde", "<Project name='x'/>")
        zf.writestr("../../escape.txt", "x")
    before = window.library.counts()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.informativeText() or box.text()) or 0)
    with qtbot.waitSignal(window.actions_.refi.failed, timeout=30_000) as failure:
        window.actions_.refi.import_file(bad)
    assert "outside the archive" in failure.args[0]
    assert window.library.counts() == before
    assert window.undo_stack.count() == 0
    unexpected_message_boxes.clear()


def test_import_files_hands_exchange_files_to_the_refi_import(window_on, qtbot, tmp_path: Path,
                                                              sample_project: Path, monkeypatch) -> None:
    with Library.open(sample_project) as sample:
        write_qdpx(sample, tmp_path / "sample.qdpx")
    window = window_on(Library.create(tmp_path / "Empty.annotator"))
    monkeypatch.setattr("annotator.gui.main_window.QFileDialog.getOpenFileNames",
                        lambda *a, **k: ([str(tmp_path / "sample.qdpx")], ""))
    with qtbot.waitSignal(window.actions_.refi.imported, timeout=30_000):
        window.actions_.import_files.trigger()
    assert window.library.counts()["documents"] == 4
    assert not window.import_dialogs  # not sent to the article importer
    window.actions_.refi.report_box.close()
