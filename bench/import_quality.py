"""How faithfully the HTML importer extracts article text (never run by the test command).

Default: every ``<page>/source.html`` under ../shared/data/readability-test-pages is read through
``annotator.importers.read`` and compared with ``<page>/expected.derived.txt`` by token-level
precision, recall and F1 (multiset overlap of lowercased word tokens; CJK characters count one
token each because those scripts do not separate words with spaces).

The same pass compares each page's stored author with the byline in
``<page>/expected-metadata.json`` (see ``import_quality_modes.author_matches``).

``--snippets`` instead checks the trafilatura-eval pages: the share of "with" snippets found and
of "without" snippets (boilerplate) kept out. ``--pdf`` scores PDF text against ground truth
(GeoTopo, crazyones); ``--encodings`` counts the shared/data/encodings samples decoded exactly.

    .venv/bin/python bench/import_quality.py [FOLDER] [--json] [--snippets [FOLDER]] [--pdf]
        [--encodings]

ANNOTATOR_SHARED_DATA overrides where ../shared/data is (a git worktree).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.importers import read
from bench.import_quality_modes import (
    AuthorScore,
    score_authors,
    score_encodings,
    score_pdfs,
)

SHARED_DATA = Path(
    os.environ.get("ANNOTATOR_SHARED_DATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)
DEFAULT_PAGES = SHARED_DATA / "readability-test-pages"
DEFAULT_SNIPPETS = SHARED_DATA / "trafilatura-eval"

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


@dataclass(frozen=True)
class PageScore:
    page: str
    precision: float
    recall: float
    f1: float
    overlap: int
    extracted_tokens: int
    expected_tokens: int
    error: str = ""
    author: str = ""


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.casefold()))


def score_page(folder: Path) -> PageScore:
    expected = tokens((folder / "expected.derived.txt").read_text(encoding="utf-8"))
    error = author = ""
    try:
        document = read(folder / "source.html")
        extracted, author = tokens(document.text), document.author
    except ImportFailed as exc:
        extracted, error = Counter(), str(exc)
    overlap = sum((extracted & expected).values())
    n_extracted, n_expected = sum(extracted.values()), sum(expected.values())
    precision = overlap / n_extracted if n_extracted else 0.0
    recall = overlap / n_expected if n_expected else 0.0
    return PageScore(
        folder.name, precision, recall, _f1(precision, recall), overlap, n_extracted, n_expected,
        error, author,
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class PagesReport:
    pages: list[PageScore]
    micro: Scores
    macro: Scores
    authors: list[AuthorScore]


@dataclass(frozen=True)
class SnippetReport:
    with_found: float
    without_kept_out: float
    with_total: int
    without_total: int
    problems: list[dict[str, object]]


def score_pages(root: Path) -> PagesReport:
    pages = [
        score_page(folder)
        for folder in sorted(root.iterdir())
        if (folder / "source.html").is_file() and (folder / "expected.derived.txt").is_file()
    ]
    overlap = sum(p.overlap for p in pages)
    micro_p = overlap / max(1, sum(p.extracted_tokens for p in pages))
    micro_r = overlap / max(1, sum(p.expected_tokens for p in pages))
    macro = Scores(
        statistics.fmean(p.precision for p in pages) if pages else 0.0,
        statistics.fmean(p.recall for p in pages) if pages else 0.0,
        statistics.fmean(p.f1 for p in pages) if pages else 0.0,
    )
    authors = score_authors(root, {p.page: p.author for p in pages})
    return PagesReport(pages, Scores(micro_p, micro_r, _f1(micro_p, micro_r)), macro, authors)


def score_snippets(root: Path) -> SnippetReport:
    """Whitespace is folded on both sides: snippets were written from the rendered page."""
    evaldata = json.loads((root / "evaldata-subset.json").read_text(encoding="utf-8"))
    found = wanted = kept_out = unwanted = 0
    problems: list[dict[str, object]] = []
    for entry in evaldata.values():
        path = root / "html" / entry["file"]
        if not path.is_file():
            continue
        try:
            text = " ".join(read(path).text.split())
        except ImportFailed as exc:
            text = ""
            problems.append({"file": entry["file"], "error": str(exc)})
        with_hits = [s for s in entry.get("with", []) if " ".join(s.split()) in text]
        without_hits = [s for s in entry.get("without", []) if " ".join(s.split()) in text]
        found += len(with_hits)
        wanted += len(entry.get("with", []))
        kept_out += len(entry.get("without", [])) - len(without_hits)
        unwanted += len(entry.get("without", []))
        missing = sorted(set(entry.get("with", [])) - set(with_hits))
        if missing or without_hits:
            problems.append({"file": entry["file"], "missing": missing, "leaked": without_hits})
    return SnippetReport(found / max(1, wanted), kept_out / max(1, unwanted), wanted, unwanted,
                         problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument(
        "--snippets", nargs="?", type=Path, const=DEFAULT_SNIPPETS, default=None,
        help="check trafilatura-eval style snippet annotations instead (default folder: %(const)s)",
    )
    parser.add_argument("--pdf", action="store_true",
                        help="score PDF text against ground truth (GeoTopo, crazyones) instead")
    parser.add_argument("--encodings", action="store_true",
                        help="count the shared/data/encodings samples decoded exactly instead")
    args = parser.parse_args(argv)
    if args.pdf:
        pdfs = score_pdfs(SHARED_DATA, tokens)
        if args.json:
            print(json.dumps([asdict(p) for p in pdfs], indent=2, ensure_ascii=False))
            return 0
        print(f"{'pdf':40} {'P':>6} {'R':>6} {'F1':>6}")
        for pdf in pdfs:
            note = f"  ({pdf.error})" if pdf.error else ""
            print(f"{pdf.name:40} {pdf.precision:6.3f} {pdf.recall:6.3f} {pdf.f1:6.4f}{note}")
        return 0
    if args.encodings:
        good, total, wrong = score_encodings(SHARED_DATA / "encodings")
        if args.json:
            print(json.dumps({"decoded": good, "total": total, "wrong": wrong}, indent=2))
            return 0
        for name in wrong:
            print(f"wrong: {name}")
        print(f"encodings decoded exactly: {good}/{total}")
        return 0
    if args.snippets is not None:
        if not (args.snippets / "evaldata-subset.json").is_file():
            print(f"no evaldata-subset.json in {args.snippets}", file=sys.stderr)
            return 2
        snippets = score_snippets(args.snippets)
        if args.json:
            print(json.dumps(asdict(snippets), indent=2, ensure_ascii=False))
            return 0
        for problem in snippets.problems:
            print(json.dumps(problem, ensure_ascii=False))
        print(
            f"'with' snippets found: {snippets.with_found:.3f} of {snippets.with_total}; "
            f"'without' kept out: {snippets.without_kept_out:.3f} of {snippets.without_total}"
        )
        return 0
    if not args.folder.is_dir():
        print(f"folder not found: {args.folder}", file=sys.stderr)
        return 2
    report = score_pages(args.folder)
    if args.json:
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
        return 0
    print(f"{'page':40} {'P':>6} {'R':>6} {'F1':>6}")
    for page in report.pages:
        note = f"  ({page.error})" if page.error else ""
        print(f"{page.page[:40]:40} {page.precision:6.3f} {page.recall:6.3f} {page.f1:6.3f}{note}")
    for kind, scores in (("micro", report.micro), ("macro", report.macro)):
        print(f"{kind:40} {scores.precision:6.3f} {scores.recall:6.3f} {scores.f1:6.3f}")
    for miss in (a for a in report.authors if not a.match):
        print(f"author mismatch {miss.page}: stored {miss.author!r}, byline {miss.byline!r}")
    matched = sum(a.match for a in report.authors)
    print(f"author matches byline: {matched}/{len(report.authors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
