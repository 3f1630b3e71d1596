"""Hostile REFI-QDA packages are refused with a message and nothing written; a fuzzer over
mutated XML and ZIP structure gets our own error or a result, never another exception."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import ImportFailed, StorageFailed
from annotator.core.library import Library
from annotator.importers.refi_archive import RefiLimits
from annotator.importers.refi_import import import_refi, read_refi
from annotator.importers.refi_report import REPORTS_DIR

QDE = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
 <CodeBook><Codes><Code guid="c0000000-0000-0000-0000-000000000001" name="Topics" isCodable="false">
  <Code guid="c0000000-0000-0000-0000-000000000002" name="trade" isCodable="true"/></Code></Codes></CodeBook>
 <Sources><TextSource guid="a0000000-0000-0000-0000-000000000001" name="Doc"
   plainTextPath="internal://a0000000-0000-0000-0000-000000000001.txt">
  <PlainTextSelection guid="b0000000-0000-0000-0000-000000000001" name="trade" startPosition="4" endPosition="9">
   <Coding guid="d0000000-0000-0000-0000-000000000001"><CodeRef targetGUID="c0000000-0000-0000-0000-000000000002"/></Coding>
  </PlainTextSelection></TextSource></Sources>
</Project>"""
TEXT = b"The trade talks resumed."


def _zip(path: Path, members: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def _good() -> dict[str, bytes]:
    return {"project.qde": QDE, "sources/a0000000-0000-0000-0000-000000000001.txt": TEXT}


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library.create(tmp_path / "H.annotator") as lib:
        yield lib


DEFAULT_LIMITS = RefiLimits()


def _refused(library: Library, path: Path, words: str, limits: RefiLimits = DEFAULT_LIMITS) -> None:
    before = library.counts()
    with pytest.raises(ImportFailed) as caught:
        import_refi(library, path, limits=limits)
    assert words in str(caught.value)
    assert library.counts() == before
    assert not (library.folder / REPORTS_DIR).exists()


def test_good_package_imports(library: Library, tmp_path: Path) -> None:
    import_refi(library, _zip(tmp_path / "ok.qdpx", _good()))
    [h] = library.highlights()
    assert h.text == "trade" and [t.name for t in h.tags] == ["trade"]


@pytest.mark.parametrize(("member", "words"), [
    ("../evil.txt", "outside the archive"),
    ("sources/../../evil.txt", "outside the archive"),
    ("/etc/evil.txt", "absolute path"),
    ("C:/evil.txt", "absolute path"),
    ("..\\evil.txt", "outside the archive"),
])
def test_escaping_paths_are_refused(library: Library, tmp_path: Path, member: str, words: str) -> None:
    _refused(library, _zip(tmp_path / "slip.qdpx", {**_good(), member: b"x"}), words)


def test_symlinks_are_refused(library: Library, tmp_path: Path) -> None:
    _refused(library, _zip(tmp_path / "link.qdpx", _good(), symlink="sources/link.txt"),
             "symbolic link")


def test_size_limits_and_zip_bombs(library: Library, tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.qdpx", {**_good(), "sources/zeros.txt": b"\0" * (3 << 20)})
    _refused(library, bomb, "zip bomb")
    big = _zip(tmp_path / "big.qdpx", _good())
    _refused(library, big, "limit", RefiLimits(max_member_bytes=100))
    _refused(library, big, "inflates to more than", RefiLimits(max_total_bytes=200))
    _refused(library, big, "entries", RefiLimits(max_members=1))
    _refused(library, big, "larger than", RefiLimits(max_file_bytes=10))


@pytest.mark.parametrize(("qde", "words"), [
    (QDE[:200], "not well-formed"),
    ((b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x "boom">]>'
      b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'), "DTD"),
    ((b'<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.invalid/p.dtd">'
      b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>'), "DTD"),
    ((b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
      b']><Project name="&b;"/>'), "DTD"),
    ((b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
      b'<Project name="p">&e;</Project>'), "DTD"),
    (b"<Other/>", "not <Project> or <CodeBook>"),
])
def test_malformed_xml_and_dtds_are_refused(library: Library, tmp_path: Path, qde: bytes,
                                            words: str) -> None:
    _refused(library, _zip(tmp_path / "x.qdpx", {**_good(), "project.qde": qde}), words)


def test_no_project_file_and_not_a_zip(library: Library, tmp_path: Path) -> None:
    _refused(library, _zip(tmp_path / "empty.qdpx", {"readme.txt": b"hi"}), "no .qde")
    (tmp_path / "text.qdpx").write_bytes(b"plain text")
    _refused(library, tmp_path / "text.qdpx", "not a ZIP")


def test_a_failing_write_leaves_nothing(library: Library, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core import bulk_import

    def broken(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(bulk_import._DocumentWriter, "write", broken)
    # The store names the failure for the user (issue 14's one-line storage errors).
    with pytest.raises(StorageFailed, match="nothing of this change was saved"):
        import_refi(library, _zip(tmp_path / "ok.qdpx", _good()))
    assert library.counts() == {"documents": 0, "highlights": 0, "tags": 0, "notes": 0}


# ----------------------------------------------------------------- fuzzing
_FUZZ = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_edits = st.lists(st.tuples(st.integers(0, len(QDE) - 1), st.sampled_from(
    [b"", b"<", b">", b"\"", b"&", b"{", b"-1", b"99999999999999999999", b"x", b"\xff", b"\x00",
     b"</Code>", b"<Code>", b"<Coding>", b"&amp;", b"]]>", b"<!--", b"Z"])), max_size=6)


def _mutate(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for position, insert in edits:
        position %= max(len(data), 1)
        data = data[:position] + insert + data[position + 1:]
    return data


def _read_or_refuse(path: Path) -> None:
    try:
        read_refi(path)
    except ImportFailed as exc:
        assert str(exc)


@_FUZZ
@given(edits=_edits)
def test_fuzz_mutated_project_xml(tmp_path: Path, edits: list[tuple[int, bytes]]) -> None:
    path = _zip(tmp_path / "fuzz.qdpx", {**_good(), "project.qde": _mutate(QDE, edits)})
    _read_or_refuse(path)


@_FUZZ
@given(damage=st.lists(st.tuples(st.integers(0, 10**5), st.integers(0, 255)), max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 2000)))
def test_fuzz_damaged_zip(tmp_path: Path, damage: list[tuple[int, int]], cut: int | None) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in _good().items():
            zf.writestr(name, data)
    data = bytearray(buffer.getvalue())
    for position, value in damage:
        data[position % len(data)] = value
    path = tmp_path / "damaged.qdpx"
    path.write_bytes(bytes(data[:cut] if cut is not None else data))
    _read_or_refuse(path)


@_FUZZ
@given(names=st.lists(st.text(min_size=1, max_size=12), max_size=4),
       qde_name=st.sampled_from(["project.qde", "Project.QDE", "x/y.qde", "a.qde"]))
def test_fuzz_zip_structure(tmp_path: Path, names: list[str], qde_name: str) -> None:
    members = {qde_name: QDE, "Sources/A0000000-0000-0000-0000-000000000001.TXT": TEXT}
    members.update({name: b"x" for name in names})
    try:
        path = _zip(tmp_path / "shape.qdpx", members)
    except (ValueError, UnicodeEncodeError, IndexError):
        return  # a name zipfile itself will not write (one cut to nothing at a NUL: IndexError)
    _read_or_refuse(path)
