"""File › New Team Project… and Connect to Team Project…, driven as a researcher would: the
dialog's fields typed into, its button clicked, problems read inside it; the window that
opens says it is a team project on HOST/DB as USER."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.gui.dialogs.team_dialog import TeamProjectDialog
from annotator.gui.main_window import MainWindow
from tests.pg_server import TempServer
from tests.team.helpers import cli, password_role, plain_url

pytestmark = pytest.mark.usefixtures("close_new_windows")


def _fill(qtbot, dialog: TeamProjectDialog, *, url: str = "", host: str = "", port: int = 0,
          database: str = "", user: str = "", folder: Path | None = None) -> None:
    for field, value in ((dialog.url, url), (dialog.host, host), (dialog.database, database)):
        if value:
            qtbot.keyClicks(field, value)
    if port:
        dialog.port.setValue(port)
    if user:
        dialog.user.clear()
        qtbot.keyClicks(dialog.user, user)
    if folder is not None:
        dialog.folder.clear()
        qtbot.keyClicks(dialog.folder, str(folder))


def _click_ok(qtbot, dialog: TeamProjectDialog) -> None:
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30_000)


def test_new_team_project_from_the_file_menu(window, qtbot, pg_server: TempServer, tmp_path,
                                             monkeypatch) -> None:
    db = pg_server.database()
    folder = tmp_path / "Lab.annotator"
    seen: list[TeamProjectDialog] = []

    def run(dialog: TeamProjectDialog) -> int:  # the user fills in the pieces and clicks Create
        seen.append(dialog)
        assert dialog.windowTitle() == "New Team Project" and dialog.ok.text() == "Create"
        _fill(qtbot, dialog, host=pg_server.host, port=pg_server.port, database=db,
              user="annotator_admin", folder=folder)
        _click_ok(qtbot, dialog)
        return 1 if dialog.library is not None else 0

    monkeypatch.setattr(TeamProjectDialog, "exec", run)
    window.actions_.new_team_project.trigger()
    assert seen and not seen[0].error.isVisible()
    [team_window] = [w for w in MainWindow.open_windows if w.library.folder == folder]
    where = f"team project on {pg_server.host}:{pg_server.port}/{db} as annotator_admin"
    assert where in team_window.windowTitle()
    assert where in team_window.status_project.text()
    assert (folder / "team.json").is_file() and not (folder / "project.sqlite").exists()
    team_window.library.create_tag("steel", "topic")
    assert pg_server.sql("SELECT name FROM tags", db) == [("steel",)]
    team_window.close()
    pg_server.drop_database(db)


def test_connect_asks_for_the_password_inline(qtbot, pg_server: TempServer, tmp_path,
                                              capsys) -> None:
    db = pg_server.database()
    assert cli(capsys, "init", "--db", plain_url(pg_server, db), str(tmp_path / "owner"))[0] == 0
    role = password_role(pg_server, db, "s3same")
    dialog = TeamProjectDialog(None, "connect")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.password.isVisible()
    _fill(qtbot, dialog, url=plain_url(pg_server, db, role), folder=tmp_path / "me")
    _click_ok(qtbot, dialog)
    assert dialog.library is None and dialog.password.isVisible()
    assert "a password is needed" in dialog.error.text()
    qtbot.keyClicks(dialog.password, "wrong")
    _click_ok(qtbot, dialog)
    assert dialog.library is None and "wrong password" in dialog.error.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "s3same")
    _click_ok(qtbot, dialog)
    assert dialog.library is not None and dialog.library.user == role
    assert "s3same" not in (tmp_path / "me" / "team.json").read_text()
    dialog.library.close()
    pg_server.drop_database(db)


def test_connect_to_an_empty_database_says_so_and_keeps_the_dialog(
        qtbot, pg_server: TempServer, tmp_path) -> None:
    db = pg_server.database()
    dialog = TeamProjectDialog(None, "connect")
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, url=plain_url(pg_server, db), folder=tmp_path / "me")
    _click_ok(qtbot, dialog)
    assert dialog.library is None and dialog.isVisible()
    assert "holds no team project yet" in dialog.error.text()
    assert not (tmp_path / "me").exists()
    dialog.url.clear()
    _click_ok(qtbot, dialog)
    assert "Give the server URL, or the host and the database" in dialog.error.text()
    pg_server.drop_database(db)


def test_opening_a_team_folder_prompts_for_its_password(window, qtbot, pg_server: TempServer,
                                                        tmp_path, capsys, monkeypatch) -> None:
    db = pg_server.database()
    assert cli(capsys, "init", "--db", plain_url(pg_server, db), str(tmp_path / "owner"))[0] == 0
    role = password_role(pg_server, db, "s3same")
    monkeypatch.setenv("PGPASSWORD", "s3same")
    folder = tmp_path / "mine"
    assert cli(capsys, "init", "--db", plain_url(pg_server, db, role), str(folder))[0] == 0
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    answers = iter([("nope", True), ("s3same", True)])
    asked: list[str] = []

    def prompt(_parent, _title, label, _echo):  # type: ignore[no-untyped-def]
        asked.append(label)
        return next(answers)

    monkeypatch.setattr("annotator.gui.team_projects.QInputDialog.getText", prompt)
    window.switch_project(folder)
    assert len(asked) == 2 and "wrong password" in asked[1]
    [team_window] = [w for w in MainWindow.open_windows if w.library.folder == folder]
    assert f"as {role}" in team_window.windowTitle()
    team_window.close()
    pg_server.drop_database(db)


def test_gui_dir_opens_a_team_folder(qtbot, pg_server: TempServer, tmp_path, capsys) -> None:
    """``annotator gui DIR`` goes through app.open_library: a team folder is connected to,
    not mistaken for a non-empty folder without a project."""
    from annotator.app import open_library

    db = pg_server.database()
    folder = tmp_path / "team"
    assert cli(capsys, "init", "--db", plain_url(pg_server, db), str(folder))[0] == 0
    library = open_library(folder)
    assert library is not None and library.team is not None
    assert library.user == "annotator_admin" and not (folder / "project.sqlite").exists()
    library.close()
    pg_server.drop_database(db)


def test_a_read_only_role_reads_and_is_told_when_it_tags(window_on, qtbot, pg_server: TempServer,
                                                         tmp_path, capsys, monkeypatch) -> None:
    """A role with SELECT only opens the project in the window, reads the document, and
    tagging a passage (Ctrl+T, a tag, Enter) says it has read-only access; nothing is written."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.core.library import Library
    from tests.gui.reader_driver import select_quote
    from tests.team.helpers import write_article

    db = pg_server.database()
    owner = tmp_path / "owner"
    assert cli(capsys, "init", "--db", plain_url(pg_server, db), str(owner))[0] == 0
    assert cli(capsys, "-p", str(owner), "import", str(write_article(tmp_path / "in")))[0] == 0
    assert cli(capsys, "-p", str(owner), "tag", "1", "--quote", "Tariffs on steel",
               "--topic", "steel")[0] == 0
    reader_role = "ro_" + uuid.uuid4().hex[:8]
    pg_server.sql(f"CREATE ROLE {reader_role} LOGIN")
    pg_server.sql(f"GRANT USAGE ON SCHEMA public TO {reader_role}", db)
    pg_server.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader_role}", db)
    folder = tmp_path / "reader"
    assert cli(capsys, "init", "--db", plain_url(pg_server, db, reader_role), str(folder))[0] == 0
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: shown.append(box.informativeText()) or 0)

    main = window_on(Library.open(folder))
    main.runner.wait()
    assert "read-only" in main.windowTitle()
    main.library_pane.select_document(1)
    assert main.reader.document_id == 1
    select_quote(main.reader, main.library, "Ontario's premier")
    qtbot.keyClick(main.reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(main.tag_bar.picker, "steel")
    qtbot.keyClick(main.tag_bar.picker, Qt.Key.Key_Return)
    assert any("read-only access to this team project" in text for text in shown), shown
    assert pg_server.sql("SELECT count(*) FROM highlights", db) == [(1,)]
    main.close()
    pg_server.drop_database(db)
