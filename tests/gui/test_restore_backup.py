"""File › Restore from Backup…: the dialog lists the backups with dates, sizes and counts,
Back Up Now adds one, and Restore puts the chosen one back (after backing up the current
database) and reopens the project on it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.gui.dialogs.restore_dialog import RestoreDialog
from annotator.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("close_new_windows")


def _dialog() -> RestoreDialog:
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, RestoreDialog) and w.isVisible()]
    return dialog


def test_restore_from_backup_lists_counts_and_reopens_on_the_restored_database(
    window, qtbot, monkeypatch
) -> None:
    library = window.library
    folder = library.folder
    documents = library.counts()["documents"]
    highlights = library.counts()["highlights"]
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    seen: dict[str, object] = {}

    def back_up_then_close() -> None:
        dialog = _dialog()
        before = dialog.table.rowCount()
        qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
        seen["rows"] = (before, dialog.table.rowCount())
        seen["newest"] = [dialog.table.item(0, c).text() for c in range(5)]
        dialog.reject()

    QTimer.singleShot(0, back_up_then_close)
    window.actions_.restore_backup.trigger()
    before, after = seen["rows"]  # type: ignore[misc]
    assert after == before + 1
    date, size, docs, hls, made = seen["newest"]  # type: ignore[misc]
    assert (docs, hls, made) == (f"{documents:,}", f"{highlights:,}", "by hand")
    assert size.endswith(("KB", "MB")) and date[:4].isdigit()
    assert window.isVisible()  # Cancel changes nothing

    library.delete_highlights([h.id for h in library.highlights()][:3])
    assert library.counts()["highlights"] == highlights - 3

    def choose_the_manual_backup() -> None:
        dialog = _dialog()
        row = next(r for r in range(dialog.table.rowCount())
                   if dialog.table.item(r, 4).text() == "by hand")
        dialog.table.selectRow(row)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose_the_manual_backup)
    window.actions_.restore_backup.trigger()
    assert asked and f"{highlights:,} highlights" in asked[0]
    assert not window.isVisible()
    [reopened] = [w for w in MainWindow.open_windows
                  if w is not window and w.library.folder == folder]
    reopened.runner.wait()
    assert reopened.library.counts() == {**reopened.library.counts(),
                                         "documents": documents, "highlights": highlights}
    reasons = [b.reason for b in reopened.library.backups()]
    assert "before-restore" in reasons
    safety = next(b for b in reopened.library.backups() if b.reason == "before-restore")
    assert safety.highlights == highlights - 3


def test_preferences_set_how_many_backups_the_project_keeps(window, qtbot) -> None:
    from annotator.gui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog(window, library=window.library)
    qtbot.addWidget(dialog)
    assert dialog.backups_keep.value() == 10
    dialog.backups_keep.setValue(3)
    dialog.accept()
    assert window.library.backup_keep() == 3


def test_a_project_in_a_synced_folder_warns_once(tmp_path, qtbot, window_on) -> None:
    from annotator.core.library import Library
    from annotator.gui.open_notes import show_open_notes

    folder = tmp_path / "Dropbox" / "Research" / "P.annotator"
    Library.create(folder).close()
    first = Library.open(folder)
    main = window_on(first)
    box = show_open_notes(main, first)
    assert box is not None and "Dropbox" in box.text() and box.isVisible()
    box.close()
    main.close()
    again = Library.open(folder)
    assert again.cloud_warning is None
    assert show_open_notes(window_on(again), again) is None
