"""The non-HTML parts of ``bench/import_quality.py``: PDF text against ground truth, the
shared encodings samples, and how well page authors match the readability bylines."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.text import normalise_text
from annotator.importers import read
from annotator.importers.encoding import decode_text

# (name, PDF under shared/data, its ground-truth text under shared/data)
PDF_CASES = (
    ("GeoTopo", "py-pdf-sample-files/009-pdflatex-geotopo/GeoTopo-komprimiert.pdf",
     "py-pdf-benchmarks-groundtruth/GeoTopo-book.txt"),
    ("crazyones", "pypdf-resources/crazyones.pdf", "pypdf-resources/crazyones.txt"),
)
_NAME_TOKEN = re.compile(r"[^\W\d_]+")
# Bylines carry dates ("By Nathan Willis March 25, 2015"); those words are not the name.
_MONTHS = frozenset(
    "january february march april may june july august september october november december"
    .split()
)


@dataclass(frozen=True)
class PdfScore:
    name: str
    precision: float
    recall: float
    f1: float
    error: str = ""


@dataclass(frozen=True)
class AuthorScore:
    page: str
    byline: str
    author: str
    match: bool


def score_pdfs(shared: Path, tokens: Callable[[str], Counter[str]]) -> list[PdfScore]:
    scores = []
    for name, pdf, truth in PDF_CASES:
        expected = tokens((shared / truth).read_text(encoding="utf-8"))
        error = ""
        try:
            extracted = tokens(read(shared / pdf).text)
        except ImportFailed as exc:
            extracted, error = Counter(), str(exc)
        overlap = sum((extracted & expected).values())
        precision = overlap / max(1, sum(extracted.values()))
        recall = overlap / max(1, sum(expected.values()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(PdfScore(name, precision, recall, f1, error))
    return scores


def score_encodings(folder: Path) -> tuple[int, int, list[str]]:
    """(decoded exactly, total, files decoded wrongly) for ``labels.tsv``'s samples."""
    with (folder / "labels.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    wrong = []
    for row in rows:
        expected = (folder / row["reference_utf8_decoding"]).read_text(encoding="utf-8")
        try:
            decoded = decode_text((folder / row["file"]).read_bytes()).text
        except ImportFailed:
            decoded = None
        if decoded is None or normalise_text(decoded) != normalise_text(expected):
            wrong.append(row["file"])
    return len(rows) - len(wrong), len(rows), wrong


def author_matches(byline: str, author: str) -> bool:
    """The author's name words appear, in order and together, among the byline's words
    ("By", a leading "Par" and month names aside): "Lucas Nolan" matches "by Lucas Nolan22
    Dec 2016651"; "Nathan Willis March" does not match "By Nathan Willis March 25, 2015"."""
    def words(text: str, *, drop_months: bool) -> list[str]:
        found = [w for w in _NAME_TOKEN.findall(text.casefold())
                 if not (drop_months and w in _MONTHS)]
        return found[1:] if found[:1] in (["by"], ["par"]) else found

    # Months leave the byline only: an author stored with a month glued on is a mismatch.
    name, line = words(author, drop_months=False), words(byline, drop_months=True)
    return bool(name) and any(line[i : i + len(name)] == name for i in range(len(line)))


def score_authors(pages_root: Path, authors: dict[str, str]) -> list[AuthorScore]:
    """``authors``: page folder name -> the author the importer stored."""
    scores = []
    for page, author in sorted(authors.items()):
        meta_file = pages_root / page / "expected-metadata.json"
        if not meta_file.is_file():
            continue
        byline = json.loads(meta_file.read_text(encoding="utf-8")).get("byline") or ""
        if byline:
            scores.append(AuthorScore(page, byline, author, author_matches(byline, author)))
    return scores
