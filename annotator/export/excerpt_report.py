"""The grouped excerpt report: for the chosen tags (and analysis filters), every excerpt
grouped by tag with its document's title, author, date, page and note, as Markdown, HTML or
DOCX (python-docx), ready to paste into a paper. The GUI prints the same HTML.

Reads through the ``Library`` facade only. Files are written beside the target and renamed
over it, so a failed write leaves any earlier report untouched.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.analysis_filter import AnalysisFilter
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import DocumentSummary, Highlight, Tag
from annotator.export.citation import page_reference
from annotator.export.errors import ExportFailed

if TYPE_CHECKING:
    from annotator.core.library import Library

FORMATS = ("md", "html", "docx")


@dataclass(frozen=True)
class ReportExcerpt:
    highlight_id: int
    document_id: int
    text: str
    title: str
    author: str
    published: date | None
    page: str  # "p. 3", "pp. 3–4" or ""
    note: str


@dataclass(frozen=True)
class ReportGroup:
    tag: Tag
    excerpts: tuple[ReportExcerpt, ...]


@dataclass(frozen=True)
class ExcerptReport:
    title: str
    groups: tuple[ReportGroup, ...]
    filter_note: str = ""
    made: datetime | None = None

    @property
    def excerpt_count(self) -> int:
        return sum(len(g.excerpts) for g in self.groups)


def build_report(library: Library, tags: Sequence[Tag], f: AnalysisFilter | None = None,
                 title: str = "") -> ExcerptReport:
    """One group per tag, in the order given, its excerpts in reading order."""
    if not tags:
        raise InvalidInput("choose at least one tag for the report")
    resolved = library.resolve_analysis_filter(f)
    groups = []
    summaries: dict[int, DocumentSummary] = {}
    for tag in tags:
        found = library.tagged_highlights([tag.id], resolved)
        missing = {h.document_id for h in found} - summaries.keys()
        summaries.update({d.id: d for d in library.document_summaries(missing)})
        groups.append(ReportGroup(tag, tuple(_excerpt(h, summaries) for h in found)))
    label = title or f"Excerpts from {library.name}"
    return ExcerptReport(label, tuple(groups), (f or AnalysisFilter()).describe(),
                         datetime.now().replace(microsecond=0))


def _excerpt(h: Highlight, summaries: dict[int, DocumentSummary]) -> ReportExcerpt:
    doc = summaries.get(h.document_id)
    if doc is None:
        raise NotFound(f"no document {h.document_id} for excerpt {h.id}")
    return ReportExcerpt(h.id, h.document_id, " ".join(h.text.split()), doc.title, doc.author,
                         doc.published, page_reference(h), h.note or "")


def tag_heading(tag: Tag) -> str:
    return tag.name if tag.category in ("actor", "topic") else f"{tag.category}: {tag.name}"


def source_line(e: ReportExcerpt) -> str:
    """``Title — Author, 2025-06-14, p. 3``, leaving out what the source lacks."""
    rest = [p for p in (e.author, e.published.isoformat() if e.published else "", e.page) if p]
    return e.title + (" — " + ", ".join(rest) if rest else "")


def _count(n: int) -> str:
    return f"{n} excerpt{'s' if n != 1 else ''}"


# ----------------------------------------------------------------- Markdown
def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def report_markdown(report: ExcerptReport) -> str:
    lines = [f"# {_md_escape(report.title)}", ""]
    if report.filter_note:
        lines += [f"*Filtered by {_md_escape(report.filter_note)}*", ""]
    for group in report.groups:
        lines += [f"## {_md_escape(tag_heading(group.tag))} ({_count(len(group.excerpts))})", ""]
        for e in group.excerpts:
            lines.append("> " + _md_escape(e.text))
            lines += [">", f"> — {_md_escape(source_line(e))}"]
            if e.note:
                lines += ["", f"Note: {_md_escape(' '.join(e.note.split()))}"]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------- HTML
_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
.filter { color: #666; font-style: italic; }
blockquote { margin: 0.8em 0 0.2em 0; padding-left: 0.9em; border-left: 3px solid #999; }
.source { color: #555; font-size: 0.92em; margin: 0 0 0.2em 1.2em; }
.note { font-size: 0.92em; margin: 0 0 0.8em 1.2em; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; }
"""


