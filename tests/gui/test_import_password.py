"""An encrypted PDF dropped into the import asks for its password and is imported with it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from annotator.core.library import Library
from annotator.gui.dialogs.import_dialog import ImportDialog
from annotator.gui.tasks import TaskRunner
from tests.importers.conftest import build_pdf

LOCKED_TEXT = "Arctic patrol schedules were shared with NORAD planners in confidence."


def _import(tmp_path: Path, qtbot, answers: list[str | None], monkeypatch: pytest.MonkeyPatch):
    locked = tmp_path / "in" / "locked brief.pdf"
    locked.parent.mkdir()
    locked.write_bytes(build_pdf([LOCKED_TEXT], user_password="pässwört"))
    plain = tmp_path / "in" / "open.txt"
    plain.write_text("An ordinary wire story about tariffs.", encoding="utf-8")
    asked: list[str] = []

    def ask(self: ImportDialog, outcome) -> str | None:
        asked.append(outcome.message)
        return answers.pop(0)

    monkeypatch.setattr(ImportDialog, "ask_password", ask)
    library = Library.create(tmp_path / "p.annotator")
    runner = TaskRunner()
    dialog = ImportDialog(library, [locked, plain], runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as blocker:
        dialog.show()
    runner.wait()
    return library, dialog, blocker.args[0], asked


def test_password_prompt_imports_the_encrypted_pdf(tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    library, dialog, new_ids, asked = _import(tmp_path, qtbot, ["wrong", "pässwört"], monkeypatch)
    try:
        assert len(asked) == 2 and "wrong password" in asked[1].lower()
        assert len(new_ids) == 2
        texts = [library.document_text(i) for i in new_ids]
        assert any(LOCKED_TEXT in t for t in texts)
        assert dialog.status.text().startswith("2 imported, 0 already in the project, 0 failed")
    finally:
        library.close()


def test_skipping_the_password_reports_the_file_as_failed(
    tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, dialog, new_ids, asked = _import(tmp_path, qtbot, [None], monkeypatch)
    try:
        assert len(asked) == 1
        assert len(new_ids) == 1
        assert dialog.status.text().startswith("1 imported, 0 already in the project, 1 failed")
        assert "locked brief.pdf" in dialog.report.toPlainText()
        assert "password" in dialog.report.toPlainText().lower()
        assert len(library.documents()) == 1
    finally:
        library.close()
