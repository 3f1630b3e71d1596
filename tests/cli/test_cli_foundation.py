"""The CLI contract: init, import, docs, text, tag, tags, highlights, doc-edit, exit codes.

Runs the real entry point in a subprocess (as scripts and other checks do)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.paths import samples_dir

SAMPLE_TXT = next(samples_dir().glob("*.txt"))


def cli(*args: str, project: Path | None = None, env: dict[str, str] | None = None,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "annotator"]
    if project is not None:
        argv += ["-p", str(project)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*argv, *args], capture_output=True, text=True, env=full_env,
                          input=input, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "Trade Talks.annotator"
    result = cli("init", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


def test_init_import_tag_highlights_end_to_end(project: Path) -> None:
    result = cli("import", str(SAMPLE_TXT), project=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 1 ")

    text = cli("text", "1", project=project).stdout
    quote = "keep trade talks going for another thirty days"
    assert quote in text

    tagged = cli("tag", "1", "--quote", quote, "--actor", "Mark Carney", "--topic", "tariffs",
                 "--tag", "stance:conciliatory", "--note", "key concession", project=project)
    assert tagged.returncode == 0, tagged.stderr
    highlight_id = int(tagged.stdout.strip())

    listed = json.loads(cli("highlights", "--json", project=project).stdout)
    assert len(listed) == 1
    h = listed[0]
    assert h["id"] == highlight_id and h["document_id"] == 1
    assert text[h["start"] : h["end"]] == h["text"] == quote
    assert (h["actors"], h["topics"], h["tags"]) == (["Mark Carney"], ["tariffs"], ["stance:conciliatory"])
    assert h["note"] == "key concession" and h["page"] is None
    assert set(h) >= {"id", "document_id", "start", "end", "page", "text", "actors", "topics", "tags", "note"}

    docs = json.loads(cli("docs", "--json", project=project).stdout)
    assert set(docs[0]) >= {"id", "title", "author", "published", "source", "format", "pages",
                            "characters", "highlights"}
    assert docs[0]["highlights"] == 1 and docs[0]["characters"] == len(text)

    tags = json.loads(cli("tags", "--json", project=project).stdout)
    assert {(t["category"], t["name"], t["highlights"]) for t in tags} == {
        ("actor", "Mark Carney", 1), ("topic", "tariffs", 1), ("stance", "conciliatory", 1)}


def test_import_reports_duplicates_and_failures_and_exits_1(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.xyz"
    bad.write_text("whatever")
    cli("import", str(SAMPLE_TXT), project=project)
    result = cli("import", str(SAMPLE_TXT), str(bad), project=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "duplicate of 1"
    assert lines[1].startswith(f"failed: {bad}") and "unsupported file type .xyz" in lines[1]
    assert len(json.loads(cli("docs", "--json", project=project).stdout)) == 1


def test_span_and_occurrence_and_errors(project: Path) -> None:
    cli("import", str(SAMPLE_TXT), project=project)
    text = cli("text", "1", project=project).stdout
    by_span = cli("tag", "1", "--span", "0:6", "--topic", "trade", project=project)
    assert by_span.returncode == 0, by_span.stderr
    second = text.index("Canada", 1)
    by_occurrence = cli("tag", "1", "--quote", "Canada", "--occurrence", "2", "--json", project=project)
    assert json.loads(by_occurrence.stdout)[0]["start"] == second

    missing = cli("tag", "1", "--quote", "words that are not there", project=project)
    assert missing.returncode == 1
    assert "quote not found in document 1" in missing.stderr
    no_doc = cli("tag", "99", "--span", "0:1", project=project)
    assert no_doc.returncode == 1 and "no document 99" in no_doc.stderr
    bad_span = cli("tag", "1", "--span", "5-9", project=project)
    assert bad_span.returncode == 2


def test_empty_project_prints_empty_json_arrays(project: Path) -> None:
    for command in ("docs", "tags", "highlights"):
        result = cli(command, "--json", project=project)
        assert result.returncode == 0
        assert json.loads(result.stdout) == []


def test_doc_edit(project: Path) -> None:
    cli("import", str(SAMPLE_TXT), project=project)
    result = cli("doc-edit", "1", "--title", "Tariff truce", "--published", "2025-03-14",
                 "--author", "Northline Wire", project=project)
    assert result.returncode == 0, result.stderr
    doc = json.loads(cli("docs", "--json", project=project).stdout)[0]
    assert (doc["title"], doc["published"], doc["author"]) == ("Tariff truce", "2025-03-14", "Northline Wire")
    bad = cli("doc-edit", "1", "--published", "14/03/2025", project=project)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_text_prints_the_stored_text_exactly(project: Path, tmp_path: Path) -> None:
    src = tmp_path / "crlf.txt"
    src.write_bytes("Line one 😀\r\nCafe\u0301 line two\r\n".encode("utf-8"))
    cli("import", str(src), project=project)
    out = subprocess.run([sys.executable, "-m", "annotator", "-p", str(project), "text", "1"],
                         capture_output=True, timeout=60).stdout.decode("utf-8")
    assert out == "Line one 😀\nCafé line two"


def test_environment_variable_and_default_project(tmp_path: Path) -> None:
    env_project = tmp_path / "Env.annotator"
    cli("init", str(env_project))
    cli("import", str(SAMPLE_TXT), env={"ANNOTATOR_PROJECT": str(env_project)})
    assert len(json.loads(cli("docs", "--json", project=env_project).stdout)) == 1
    # no project named at all: a default one under the user's data folder, made on first use
    data_home = tmp_path / "xdg"
    result = cli("docs", "--json", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert (data_home / "Annotator" / "My Project.annotator" / "project.sqlite").exists()


def test_unknown_project_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = cli("docs", project=tmp_path / "nope.annotator")
    assert result.returncode == 1
    assert "no project at" in result.stderr and "annotator init" in result.stderr


def test_version_and_help_on_every_command() -> None:
    from annotator import __version__
    from annotator.cli import build_parser

    assert cli("--version").stdout.strip() == f"annotator {__version__}"
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    names = list(sub.choices)  # type: ignore[union-attr]
    assert {"init", "import", "docs", "text", "tags", "tag", "highlights", "doc-edit"} <= set(names)
    for name in names:
        result = cli(name, "--help")
        assert result.returncode == 0 and "usage: annotator" in result.stdout, name


def test_python_m_and_console_script_agree(project: Path) -> None:
    script = Path(sys.executable).with_name("annotator")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    a = subprocess.run([str(script), "-p", str(project), "docs", "--json"], capture_output=True, text=True)
    b = cli("docs", "--json", project=project)
    assert a.stdout == b.stdout and a.returncode == b.returncode == 0
