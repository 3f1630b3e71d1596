"""An install that lost its icons says so (a warning naming the file) instead of silently
showing blank buttons."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotator.gui import icons


def test_a_missing_icon_is_warned_about_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(icons, "resources_dir", lambda: tmp_path)
    with caplog.at_level(logging.WARNING, logger="annotator.gui.icons"):
        assert icons.icon("import").isNull() and icons.icon("import").isNull()
        assert icons.app_icon().isNull()
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [f"icon missing: {tmp_path / 'icons' / 'import.svg'} (the installation is "
                        "incomplete; reinstall Annotator)",
                        f"icon missing: {tmp_path / 'icons' / 'app.svg'} (the installation is "
                        "incomplete; reinstall Annotator)"]


def test_shipped_icons_load_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="annotator.gui.icons"):
        assert not icons.icon("import").isNull() and not icons.app_icon().isNull()
    assert caplog.records == []
