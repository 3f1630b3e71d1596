"""Start-up: the QApplication (names for QSettings, icon, a palette that follows the system's
light or dark mode or the user's choice), the project to open, and the main window."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import __version__, settled
from annotator.cli.project_option import explicit_project, parse_gui_arguments
from annotator.core.errors import AnnotatorError
from annotator.core.library import DB_NAME, Library
from annotator.core.team import is_team_folder
from annotator.paths import sample_project_dir

ORGANISATION = "Annotator"
APPLICATION = "Annotator"
# The id the desktop file, the hicolor icons and the AppStream metainfo are named by (packaging/).
APP_ID = "io.github.annotator.annotator"


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    from annotator.gui.appearance import follow_system_colour_scheme
    from annotator.gui.icons import app_icon

    app.setWindowIcon(app_icon())
    follow_system_colour_scheme(app)
    return app


def choose_project(project: str | Path | None) -> Path:
    """The given project, else $ANNOTATOR_PROJECT, else the last one opened, else the sample
    (built on first start)."""
    from annotator.gui import settings

    named = explicit_project(project)
    if named is not None:
        return named
    last = settings.last_project()
    # The sample goes through ensure_sample_project even when it was opened last: an empty
    # one built by an install that lacked the articles is built again.
    if last is not None and _holds_project(last) and last != sample_project_dir():
        return last
    from annotator.sample_project import SampleIncomplete, ensure_sample_project

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return ensure_sample_project(sample_project_dir())
    except SampleIncomplete as exc:
        report = exc.build.report()
        print(f"annotator: {report}", file=sys.stderr)
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(None, "Sample project incomplete", report)
        return exc.build.folder
    finally:
        QGuiApplication.restoreOverrideCursor()


def _holds_project(folder: Path) -> bool:
    return (folder / DB_NAME).exists() or is_team_folder(folder)


def open_library(folder: Path) -> Library | None:
    """Open the project, creating it when the folder is new or empty; None when the user
    cancelled a team project's password prompt."""
    if not _holds_project(folder) and (not folder.exists() or not any(folder.iterdir())):
        return Library.create(folder)
    from annotator.gui.team_projects import open_project

    return open_project(None, folder)


def display_problem() -> str | None:
    """Why Qt could not open a window here, said before it aborts the process over it."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return "no display: set DISPLAY (or WAYLAND_DISPLAY), or run with QT_QPA_PLATFORM=offscreen"


def main(argv: Sequence[str] | None = None) -> int:
    """``annotator-gui [-p DIR] [--version] [PATH...]``: arguments are read before Qt starts."""
    request = parse_gui_arguments(sys.argv[1:] if argv is None else argv)
    return run(request.project, files=request.files)


def run(project: str | Path | None = None, files: Sequence[Path] = ()) -> int:
    """Open the window on ``project`` (see ``choose_project`` for the default), then offer to
    import ``files`` into it (what a file manager's "Open With" passes)."""
    problem = display_problem()
    if problem:
        print(f"annotator: {problem}", file=sys.stderr)
        return 1
    app = make_application()
    if files and project is None:
        from annotator.gui.single_instance import send_to_running

        # Annotator is already running (it holds the last project): it asks and imports.
        if send_to_running(list(files)):
            return 0
    from annotator.gui import settings
    from annotator.gui.errors import show_error
    from annotator.gui.main_window import MainWindow
    from annotator.gui.open_notes import show_open_notes

    try:
        folder = choose_project(project)
        library = open_library(folder)
        if library is None:
            return 1
    except AnnotatorError as exc:
        show_error(None, exc, "Opening the project")
        return 1
    except OSError as exc:
        QMessageBox.critical(None, "Annotator", f"Could not open the project: {exc}")
        return 1
    from annotator.sample_project import is_incomplete_sample

    if not is_incomplete_sample(library.folder):
        settings.set_last_project(library.folder)
    window = MainWindow(library)
    window.show()
    from annotator.gui.open_files import import_into_front_window, offer_import
    from annotator.gui.single_instance import FileReceiver

    receiver = FileReceiver(app)
    if receiver.listen():
        receiver.received.connect(import_into_front_window)
    if files:
        QTimer.singleShot(0, window, lambda: offer_import(window, list(files)))
    # What is loaded now (Qt, SQLAlchemy, Whoosh, the codebook, the panes) lives as long as
    # the window. Freezing it keeps the collector's full passes, which walk every object
    # and took 50-80 ms, from stalling a tagging click now and then.
    gc.freeze()
    settled()
    show_open_notes(window, library)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
