"""The window on a team project (PostgreSQL) when other coders and the network get in the way:
an undo of a highlight another coder (a separate process) changed since is refused with who
and when, and the views show their version; with the server stopped, a tagging is said to be
waiting, kept, and saved when the server is back, or cancelled by the researcher.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core.library import Library
from tests.core.helpers import add_text
from tests.pg_server import NoServer, TempServer
from tests.team_client import TeamClient

from .reader_driver import select_quote

TEXT = ("Carney met Trump in Ottawa. Tariffs on steel came first. Dairy quotas came next, "
        "then NORAD and the steel question again.")


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The message boxes the window shows, (title, text), answered at once."""
    shown: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append((box.windowTitle(), f"{box.text()} {box.informativeText()}"))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


def tag_by_keyboard(window, qtbot, quote: str | None, tag: str) -> None:
    """Select ``quote`` (None: what is selected), press Ctrl+T, type ``tag``, press Enter."""
    reader = window.reader
    if quote is not None:
        select_quote(reader, window.library, quote)
    qtbot.keyClick(reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.tag_bar.picker, tag)
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)


def open_team_window(window_on, url: str, folder: Path, *,
                     with_ben: TempServer | None = None) -> tuple[object, int, int]:
    """A window on a fresh team document with a “steel” tag; ``with_ben``: the server on which
    Ben, a second coder, may write to the database too."""
    if with_ben is not None:
        grant_ben(with_ben, url, url.rsplit("/", 1)[1])
    library = Library.open_engine(folder, engine_for_url(url))
    doc = add_text(library, TEXT, title="Team brief")
    steel = library.create_tag("steel", "topic")
    window = window_on(library)
    window.library_pane.select_document(doc.id)
    assert window.reader.document_id == doc.id
    return window, doc.id, steel.id


