"""Faults 4, 5 and 6: names and titles cannot fake output lines or drive the terminal; long file
names import; a killed export's temporary file is removed by the next export."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.test_cli_foundation import cli
from tests.reliability.helpers import annotator_argv, start, wait_until


def _init(tmp_path: Path) -> Path:
    folder = tmp_path / "P.annotator"
    assert cli("init", str(folder)).returncode == 0
    return folder


def test_a_file_name_with_a_newline_prints_one_line(tmp_path: Path) -> None:
    folder = _init(tmp_path)
    evil = tmp_path / "evil\nimported 999 FAKE.txt"
    evil.write_text("Harmless text\n\nabout tariffs.")
    bad = tmp_path / "bad\nfailed: nothing.xyz"
    bad.write_text("x")
    result = cli("import", str(evil), str(bad), project=folder)
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("imported 1 ")
    assert lines[1].startswith("failed: ") and "\\n" in lines[1]
    assert not any(line.startswith("imported 999") for line in lines)


def test_terminal_escapes_in_a_title_are_shown_not_obeyed(tmp_path: Path) -> None:
    folder = _init(tmp_path)
    article = tmp_path / "escapes.txt"
    article.write_text("\x1b[2J\x1b]0;pwned\x07Real title\n\nBody about tariffs and steel.")
    result = cli("import", str(article), project=folder)
    assert result.returncode == 0, result.stderr
    for output in (result.stdout, cli("docs", project=folder).stdout,
                   cli("search", "tariffs", project=folder).stdout):
        assert "\x1b" not in output and "\x07" not in output
    assert "\\x1b" in cli("docs", project=folder).stdout


def test_long_file_names_import(tmp_path: Path) -> None:
    folder = _init(tmp_path)
    longest = tmp_path / ("a" * 250 + ".txt")  # 254 bytes: the most most file systems allow
    cjk = tmp_path / ("貿" * 83 + ".txt")  # 249 + 4 bytes in UTF-8
    for path, n in ((longest, 1), (cjk, 2)):
        path.write_text(f"Article {n}\n\nText about duties number {n}.")
    result = cli("import", str(longest), str(cjk), project=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    stored = sorted(p.name for p in (folder / "sources").iterdir())
    assert len(stored) == 2
    assert all(len(name.encode()) <= 255 and name.endswith(".txt") for name in stored)
    assert stored[0].startswith("00001 aaa") and stored[1].startswith("00002 貿")
    assert cli("check", project=folder).returncode == 0


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_killed_export_leaves_nothing_the_next_export_keeps(big_copy: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out.csv"

    def parts() -> list[Path]:
        return sorted(tmp_path.glob(".out.csv.*.part"))

    for _ in range(5):  # the export may finish before it is seen; a few tries suffice
        proc = start(annotator_argv("export", "csv", str(out), "--context", "400",
                                    project=big_copy))
        wait_until(lambda p=proc: parts() or p.poll() is not None, 120, step=0.002)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        if parts():
            break
    assert parts(), "no export was caught writing (raise the project size)"
    # An older-style leftover (no pid in its name) more than an hour old, and one of a live
    # export (this test's own pid) that must be kept.
    old = tmp_path / ".out.csv.0badc0de.part"
    old.write_text("x")
    hours_ago = time.time() - 7200
    os.utime(old, (hours_ago, hours_ago))
    live = tmp_path / f".out.csv.{os.getpid()}-0123abcd.part"
    live.write_text("x")
    dead = tmp_path / f".out.csv.{_dead_pid()}-89abcdef.part"
    dead.write_text("x")
    result = cli("export", "csv", str(out), project=big_copy)
    assert result.returncode == 0, result.stderr
    assert parts() == [live]
    assert out.stat().st_size > 0
