"""`tag --quote` finds a passage however the quote was copied: decomposed accents (macOS),
CRLF line ends (Windows), other line wrapping (PDFs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.project_cmds import find_quote
from annotator.core.errors import InvalidInput
from tests.cli.test_cli_foundation import cli

STORED = "Le Café Québec a rouvert.\nLes tarifs restent.\nLe Café Québec ferme."


def test_decomposed_and_crlf_quotes_match_the_stored_nfc_lf_text() -> None:
    start = STORED.index("Café")
    assert find_quote(STORED, "Cafe\u0301 Que\u0301bec", 1, "t", 1) == (start, start + 11)
    second = STORED.rindex("Café")
    assert find_quote(STORED, "Cafe\u0301 Québec", 2, "t", 1) == (second, second + 11)
    crlf = "rouvert.\r\nLes tarifs"
    begin = STORED.index("rouvert")
    assert find_quote(STORED, crlf, 1, "t", 1) == (begin, begin + len("rouvert.\nLes tarifs"))
    with pytest.raises(InvalidInput, match="quote not found"):
        find_quote(STORED, "Cafe\u0300", 1, "t", 1)


def _project_with_stored_text(tmp_path: Path) -> Path:
    """A project whose document 1 is ``STORED``."""
    source = tmp_path / "cafe.txt"
    source.write_text(STORED, encoding="utf-8")
    folder = tmp_path / "p.annotator"
    assert cli("init", str(folder)).returncode == 0
    assert cli("import", str(source), project=folder).returncode == 0
    return folder


def test_cli_tags_a_decomposed_quote(tmp_path: Path) -> None:
    folder = _project_with_stored_text(tmp_path)
    tagged = cli("tag", "1", "--quote", "Cafe\u0301 Que\u0301bec", "--topic", "cafés",
                 "--json", project=folder)
    assert tagged.returncode == 0, tagged.stderr
    made = json.loads(tagged.stdout)[0]
    assert made["text"] == "Café Québec" and (made["start"], made["end"]) == (3, 14)


def test_a_quote_found_several_times_tags_the_first_and_says_how_to_pick(tmp_path: Path) -> None:
    folder = _project_with_stored_text(tmp_path)
    tagged = cli("tag", "1", "--quote", "Café Québec", "--topic", "cafés", "--json",
                 project=folder)
    assert tagged.returncode == 0, tagged.stderr
    assert json.loads(tagged.stdout)[0]["start"] == STORED.index("Café")
    assert "occurs 2 times" in tagged.stderr and "--occurrence N" in tagged.stderr
    second = cli("tag", "1", "--quote", "Café Québec", "--occurrence", "2", "--topic", "x",
                 project=folder)
    assert second.returncode == 0 and "occurs" not in second.stderr
    once = cli("tag", "1", "--quote", "rouvert", "--topic", "x", project=folder)
    assert once.returncode == 0 and "occurs" not in once.stderr
