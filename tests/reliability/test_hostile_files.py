"""Fault 3: crafted files within the file-size limit are refused within 5 CPU seconds and
300 MB of memory each (measured in a child process by the harness, not a benchmark)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability import hostile_files

CPU_BUDGET_S = 5.0
MEMORY_BUDGET_MB = 300

CASES: dict[str, tuple[str, Callable[[Path], Path], str]] = {
    "odt-450MB-content": ("bomb.odt", hostile_files.odt_bomb, "inflates to"),
    "epub-20x100MB-chapter": ("bomb.epub", hostile_files.epub_one_chapter_many_times,
                              "inflates to"),
    "docx-300MB-empty-runs": ("runs.docx", hostile_files.docx_empty_runs, "inflates to"),
    "html-190MB": ("huge.html", hostile_files.huge_html, "of html"),
    "pdf-99000-pages": ("pages.pdf", hostile_files.pdf_many_pages, "99,000 pages"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_crafted_file_is_refused_within_budget(case: str, tmp_path: Path) -> None:
    name, make, reason = CASES[case]
    path = make(tmp_path / name)
    probe = Path(__file__).with_name("budget_probe.py")
    done = subprocess.run([sys.executable, str(probe), str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["outcome"].startswith("refused:"), result
    assert reason in result["outcome"].lower(), result
    assert result["cpu_s"] <= CPU_BUDGET_S, result
    assert result["added_mb"] <= MEMORY_BUDGET_MB, result
