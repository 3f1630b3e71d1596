"""Start-up choices, persisted UI state (QSettings in tmp), font size, the library table, the
document info dialog, merging two actor spellings as seen by the reader, background tasks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator import app
from annotator.core.library import Library
from annotator.gui import settings
from annotator.gui.commands import push
from annotator.gui.commands_codebook import MergeTags
from annotator.gui.dialogs.document_info import DocumentInfoDialog, parse_date
from annotator.gui.main_window import MainWindow
from annotator.gui.models.document_table import HIGHLIGHTS, ID_ROLE, PUBLISHED, TITLE
from annotator.gui.tasks import TaskRunner
from annotator.gui.widgets.highlight_colours import tint

from .reader_driver import painted, select_quote


def test_font_size_shortcuts_change_the_reader_and_persist(window, qtbot) -> None:
    reader = window.reader
    size = reader.font_size()
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert reader.font_size() == size + 1
    assert settings.reader_font_size() == size + 1
    qtbot.keyClick(reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert reader.font_size() == size - 1
    qtbot.keyClick(reader, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert reader.font_size() == settings.DEFAULT_FONT_SIZE


def test_layout_and_last_project_persist_across_windows(qtbot, sample_project: Path) -> None:
    first = MainWindow(Library.open(sample_project))
    qtbot.addWidget(first)
    first.show()
    first.resize(734, 577)
    expected = first.size()  # the panes' minimum widths may make it wider than asked
    first.main_split.setSizes([200, 700, 300])
    sizes = first.main_split.sizes()
    first.reader.set_font_size(17)
    first.runner.wait()
    first.close()
    assert settings.window_geometry() is not None
    assert settings.reader_font_size() == 17

    second = MainWindow(Library.open(sample_project))
    qtbot.addWidget(second)
    second.show()
    assert second.size() == expected
    assert second.main_split.sizes() == sizes
    assert second.reader.font_size() == 17
    second.runner.wait()
    second.close()


def test_start_up_prefers_given_then_env_then_last_then_sample(qtbot, tmp_path: Path, monkeypatch) -> None:
    given = tmp_path / "given.annotator"
    assert app.choose_project(str(given)) == given
    monkeypatch.setenv("ANNOTATOR_PROJECT", str(tmp_path / "env.annotator"))
    assert app.choose_project(None) == tmp_path / "env.annotator"
    monkeypatch.delenv("ANNOTATOR_PROJECT")
    Library.create(tmp_path / "last.annotator").close()
    settings.set_last_project(tmp_path / "last.annotator")
    assert app.choose_project(None) == tmp_path / "last.annotator"
    assert settings.recent_projects()[0] == tmp_path / "last.annotator"

    built: list[Path] = []
    monkeypatch.setattr("annotator.sample_project.ensure_sample_project",
                        lambda folder: built.append(folder) or folder)
    settings.set_last_project(tmp_path / "gone.annotator")
    chosen = app.choose_project(None)
    assert built == [chosen] and chosen.name.startswith("Sample")


def test_open_library_creates_a_new_project_in_an_empty_folder(tmp_path: Path) -> None:
    library = app.open_library(tmp_path / "fresh")
    try:
        assert library.documents() == []
    finally:
        library.close()


def test_library_table_sorts_and_filters(window) -> None:
    pane = window.library_pane
    table = pane.table
    table.sortByColumn(HIGHLIGHTS, Qt.SortOrder.DescendingOrder)
    counts = [int(pane.proxy.index(r, HIGHLIGHTS).data()) for r in range(pane.proxy.rowCount())]
    assert counts == sorted(counts, reverse=True)
    table.sortByColumn(PUBLISHED, Qt.SortOrder.AscendingOrder)
    dates = [pane.proxy.index(r, PUBLISHED).data() for r in range(pane.proxy.rowCount())]
    assert [d for d in dates if d] == sorted(d for d in dates if d)
    pane.filter.setText("norad")
    titles = [pane.proxy.index(r, TITLE).data() for r in range(pane.proxy.rowCount())]
    assert titles and all("NORAD" in t for t in titles)
    pane.filter.clear()
    assert pane.proxy.rowCount() == 4


def test_sorting_and_filtering_keep_the_current_and_selected_documents(window, qtbot) -> None:
    pane = window.library_pane
    table = pane.table
    ids = [pane.proxy.index(r, 0).data(ID_ROLE) for r in range(pane.proxy.rowCount())]
    chosen = ids[2]
    pane.select_document(chosen)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # two selected
    selected = pane.selected_document_ids()
    assert len(selected) == 2 and window.reader.document_id == pane.current_document_id()
    current = pane.current_document_id()
    for column, order in ((TITLE, Qt.SortOrder.AscendingOrder),
                          (HIGHLIGHTS, Qt.SortOrder.DescendingOrder),
                          (PUBLISHED, Qt.SortOrder.AscendingOrder)):
        table.sortByColumn(column, order)
        assert pane.current_document_id() == current
        assert set(pane.selected_document_ids()) == set(selected)
        assert table.currentIndex().data(ID_ROLE) == current
    title = window.library.document(current).title
    pane.filter.setText(title[3:12].upper())  # any case, any part of a cell
    shown = [pane.proxy.index(r, 0).data(ID_ROLE) for r in range(pane.proxy.rowCount())]
    assert current in shown and len(shown) < len(ids)
    author = next(d.author for d in window.library.documents() if d.author)
    pane.filter.setText(author.lower())
    assert all(author in str(pane.proxy.index(r, 1).data()) for r in range(pane.proxy.rowCount()))
    pane.filter.clear()
    assert pane.proxy.rowCount() == len(ids)
    window.library_pane.reload()  # e.g. after an import: the current document stays current
    assert pane.current_document_id() == current


def test_document_info_dialog_edits_metadata_in_one_undo_step(window, qtbot) -> None:
    doc_id = window.reader.document_id
    before = window.library.document(doc_id)
    dialog = DocumentInfoDialog(window.library, window.events, window.undo_stack, doc_id, window)
    qtbot.addWidget(dialog)
    dialog.title.setText("A better title")
    dialog.published.setText("2024-02-03")
    dialog.save()
    after = window.library.document(doc_id)
    assert (after.title, after.published) == ("A better title", date(2024, 2, 3))
    assert "A better title" in window.doc_header.text()
    window.undo_stack.undo()
    assert window.library.document(doc_id).title == before.title
    assert parse_date("2024") == date(2024, 1, 1)


def test_merging_two_actor_spellings_repaints_the_reader(window) -> None:
    library, reader = window.library, window.reader
    doc = next(d for d in library.documents() if d.format == "pdf")
    window.library_pane.select_document(doc.id)
    mark = library.find_tag("actor", "Mark Carney")
    spelling = push_new_tag(window, "M. Carney", "#ff8a80")
    start, _ = select_quote(reader, library, "dairy quotas")
    window.tagging.apply_tags([spelling.id])
    base = reader.palette().color(reader.palette().ColorRole.Base)
    assert painted(reader, start) == tint(QColor("#ff8a80"), base)

    push(window.undo_stack, MergeTags(library, window.events, [spelling.id], mark.id))
    [merged] = [h for h in library.highlights(doc.id) if h.start == start]
    assert [t.id for t in merged.tags] == [mark.id]
    assert "M. Carney" in library.tag(mark.id).aliases
    assert painted(reader, start) == tint(QColor(mark.colour), base)

    window.undo_stack.undo()
    assert painted(reader, start) == tint(QColor("#ff8a80"), base)
    [split] = [h for h in library.highlights(doc.id) if h.start == start]
    assert [t.id for t in split.tags] == [spelling.id]


def push_new_tag(window, name: str, colour: str):
    """A second spelling added through the codebook's own undo command."""
    from annotator.gui.commands_codebook import CreateTag

    command = CreateTag(window.library, window.events, name=name, category="actor", colour=colour)
    push(window.undo_stack, command)
    return window.library.find_tag("actor", name)


