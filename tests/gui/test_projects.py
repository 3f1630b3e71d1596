"""New Project, Open Project, Open Recent and a folder that is not a project, driven through
the File menu's actions with the file dialogs answered by the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from annotator.core.library import DB_NAME, Library
from annotator.gui import settings
from annotator.gui.main_window import MainWindow

from .conftest import copy_sample


@pytest.fixture
def other_project(built_sample: Path, tmp_path: Path) -> Path:
    return copy_sample(built_sample, tmp_path / "Other.annotator")


pytestmark = pytest.mark.usefixtures("close_new_windows")


def window_on(folder: Path) -> MainWindow:
    [window] = [w for w in MainWindow.open_windows if w.library.folder.resolve() == folder.resolve()]
    return window


def answer(monkeypatch, name: str, value) -> list[tuple]:
    """Replace ``QFileDialog.<name>`` with one that records its arguments and returns ``value``."""
    asked: list[tuple] = []

    def dialog(*args: object, **kwargs: object) -> object:
        asked.append(args)
        return value

    monkeypatch.setattr(f"annotator.gui.main_window.QFileDialog.{name}", dialog)
    return asked


def test_new_project_creates_the_folder_with_its_suffix_and_opens_it(window, qtbot, tmp_path, monkeypatch) -> None:
    old_folder = window.library.folder
    asked = answer(monkeypatch, "getSaveFileName", (str(tmp_path / "Field notes"), ""))
    window.actions_.new_project.trigger()
    assert asked and asked[0][1] == "New Project"
    folder = tmp_path / "Field notes.annotator"
    assert (folder / DB_NAME).is_file()
    new = window_on(folder)
    assert new.isVisible() and not window.isVisible()
    assert new.library.documents() == []
    assert new.reader_stack.currentWidget() is new.empty_project
    assert settings.last_project() == new.library.folder
    assert settings.recent_projects()[0] == new.library.folder
    assert window not in MainWindow.open_windows
    assert old_folder.exists()


def test_new_project_cancelled_keeps_the_window(window, monkeypatch) -> None:
    answer(monkeypatch, "getSaveFileName", ("", ""))
    window.actions_.new_project.trigger()
    assert window.isVisible() and window in MainWindow.open_windows
    assert len(window.library.documents()) == 4


def test_open_project_switches_windows_and_the_old_project_is_released(window, other_project, qtbot, monkeypatch) -> None:  # noqa: E501
    old = window.library.folder
    answer(monkeypatch, "getExistingDirectory", str(other_project))
    window.actions_.open_project.trigger()
    new = window_on(other_project)
    assert new.isVisible() and not window.isVisible()
    assert new.windowTitle().startswith("Other")
    assert new.reader.document_id is not None
    Library.open(old).close()  # the closed window's Library let go of its project lock
    assert settings.recent_projects()[0] == new.library.folder


def test_open_recent_lists_other_projects_and_opens_the_chosen_one(window, other_project, qtbot) -> None:
    settings.set_last_project(other_project)
    settings.set_last_project(window.library.folder)
    menu = window.actions_.recent_menu
    menu.aboutToShow.emit()
    names = [a.text() for a in menu.actions() if a.text()]
    assert names == ["Other.annotator", "Clear Menu"]  # not the project already open
    next(a for a in menu.actions() if a.text() == "Other.annotator").trigger()
    new = window_on(other_project)
    assert new.isVisible() and not window.isVisible()


def test_open_recent_clear_menu_forgets_them(window, other_project) -> None:
    settings.set_last_project(other_project)
    menu = window.actions_.recent_menu
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == "Clear Menu").trigger()
    assert other_project not in settings.recent_projects()
    menu.aboutToShow.emit()
    [empty] = [a for a in menu.actions() if a.text()]
    assert empty.text() == "No other recent projects" and not empty.isEnabled()


def test_a_folder_that_is_not_a_project_is_refused_clearly_and_the_window_stays(window, tmp_path, monkeypatch, unexpected_message_boxes) -> None:  # noqa: E501
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "article.pdf").write_bytes(b"%PDF-1.4 not really")
    settings.set_last_project(folder)  # as if it had been in Open Recent
    settings.set_last_project(window.library.folder)
    answer(monkeypatch, "getExistingDirectory", str(folder))
    window.actions_.open_project.trigger()
    [message] = unexpected_message_boxes
    unexpected_message_boxes.clear()
    assert "Opening Downloads failed." in message
    assert str(folder) in message and "not an Annotator project" in message
    assert window.isVisible() and window in MainWindow.open_windows
    assert len(window.library.documents()) == 4  # still usable
    QCoreApplication.processEvents()
    assert folder not in settings.recent_projects()
    assert sorted(p.name for p in folder.iterdir()) == ["article.pdf"]  # nothing written there


def test_reopening_the_project_already_open_does_nothing(window, monkeypatch) -> None:
    answer(monkeypatch, "getExistingDirectory", str(window.library.folder))
    window.actions_.open_project.trigger()
    assert window.isVisible() and window in MainWindow.open_windows


def test_new_project_over_an_existing_project_is_refused_and_nothing_is_lost(window, other_project, monkeypatch, unexpected_message_boxes) -> None:  # noqa: E501
    before = sorted(p.name for p in other_project.iterdir())
    answer(monkeypatch, "getSaveFileName", (str(other_project), ""))
    window.actions_.new_project.trigger()
    [message] = unexpected_message_boxes
    unexpected_message_boxes.clear()
    assert "Creating the project failed." in message and str(other_project) in message
    assert window.isVisible() and window in MainWindow.open_windows
    assert sorted(p.name for p in other_project.iterdir()) == before
    with Library.open(other_project) as library:
        assert len(library.documents()) == 4
