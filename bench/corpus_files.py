"""Write corpus articles as the files a researcher would import: .txt, .html (with site
boilerplate around the article, so the extractor has real work to do) and .pdf (fpdf2)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

from bench.corpus import Article, article

FORMATS = ("txt", "html", "pdf")


def write_files(folder: Path, seed: int, fmt: str, count: int) -> list[Path]:
    """Articles 0..count-1 of ``seed`` as ``fmt`` files in ``folder``; existing files are
    reused (the folder lives in the bench cache, keyed by seed and format)."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = {"txt": _write_txt, "html": _write_html, "pdf": _write_pdf}[fmt]
    paths = []
    for i in range(count):
        path = folder / f"article-{i:05d}.{fmt}"
        if not path.exists():
            tmp = path.with_name(path.name + ".part")
            writer(article(seed, i), tmp)
            tmp.replace(path)  # a killed run never leaves a half-written file behind
        paths.append(path)
    return paths


def _write_txt(art: Article, path: Path) -> None:
    byline = f"By {art.author}, {art.outlet}, {art.published:%B %d, %Y}"
    path.write_text(f"{art.title}\n\n{byline}\n\n{art.text}\n", encoding="utf-8")


def _write_html(art: Article, path: Path) -> None:
    esc = html.escape
    body = "\n".join(f"<p>{esc(p)}</p>" for p in art.paragraphs)
    menu = "".join(f'<li><a href="/{s}">{s.title()}</a></li>'
                   for s in ("politics", "business", "world", "opinion", "sports"))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(art.title)} | {esc(art.outlet)}</title>
<meta name="author" content="{esc(art.author)}">
<meta property="article:published_time" content="{art.published.isoformat()}">
<meta property="og:site_name" content="{esc(art.outlet)}">
<link rel="canonical" href="{esc(art.url)}">
</head><body>
<header><nav><ul>{menu}</ul></nav><div class="ad">Subscribe for $1 a week</div></header>
<main><article>
<h1>{esc(art.title)}</h1>
<p class="byline">By {esc(art.author)} &middot; <time datetime="{art.published.isoformat()}">
{art.published:%B %d, %Y}</time></p>
{body}
</article>
<aside><h2>Most read</h2><ul><li>Markets close higher</li><li>Weather warning issued</li></ul></aside>
<section id="comments"><h2>Comments</h2><p>Great article, thanks!</p><p>Disagree.</p></section>
</main>
<footer><p>&copy; {esc(art.outlet)}. All rights reserved.</p><a href="#top">Top of page</a></footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def _write_pdf(art: Article, path: Path) -> None:
    from fpdf import FPDF  # a test extra: only the bench and tests need it

    pdf = FPDF(format="A4")
    # The creation date doubles as the published date for PDF metadata readers.
    pdf.set_creation_date(datetime(*art.published.timetuple()[:3], tzinfo=UTC))
    pdf.set_title(art.title)
    pdf.set_author(art.author)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.multi_cell(0, 7, _latin1(art.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, _latin1(f"By {art.author}, {art.outlet}, {art.published:%B %d, %Y}"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=11)
    for paragraph in art.paragraphs:
        pdf.multi_cell(0, 5.5, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    pdf.output(str(path))


def _latin1(text: str) -> str:
    """The PDF core fonts cover Latin-1 only; curly quotes become straight ones."""
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return text.encode("latin-1", "replace").decode("latin-1")
