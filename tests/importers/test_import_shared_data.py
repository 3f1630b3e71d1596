"""Real-world files from ../shared/data (skipped with a message when that folder is absent)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed, PasswordRequired
from annotator.core.text import normalise_text
from annotator.importers import read
from annotator.importers.encoding import decode_text
from annotator.importers.pdf import SCANNED_MESSAGE

# Western European and Unicode codecs: every one of these must decode exactly (issue 3).
MUST_DECODE = {"cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-8"}


def _encoding_rows(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / "encodings" / "labels.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _decodes_as_expected(root: Path, row: dict[str, str]) -> bool:
    expected = (root / row["reference_utf8_decoding"]).read_text(encoding="utf-8")
    try:
        decoded = decode_text((root / row["file"]).read_bytes()).text
    except ImportFailed:
        return False
    return normalise_text(decoded) == normalise_text(expected)


def test_every_utf_and_western_european_sample_decodes_exactly(shared_data: Path) -> None:
    root = shared_data / "encodings"
    rows = [r for r in _encoding_rows(shared_data) if r["expected_codec_python"] in MUST_DECODE]
    assert len(rows) >= 10
    wrong = [r["file"] for r in rows if not _decodes_as_expected(root, r)]
    assert wrong == []


def test_most_other_encodings_decode_exactly(shared_data: Path) -> None:
    """Detection of the rest is statistical; 29/29 today, allow a little slack for upgrades
    of charset-normalizer without letting a real regression through."""
    root = shared_data / "encodings"
    rows = _encoding_rows(shared_data)
    good = sum(_decodes_as_expected(root, r) for r in rows)
    assert good >= len(rows) - 2


_TOKEN = re.compile(r"[^\W_]+")
# UTF-8 bytes of "ä", "ö", "ü", "ß", "é"… read as cp1252/cp1250.
_MOJIBAKE = re.compile("Ã[¤¶¼Ÿ©¨]|Ă[¤ĽŹ]")


def _f1(extracted: str, expected: str) -> float:
    got = Counter(_TOKEN.findall(extracted.lower()))
    want = Counter(_TOKEN.findall(expected.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("page", ["bbc-1", "guardian-1", "lemonde-1", "rtl-1", "wikipedia"])
def test_readability_pages_extract_the_article(shared_data: Path, page: str) -> None:
    folder = shared_data / "readability-test-pages" / page
    extracted = read(folder / "source.html")
    expected = (folder / "expected.derived.txt").read_text(encoding="utf-8")
    assert _f1(extracted.text, expected) >= 0.9
    metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    if metadata.get("title"):
        assert extracted.title


def test_page_declaring_utf8_but_not_utf8(shared_data: Path) -> None:
    root = shared_data / "trafilatura-eval"
    pages = json.loads((root / "non-utf8-pages.json").read_text(encoding="utf-8"))
    evaldata = json.loads((root / "evaldata-subset.json").read_text(encoding="utf-8"))
    by_file = {entry["file"]: entry for entry in evaldata.values()}
    liars = [name for name, info in pages.items()
             if (info.get("declared_charset") or "").lower() == "utf-8" and name in by_file]
    assert liars, "expected at least one page that declares UTF-8 but is not"
    for name in liars:
        text = read(root / "html" / name).text
        assert "\ufffd" not in text
        assert not _MOJIBAKE.search(text), name
        assert any(" ".join(s.split()) in " ".join(text.split()) for s in by_file[name]["with"])


def test_pypdf_encrypted_samples(shared_data: Path) -> None:
    folder = shared_data / "pypdf-resources"
    with pytest.raises(PasswordRequired, match="^encrypted: password needed$"):
        read(folder / "crazyones-encrypted-256.pdf")
    with pytest.raises(PasswordRequired, match="^wrong password$"):
        read(folder / "crazyones-encrypted-256.pdf", password="pässwört")
    # upstream pypdf tests open this AES-256 file with the user password "password"
    opened = read(folder / "crazyones-encrypted-256.pdf", password="password")
    plain = read(folder / "crazyones.pdf")
    assert opened.text == plain.text
    assert "The Crazy Ones" in plain.text and "misfits" in plain.text  # ligature spelled out


@pytest.mark.parametrize(
    ("name", "password"),
    [("r2-empty-password.pdf", None), ("r3-user-password.pdf", "asdfzxcv"),
     ("r4-aes-user-password.pdf", "asdfzxcv")],
)
def test_pypdf_encryption_revisions(shared_data: Path, name: str, password: str | None) -> None:
    extracted = read(shared_data / "pypdf-resources" / "encryption" / name, password=password)
    assert extracted.text.startswith("pdf encryption test")


@pytest.mark.parametrize("name", ["c02-22.pdf", "linn.pdf", "skew.pdf"])
def test_image_only_pdfs_are_reported_as_scanned(shared_data: Path, name: str) -> None:
    with pytest.raises(ImportFailed, match=re.escape(SCANNED_MESSAGE)):
        read(shared_data / "ocrmypdf-test-resources" / name)


def test_invalid_pdf_is_refused_clearly(shared_data: Path) -> None:
    with pytest.raises(ImportFailed, match="^not a valid PDF: "):
        read(shared_data / "ocrmypdf-test-resources" / "invalid.pdf")


@pytest.mark.parametrize(
    ("page", "author"),
    [("wapo-1", "Erin Cunningham"), ("quanta-1", "Joshua Sokol"), ("lwn-1", "Nathan Willis"),
     ("nytimes-1", "Jeffrey Gettleman"), ("aktualne", "Aleš Vávra"),
     ("folha", "Bruno (Henrique Zecchin) Rodrigues")],
)
def test_readability_page_authors_are_clean(shared_data: Path, page: str, author: str) -> None:
    """Stored before as "Username", "Joshua Sokol May", "Nathan Willis March", the name twice,
    "Aleš Vávra před" and nothing (JSON-LD in a CDATA section)."""
    assert read(shared_data / "readability-test-pages" / page / "source.html").author == author
