"""GUI test set-up: Qt offscreen, QSettings and the user data folder in tmp, and the sample
project built once per session and copied for each test that needs it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from annotator.core.library import Library

# The side panes' shared project, a fixture pytest finds here for every GUI test module.
from .side_panes_sample import sample  # noqa: F401

TEST_ORGANISATION = "AnnotatorTests"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets empty QSettings in its own folder and a data folder in tmp, so the
    user's settings and projects are never read or written."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName(TEST_ORGANISATION)
    QCoreApplication.setApplicationName("Annotator")
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setattr("annotator.paths.user_data_dir", lambda: data / "Annotator")
    monkeypatch.delenv("ANNOTATOR_PROJECT", raising=False)
    yield folder


MAIN_WINDOW_TESTS = {
    "test_tagging_workflow", "test_tag_bar", "test_document_header_and_empty",
    "test_paragraph_spacing", "test_appearance", "test_projects", "test_help_and_shortcuts",
    "test_library_header", "test_documents_and_import", "test_astral_highlight",
    "test_window_state_and_app", "test_window_follows_edits", "test_span_handles",
    "test_search_panel_layout", "test_appearance_muted", "test_appearance_tones",
    "test_analysis_window", "test_variables_gui", "test_team_follow",
    "test_refi_exchange", "test_coders_gui",
    "test_reader_switching_documents", "test_tag_entry", "test_tag_keys", "test_coding_stripes",
    "test_room_to_read", "test_open_highlight", "test_check_boxes_visible", "test_hard_wrapped_text",
    "test_compare_coders",
    "test_library_first_rows",
}


@pytest.fixture(autouse=True)
def unexpected_message_boxes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A modal message box would wait for a click that never comes and hang the run; record it
    instead and fail the test, naming what the box said. Tests that expect a box clear the list."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    if request.module.__name__.rsplit(".", 1)[-1] not in MAIN_WINDOW_TESTS:
        yield shown  # the side panes' tests answer their own dialogs
        return

    def exec_(box: QMessageBox) -> int:
        shown.append(f"{box.text()} {box.informativeText()}".strip())
        return int(QMessageBox.StandardButton.Ok)

    def static(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        shown.append(" ".join(str(a) for a in args[1:3]))
        return QMessageBox.StandardButton.Cancel

    def dialog(*args: object, **kwargs: object) -> None:
        shown.append(f"input dialog {args[1:]}")
        return None

    from annotator.gui.widgets import tag_picker

    # Tests that answer these dialogs replace them again with their own answers.
    monkeypatch.setattr(tag_picker, "choose_category", dialog)
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for name in ("warning", "critical", "question", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(static))
    yield shown
    assert not shown, f"unexpected message box: {shown}"


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotator.sample_project import build_sample_project

    return build_sample_project(tmp_path_factory.mktemp("sample") / "Sample.annotator")


@pytest.fixture
def sample_project(built_sample: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample project for one test."""
    return copy_sample(built_sample, tmp_path / "Sample.annotator")


def copy_sample(built_sample: Path, target: Path) -> Path:
    shutil.copytree(built_sample, target)
    (target / "project.lock").unlink(missing_ok=True)
    return target


@pytest.fixture
def window_on(qtbot):
    """Opens the main window on a given Library, shown; every one opened closes after the test."""
    from annotator.gui.main_window import MainWindow

    opened = []

    def open_window(library: Library) -> MainWindow:
        main = MainWindow(library)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        opened.append(main)
        return main

    yield open_window
    for main in opened:
        if main.isVisible():
            main.close()


@pytest.fixture
def window(window_on, sample_project: Path):
    """The main window on the sample project, shown and active."""
    main = window_on(Library.open(sample_project))
    main.activateWindow()
    main.runner.wait()  # a stale index is rebuilt in the background on open
    QCoreApplication.processEvents()
    return main


@pytest.fixture
def close_new_windows() -> Iterator[None]:
    """Windows a test's actions open (a project switched to, reopened after a restore) close
    after it."""
    from annotator.gui.main_window import MainWindow

    before = set(MainWindow.open_windows)
    yield
    for window in set(MainWindow.open_windows) - before:
        window.runner.wait()
        window.close()