def grant_ben(server: TempServer, url: str, database: str) -> None:
    """The schema in the test's database, and Ben, a second coder who may write to it."""
    server.sql("DO $$BEGIN CREATE ROLE ben LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    create_schema(engine_for_url(url))
    server.sql("GRANT ALL ON ALL TABLES IN SCHEMA public TO ben", database)
    server.sql("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ben", database)


def as_ben(server: TempServer, url: str, folder: Path, op: str, *args: object, **kwargs: object) -> None:
    """Ben, in a process of his own, performs ``op`` on the test's database."""
    ben = TeamClient(server.url(url.rsplit("/", 1)[1], user="ben"), folder / "ben")
    try:
        ben.call(op, *args, **kwargs)
    finally:
        ben.close()


# --------------------------------------------------------------------------- another coder's work
def test_undo_of_a_highlight_another_coder_changed_is_refused_and_shows_their_version(
        pg_server: TempServer, pg_url: str, window_on, qtbot, tmp_path: Path,
        boxes: list[tuple[str, str]]) -> None:
    window, doc_id, steel_id = open_team_window(window_on, pg_url, tmp_path / "mine", with_ben=pg_server)
    tag_by_keyboard(window, qtbot, "Tariffs on steel", "steel")
    [mine] = window.library.highlights(doc_id)
    assert window.undo_stack.count() == 1

    as_ben(pg_server, pg_url, tmp_path, "set_highlight_note", mine.id, "ben: the tariff passage", expected=mine.version)

    window.actions_.undo.trigger()
    qtbot.waitUntil(lambda: bool(boxes))
    [(title, text)] = boxes
    assert title == "Changed by another coder"
    assert re.search(r"changed by ben at \d\d:\d\d:\d\d", text), text
    # Ben's work stands; the step that would take it back is gone, the stack is consistent.
    after = window.library.highlight(mine.id)
    assert after.note == "ben: the tariff passage" and [t.id for t in after.tags] == [steel_id]
    assert window.undo_stack.count() == 0 and window.undo_stack.index() == 0
    assert "changed by ben" in window.statusBar().currentMessage()
    # The reader and the highlights pane show ben's version, not the one the undo was based on.
    assert window.reader.highlights[mine.id].note == "ben: the tariff passage"


def test_a_note_typed_over_another_coders_change_is_refused_not_written_over_it(
        pg_server: TempServer, pg_url: str, window_on, qtbot, tmp_path: Path,
        boxes: list[tuple[str, str]]) -> None:
    window, doc_id, steel_id = open_team_window(window_on, pg_url, tmp_path / "mine", with_ben=pg_server)
    mine = window.library.add_highlight(doc_id, 0, 6, tag_ids=[steel_id])
    window.side_tabs.setCurrentWidget(window.notes)
    window.events.highlight_selected.emit(mine.id)
    notes = window.notes
    assert notes.highlight_id == mine.id
    notes.editor.setFocus()
    qtbot.keyClicks(notes.editor, "my reading")  # typing begins on version 1
    as_ben(pg_server, pg_url, tmp_path, "set_highlight_note", mine.id, "ben's reading", expected=mine.version)
    notes.commit()
    [(title, text)] = boxes
    assert title == "Changed by another coder" and "changed by ben" in text
    assert window.library.highlight(mine.id).note == "ben's reading"
    assert notes.editor.toPlainText() == "my reading"  # the coder's words are not lost either
    assert window.undo_stack.count() == 0


def test_undo_of_a_rename_another_coder_renamed_again_is_refused_and_theirs_stands(
        pg_server: TempServer, pg_url: str, window_on, qtbot, tmp_path: Path,
        boxes: list[tuple[str, str]]) -> None:
    window, _, steel_id = open_team_window(window_on, pg_url, tmp_path / "mine", with_ben=pg_server)
    window.codebook.edits.rename_tag(steel_id, "Steel tariffs")
    assert window.library.tag(steel_id).name == "Steel tariffs" and window.undo_stack.count() == 1
    as_ben(pg_server, pg_url, tmp_path, "update_tag", steel_id, name="Steel and aluminium tariffs")
    window.actions_.undo.trigger()  # Edit › Undo
    qtbot.waitUntil(lambda: bool(boxes))
    [(title, text)] = boxes
    assert title == "Changed by another coder"
    assert "it is now called “Steel and aluminium tariffs”" in text and "not applied" in text
    assert window.library.tag(steel_id).name == "Steel and aluminium tariffs"
    assert window.undo_stack.count() == 0


# --------------------------------------------------------------------------- the server goes away
@pytest.fixture(scope="module")
def own_server() -> Iterator[TempServer]:
    """A cluster of this module's own, to stop and start under an open window."""
    try:
        server = TempServer()
    except NoServer as error:
        pytest.skip(f"no PostgreSQL server: {error}")
    try:
        yield server
    finally:
        server.stop()


def pg_ctl(server: TempServer, action: str) -> None:
    options = (f"-p {server.port} -h {server.host} -k {server.root} -c fsync=off "
               "-c synchronous_commit=off")
    command = [str(server.bin / "pg_ctl"), "-D", str(server.data), "-w", "-t", "60"]
    if action == "stop":
        command += ["-m", "fast", "stop"]
    else:
        command += ["-l", str(server.root / "server.log"), "-o", options, "start"]
    done = subprocess.run([*server._as_user, *command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr or done.stdout


def test_a_tagging_while_the_server_is_down_waits_and_is_saved_when_it_is_back(
        own_server: TempServer, window_on, qtbot, tmp_path: Path, boxes: list[tuple[str, str]]) -> None:
    url = own_server.url(own_server.database())
    create_schema(engine_for_url(url))
    window, doc_id, steel_id = open_team_window(window_on, url, tmp_path / "mine")
    pending = window.team_notices.pending
    assert not pending.widget.isVisible()

    select_quote(window.reader, window.library, "Dairy quotas")
    pg_ctl(own_server, "stop")
    try:
        tag_by_keyboard(window, qtbot, None, "steel")
        # Said at once: a message naming the problem and that the tagging is kept, and the
        # status bar counting what waits.
        [(title, text)] = boxes
        assert title == "Server unreachable"
        assert "cannot be reached" in text and "is kept and will be saved" in text
        assert pending.widget.isVisible() and "1 change waiting" in pending.label.text()
        assert window.undo_stack.index() == 0
    finally:
        pg_ctl(own_server, "start")
    # Back: the waiting tagging is saved by itself, and is one undo step like any other.
    qtbot.waitUntil(lambda: not pending.actions, timeout=30000)
    [saved] = window.library.highlights(doc_id)
    assert saved.text == "Dairy quotas" and [t.id for t in saved.tags] == [steel_id]
    assert not pending.widget.isVisible()
    assert "Connection restored" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1 and window.undo_stack.index() == 1

    # An undo while the server is down keeps its place on the stack and waits too.
    boxes.clear()
    pg_ctl(own_server, "stop")
    try:
        window.actions_.undo.trigger()
        qtbot.waitUntil(lambda: bool(boxes))
        assert boxes[0][0] == "Server unreachable"
        assert window.undo_stack.index() == 1
        assert [a.description for a in pending.actions] == ["Undo Tag “steel”"]
    finally:
        pg_ctl(own_server, "start")
    qtbot.waitUntil(lambda: not pending.actions, timeout=30000)
    assert window.library.highlights(doc_id) == []
    assert window.undo_stack.index() == 0

    # Cancelled: nothing of it is saved, and the window says so.
    boxes.clear()
    select_quote(window.reader, window.library, "NORAD")
    pg_ctl(own_server, "stop")
    try:
        tag_by_keyboard(window, qtbot, None, "steel")
        assert len(pending.actions) == 1
        qtbot.mouseClick(pending.cancel_button, Qt.MouseButton.LeftButton)
        assert not pending.actions and not pending.widget.isVisible()
        assert "cancelled: nothing of it was saved" in window.statusBar().currentMessage()
    finally:
        pg_ctl(own_server, "start")
    assert window.library.highlights(doc_id) == []


def test_a_local_project_keeps_no_waiting_actions(window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not window.library.is_team_project() and window.library.server_reachable()
    assert window.team_notices.pending.actions == [] and not window.team_notices.pending.widget.isVisible()
    doc_id = window.reader.document_id or window.library.documents()[0].id
    window.library_pane.select_document(doc_id)
    before = len(window.library.highlights(doc_id))
    asked = answering(monkeypatch, QMessageBox.StandardButton.Cancel)
    select_quote(window.reader, window.library, window.library.document_text(doc_id)[:12])
    tag_by_keyboard(window, qtbot, None, "tariffs")
    assert len(window.library.highlights(doc_id)) == before + 1
    assert window.team_notices.pending.actions == [] and window.undo_stack.count() == 1
    # Closing asks nothing: there is never anything waiting.
    assert window.close() and asked == []


def answering(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    """Message boxes answered with ``answer``; returns their titles as they are shown."""
    titles: list[str] = []

    def exec_(box: QMessageBox) -> int:
        titles.append(box.windowTitle())
        return int(answer)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return titles


def team_window_tagging_offline(own_server: TempServer, window_on, qtbot, folder: Path,
                                quote: str, boxes: list[tuple[str, str]]) -> tuple[str, object, int, int]:
    """A window on ``own_server``'s fresh database, then the server stopped and ``quote``
    tagged “steel”: one change waiting. The caller starts the server again (in a finally)."""
    url = own_server.url(own_server.database())
    create_schema(engine_for_url(url))
    window, doc_id, steel_id = open_team_window(window_on, url, folder / "mine")
    select_quote(window.reader, window.library, quote)
    pg_ctl(own_server, "stop")
    tag_by_keyboard(window, qtbot, None, "steel")
    assert len(window.team_notices.pending.actions) == 1 and boxes[0][0] == "Server unreachable"
    return url, window, doc_id, steel_id


def highlights_on_server(url: str, folder: Path, doc_id: int) -> list:
    """What a fresh client of the server finds on the document (the window may be closed)."""
    check = Library.open_engine(folder / "check", engine_for_url(url))
    try:
        return check.highlights(doc_id)
    finally:
        check.close()


def test_closing_the_window_with_changes_waiting_asks_and_never_drops_them_silently(
        own_server: TempServer, window_on, qtbot, tmp_path: Path, boxes: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    buttons = QMessageBox.StandardButton
    try:
        url, window, doc_id, steel_id = team_window_tagging_offline(
            own_server, window_on, qtbot, tmp_path, "Dairy quotas", boxes)
        pending = window.team_notices.pending
        # Retry now while the server is still down: the change keeps its place, no new box.
        qtbot.mouseClick(pending.retry_button, Qt.MouseButton.LeftButton)
        assert [a.description for a in pending.actions] == ["Tag “steel”"] and len(boxes) == 1
        # Closing asks; keeping the window open keeps the change.
        asked = answering(monkeypatch, buttons.Cancel)
        assert not window.close()
        assert asked == ["Changes waiting for the server"]
        assert window.isVisible() and len(pending.actions) == 1
        # Retry on closing while the server is still down: the window stays, so does the change.
        asked = answering(monkeypatch, buttons.Retry)
        assert not window.close()
        assert window.isVisible() and len(pending.actions) == 1
        assert "still unreachable" in window.statusBar().currentMessage()
    finally:
        pg_ctl(own_server, "start")
    # Retry on closing once the server answers: saved, then the window closes.
    pending.timer.stop()  # the retry comes from the close, not from the background ping
    asked = answering(monkeypatch, buttons.Retry)
    assert window.close()
    assert asked == ["Changes waiting for the server"]
    [saved] = highlights_on_server(url, tmp_path, doc_id)
    assert saved.text == "Dairy quotas" and [t.id for t in saved.tags] == [steel_id]


def test_closing_and_dropping_the_waiting_changes_saves_nothing_of_them(
        own_server: TempServer, window_on, qtbot, tmp_path: Path, boxes: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        url, window, doc_id, _ = team_window_tagging_offline(
            own_server, window_on, qtbot, tmp_path, "NORAD", boxes)
        asked = answering(monkeypatch, QMessageBox.StandardButton.Discard)
        assert window.close()
        assert asked == ["Changes waiting for the server"]
    finally:
        pg_ctl(own_server, "start")
    assert highlights_on_server(url, tmp_path, doc_id) == []
