"""What the desktop file promises (``Exec=annotator-gui %F`` with document MIME types): files
given on the command line are imported into the last project after the user agrees, and a
project folder given there still opens that project. And a sample project that could not be
built completely is shown with its failures but never remembered as the last project."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import app
from annotator.core.library import Library
from annotator.gui import settings, single_instance
from annotator.gui.main_window import MainWindow
from annotator.paths import sample_project_dir, samples_dir

SERVER = f"annotator-files-test-{os.getpid()}"
SECOND_START = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from annotator.gui import single_instance
app = QCoreApplication([])
print("handed over" if single_instance.send_to_running([Path(sys.argv[1])], {SERVER!r}) else "not")
"""


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, qtbot) -> Iterator[None]:
    """``app.main`` runs as from a launcher, except that the event loop is left to the test
    (``exec`` returns at once); the windows it opened are handed over and closed after."""
    monkeypatch.setattr(QApplication, "exec", lambda *_args: 0)
    monkeypatch.setattr(single_instance, "server_name", lambda: SERVER)
    before = set(MainWindow.open_windows)
    yield
    for window in set(MainWindow.open_windows) - before:
        window.runner.wait()
        window.close()
    for receiver in QApplication.instance().findChildren(single_instance.FileReceiver):
        receiver.server.close()
        receiver.setParent(None)
        receiver.deleteLater()


def start(*args: str) -> MainWindow:
    """``annotator-gui ARGS``; the one window it opened."""
    before = set(MainWindow.open_windows)
    assert app.main(list(args)) == 0
    [window] = [w for w in MainWindow.open_windows if w not in before]
    return window


@pytest.fixture
def last_project(tmp_path: Path) -> Path:
    folder = tmp_path / "Trade.annotator"
    Library.create(folder).close()
    settings.set_last_project(folder)
    return folder


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "wire.txt"
    path.write_text("Talks on softwood lumber resumed in Ottawa on Monday.\n\n" * 3, encoding="utf-8")
    return path


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_a_file_on_the_command_line_is_imported_into_the_last_project_after_asking(
    started: None, last_project: Path, article: Path, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window = start(str(article))
    assert window.library.folder == last_project  # not "Not a directory" on the text file
    qtbot.waitUntil(lambda: bool(window.library.documents()), timeout=20000)
    assert len(asked) == 1 and "Trade.annotator" in asked[0] and "wire.txt" in asked[0]
    [document] = window.library.documents()
    assert document.original_name == "wire.txt"
    assert "softwood lumber" in window.library.document_text(document.id)


def test_declining_imports_nothing(
    started: None, last_project: Path, article: Path, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    window = start(str(article))
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert window.import_dialogs == [] and window.library.documents() == []


def test_a_project_folder_argument_opens_that_project_and_asks_nothing(
    started: None, last_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    other = tmp_path / "Other.annotator"
    Library.create(other).close()
    window = start(str(other))
    QApplication.processEvents()
    assert window.library.folder == other and asked == []
    assert settings.last_project() == other


def test_two_project_folders_are_refused_with_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(SystemExit) as exit_info:
        app.main([str(tmp_path / "a"), str(tmp_path / "b")])
    assert exit_info.value.code == 2 and "one project folder" in capsys.readouterr().err


def test_an_incomplete_sample_is_shown_with_its_failures_but_not_remembered(
    started: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "samples"
    broken.mkdir()
    for path in samples_dir().glob("*.txt"):
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "Damaged report.pdf").write_bytes(b"%PDF-1.4 this is not a PDF")
    monkeypatch.setattr("annotator.sample_project.samples_dir", lambda: broken)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _parent, title, text, *_a: warnings.append(f"{title}: {text}")))

    window = start()
    assert len(warnings) == 1 and "Damaged report.pdf" in warnings[0]
    assert "Damaged report.pdf" in capsys.readouterr().err
    assert window.library.folder.name.endswith(".incomplete")
    assert len(window.library.documents()) == 1  # what could be imported is there to see
    assert settings.last_project() is None

    # Fixed (a repaired install): the next start builds the whole sample and remembers it.
    window.close()
    monkeypatch.setattr("annotator.sample_project.samples_dir", samples_dir)
    window = start()
    assert not window.library.folder.name.endswith(".incomplete")
    articles = [p for p in samples_dir().iterdir() if p.suffix in {".txt", ".md", ".html", ".pdf"}]
    assert len(window.library.documents()) == len(articles) and len(warnings) == 1
    assert settings.last_project() == window.library.folder


def test_files_opened_while_the_app_runs_go_to_the_running_window(
    started: None, last_project: Path, article: Path, qtbot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second ``annotator-gui FILE`` (another process) hands the file to the running app,
    which asks and imports it, instead of failing on the project the first one holds."""
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window = start()
    assert single_instance.server_name() == SERVER  # the fixture's, not the user's real one
    second = subprocess.Popen(
        [sys.executable, "-c", SECOND_START, str(article)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    qtbot.waitUntil(lambda: bool(window.library.documents()), timeout=30000)
    assert second.wait(30) == 0 and second.stdout is not None and second.stdout.read() == "handed over\n"
    assert len(asked) == 1 and "wire.txt" in asked[0]
    assert [d.original_name for d in window.library.documents()] == ["wire.txt"]


def test_a_stranger_on_the_socket_imports_nothing(started: None, last_project: Path, qtbot) -> None:
    window = start()
    socket = QLocalSocket()
    socket.connectToServer(SERVER)
    assert socket.waitForConnected(2000)
    socket.write(b"not json\n")
    socket.flush()
    qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert window.import_dialogs == []


def test_an_empty_sample_remembered_as_the_last_project_is_built_again(qapp) -> None:
    """What the wheel without resources left behind: an empty sample, opened last."""
    Library.create(sample_project_dir()).close()
    settings.set_last_project(sample_project_dir())
    assert app.choose_project(None) == sample_project_dir()
    with Library.open(sample_project_dir(), readonly=True) as library:
        assert len(library.documents()) == 4
