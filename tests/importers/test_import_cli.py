"""``annotator import`` in-process: stdout contract lines, stderr summary, options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main

PdfBuilder = Callable[..., bytes]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj.annotator"
    assert main(["init", str(folder)]) == 0
    return folder


def test_import_folder_prints_one_line_per_file_and_a_summary(
    project: Path, tmp_path: Path, make_pdf: PdfBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("First article", encoding="utf-8")
    (inbox / "b.pdf").write_bytes(make_pdf(["Locked text"], user_password="pw"))
    (inbox / "sub" / "c.txt").write_text("Nested article", encoding="utf-8")
    capsys.readouterr()
    assert main(["-p", str(project), "import", str(inbox)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "imported 1 First article",
        f"failed: {inbox / 'b.pdf'}: encrypted: password needed",
    ]
    assert "1 imported, 0 duplicate(s), 1 failed" in captured.err

    assert main(["-p", str(project), "import", "--recursive", "--password", "pw", str(inbox)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "duplicate of 1", "imported 2 Locked text", "imported 3 Nested article",
    ]


def test_max_size_option(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    capsys.readouterr()
    assert main(["-p", str(project), "import", "--max-size", "0.001", str(big)]) == 1
    out = capsys.readouterr().out
    assert out.strip() == f"failed: {big}: file is larger than the 1 KB limit (5 KB)"
    assert main(["-p", str(project), "import", "--max-size", "-3", str(big)]) == 2


def test_tiny_max_size_is_a_usage_error_not_a_zero_byte_limit(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("A short note.", encoding="utf-8")
    capsys.readouterr()
    assert main(["-p", str(project), "import", "--max-size", "1e-9", str(note)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--max-size must be a positive number of megabytes" in captured.err
    assert "0 bytes" not in captured.err


def test_max_chars_option(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "note.txt"
    note.write_text("word " * 20, encoding="utf-8")  # 100 characters
    capsys.readouterr()
    assert main(["-p", str(project), "import", "--max-chars", "50", str(note)]) == 1
    assert capsys.readouterr().out.strip() == (
        f"failed: {note}: text is longer than the 50-character limit (100 characters)"
    )
    assert main(["-p", str(project), "import", "--max-chars", "0", str(note)]) == 2
    assert "--max-chars must be a positive number" in capsys.readouterr().err
    assert main(["-p", str(project), "import", "--max-size", "1", "--max-chars", "100",
                 str(note)]) == 0
    assert capsys.readouterr().out.startswith("imported 1 ")


def test_folder_of_unsupported_files_says_what_it_skipped(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.doc", "b.rtf", "c.pages"):
        (inbox / name).write_bytes(b"not importable")
    capsys.readouterr()
    assert main(["-p", str(project), "import", str(inbox)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # the per-file contract lines are only for files tried
    assert captured.err.strip().endswith(
        "0 imported, 0 duplicate(s), 0 failed; "
        "skipped 3 files of unsupported type (.doc ×1, .pages ×1, .rtf ×1)"
    )
    assert main(["-p", str(project), "import", str(inbox / "b.rtf")]) == 1
    assert capsys.readouterr().out.strip() == (
        f"failed: {inbox / 'b.rtf'}: unsupported file type .rtf"
    )


def test_import_reports_left_out_furniture_and_keep_furniture_keeps_it(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = "top of page\n\nFerry contract delayed\n\nThe harbour said so.\n\nComments\nbottom of page\n"
    first = tmp_path / "a.txt"
    first.write_text(page, encoding="utf-8")
    capsys.readouterr()
    assert main(["-p", str(project), "import", str(first)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "imported 1 Ferry contract delayed\n"
    assert ("left out 3 lines of page furniture: top of page, Comments, bottom of page"
            in captured.err)
    second = tmp_path / "b.txt"
    second.write_text(page + "\nAnother copy.\n", encoding="utf-8")
    assert main(["-p", str(project), "import", "--keep-furniture", str(second)]) == 0
    captured = capsys.readouterr()
    assert "page furniture" not in captured.err
    assert main(["-p", str(project), "text", "2"]) == 0
    assert capsys.readouterr().out.startswith("top of page\n")


def test_many_files_are_read_in_parallel_and_reported_in_order(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "many"
    inbox.mkdir()
    for i in range(6):
        (inbox / f"{i}.html").write_text(
            f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            f"<p>Article number {i}: the committee met on Tuesday to weigh the tariff schedule "
            "and the steel quotas that ministers had argued over for months.</p></article>"
            "</body></html>", encoding="utf-8")
        (inbox / f"{i}b.txt").write_text(f"Note number {i}", encoding="utf-8")
    capsys.readouterr()
    assert main(["-p", str(project), "import", "--max-seconds", "120", str(inbox)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        line for i in range(6)
        for line in (f"imported {2 * i + 1} Story {i}", f"imported {2 * i + 2} Note number {i}")
    ]


def test_max_seconds_must_be_positive(project: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "note.txt"
    note.write_text("text", encoding="utf-8")
    assert main(["-p", str(project), "import", "--max-seconds", "0", str(note)]) == 2
    assert "--max-seconds must be a positive number of seconds" in capsys.readouterr().err