def test_tasks_report_progress_and_results_on_the_gui_thread(qtbot) -> None:
    from annotator.core.progress import Progress

    runner = TaskRunner()
    seen: list[int] = []

    def job(report, cancel):
        for n in range(3):
            report(Progress(n, 3))
        return "done"

    from annotator.gui.tasks import Task

    task = Task(job, "test")
    task.signals.progress.connect(lambda p: seen.append(p.done))
    with qtbot.waitSignal(task.signals.finished, timeout=5000) as blocker:
        runner.launch(task)
    assert blocker.args == ["done"]
    assert seen == [0, 1, 2]
    qtbot.waitUntil(lambda: not runner.busy())


def test_a_failing_task_reports_its_error(qtbot) -> None:
    from annotator.core.errors import InvalidInput
    from annotator.gui.tasks import Task

    runner = TaskRunner()

    def job(report, cancel):
        raise InvalidInput("bad input")

    task = Task(job, "failing")
    with qtbot.waitSignal(task.signals.failed, timeout=5000) as blocker:
        runner.launch(task)
    assert str(blocker.args[0]) == "bad input"


def test_a_missing_index_is_rebuilt_in_the_background_and_the_status_says_so(qtbot, sample_project: Path) -> None:
    import shutil

    shutil.rmtree(sample_project / "index")
    library = Library.open(sample_project)
    states: list[str] = []
    window = MainWindow(library)
    qtbot.addWidget(window)
    window.status_index.setText = lambda text, _set=window.status_index.setText: (states.append(text), _set(text))
    window.show()
    qtbot.waitUntil(lambda: window.reindex_task is None and bool(states), timeout=20_000)
    qtbot.waitUntil(lambda: window.status_index.text() == "index up to date", timeout=20_000)
    assert any(s.startswith("rebuilding") for s in states)
    assert library.index_is_current()
    assert library.search("sovereignty").hits
    window.close()


