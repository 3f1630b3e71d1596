"""REFI-QDA export: valid against the official schemas, stable GUIDs, every reference resolves,
texts and positions exact, no empty containers, the CLI commands."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.cli import main
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.export.refi_export import write_qdc, write_qdpx
from annotator.sample_project import build_sample_project
from tests.core.helpers import add_text
from tests.refi.helpers import (
    NS,
    assert_valid,
    codebook_schema,
    project_schema,
    read_qde,
)

TRICKY = "Emoji 😀 then e\u0301 (combining) and 𝄞 clef.\nSecond line: 👩‍👩‍👧 family."


@pytest.fixture
def sample(tmp_path: Path) -> Library:
    folder = build_sample_project(tmp_path / "Sample.annotator")
    library = Library.open(folder)
    stance = library.add_category("stance", "Stance")
    parent = library.create_tag("hawkish", stance.name, colour="#aa3311", description="Hard line")
    child = library.create_tag("very hawkish", stance.name, parent_id=parent.id,
                               aliases=("hardliner", "ultra"))
    # Stored as given (not NFC): the combining mark must survive with its own offset.
    doc = library.add_document(Extracted(text=TRICKY, format="txt", title="Tricky"))
    library.add_highlight(doc.id, 6, 7, tag_ids=[child.id], note="emoji\x0bnote")
    library.add_highlight(doc.id, 13, 15, tag_ids=[parent.id, child.id])
    yield library
    library.close()


def test_project_validates_and_references_resolve(sample: Library, tmp_path: Path) -> None:
    summary = write_qdpx(sample, tmp_path / "out.qdpx")
    root, members = read_qde(tmp_path / "out.qdpx")
    assert_valid(project_schema(), root)
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids)), "GUIDs must be unique"
    known = set(guids)
    refs = [e.get(a) for e in root.iter() for a in ("targetGUID", "creatingUser", "modifyingUser")
            if e.get(a)]
    assert refs and set(refs) <= known
    for container in ("Users", "CodeBook", "Sources", "Notes"):
        for element in root.iterfind(f"q:{container}", NS):
            assert len(element), f"empty <{container}>"
    assert root.find("q:Sets", NS) is None and root.find("q:Variables", NS) is None
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == summary.documents == len(sample.documents())
    for source in sources:
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        data = members[f"sources/{source.get('guid')}.txt"]
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert summary.warnings and "replaced" in summary.warnings[0]


def test_codebook_shape(sample: Library, tmp_path: Path) -> None:
    write_qdpx(sample, tmp_path / "out.qdpx")
    root, _ = read_qde(tmp_path / "out.qdpx")
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top][:3] == ["Actors", "Topics", "Stance"]
    assert all(c.get("isCodable") == "false" for c in top)
    hawkish = next(c for c in top[2] if c.get("name") == "hawkish")
    assert hawkish.get("color") == "#aa3311" and hawkish.get("isCodable") == "true"
    assert hawkish.find("q:Description", NS).text == "Hard line"
    very = hawkish.find("q:Code", NS)
    assert very.get("name") == "very hawkish"
    assert very.find("q:Description", NS).text == "Aliases: hardliner; ultra"


def test_positions_are_code_points_of_the_written_text(sample: Library, tmp_path: Path) -> None:
    write_qdpx(sample, tmp_path / "out.qdpx")
    root, members = read_qde(tmp_path / "out.qdpx")
    checked = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = members[f"sources/{source.get('guid')}.txt"].decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end][:200] == selection.get("name")
            checked += 1
    tricky = next(s for s in root.iterfind("q:Sources/q:TextSource", NS) if s.get("name") == "Tricky")
    names = [s.get("name") for s in tricky.iterfind("q:PlainTextSelection", NS)]
    assert names == ["😀", "e\u0301"]
    assert checked == sum(d.highlight_count for d in sample.documents())


def test_guids_are_stable_across_exports_and_read_only_opens(sample: Library, tmp_path: Path) -> None:
    folder = sample.folder
    write_qdpx(sample, tmp_path / "a.qdpx")
    sample.close()
    with Library.open(folder, readonly=True) as readonly:
        write_qdpx(readonly, tmp_path / "b.qdpx")
    with Library.open(folder) as again:
        write_qdpx(again, tmp_path / "c.qdpx")

    def guids(name: str) -> list[str]:
        root, _ = read_qde(tmp_path / name)
        return [e.get("guid") for e in root.iter() if e.get("guid")]

    assert guids("a.qdpx") == guids("b.qdpx") == guids("c.qdpx")
    sample._lock = None  # already closed above; the fixture's close must not fail


def test_project_identity(tmp_path: Path) -> None:
    """New projects draw their own; one made before identities existed derives one, the same
    read-only as writable (which then keeps it)."""
    from sqlalchemy import delete

    from annotator.core._db.schema import MetaRow

    with Library.create(tmp_path / "P.annotator") as library, \
            Library.create(tmp_path / "Q.annotator") as other:
        add_text(library, "Some text to export.")
        add_text(other, "Some text to export.")
        assert library.project_uuid() != other.project_uuid()
        with library._store.write() as s:  # as a project from before this feature
            s.execute(delete(MetaRow).where(MetaRow.key == "project_uuid"))
    with Library.open(tmp_path / "P.annotator", readonly=True) as readonly:
        derived = readonly.project_uuid()
    with Library.open(tmp_path / "P.annotator") as writable:
        assert writable.project_uuid() == derived
    with Library.open(tmp_path / "P.annotator", readonly=True) as readonly:
        assert readonly.project_uuid() == derived


def test_codebook_file_validates(sample: Library, tmp_path: Path) -> None:
    summary = write_qdc(sample, tmp_path / "codes.qdc")
    root = etree.parse(str(tmp_path / "codes.qdc")).getroot()
    assert_valid(codebook_schema(), root)
    assert summary.codes == len(sample.tags())
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"


def test_docx_original_rides_along_as_rich_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "memo.docx"
    document = docx.Document()
    document.add_paragraph("A memo about tariffs.")
    document.save(path)
    with Library.create(tmp_path / "D.annotator") as library:
        from annotator.importers.batch import import_paths

        [outcome] = import_paths(library, [path])
        assert outcome.status == "imported"
        summary = write_qdpx(library, tmp_path / "d.qdpx")
    root, members = read_qde(tmp_path / "d.qdpx")
    assert_valid(project_schema(), root)
    source = root.find("q:Sources/q:TextSource", NS)
    rich = source.get("richTextPath")
    assert summary.originals == 1 and rich.startswith("internal://") and rich.endswith(".docx")
    assert members["sources/" + rich.split("://")[1]] == path.read_bytes()


def test_cli_export_commands(sample: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample.folder
    sample.close()
    sample._lock = None
    assert main(["-p", str(folder), "export", "qdpx", str(tmp_path / "cli.qdpx")]) == 0
    assert "sources" in capsys.readouterr().out
    assert main(["-p", str(folder), "export", "qdc", str(tmp_path / "cli.qdc")]) == 0
    assert zipfile.is_zipfile(tmp_path / "cli.qdpx")
    assert_valid(codebook_schema(), etree.parse(str(tmp_path / "cli.qdc")).getroot())
    assert main(["-p", str(folder), "export", "qdpx", str(tmp_path / "missing" / "x.qdpx")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_fast_uuid5_is_uuid5() -> None:
    import uuid

    from annotator.export.refi_ids import uuid5_text

    namespace = uuid.UUID("12345678-1234-5678-1234-567812345678")
    for name in ("highlight:1:2026-01-01T00:00:00", "tag:7", "user:Ann Ö", ""):
        assert uuid5_text(namespace.bytes, name) == str(uuid.uuid5(namespace, name))


def test_document_variables_travel_as_variables_source_values_and_cases(
        sample: Library, tmp_path: Path) -> None:
    doc = next(d for d in sample.documents() if d.title == "Tricky")
    sample.define_variable("outlet")
    sample.define_variable("words", "number")
    sample.define_variable("filed", "date")
    sample.define_variable("genre", "choice", ["analysis", "news"])
    for name, value in (("outlet", "Globe & <Mail>"), ("words", "1250.5"), ("filed", "2025-03-14"),
                        ("genre", "news")):
        sample.set_document_variable(doc.id, name, value)
    other = sample.add_document(Extracted(text="No variables here.", format="txt", title="Bare"))
    write_qdpx(sample, tmp_path / "out.qdpx")
    root, _members = read_qde(tmp_path / "out.qdpx")
    assert_valid(project_schema(), root)
    variables = {v.get("name"): v for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert {n: v.get("typeOfVariable") for n, v in variables.items()} == {
        "outlet": "Text", "words": "Float", "filed": "Date", "genre": "Text"}
    assert variables["genre"].findtext("q:Description", namespaces=NS) == "Choices: analysis; news"
    by_guid = {v.get("guid"): n for n, v in variables.items()}

    def values(element: object) -> dict[str, str]:
        out = {}
        for vv in element.iterfind("q:VariableValue", NS):  # type: ignore[attr-defined]
            name = by_guid[vv.find("q:VariableRef", NS).get("targetGUID")]
            out[name] = "".join(vv.itertext()).strip()
        return out

    expected = {"outlet": "Globe & <Mail>", "words": "1250.5", "filed": "2025-03-14",
                "genre": "news"}
    sources = {s.get("name"): s for s in root.iterfind("q:Sources/q:TextSource", NS)}
    assert values(sources["Tricky"]) == expected
    assert values(sources[other.title]) == {}
    assert all(values(s) == {} for name, s in sources.items() if name != "Tricky")
    [case] = root.findall("q:Cases/q:Case", NS)
    assert values(case) == expected
    assert case.find("q:SourceRef", NS).get("targetGUID") == sources["Tricky"].get("guid")


def test_document_variables_come_back_through_an_import(sample: Library, tmp_path: Path) -> None:
    doc = next(d for d in sample.documents() if d.title == "Tricky")
    sample.define_variable("words", "number")
    sample.define_variable("genre", "choice", ["analysis", "news"])
    sample.set_document_variable(doc.id, "words", "1250.5")
    sample.set_document_variable(doc.id, "genre", "news")
    write_qdpx(sample, tmp_path / "out.qdpx")
    from annotator.importers.refi_import import import_refi

    with Library.create(tmp_path / "Back.annotator") as back:
        report = import_refi(back, tmp_path / "out.qdpx").report
        assert not report.not_representable
        variables = {v.name: v for v in back.variables() if not v.builtin}
        assert (variables["words"].type, variables["genre"].type) == ("number", "choice")
        assert variables["genre"].choices == ("analysis", "news")
        [again] = [d for d in back.documents() if d.title == "Tricky"]
        assert back.document_variables(again.id) == {"words": "1250.5", "genre": "news"}


def test_importing_into_a_project_with_documents_backs_it_up_first(sample: Library, tmp_path: Path) -> None:
    from annotator.importers.refi_import import import_refi

    write_qdpx(sample, tmp_path / "out.qdpx")
    with Library.create(tmp_path / "Empty.annotator") as empty:
        import_refi(empty, tmp_path / "out.qdpx")
        assert empty.backups() == []  # nothing to lose in an empty project
    with Library.create(tmp_path / "Busy.annotator") as busy:
        add_text(busy, "A document the researcher already has.")
        import_refi(busy, tmp_path / "out.qdpx")
        [backup] = busy.backups()
        assert "before-import" in backup.path.name and backup.documents == 1
