"""The README is the front door: its commands and its query help must stay true."""

from __future__ import annotations

from pathlib import Path

from annotator.cli import build_parser
from annotator.core.search_results import QUERY_HELP

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "scripts/run" in README and "scripts/test" in README
    assert (ROOT / "scripts" / "run").exists() and (ROOT / "scripts" / "test").exists()
    assert "exec scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_readme_query_help_is_the_one_the_app_shows() -> None:
    assert QUERY_HELP in README


def test_every_cli_command_is_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    table = "\n".join(line for line in README.splitlines() if line.startswith("| `"))
    missing = [name for name in sub.choices if f"`{name}" not in table and f"/ `{name}" not in table]  # type: ignore[union-attr]
    assert missing == []


def test_screenshot_exists() -> None:
    assert (ROOT / "docs" / "screenshot.png").stat().st_size > 10_000