def test_view_menu_hides_and_shows_panes(window) -> None:
    actions = window.actions_
    actions.show_library.trigger()
    assert not window.library_pane.isVisible()
    actions.show_side.trigger()
    assert not window.side_tabs.isVisible()
    actions.show_library.trigger()
    actions.show_side.trigger()
    assert window.library_pane.isVisible() and window.side_tabs.isVisible()


def test_preferences_apply_reader_font_and_import_limit(window, qtbot, monkeypatch) -> None:
    from annotator.gui.dialogs.preferences import PreferencesDialog

    def accept_with_changes(dialog: PreferencesDialog) -> int:
        dialog.font_size.setValue(15)
        dialog.import_limit.setValue(5)
        dialog.import_max_chars.clear()
        qtbot.keyClicks(dialog.import_max_chars, "250000")
        dialog.accept()
        return 1

    monkeypatch.setattr(PreferencesDialog, "exec", accept_with_changes)
    window.actions_.preferences.trigger()
    assert window.reader.font_size() == 15
    assert settings.import_limit_mb() == 5
    assert settings.import_max_chars() == 250_000


def test_every_menu_action_is_connected(window) -> None:
    """No placeholder items: every action in the menus does something when triggered."""
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert action.receivers("2triggered(bool)") > 0 or action.isCheckable(), action.text()


def test_recent_tag_order_persists_across_a_window_close_and_reopen(qtbot, sample_project: Path) -> None:
    first = MainWindow(Library.open(sample_project))
    qtbot.addWidget(first)
    first.show()
    first.runner.wait()
    library = first.library
    last = first.tagging.recent[-1]
    docs = library.documents()
    first.open_document(docs[0].id)
    first.reader.select_span(0, 12)
    first.tagging.apply_tags([last])  # the least recent tag becomes number 1
    assert first.tagging.recent[0] == last
    first.close()  # before the coalesced save's timer: closing writes the order
    assert settings.recent_tag_ids(library.folder)[0] == last

    second = MainWindow(Library.open(sample_project))
    qtbot.addWidget(second)
    second.show()
    assert second.tagging.recent[0] == last
    assert second.tag_bar.recent_tags()[0].id == last
    second.runner.wait()
    second.close()
