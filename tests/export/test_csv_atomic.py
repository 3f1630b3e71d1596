"""A failed or cancelled export never damages an older file and leaves no temporary file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from annotator.core.errors import Cancelled
from annotator.core.progress import CancelToken, Progress
from annotator.export import csv_export
from annotator.export.csv_export import CsvOptions, ExcerptFilter, ExportFailed, write_csv

if TYPE_CHECKING:
    from tests.export.conftest import Sample

OLD = "old,good,file\r\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "excerpts.csv"
    path.write_text(OLD, encoding="utf-8", newline="")
    return path


def test_success_replaces_the_old_file(sample: Sample, old_file: Path) -> None:
    write_csv(sample.library, old_file, ExcerptFilter())
    assert old_file.read_text(encoding="utf-8").startswith('"excerpt_id"')
    assert leftovers(old_file.parent) == []


def test_replacing_keeps_the_old_files_permissions(sample: Sample, old_file: Path) -> None:
    old_file.chmod(0o640)
    write_csv(sample.library, old_file, ExcerptFilter())
    assert stat.S_IMODE(old_file.stat().st_mode) == 0o640


def test_new_file_gets_the_usual_permissions(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "new.csv"
    write_csv(sample.library, out, ExcerptFilter())
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply (root ignores them)")
def test_read_only_folder(sample: Sample, old_file: Path) -> None:
    folder = old_file.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportFailed, match=f"cannot write {old_file}"):
            write_csv(sample.library, old_file, ExcerptFilter())
    finally:
        folder.chmod(0o755)
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(folder) == []


def test_read_only_target_simulated(
    sample: Sample, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as above for any user (root included): creating the temporary file fails."""
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(".part"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(csv_export.os, "open", refuse)
    with pytest.raises(ExportFailed, match=f"cannot write {old_file}: Permission denied"):
        write_csv(sample.library, old_file, ExcerptFilter())
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []


def test_disk_full_while_writing(
    sample: Sample, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv_export.os, "fsync", full)
    with pytest.raises(ExportFailed, match="No space left on device"):
        write_csv(sample.library, old_file, ExcerptFilter())
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []


def test_failure_mid_write(sample: Sample, old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error after some rows are written (here raised by the progress callback)."""
    monkeypatch.setattr(csv_export, "_PROGRESS_EVERY", 2)
    seen: list[Progress] = []

    def explode(p: Progress) -> None:
        seen.append(p)
        if p.done >= 4:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_csv(sample.library, old_file, ExcerptFilter(), progress=explode)
    assert any(p.done == 2 for p in seen)  # rows had been written when it failed
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []


def test_cancel_leaves_the_old_file(sample: Sample, old_file: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_export, "_PROGRESS_EVERY", 2)
    token = CancelToken()

    def cancel_later(p: Progress) -> None:
        if p.done >= 2:
            token.cancel()

    with pytest.raises(Cancelled):
        write_csv(sample.library, old_file, ExcerptFilter(), progress=cancel_later, cancel=token)
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []


def test_progress_reaches_the_total(sample: Sample, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_export, "_PROGRESS_EVERY", 3)
    seen: list[Progress] = []
    rows = write_csv(sample.library, tmp_path / "o.csv", ExcerptFilter(), CsvOptions(per_tag=True),
                     progress=seen.append)
    assert rows > 7
    assert seen[-1].done == seen[-1].total == 7  # progress counts excerpts, not rows
    assert [p.done for p in seen[1:]] == sorted(p.done for p in seen[1:])


def test_missing_folder_and_folder_target_are_named(sample: Sample, tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "o.csv"
    with pytest.raises(ExportFailed, match=f"the folder {tmp_path / 'nope'} does not exist"):
        write_csv(sample.library, missing, ExcerptFilter())
    with pytest.raises(ExportFailed, match="it is a folder"):
        write_csv(sample.library, tmp_path, ExcerptFilter())


def test_read_only_target_file_is_refused_by_name(sample: Sample, old_file: Path) -> None:
    """chmod 444: the rename would replace it (it needs only the folder's permission), for
    root as for anyone; the export must refuse instead."""
    old_file.chmod(0o444)
    try:
        with pytest.raises(ExportFailed, match=f"cannot write {old_file}: the file is read-only"):
            write_csv(sample.library, old_file, ExcerptFilter())
    finally:
        old_file.chmod(0o644)
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []


def test_read_only_target_file_is_refused_by_the_cli(
    sample: Sample, old_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main

    old_file.chmod(0o444)
    try:
        code = main(["-p", str(sample.library.folder), "export", "csv", str(old_file)])
    finally:
        old_file.chmod(0o644)
    err = capsys.readouterr().err
    assert code == 1
    assert f"cannot write {old_file}: the file is read-only" in err
    assert old_file.read_bytes() == OLD.encode()


def test_rename_failing_keeps_the_old_file(
    sample: Sample, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step failing (a read-only or failing disk), simulated so it runs as root too."""
    renames: list[tuple[str, str]] = []

    def fail(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        renames.append((str(src), str(dst)))
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(csv_export.os, "replace", fail)
    with pytest.raises(ExportFailed, match=f"cannot write {old_file}: Read-only file system"):
        write_csv(sample.library, old_file, ExcerptFilter())
    assert renames and renames[0][1] == str(old_file)  # it got as far as the rename
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []


def test_write_failing_part_way_keeps_the_old_file(
    sample: Sample, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills after the header and the first rows have gone out."""
    monkeypatch.setattr(csv_export, "_PROGRESS_EVERY", 2)
    real_fdopen = os.fdopen
    written: list[str] = []

    class FillingFile:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def write(self, text: str) -> int:
            if len(written) >= 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(text)
            return int(self.fh.write(text))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.fh, name)

        def __enter__(self) -> FillingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

    monkeypatch.setattr(csv_export.os, "fdopen",
                        lambda *a, **k: FillingFile(real_fdopen(*a, **k)))
    with pytest.raises(ExportFailed, match=f"cannot write {old_file}: No space left on device"):
        write_csv(sample.library, old_file, ExcerptFilter())
    assert written[0].startswith('"excerpt_id"') and len(written) == 2
    assert old_file.read_bytes() == OLD.encode()
    assert leftovers(old_file.parent) == []
