"""``annotator-gui`` (annotator.app:main) opens the project its arguments name."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import app


def test_gui_entry_point_passes_the_named_project_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(app, "run", lambda project=None, files=(): opened.append(project) or 0)
    monkeypatch.delenv("ANNOTATOR_PROJECT", raising=False)
    assert app.main(["-p", str(tmp_path / "X.annotator")]) == 0
    assert app.main([]) == 0
    monkeypatch.setattr("sys.argv", ["annotator-gui", "--project", str(tmp_path / "Y.annotator")])
    assert app.main() == 0
    assert opened == [tmp_path / "X.annotator", None, tmp_path / "Y.annotator"]
    assert app.choose_project(tmp_path / "X.annotator") == tmp_path / "X.annotator"
