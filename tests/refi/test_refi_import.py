"""REFI-QDA import: the round trip, the real MAXQDA export, the every-element fixture's exact
report, position conventions (UTF-16, BOM, CRLF), tolerated packaging, merging into a project."""

from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import ACTOR, TOPIC
from annotator.export.refi_export import write_qdc, write_qdpx
from annotator.importers.refi_import import import_refi, read_refi
from annotator.importers.refi_report import REPORTS_DIR
from annotator.sample_project import build_sample_project
from tests.conftest import shared_data
from tests.refi.helpers import exchange_content

TRICKY = "Emoji 😀 then e\u0301 (combining) and 𝄞 clef.\nSecond line: 👩‍👩‍👧 family."


def _sample(tmp_path: Path) -> Library:
    library = Library.open(build_sample_project(tmp_path / "Sample.annotator"))
    stance = library.add_category("stance", "Stance")
    parent = library.create_tag("hawkish", stance.name, colour="#aa3311", description="Hard line")
    child = library.create_tag("very hawkish", stance.name, parent_id=parent.id,
                               aliases=("hardliner", "ultra"))
    doc = library.add_document(Extracted(text=TRICKY, format="txt", title="Tricky",
                                         author="A. Writer", source="https://example.org/t"))
    library.add_highlight(doc.id, 6, 7, tag_ids=[child.id], note="the emoji")
    library.add_highlight(doc.id, 13, 15, tag_ids=[parent.id, child.id])
    library.add_highlight(doc.id, 33, 34)  # the clef, untagged
    library.set_document_note(doc.id, "A document note.")
    return library


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    with _sample(tmp_path) as original:
        write_qdpx(original, tmp_path / "first.qdpx")
        before = exchange_content(original)
    with Library.create(tmp_path / "Copy.annotator") as copy:
        outcome = import_refi(copy, tmp_path / "first.qdpx")
        assert not outcome.report.not_representable
        write_qdpx(copy, tmp_path / "second.qdpx")
        after = exchange_content(copy)
    assert after == before
    with Library.create(tmp_path / "Third.annotator") as third:
        import_refi(third, tmp_path / "second.qdpx")
        assert exchange_content(third) == before


def test_maxqda_export_imports_with_what_was_tolerated(tmp_path: Path) -> None:
    folder = shared_data("refi-qda", "paper_themes-maxqda")
    archive = folder / "2025-06-16_ICLS_Conf_Themes_ALL_just10.zip"
    with Library.create(tmp_path / "M.annotator") as library:
        outcome = import_refi(library, archive)
        report = outcome.report
        assert report.documents == 10 and report.highlights == 0
        # MAXQDA's two document sets, and the descriptions of the 18 parent codes that became
        # categories (a category has no description here).
        assert report.not_representable == Counter(
            {"Set": 2, "Description or note of a code that became a category": 18})
        assert any("codable but coding nothing" in a for a in report.assumptions)
        with zipfile.ZipFile(archive) as zf:
            for doc in library.documents():
                # every source's text is kept exactly (LF, no BOM: as MAXQDA wrote it)
                texts = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".txt")]
                assert library.document_text(doc.id) in texts
        categories = {c.label for c in library.categories()}
        assert "Additional Themes and Ideas" in categories
        assert len(library.tags()) == 289
        assert all(t.description for t in library.tags())
        assert (library.folder / REPORTS_DIR).is_dir()

    # The loose .qde beside it (generated codes) does not validate: its CodeBook is in another
    # namespace. Packed as a .qdpx under its own name with the same sources, it imports too.
    package = tmp_path / "generated.qdpx"
    with zipfile.ZipFile(archive) as zf, zipfile.ZipFile(package, "w") as out:
        for name in zf.namelist():
            if name != "project.qde":
                out.writestr(name.replace("sources/", "Sources/"), zf.read(name))
        out.write(folder / "project_with_generated_codes.qde", "project_with_generated_codes.qde")
    reading = read_refi(package)
    assert len(reading.bundle.documents) == 10
    assert len(reading.bundle.tags) > 289
    tolerated = " ".join(reading.report.tolerated)
    assert "project_with_generated_codes.qde" in tolerated and "sources" in tolerated


