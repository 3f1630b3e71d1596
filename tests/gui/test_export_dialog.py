"""The export dialog: presets, live row count, background write with progress, cancel, errors,
and "Open Containing Folder"."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import csv
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.gui.dialogs import export_dialog
from annotator.gui.dialogs.export_dialog import ExportDialog

TEXT_A = 'Mark Carney said =HYPERLINK("http://x","y") about tariffs, "twice", in Ottawa.'
TEXT_B = ("Page one about dairy quotas. " * 4)[:100] + ("Page two: Ford on the border. " * 5)[:150]
WAIT_MS = 15_000


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.create(tmp_path / "p.annotator")
    a = lib.add_document(Extracted(text=TEXT_A, format="html", title="Talks", author="Ana",
                                   published=date(2025, 6, 14)))
    b = lib.add_document(Extracted(text=TEXT_B, format="pdf", title="Border", author="Bo",
                                   published=date(2025, 7, 2), pages=((0, 100), (100, 250))))
    carney = lib.create_tag("Carney", "actor")
    ford = lib.create_tag("Ford", "actor")
    tariffs = lib.create_tag("tariffs", "topic")
    hawk = lib.create_tag("hawkish", "stance")
    lib.add_highlight(a.id, 0, 16, tag_ids=[carney.id, tariffs.id, hawk.id], note="first, note")
    start = TEXT_A.index("=HYP")
    lib.add_highlight(a.id, start, TEXT_A.index(" about"), tag_ids=[tariffs.id])
    lib.add_highlight(b.id, 95, 120, tag_ids=[ford.id])
    lib.reindex()
    yield lib
    lib.close()


def tag_id(lib: Library, category: str, name: str) -> int:
    tag = lib.find_tag(category, name)
    assert tag is not None
    return tag.id


def read(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def make_dialog(qtbot: Any, library: Library, **kwargs: Any) -> ExportDialog:
    """A dialog whose first live count has arrived. The count starts in the constructor but
    its result is delivered through the event loop, which only runs inside ``waitSignal``."""
    dialog = ExportDialog(library, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS):
        pass
    return dialog


def recount(qtbot: Any, dialog: ExportDialog) -> tuple[int, int]:
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        dialog.refresh_count()
    return tuple(blocker.args)  # type: ignore[return-value]


def export(qtbot: Any, dialog: ExportDialog, path: Path) -> tuple[int, str]:
    dialog.path_edit.setText(str(path))
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return tuple(blocker.args)  # type: ignore[return-value]


def test_presets_fill_the_filters_and_count(qtbot: Any, library: Library) -> None:
    carney = tag_id(library, "actor", "Carney")
    dialog = make_dialog(qtbot, library, preset_tag_ids={carney})
    assert dialog.checked_tag_ids() == {carney}
    assert "1 excerpt → 1 row" in dialog.count_label.text()
    dialog.per_tag_check.setChecked(True)
    assert recount(qtbot, dialog) == (1, 3)
    assert "3 rows (one per tag)" in dialog.count_label.text()

    by_query = make_dialog(qtbot, library, preset_query="carney")
    assert by_query.query_edit.text() == "carney"
    assert "1 excerpt" in by_query.count_label.text()


def test_count_follows_filter_changes(qtbot: Any, library: Library) -> None:
    dialog = make_dialog(qtbot, library)
    assert "3 excerpts → 3 rows" in dialog.count_label.text()
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        dialog.set_tags_checked({tag_id(library, "topic", "tariffs")})
    assert blocker.args == [2, 2]
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        dialog.set_documents_checked({2})
    assert blocker.args == [0, 0]
    assert "No excerpts match" in dialog.count_label.text()


def test_invalid_query_is_shown_instead_of_a_count(qtbot: Any, library: Library) -> None:
    dialog = make_dialog(qtbot, library)
    dialog.query_edit.setText("NOT")
    qtbot.waitUntil(lambda: dialog.count_label.text() not in ("Counting…", "3 excerpts → 3 rows"),
                    timeout=WAIT_MS)
    assert "excerpt" not in dialog.count_label.text()


def test_export_with_filters_and_options(qtbot: Any, library: Library, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, library)
    dialog.set_tags_checked({tag_id(library, "actor", "Carney"), tag_id(library, "actor", "Ford")})
    dialog.set_date_range(date(2025, 6, 1), date(2025, 6, 30))
    dialog.per_tag_check.setChecked(True)
    dialog.excel_check.setChecked(True)
    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData(";"))
    dialog.context_spin.setValue(10)
    out = tmp_path / "out.csv"
    rows, path = export(qtbot, dialog, out)
    assert (rows, path) == (3, str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    got = read(out, ";", "utf-8-sig")
    assert [(r["actors"], r["topics"], r["tags"]) for r in got] == [
        ("Carney", "", ""), ("", "tariffs", ""), ("", "", "stance:hawkish")
    ]
    assert got[0]["note"] == "first, note"
    assert f"Wrote 3 rows to {out}" in dialog.status.text()
    assert dialog.open_folder_button.isVisible() or not dialog.isVisible()


def test_formula_guard_checkbox(qtbot: Any, library: Library, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, library)
    out = tmp_path / "guarded.csv"
    export(qtbot, dialog, out)
    assert any(r["text"].startswith("'=HYPERLINK") for r in read(out))
    dialog.guard_check.setChecked(False)
    raw = tmp_path / "raw.csv"
    export(qtbot, dialog, raw)
    assert any(r["text"].startswith("=HYPERLINK") for r in read(raw))


def test_open_containing_folder(qtbot: Any, library: Library, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    dialog = make_dialog(qtbot, library)
    dialog.show()
    assert not dialog.open_folder_button.isVisible()
    export(qtbot, dialog, tmp_path / "out.csv")
    assert dialog.open_folder_button.isVisible()
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert [Path(p) for p in opened] == [tmp_path]


def test_failure_is_reported_in_the_dialog(qtbot: Any, library: Library, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, library)
    target = tmp_path / "missing" / "out.csv"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.export_failed, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert f"cannot write {target}" in blocker.args[0]
    assert "cannot write" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=WAIT_MS)


def test_cancel_stops_the_write(qtbot: Any, library: Library, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = export_dialog.write_csv
    started = threading.Event()

    def slow_write(*args: Any, **kwargs: Any) -> int:
        started.set()
        kwargs["cancel"]._event.wait(WAIT_MS / 1000)  # hold until the user cancels
        return real_write(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "write_csv", slow_write)
    dialog = make_dialog(qtbot, library)
    dialog.show()
    out = tmp_path / "out.csv"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert started.wait(WAIT_MS / 1000)
    assert dialog.cancel_button.isVisible() and not dialog.export_button.isEnabled()
    with qtbot.waitSignal(dialog.export_failed, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in blocker.args[0]
    assert not out.exists()
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=WAIT_MS)


def test_typed_path_of_an_existing_file_asks_first(qtbot: Any, library: Library, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.csv"
    out.write_text("keep me", encoding="utf-8")
    asked: list[Path] = []

    def refuse(_self: ExportDialog, path: Path) -> bool:
        asked.append(path)
        return False

    monkeypatch.setattr(ExportDialog, "confirm_replace", refuse)
    dialog = make_dialog(qtbot, library)
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked == [out]
    assert out.read_text(encoding="utf-8") == "keep me"
    assert dialog.write_task is None


def test_closing_while_writing_cancels_then_closes(qtbot: Any, library: Library, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = export_dialog.write_csv
    started = threading.Event()

    def slow_write(*args: Any, **kwargs: Any) -> int:
        started.set()
        kwargs["cancel"]._event.wait(WAIT_MS / 1000)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "write_csv", slow_write)
    dialog = make_dialog(qtbot, library)
    dialog.show()
    out = tmp_path / "out.csv"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert started.wait(WAIT_MS / 1000)
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        dialog.reject()  # Escape or the close box
        assert dialog.isVisible()  # stays until the job has cleaned up
    assert not dialog.isVisible()
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_deleting_the_dialog_while_it_counts_is_safe(qtbot: Any, library: Library) -> None:
    """The main window opens the dialog with WA_DeleteOnClose; a count still running then
    finishes into the void instead of into a deleted widget."""
    dialog = ExportDialog(library)
    runner = dialog.runner
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.close()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=WAIT_MS)


def test_a_repaired_query_shows_the_searchs_note_under_the_count(
    qtbot: Any, library: Library
) -> None:
    dialog = make_dialog(qtbot, library)
    qtbot.keyClicks(dialog.query_edit, "actr:Carney")
    # Counts of the half-typed query may arrive first; wait for the one of the whole query.
    qtbot.waitUntil(lambda: "actr:" in dialog.count_label.text(), timeout=WAIT_MS)
    lines = dialog.count_label.text().splitlines()
    assert lines[0] == "1 excerpt → 1 row"
    assert len(lines) == 2 and "Unknown field “actr:”" in lines[1]
    dialog.query_edit.clear()
    qtbot.keyClicks(dialog.query_edit, "actor:Carney")
    qtbot.waitUntil(lambda: dialog.count_label.text() == "1 excerpt → 1 row", timeout=WAIT_MS)


# ----------------------------------------------------------------- from the main window
def menu_action(window: Any, *path: str) -> Any:
    """The action at ``File > Export > …`` by visible text (ampersands ignored)."""
    actions = window.menuBar().actions()
    for i, text in enumerate(path):
        action = next(a for a in actions if a.text().replace("&", "") == text)
        if i == len(path) - 1:
            return action
        actions = action.menu().actions()
    raise AssertionError(path)


def open_export_from_menu(qtbot: Any, window: Any) -> ExportDialog:
    menu_action(window, "File", "Export", "Excerpts to CSV…").trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.count_label.text() != "Counting…", timeout=WAIT_MS)
    return dialog


def click_tag(qtbot: Any, window: Any, tag: Any, modifier: Any = Qt.KeyboardModifier.NoModifier,
              ) -> None:
    pane = window.codebook
    index = pane.proxy.mapFromSource(pane.model.index_of_tag(tag.id))
    pane.tree.scrollTo(index)
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, modifier,
                     pane.tree.visualRect(index).center())


def carrying(library: Library, tag_ids: set[int], *, every: bool) -> int:
    test = set.issubset if every else (lambda want, have: not want.isdisjoint(have))
    return sum(1 for h in library.highlights() if test(tag_ids, {t.id for t in h.tags}))


def test_export_from_the_menu_starts_from_what_the_reader_shows(qtbot: Any, window: Any) -> None:
    library = window.library
    carney = library.find_tag("actor", "Mark Carney")
    tariffs = library.find_tag("topic", "tariffs")
    # The sample has each tag alone; one highlight with both tells "any" from "all".
    first = library.documents()[0]
    library.add_highlight(first.id, 0, 12, tag_ids=[carney.id, tariffs.id])
    window.side_tabs.setCurrentWidget(window.codebook)
    click_tag(qtbot, window, carney)
    click_tag(qtbot, window, tariffs, Qt.KeyboardModifier.ControlModifier)
    window.codebook.act_show_only.trigger()
    wanted = {carney.id, tariffs.id}
    assert window.reader.tag_filter == wanted

    dialog = open_export_from_menu(qtbot, window)
    assert dialog.checked_tag_ids() == wanted
    assert dialog.match_combo.currentData() == "any"
    assert "as in the codebook" in dialog.preset_note.text()
    either = carrying(library, wanted, every=False)
    both = carrying(library, wanted, every=True)
    assert either > both == 1
    # The reader paints a highlight carrying either tag; the export holds the same ones.
    assert dialog.count_label.text().startswith(f"{either} excerpts")

    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        dialog.match_combo.setCurrentIndex(dialog.match_combo.findData("all"))
    assert blocker.args == [both, both]
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        dialog.match_combo.setCurrentIndex(dialog.match_combo.findData("category"))
    assert blocker.args == [both, both]  # one actor and one topic ticked: both needed


def test_export_when_the_codebook_shows_no_tag_says_what_it_exports(
    qtbot: Any, window: Any
) -> None:
    window.events.tag_filter_changed.emit(set())  # every box in the codebook unticked
    assert window.reader.tag_filter == set()
    dialog = open_export_from_menu(qtbot, window)
    assert dialog.checked_tag_ids() == set()
    assert dialog.preset_note.isVisibleTo(dialog)
    assert "shows no tags" in dialog.preset_note.text()
    total = len(window.library.highlights())
    assert dialog.count_label.text().startswith(f"{total} excerpts")


def test_without_a_codebook_filter_nothing_is_ticked_and_no_note(qtbot: Any, window: Any) -> None:
    assert window.reader.tag_filter is None
    dialog = open_export_from_menu(qtbot, window)
    assert dialog.checked_tag_ids() == set()
    assert not dialog.preset_note.isVisibleTo(dialog)


# ----------------------------------------------------------------- the document picker
def test_document_filter_box_and_ticking_with_the_keyboard(qtbot: Any, library: Library) -> None:
    extra = library.add_document(Extracted(text="Another text about dairy.", format="txt",
                                           title="Dairy notes", author="Cy"))
    library.add_highlight(extra.id, 0, 7, tag_ids=[tag_id(library, "topic", "tariffs")])
    dialog = make_dialog(qtbot, library)
    picker = dialog.doc_picker
    assert picker.proxy.rowCount() == 3
    qtbot.keyClicks(picker.filter_edit, "bord")
    assert picker.shown_ids() == [2]
    assert picker.summary.text() == "1 of 3 shown, none ticked: all"
    picker.view.setFocus()
    index = picker.proxy.index(0, 0)
    qtbot.mouseClick(picker.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=picker.view.visualRect(index).center())
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(picker.view, Qt.Key.Key_Space)
    assert blocker.args == [1, 1]  # document 2 holds Ford's excerpt
    assert dialog.checked_document_ids() == [2]
    # Another filter hides the ticked document without unticking it.
    picker.filter_edit.clear()
    qtbot.keyClicks(picker.filter_edit, "cy")  # the author
    assert picker.shown_ids() == [extra.id]
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(picker.tick_shown_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [2, 2]
    assert dialog.checked_document_ids() == [2, extra.id]
    assert picker.summary.text() == "1 of 3 shown, 2 ticked"
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(picker.untick_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [4, 4]
    assert dialog.checked_document_ids() == []


def test_document_picker_copes_with_twenty_thousand_documents(qtbot: Any) -> None:
    from annotator.core.models import DocumentSummary
    from annotator.gui.dialogs.export_documents import DocumentPicker

    docs = [DocumentSummary(i, f"Report {i}", f"Author {i % 7}", "",
                            date(2025, 1 + i % 12, 1) if i % 3 else None, 100)
            for i in range(1, 20_001)]
    picker = DocumentPicker(docs)
    qtbot.addWidget(picker)
    picker.show()
    assert picker.model.rowCount() == 20_000
    assert picker.summary.text() == "20,000 documents, none ticked: all"
    qtbot.keyClicks(picker.filter_edit, "report 19999")
    assert picker.shown_ids() == [19_999]
    picker.filter_edit.clear()
    qtbot.keyClicks(picker.filter_edit, "2025-06")
    june = [d.id for d in docs if d.published is not None and d.published.month == 6]
    assert picker.shown_ids() == june
    with qtbot.waitSignal(picker.changed):
        qtbot.mouseClick(picker.tick_shown_button, Qt.MouseButton.LeftButton)
    assert picker.model.checked_ids() == june
    assert picker.summary.text() == f"{len(june):,} of 20,000 shown, {len(june):,} ticked"


def test_cells_too_long_for_excel_are_reported_after_writing(
    qtbot: Any, library: Library, tmp_path: Path
) -> None:
    first = library.highlights()[0]
    library.set_highlight_note(first.id, "x" * 40_000)
    dialog = make_dialog(qtbot, library)
    out = tmp_path / "long.csv"
    assert export(qtbot, dialog, out) == (3, str(out))
    lines = dialog.status.text().splitlines()
    assert lines[0] == f"Wrote 3 rows to {out}"
    assert lines[1].startswith("1 cell is longer than Excel's limit of 32,767 characters")


def test_a_large_export_writes_with_worker_processes_from_the_dialog(
    qtbot: Any, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog's export thread starts CSV workers (``csv_parallel``) when the export is
    large: thresholds lowered here so this small project counts as large."""
    from annotator.export import csv_export, csv_parallel

    dialog = make_dialog(qtbot, library)
    one = tmp_path / "one.csv"
    export(qtbot, dialog, one)
    crews: list[csv_parallel.Crew] = []

    def crew(count: int, target: Path) -> csv_parallel.Crew:
        crews.append(csv_parallel.Crew(count, target))
        return crews[-1]

    monkeypatch.setattr(csv_export, "PARALLEL_FROM", 0)
    monkeypatch.setattr(csv_export, "worker_count", lambda: 1)
    monkeypatch.setattr(csv_parallel, "CHUNK_EXCERPTS", 1)
    monkeypatch.setattr(csv_export, "Crew", crew)
    many = tmp_path / "many.csv"
    assert export(qtbot, dialog, many) == (3, str(many))
    assert many.read_bytes() == one.read_bytes()
    [used] = crews
    assert len(used.workers) == 1 and not used.workers[0].process.is_alive()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.csv", "one.csv", "p.annotator"]
