"""``importers.read``: dispatch, limits, vanished files, odd paths; every failure ImportFailed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.importers import SUPPORTED_SUFFIXES, ImportLimits, read
from annotator.importers.limits import format_size

WriteFile = Callable[[str, bytes], Path]


@pytest.mark.parametrize("name", ["slides.pptx", "photo.JPG", "data.xyz"])
def test_unsupported_type(write_file: WriteFile, name: str) -> None:
    path = write_file(name, b"something")
    with pytest.raises(ImportFailed, match=f"^unsupported file type {Path(name).suffix.lower()}$"):
        read(path)


def test_file_without_extension(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="^unsupported file type"):
        read(write_file("README", b"text"))


def test_suffix_match_is_case_insensitive(write_file: WriteFile) -> None:
    assert read(write_file("NOTES.TXT", b"Hello there")).text == "Hello there"


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file_of_every_type(write_file: WriteFile, suffix: str) -> None:
    with pytest.raises(ImportFailed, match="^empty file$"):
        read(write_file(f"empty{suffix}", b""))


def test_missing_file_vanished(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="^file vanished before it could be read$"):
        read(tmp_path / "gone.txt")


def test_file_removed_between_stat_and_open(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_file("racy.txt", b"text")
    real_open = Path.open

    def vanish_then_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == path:
            self.unlink()
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", vanish_then_open)
    with pytest.raises(ImportFailed, match="^file vanished before it could be read$"):
        read(path)


def test_folder_given_as_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="^is a folder, not a file$"):
        read(folder)


def test_non_ascii_path_with_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "Études et notes — 2025"
    folder.mkdir()
    path = folder / "Négociations commerciales Canada–É.-U. (brouillon).txt"
    path.write_text("Première ligne\nSuite du texte", encoding="utf-8")
    extracted = read(path)
    assert extracted.title == "Première ligne"
    assert extracted.source == str(path.resolve())


def test_oversize_file_refused_by_byte_limit(write_file: WriteFile) -> None:
    path = write_file("big.txt", b"x" * 5000)
    with pytest.raises(ImportFailed, match=r"^file is larger than the 2 KB limit \(5 KB\)$"):
        read(path, limits=ImportLimits(max_bytes=2048))


def test_text_over_the_character_limit(write_file: WriteFile) -> None:
    path = write_file("long.txt", b"word " * 100)
    with pytest.raises(ImportFailed, match="^text is longer than the 50-character limit"):
        read(path, limits=ImportLimits(max_chars=50))


def test_default_limit_message_uses_megabytes() -> None:
    with pytest.raises(ImportFailed, match=r"^file is larger than the 200 MB limit \(312 MB\)$"):
        ImportLimits().check_bytes(312 * 1024 * 1024)
    assert format_size(999) == "999 bytes"


def test_unexpected_parser_error_becomes_import_failed(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.importers.text as text_module

    def explode(*_: object, **__: object) -> None:
        raise KeyError("internal")

    monkeypatch.setattr(text_module, "extract_text", explode)
    with pytest.raises(ImportFailed, match=r"^could not be read: the file is damaged or not a "
                       r"valid text file \(internal error KeyError\)"):
        read(write_file("a.txt", b"text"))