def test_hand_authored_fixture_reports_exactly_what_is_left_out(tmp_path: Path) -> None:
    qde = shared_data("refi-qda", "qdpx-toolkit-hand-authored", "project.qde")
    with Library.create(tmp_path / "F.annotator") as library:
        outcome = import_refi(library, qde)
        report = outcome.report
        assert report.not_representable == Counter({
            "PictureSource": 1, "PictureSelection": 1,
            "AudioSource": 1, "AudioSelection": 1, "Transcript": 1, "TranscriptSelection": 1,
            "VideoSource": 1, "VideoSelection": 1, "Coding (on media)": 4,
            "Case Description": 1, "CodeRef of a Case": 1, "SelectionRef of a Case": 1,
            "Set": 1, "Graph": 1, "Link": 1,
            "Note on the whole project": 1,
        })
        docs = {d.title: d for d in library.documents()}
        assert set(docs) == {"Interview 1.txt", "doc.pdf"}
        interview = library.highlights(docs["Interview 1.txt"].id)
        assert [(h.start, h.end, h.text) for h in interview] == [
            (0, 15, "Diet and health"), (9, 23, "health are clo")]
        assert [t.name for t in interview[0].tags] == ["Health"]
        assert [t.name for t in interview[1].tags] == ["Diet"]
        assert {h.author for h in interview} == {"Researcher A"}
        [pdf] = library.highlights(docs["doc.pdf"].id)
        assert pdf.text == "diet and health" and [t.name for t in pdf.tags] == ["Health"]
        topics = {t.name: t for t in library.tags(TOPIC)}
        assert topics["Diet"].parent_id == topics["Health"].id
        assert topics["Health"].colour == "#33cc33"
        assert topics["Health"].description == "Anything about physical or mental health"
        written = report.path.read_text(encoding="utf-8")
        assert "PictureSource: 1" in written and "CodeRef of a Case: 1" in written
        # The case's values reach the source it names; a number stays a number.
        assert {v.name: v.type for v in library.variables() if not v.builtin} == {
            "Age": "number", "Consented": "text"}
        assert library.document_variables(docs["Interview 1.txt"].id) == {
            "Age": "34", "Consented": "true"}
        assert library.document_variables(docs["doc.pdf"].id) == {}
        assert "document variables: 2 created, 2 value(s) set" in written


def _package(tmp_path: Path, text_bytes: bytes, selections: str, *, name: str = "p.qdpx",
             qde_name: str = "project.qde", folder: str = "sources",
             source_guid: str = "{AAAAAAAA-0000-0000-0000-000000000001}") -> Path:
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="synthetic">
 <Users><User guid="{{BBBBBBBB-0000-0000-0000-000000000001}}" name="Ann"/></Users>
 <CodeBook><Codes>
  <Code guid="{{CCCCCCCC-0000-0000-0000-000000000001}}" name="Actors" isCodable="false">
   <Code guid="{{CCCCCCCC-0000-0000-0000-000000000002}}" name="Someone" isCodable="true" color="#abc"/>
  </Code>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="{source_guid}" name="Synthetic" plainTextPath="internal://{source_guid}.txt">
   {selections}
  </TextSource>
 </Sources>
