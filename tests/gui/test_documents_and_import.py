"""Deleting documents (confirmed, undoable) and importing through the import dialog with
progress, cancel and a summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt

from annotator.core.library import Library
from annotator.gui.dialogs.import_dialog import ImportDialog, summarise
from annotator.gui.widgets import library_pane

from .reader_driver import painted


def test_delete_documents_asks_with_highlight_count_and_undo_brings_them_back(window, qtbot, monkeypatch) -> None:
    library, pane = window.library, window.library_pane
    documents = library.documents()
    victims = documents[:2]
    asked: list[tuple[int, int]] = []

    def confirm(parent, count, highlights, title):
        asked.append((count, highlights))
        return True

    monkeypatch.setattr(library_pane, "confirm_delete", confirm)
    selection = pane.table.selectionModel()
    selection.clearSelection()
    for row in range(pane.proxy.rowCount()):
        index = pane.proxy.index(row, 0)
        if index.data(library_pane.ID_ROLE) in {d.id for d in victims}:
            selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_Delete)

    assert asked == [(2, sum(d.highlight_count for d in victims))]
    remaining = {d.id for d in library.documents()}
    assert remaining == {d.id for d in documents} - {d.id for d in victims}
    assert pane.model.rowCount() == 2
    assert window.reader.document_id in remaining
    assert library.counts()["highlights"] == sum(d.highlight_count for d in documents[2:])

    window.undo_stack.undo()
    assert {d.id for d in library.documents()} == {d.id for d in documents}
    assert library.counts()["highlights"] == sum(d.highlight_count for d in documents)
    assert pane.model.rowCount() == 4
    window.undo_stack.redo()
    assert len(library.documents()) == 2


def test_delete_is_cancelled_when_the_user_says_no(window, monkeypatch) -> None:
    monkeypatch.setattr(library_pane, "confirm_delete", lambda *args: False)
    window.library_pane.delete_documents([window.reader.document_id])
    assert len(window.library.documents()) == 4
    assert window.undo_stack.count() == 0


def test_deleting_the_open_document_opens_another(window, monkeypatch) -> None:
    monkeypatch.setattr(library_pane, "confirm_delete", lambda *args: True)
    shown = window.reader.document_id
    window.library_pane.delete_documents([shown])
    assert window.reader.document_id not in (None, shown)
    window.undo_stack.undo()
    window.library_pane.select_document(shown)
    assert window.reader.document_id == shown
    assert all(painted(window.reader, h.start) for h in window.library.highlights(shown))


def make_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"article {n:02d}.txt"
        path.write_text(f"Article number {n}\n\nOttawa and Washington discussed item {n} at length.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def test_import_dialog_reports_progress_and_summary_and_import_is_undoable(window, qtbot, tmp_path) -> None:
    files = make_articles(tmp_path / "in", 3)
    duplicate = tmp_path / "in" / "copy of article 00.txt"
    duplicate.write_text(files[0].read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "in" / "empty.txt"
    broken.write_text("   \n", encoding="utf-8")
    progress: list[str] = []
    dialog = window.import_paths([tmp_path / "in"])
    dialog.task.signals.progress.connect(lambda p: progress.append(dialog.status.text()))
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
        pass
    new_ids = blocker.args[0]
    assert len(new_ids) == 3
    assert dialog.status.text() == "3 imported, 1 already in the project, 1 failed"
    report = dialog.report.toPlainText()
    assert "copy of article 00.txt" in report and "already in the project" in report
    assert "empty.txt" in report
    assert any(t.startswith("File ") and " of 5 — " in t for t in progress)
    assert len(window.library.documents()) == 7
    assert window.library_pane.model.rowCount() == 7
    dialog.copy_report()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == report

    window.undo_stack.undo()
    assert len(window.library.documents()) == 4
    window.undo_stack.redo()
    assert {d.id for d in window.library.documents()} >= set(new_ids)


def test_cancel_stops_after_the_current_file(qtbot, tmp_path, monkeypatch) -> None:
    from annotator.gui.tasks import TaskRunner
    from annotator.importers import batch

    # Files are stored a few at a time; plain text reads so fast that a whole small folder
    # could be read (and then stored) before the click lands.
    monkeypatch.setattr(batch, "STORE_BATCH_FILES", 2)
    files = make_articles(tmp_path / "many", 40)
    with Library.create(tmp_path / "p.annotator") as library:
        runner = TaskRunner()
        dialog = ImportDialog(library, files, runner)
        qtbot.addWidget(dialog)
        dialog.show()
        # Wait on the dialog's state, not on the worker's progress signal: a blocker on a
        # signal that keeps firing from another thread can be handed a queued call after it
        # has disconnected (PySide then calls whatever object now sits at its address).
        qtbot.waitUntil(lambda: dialog.bar.maximum() == 40, timeout=10_000)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
            pass
        runner.wait()
        imported = blocker.args[0]
        assert 1 <= len(imported) < 40
        assert len(library.documents()) == len(imported)
        assert "cancelled" in dialog.status.text()
        assert dialog.close_button.isVisible()


def test_summary_lists_each_failure_with_its_reason(tmp_path) -> None:
    from annotator.importers.batch import ImportOutcome

    outcomes = [
        ImportOutcome(tmp_path / "a.txt", "imported", 1, "A", ""),
        ImportOutcome(tmp_path / "b.pdf", "failed", None, "", "the PDF is encrypted"),
    ]
    headline, text = summarise(outcomes)
    assert headline == "1 imported, 0 already in the project, 1 failed"
    assert f"{tmp_path / 'b.pdf'} — the PDF is encrypted" in text


def test_dropping_files_on_the_window_imports_them_in_the_background(window, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    files = make_articles(tmp_path / "dropped", 2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    [dialog] = window.import_dialogs
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
        pass
    assert len(blocker.args[0]) == 2
    assert len(window.library.documents()) == 6


def test_toolbar_search_feeds_the_panel_and_a_hit_opens_at_its_passage(window, qtbot) -> None:
    panel = window.search_panel
    window.search_box.setText("sovereignty")
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        window.search_box.returnPressed.emit()
    assert panel.query_box.text() == "sovereignty"
    doc = next(d for d in window.library.documents() if d.format == "html")
    text = window.library.document_text(doc.id)
    start = text.index("sovereignty")
    panel.open_hit.emit(doc.id, start, start + len("sovereignty"))
    assert window.reader.document_id == doc.id
    assert window.reader.selection_span() == (start, start + len("sovereignty"))


def test_import_dialog_applies_the_text_length_preference(qtbot, tmp_path) -> None:
    from annotator.gui import settings
    from annotator.gui.tasks import TaskRunner

    settings.set_import_max_chars(1_000)
    long_file = tmp_path / "long.txt"
    long_file.write_text("Ottawa " * 200, encoding="utf-8")
    [short_file] = make_articles(tmp_path / "short", 1)
    with Library.create(tmp_path / "p.annotator") as library:
        runner = TaskRunner()
        dialog = ImportDialog(library, [long_file, short_file], runner)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.imported, timeout=20_000):
            dialog.show()
        runner.wait()
        assert [d.title for d in library.documents()] == ["Article number 0"]
        assert "text is longer than the 1,000-character limit" in dialog.report.toPlainText()


def test_import_dialog_summary_names_the_skipped_file_types(qtbot, tmp_path) -> None:
    from annotator.gui.tasks import TaskRunner

    folder = tmp_path / "mixed"
    make_articles(folder, 1)
    for name in ("a.doc", "b.doc", "c.rtf"):
        (folder / name).write_bytes(b"binary")
    with Library.create(tmp_path / "p.annotator") as library:
        runner = TaskRunner()
        dialog = ImportDialog(library, [folder], runner)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.imported, timeout=20_000):
            dialog.show()
        runner.wait()
        expected = ("1 imported, 0 already in the project, 0 failed; "
                    "skipped 3 files of unsupported type (.doc ×2, .rtf ×1)")
        assert dialog.status.text() == expected
        assert dialog.report.toPlainText().startswith(expected)
        assert len(library.documents()) == 1


def test_preferences_switch_keeps_page_furniture_and_the_summary_names_it(qtbot, tmp_path) -> None:
    from annotator.gui import settings
    from annotator.gui.dialogs.preferences import PreferencesDialog
    from annotator.gui.tasks import TaskRunner

    page = tmp_path / "scraped.txt"
    page.write_text("Skip to content\n\nFerry contract delayed\n\nThe harbour said so.\n\n"
                    "Comments\n", encoding="utf-8")
    runner = TaskRunner()

    def run_import(library: Library) -> str:
        dialog = ImportDialog(library, [page], runner)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.imported, timeout=20_000):
            dialog.show()
        runner.wait()
        return dialog.report.toPlainText()

    with Library.create(tmp_path / "p.annotator") as library:
        assert ("Ferry contract delayed — left out 2 lines of page furniture: Skip to content, "
                "Comments") in run_import(library)
        library.delete_documents([library.documents()[0].id])

        preferences = PreferencesDialog()
        qtbot.addWidget(preferences)
        preferences.show()
        assert not preferences.keep_furniture.isChecked()
        qtbot.mouseClick(preferences.keep_furniture, Qt.MouseButton.LeftButton)
        preferences.accept()
        assert settings.keep_page_furniture()
        assert "page furniture" not in run_import(library)
        [document] = library.documents()
        assert library.document_text(document.id).startswith("Skip to content\n")