def report_html(report: ExcerptReport) -> str:
    e_ = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e_(report.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e_(report.title)}</h1>"]
    if report.filter_note:
        out.append(f'<p class="filter">Filtered by {e_(report.filter_note)}</p>')
    for group in report.groups:
        swatch = f'<span class="swatch" style="background:{e_(group.tag.colour)}"></span>'
        out.append(f"<h2>{swatch}{e_(tag_heading(group.tag))} "
                   f"<small>({_count(len(group.excerpts))})</small></h2>")
        for e in group.excerpts:
            out.append(f"<blockquote>{e_(e.text)}</blockquote>")
            out.append(f'<p class="source">— {e_(source_line(e))}</p>')
            if e.note:
                out.append(f'<p class="note"><b>Note:</b> {e_(e.note)}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------- DOCX
def _docx_document(report: ExcerptReport) -> Any:  # python-docx ships no type hints
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=1)
    if report.filter_note:
        doc.add_paragraph().add_run(f"Filtered by {report.filter_note}").italic = True
    for group in report.groups:
        doc.add_heading(f"{tag_heading(group.tag)} ({_count(len(group.excerpts))})", level=2)
        for e in group.excerpts:
            doc.add_paragraph(e.text, style="Quote")
            source = doc.add_paragraph()
            run = source.add_run(f"— {source_line(e)}")
            run.font.size = Pt(9.5)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            if e.note:
                note = doc.add_paragraph()
                note.add_run("Note: ").bold = True
                note.add_run(e.note)
    return doc


# ----------------------------------------------------------------- writing
def write_report(report: ExcerptReport, path: Path | str, fmt: str | None = None) -> str:
    """Write ``report`` to ``path`` as ``fmt`` (md, html or docx; by default from the file's
    suffix). Returns the format written."""
    target = Path(path).expanduser()
    kind = (fmt or target.suffix.lstrip(".") or "md").lower()
    kind = {"markdown": "md", "htm": "html"}.get(kind, kind)
    if kind not in FORMATS:
        raise InvalidInput(f"a report is written as {', '.join(FORMATS)}, not {kind!r}")
    if target.is_dir():
        raise ExportFailed(f"cannot write {target}: it is a folder")
    if not target.parent.is_dir():
        raise ExportFailed(f"cannot write {target}: the folder {target.parent} does not exist")
    temp = target.with_name(f".{target.name}.part")
    try:
        if kind == "docx":
            _docx_document(report).save(str(temp))
        else:
            text = report_markdown(report) if kind == "md" else report_html(report)
            temp.write_text(text, encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportFailed(f"cannot write {target}: {exc.strerror or exc}") from exc
    return kind


def tags_named(library: Library, specs: Iterable[str]) -> list[Tag]:
    """Tags from ``NAME`` (any category; must be unambiguous) or ``CATEGORY:NAME``."""
    found: list[Tag] = []
    every = library.tags()
    for spec in specs:
        category, sep, name = spec.partition(":")
        if sep and category.strip().lower() in {c.name for c in library.categories()}:
            tag = library.find_tag(category.strip().lower(), name.strip())
            if tag is None:
                raise NotFound(f"no {category.strip().lower()} named {name.strip()!r}")
        else:
            key = spec.strip().casefold()
            matches = [t for t in every if t.name.casefold() == key
                       or key in (a.casefold() for a in t.aliases)]
            if not matches:
                raise NotFound(f"no tag named {spec.strip()!r}")
            if len(matches) > 1:
                shown = ", ".join(f"{t.category}:{t.name}" for t in matches)
                raise InvalidInput(f"{spec.strip()!r} names several tags ({shown}); "
                                   "write CATEGORY:NAME")
            tag = matches[0]
        if tag.id not in {t.id for t in found}:
            found.append(tag)
    return found
