"""A large project's window opens on the Library pane's first rows only, in the pane's sort,
and reads the whole list once the window has painted: after that the pane lists, sorts and
filters every document, and keeps the document the user was reading."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.gui.main_window import MainWindow
from annotator.gui.models.document_table import ID_ROLE, TITLE
from annotator.gui.widgets import library_pane
from annotator.gui.widgets.library_pane import LibraryPane

DOCUMENTS = 9
FIRST = 3


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(library_pane, "FIRST_ROWS", FIRST)
    folder = tmp_path / "Large.annotator"
    with Library.create(folder) as lib:
        for n in range(DOCUMENTS):
            # Published out of import order, one undated: the first rows come from the sort.
            published = None if n == 4 else date(2020, 1, 1) + timedelta(days=(n * 5) % DOCUMENTS)
            lib.add_document(Extracted(text=f"Article {n} on harbour policy. " * 10, format="txt",
                                       title=f"Article {n:02d} {'zeta' if n == 7 else 'report'}",
                                       published=published))
    return folder


def shown_ids(pane: LibraryPane) -> list[int]:
    proxy = pane.proxy
    return [proxy.index(row, 0).data(ID_ROLE) for row in range(proxy.rowCount())]


def newest_first(library: Library) -> list[int]:
    docs = sorted(library.documents(), key=lambda d: (d.published or date.min).toordinal(), reverse=True)
    return [d.id for d in docs]


def test_the_window_opens_on_the_first_rows_then_lists_every_document(qtbot, project: Path) -> None:
    library = Library.open(project)
    window = MainWindow(library)
    qtbot.addWidget(window)
    pane = window.library_pane
    expected = newest_first(library)

    # Before the window is shown: the first rows of the default sort (newest first), the
    # project's real count in the heading, and the newest document open in the reader.
    assert pane.loading
    assert shown_ids(pane) == expected[:FIRST]
    assert f"{DOCUMENTS} documents" in pane.heading.text()
    assert window.reader.document_id == expected[0]

    window.show()
    qtbot.waitUntil(lambda: not pane.loading, timeout=10_000)
    assert shown_ids(pane) == expected
    assert f"{DOCUMENTS} documents" in pane.heading.text()
    assert pane.current_document_id() == expected[0] == window.reader.document_id

    # Filtering and sorting now reach documents that were not among the first rows.
    qtbot.keyClicks(pane.filter, "zeta")
    assert [library.document(i).title for i in shown_ids(pane)] == ["Article 07 zeta"]
    pane.filter.clear()
    pane.table.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    assert [library.document(i).title for i in shown_ids(pane)] == sorted(d.title for d in library.documents())
    window.runner.wait()
    window.close()


def test_the_first_rows_follow_the_sort_the_user_left(qtbot, project: Path) -> None:
    first = MainWindow(Library.open(project))
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: not first.library_pane.loading, timeout=10_000)
    first.library_pane.table.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)
    first.runner.wait()
    first.close()  # saves the header, sort included

    library = Library.open(project)
    second = MainWindow(library)
    qtbot.addWidget(second)
    titles = sorted((d.title for d in library.documents()), reverse=True)
    assert second.library_pane.loading
    assert [library.document(i).title for i in shown_ids(second.library_pane)] == titles[:FIRST]
    second.show()
    qtbot.waitUntil(lambda: not second.library_pane.loading, timeout=10_000)
    assert [library.document(i).title for i in shown_ids(second.library_pane)] == titles
    second.runner.wait()
    second.close()


def test_an_edit_while_the_list_is_read_is_not_undone_by_the_older_read(qtbot, project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    library = Library.open(project)
    stale, real = library.documents(), library.documents
    gate = threading.Event()

    def documents() -> list:
        if threading.current_thread() is threading.main_thread():
            return real()
        gate.wait(10)  # the background read is slow, and sees the project before the import
        return list(stale)

    monkeypatch.setattr(library, "documents", documents)
    window = MainWindow(library)
    qtbot.addWidget(window)
    pane = window.library_pane
    window.show()
    qtbot.waitUntil(lambda: pane._listing_started, timeout=10_000)
    added = library.add_document(Extracted(text="A late arrival. " * 10, format="txt", title="Late"))
    pane.reload()  # what the window does when the import's change arrives
    assert not pane.loading and added.id in shown_ids(pane)
    gate.set()
    window.runner.wait()
    for _ in range(3):
        QCoreApplication.processEvents()
    assert added.id in shown_ids(pane)
    assert len(shown_ids(pane)) == DOCUMENTS + 1
    window.close()


def test_a_pane_that_is_never_painted_still_reads_the_whole_list(qtbot, project: Path) -> None:
    from PySide6.QtGui import QUndoStack

    from annotator.gui.events import LibraryEvents

    library = Library.open(project)
    events = LibraryEvents()
    pane = LibraryPane(library, events, QUndoStack())
    qtbot.addWidget(pane)
    assert pane.loading and len(shown_ids(pane)) == FIRST
    qtbot.waitUntil(lambda: not pane.loading, timeout=10_000)
    assert shown_ids(pane) == newest_first(library)
    pane.runner.wait()
    library.close()
