"""How ``annotator`` and ``annotator-gui`` pick the project: -p (before or after the command),
else a non-empty $ANNOTATOR_PROJECT, else the default; no Qt needed to check."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from annotator import __version__
from annotator.cli import build_parser
from annotator.cli.project_option import explicit_project, gui_project
from tests.cli.test_cli_foundation import SAMPLE_TXT, cli


def test_gui_arguments_name_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANNOTATOR_PROJECT", raising=False)
    assert gui_project([]) is None
    assert gui_project(["-p", str(tmp_path / "X.annotator")]) == tmp_path / "X.annotator"
    assert gui_project(["--project", "~/Y.annotator"]) == Path.home() / "Y.annotator"
    assert gui_project([str(tmp_path / "Z.annotator")]) == tmp_path / "Z.annotator"
    monkeypatch.setenv("ANNOTATOR_PROJECT", str(tmp_path / "Env.annotator"))
    assert gui_project([]) == tmp_path / "Env.annotator"
    assert gui_project(["-p", str(tmp_path / "X.annotator")]) == tmp_path / "X.annotator"
    monkeypatch.setenv("ANNOTATOR_PROJECT", "")
    assert gui_project([]) is None and explicit_project(None) is None


def test_gui_version_help_and_bad_arguments_exit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        gui_project(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"annotator {__version__}"
    with pytest.raises(SystemExit) as done:
        gui_project(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "annotator-gui" in out and "-p DIR, --project DIR" in out
    with pytest.raises(SystemExit) as done:
        gui_project(["--frobnicate"])
    assert done.value.code == 2


def test_project_option_may_follow_the_command() -> None:
    parse = build_parser().parse_args
    assert parse(["docs", "-p", "B"]).project == "B"
    assert parse(["-p", "A", "docs"]).project == "A"
    assert parse(["-p", "A", "docs", "--project", "B"]).project == "B"
    assert parse(["docs"]).project is None
    assert parse(["export", "csv", "out.csv", "-p", "C"]).project == "C"
    assert parse(["export", "-p", "D", "csv", "out.csv"]).project == "D"
    assert parse(["search", "tariffs", "-p", "E"]).project == "E"


def test_cli_project_after_the_command_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "Trade Talks.annotator"
    assert cli("init", str(folder)).returncode == 0
    assert cli("import", str(SAMPLE_TXT), "-p", str(folder)).returncode == 0
    result = cli("docs", "--json", "-p", str(folder))
    assert result.returncode == 0 and '"id": 1' in result.stdout


def test_empty_project_variable_means_the_default(tmp_path: Path) -> None:
    result = cli("docs", env={"ANNOTATOR_PROJECT": "", "XDG_DATA_HOME": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "Annotator" / "My Project.annotator" / "project.sqlite").is_file()


def test_missing_project_hint_quotes_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "Trade Talks.annotator"
    result = cli("docs", project=folder)
    assert result.returncode == 1
    assert f"(create one with `annotator init '{folder}'`)" in result.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11/Wayland only")
@pytest.mark.parametrize("entry", [["-m", "annotator"], ["-m", "annotator", "gui"],
                                   ["-m", "annotator.app", "-p", "X.annotator"]])
def test_no_display_is_one_clear_line(tmp_path: Path, entry: list[str]) -> None:
    import subprocess

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = subprocess.run([sys.executable, *entry], capture_output=True, text=True, env=env,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "annotator: no display: set DISPLAY (or WAYLAND_DISPLAY), or run with "
        "QT_QPA_PLATFORM=offscreen"]
    assert not (tmp_path / "X.annotator").exists() and not (tmp_path / "data").exists()
