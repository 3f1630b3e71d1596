"""Fault 2: a full disk, a read-only mount and a damaged database each get one line naming the
problem, never a traceback; an import goes on to the next file and ends with its summary; and
nothing already saved is lost."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli_foundation import SAMPLE_TXT, cli
from tests.reliability.filesystems import fill, remount_read_only, small_filesystem


def _one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("annotator:")]
    assert errors, result.stderr
    for needle in needles:
        assert needle in result.stderr.lower(), result.stderr


def _project_with_text(parent: Path) -> Path:
    folder = parent / "P.annotator"
    assert cli("init", str(folder)).returncode == 0
    assert cli("import", str(SAMPLE_TXT), project=folder).returncode == 0
    return folder


def _highlight_count(folder: Path) -> int:
    with sqlite3.connect(folder / "project.sqlite") as conn:
        count = conn.execute("SELECT count(*) FROM highlights").fetchone()[0]
    conn.close()
    return int(count)


def test_full_disk_during_tag_says_so_in_one_line_and_keeps_earlier_work(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "disk", "6m") as disk:
        folder = _project_with_text(disk)
        assert cli("tag", "1", "--span", "0:5", "--topic", "kept", project=folder).returncode == 0
        filler = fill(disk)
        results = [cli("tag", "1", "--span", f"{n}:{n + 4}", "--topic", f"t{n}", project=folder)
                   for n in range(10, 30, 4)]
        failed = [r for r in results if r.returncode != 0]
        assert failed, "the full disk never refused a write"
        for result in failed:
            _one_line_error(result, "full")
        filler.unlink()
        assert _highlight_count(folder) == 1 + len(results) - len(failed)
        assert cli("check", project=folder).returncode in (0, 1)
        assert "Traceback" not in cli("highlights", project=folder).stderr


def test_full_disk_during_import_tries_every_file_and_prints_the_summary(tmp_path: Path) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    for n in range(18):
        (originals / f"article {n:02d}.txt").write_text(
            f"Article {n}\n\n" + f"tariff talk number {n} " * 3000)
    with small_filesystem(tmp_path / "disk", "8m") as disk:
        folder = _project_with_text(disk)
        filler = fill(disk)
        with filler.open("r+b") as handle:  # room for a few files, not for all 18
            handle.truncate(filler.stat().st_size - 600_000)
        result = cli("import", str(originals), project=folder)
        filler.unlink()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 18, result.stdout + result.stderr
    assert all(line.startswith(("imported ", "failed: ")) for line in lines)
    failed = [line for line in lines if line.startswith("failed: ")]
    assert failed and len(failed) < 18, result.stdout
    assert all("full" in line for line in failed), result.stdout
    assert "imported," in result.stderr.splitlines()[-1]


def test_read_only_mount_is_named_for_writes_and_reads_keep_working(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "disk", "8m") as disk:
        folder = _project_with_text(disk)
        remount_read_only(disk)
        tag = cli("tag", "1", "--span", "0:5", "--topic", "x", project=folder)
        _one_line_error(tag, "read-only")
        imported = cli("import", str(SAMPLE_TXT), project=folder)
        _one_line_error(imported, "read-only")
        docs = cli("docs", project=folder)
        assert "Traceback" not in docs.stderr
        assert docs.returncode in (0, 1)


@pytest.mark.parametrize(
    "damage, commands",
    [
        ("UPDATE highlights SET text = CAST(x'41ff42fe' AS TEXT)",
         [("highlights",), ("export", "csv", "{out}"), ("highlights", "--json")]),
        ("UPDATE documents SET text = CAST(x'41ff42fe' AS TEXT)", [("text", "1")]),
        ("UPDATE highlights SET created = 'not a date'", [("highlights",), ("highlights", "1")]),
    ],
    ids=["bad-utf8-quote", "bad-utf8-text", "bad-date"],
)
def test_damaged_rows_are_named_in_one_line(tmp_path: Path, damage: str,
                                            commands: list[tuple[str, ...]]) -> None:
    folder = _project_with_text(tmp_path)
    assert cli("tag", "1", "--span", "0:5", "--topic", "x", project=folder).returncode == 0
    with sqlite3.connect(folder / "project.sqlite") as conn:
        conn.execute(damage)
    conn.close()
    for command in commands:
        args = [a.format(out=tmp_path / "out.csv") for a in command]
        result = cli(*args, project=folder)
        _one_line_error(result, "damaged")