</Project>"""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(qde_name, qde)
        zf.writestr(f"{folder}/{source_guid.strip('{}').lower()}.txt", text_bytes)
    return path


def _sel(start: int, end: int, name: str, n: int) -> str:
    return (f'<PlainTextSelection guid="DDDDDDDD-0000-0000-0000-00000000000{n}" name="{name}" '
            f'startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{{BBBBBBBB-0000-0000-0000-000000000001}}">'
            f'<Coding guid="EEEEEEEE-0000-0000-0000-00000000000{n}">'
            f'<CodeRef targetGUID="{{CCCCCCCC-0000-0000-0000-000000000002}}"/></Coding>'
            f'</PlainTextSelection>')


def _utf16_units(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def test_utf16_positions_with_bom_and_crlf_are_detected(tmp_path: Path) -> None:
    """A source counted in UTF-16 code units, with a BOM counted and CRLF as two: every quote
    lands exactly, and the report says which convention was assumed."""
    text = "\ufeffFirst 😀 line\r\nSecond e\u0301 line with 𝄞 and 👩‍👩‍👧 here\r\nThird line"
    quotes = ["😀 line", "e\u0301 line", "𝄞 and 👩‍👩‍👧", "Third"]
    selections = "".join(
        _sel(_utf16_units(text, text.index(q)), _utf16_units(text, text.index(q) + len(q)), q, i)
        for i, q in enumerate(quotes, 1))
    path = _package(tmp_path, text.encode("utf-8"), selections, folder="Sources",
                    qde_name="exported by something.qde")
    with Library.create(tmp_path / "U.annotator") as library:
        report = import_refi(library, path).report
        [doc] = library.documents()
        stored = library.document_text(doc.id)
        assert stored == text[1:].replace("\r\n", "\n")
        assert [h.text for h in library.highlights(doc.id)] == quotes
        assert all(h.author == "Ann" for h in library.highlights(doc.id))
        assert library.tags(ACTOR)[0].colour == "#aabbcc"
    assumed = " ".join(report.assumptions)
    assert "UTF-16 code units" in assumed and "byte-order mark counted" in assumed
    assert "CRLF counted as two" in assumed and "4 of 4" in assumed
    tolerated = " ".join(report.tolerated)
    assert "braces" in tolerated and "exported by something.qde" in tolerated


@pytest.mark.parametrize("crlf_two", [True, False])
def test_crlf_counted_either_way(tmp_path: Path, crlf_two: bool) -> None:
    text = "Line one\r\nLine two has 😀 here\r\nLine three"
    counted = text if crlf_two else text.replace("\r\n", "\n")
    quotes = ["two has 😀", "three"]
    selections = "".join(_sel(counted.index(q), counted.index(q) + len(q), q, i)
                         for i, q in enumerate(quotes, 1))
    with Library.create(tmp_path / "C.annotator") as library:
        import_refi(library, _package(tmp_path, text.encode("utf-8"), selections))
        [doc] = library.documents()
        assert [h.text for h in library.highlights(doc.id)] == quotes


def test_inline_text_and_codebook_file(tmp_path: Path) -> None:
    qde = tmp_path / "inline.qde"
    qde.write_text("""<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>
<TextSource guid="11111111-0000-0000-0000-000000000001" name="Inline">
<PlainTextContent>Inline text about tariffs.</PlainTextContent>
<PlainTextSelection guid="11111111-0000-0000-0000-000000000002" startPosition="18" endPosition="25">
<Description>a memo</Description></PlainTextSelection>
</TextSource></Sources></Project>""", encoding="utf-8")
    with _sample(tmp_path) as sample:
        write_qdc(sample, tmp_path / "codes.qdc")
        tag_names = sorted(t.name for t in sample.tags())
    with Library.create(tmp_path / "I.annotator") as library:
        report = import_refi(library, qde).report
        [h] = library.highlights()
        assert h.text == "tariffs" and h.note == "a memo" and not h.tags
        assert any("inline" in t for t in report.tolerated)
        import_refi(library, tmp_path / "codes.qdc")
        assert sorted(t.name for t in library.tags()) == tag_names


def test_merging_into_an_existing_project(tmp_path: Path) -> None:
    with _sample(tmp_path) as sample:
        write_qdpx(sample, tmp_path / "s.qdpx")
        counts = sample.counts()
        report = import_refi(sample, tmp_path / "s.qdpx").report
        assert sample.counts() == counts  # nothing duplicated: same documents, tags, highlights
        assert report.existing_documents == counts["documents"]
        assert report.highlights_already_present == counts["highlights"]
        assert report.tags_merged == counts["tags"]
        report = import_refi(sample, tmp_path / "s.qdpx", merge_codes=False).report
        assert report.tags_created == counts["tags"]
        assert sample.find_tag(TOPIC, "tariffs (2)") is not None
        # Highlights coded with the renamed copies are new (other tags), on the same documents.
        assert sample.counts()["documents"] == counts["documents"]


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with _sample(tmp_path) as sample:
        write_qdpx(sample, tmp_path / "s.qdpx")
        titles = sorted(d.title for d in sample.documents())
    target = tmp_path / "Cli.annotator"
    assert main(["-p", str(target), "init"]) == 0
    capsys.readouterr()
    assert main(["-p", str(target), "import", str(tmp_path / "s.qdpx")]) == 0
    out, err = capsys.readouterr()
    assert sorted(line.split(" ", 2)[2] for line in out.splitlines()) == titles
    assert "report:" in err
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    assert main(["-p", str(target), "import", str(bad)]) == 1
    assert "failed:" in capsys.readouterr().out
    shutil.rmtree(target / REPORTS_DIR)


def test_new_sub_codes_go_under_a_merged_parent(tmp_path: Path) -> None:
    with _sample(tmp_path) as sample:
        write_qdc(sample, tmp_path / "codes.qdc")
    with Library.create(tmp_path / "Sub.annotator") as library:
        stance = library.add_category("stance", "Stance")
        hawkish = library.create_tag("Hawkish", stance.name, colour="#123456")
        report = import_refi(library, tmp_path / "codes.qdc").report
        assert report.tags_merged == 1
        very = library.find_tag("stance", "very hawkish")
        assert very is not None and very.parent_id == hawkish.id
        assert library.tag(hawkish.id).colour == "#123456"  # the project's tag is left as it was


def test_pdf_source_without_representation_is_read_from_the_embedded_pdf(tmp_path: Path) -> None:
    from tests.importers.conftest import build_pdf

    pdf = build_pdf(["Tariffs were raised on steel.", "Talks resume in June."])
    qde = """<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
