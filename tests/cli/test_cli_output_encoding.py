"""`text` and every --json output are UTF-8 with LF, whatever the terminal's encoding; the
human-readable lines degrade to "?" instead of crashing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TEXT = "Café talks — naïve “quotes”, Québec 🙂\nsecond line: Zürich"


def run(*args: str, project: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    return subprocess.run([sys.executable, "-m", "annotator", "-p", str(project), *args],
                          capture_output=True, env=env, timeout=120)


def test_ascii_terminal_gets_exact_utf8_for_text_and_json(tmp_path: Path) -> None:
    project = tmp_path / "Trade Talks.annotator"
    source = tmp_path / "Café brief.txt"
    source.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert run("init", str(project), project=project).returncode == 0
    imported = run("import", str(source), project=project)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(b"imported 1 Caf? talks ? na?ve")

    text = run("text", "1", project=project)
    assert text.returncode == 0, text.stderr
    assert text.stdout == TEXT.encode("utf-8")

    tagged = run("tag", "1", "--quote", "Québec", "--actor", "François Legault", "--json",
                 project=project)
    assert tagged.returncode == 0, tagged.stderr
    made = json.loads(tagged.stdout.decode("utf-8"))[0]
    assert TEXT[made["start"]:made["end"]] == "Québec" and made["actors"] == ["François Legault"]

    for command in ("docs", "tags", "highlights"):
        listed = run(command, "--json", project=project)
        assert listed.returncode == 0, listed.stderr
        assert b"\r" not in listed.stdout and listed.stdout.endswith(b"]\n")
    docs = json.loads(run("docs", "--json", project=project).stdout.decode("utf-8"))
    assert docs[0]["original_name"] == "Café brief.txt" and docs[0]["characters"] == len(TEXT)
    highlights = json.loads(run("highlights", "--json", project=project).stdout.decode("utf-8"))
    assert highlights[0]["text"] == "Québec"

    for command in ("docs", "tags", "highlights"):
        human = run(command, project=project)
        assert human.returncode == 0, human.stderr
        assert b"Traceback" not in human.stderr
    assert b"Caf? talks" in run("docs", project=project).stdout