<CodeBook><Codes><Code guid="c0000000-0000-0000-0000-000000000001" name="Trade" isCodable="true"/></Codes></CodeBook>
<Sources><PDFSource guid="a0000000-0000-0000-0000-000000000001" name="brief.pdf"
  path="internal://a0000000-0000-0000-0000-000000000001.pdf">
 <PDFSelection guid="b0000000-0000-0000-0000-000000000001" page="1" firstX="1" firstY="1" secondX="9" secondY="9">
  <Representation guid="b1000000-0000-0000-0000-000000000001"><PlainTextContent>Talks resume</PlainTextContent></Representation>
  <Coding guid="d0000000-0000-0000-0000-000000000001"><CodeRef targetGUID="c0000000-0000-0000-0000-000000000001"/></Coding>
 </PDFSelection>
 <PDFSelection guid="b0000000-0000-0000-0000-000000000002" page="0" firstX="1" firstY="1" secondX="9" secondY="9"/>
</PDFSource></Sources></Project>"""
    path = tmp_path / "pdf.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/a0000000-0000-0000-0000-000000000001.pdf", pdf)
    with Library.create(tmp_path / "Pdf.annotator") as library:
        report = import_refi(library, path).report
        [doc] = library.documents()
        assert doc.format == "pdf" and doc.pages == 2 and doc.stored_file
        assert (library.folder / doc.stored_file).read_bytes() == pdf
        [h] = library.highlights(doc.id)
        assert h.text == "Talks resume" and h.page == 2 and [t.name for t in h.tags] == ["Trade"]
        assert report.not_representable == Counter(
            {"PDFSelection without a text found in its source": 1})
        assert any("embedded PDF" in a for a in report.assumptions)


def test_same_names_in_one_category_stay_apart(tmp_path: Path) -> None:
    qde = tmp_path / "same.qde"
    qde.write_text("""<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>
<Code guid="10000000-0000-0000-0000-000000000001" name="Themes" isCodable="false">
 <Description>The themes we code.</Description>
 <Code guid="10000000-0000-0000-0000-000000000002" name="Economy" isCodable="true">
  <Code guid="10000000-0000-0000-0000-000000000003" name="Other" isCodable="true"/></Code>
 <Code guid="10000000-0000-0000-0000-000000000004" name="Security" isCodable="false">
  <Code guid="10000000-0000-0000-0000-000000000005" name="Other" isCodable="true"/></Code>
</Code></Codes></CodeBook></Project>""", encoding="utf-8")
    with Library.create(tmp_path / "S.annotator") as library:
        report = import_refi(library, qde).report
        names = sorted(t.name for t in library.tags("themes"))
        assert names == ["Economy", "Other", "Other (Security)", "Security"]
        assert report.not_representable == Counter(
            {"Description or note of a code that became a category": 1})
        assert any("Security" in t and "non-codable" in t for t in report.tolerated)


def test_a_project_file_past_the_word_processor_caps_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The caps against zip bombs in DOCX/ODT/EPUB parts (64 MB) are not a REFI-QDA project's:
    # 20,000 documents make an 85 MB project.qde, under the REFI limits (256 MB a member).
    from annotator.importers import zip_package

    with _sample(tmp_path) as original:
        write_qdpx(original, tmp_path / "big.qdpx")
        before = exchange_content(original)
    with zipfile.ZipFile(tmp_path / "big.qdpx") as archive:
        qde_size = archive.getinfo("project.qde").file_size
    monkeypatch.setattr(zip_package, "MAX_MEMBER_BYTES", qde_size // 2)
    monkeypatch.setattr(zip_package, "MAX_PACKAGE_BYTES", qde_size // 2)
    with Library.create(tmp_path / "Copy.annotator") as copy:
        import_refi(copy, tmp_path / "big.qdpx")
        assert exchange_content(copy) == before
