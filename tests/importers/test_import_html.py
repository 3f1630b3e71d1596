"""Saved web pages: boilerplate removed, metadata found, wrong charset claims survived."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.importers import read

WriteFile = Callable[[str, bytes], Path]

ARTICLE_PARAGRAPHS = [
    "Negotiators from Ottawa and Washington met for a third day on Tuesday to discuss the "
    "review of the continental trade agreement, with aluminium quotas high on the agenda.",
    "The Canadian trade minister said progress had been made on rules of origin for auto "
    "parts, but that dairy access remained the hardest question for both delegations.",
    "Officials expect a joint statement before the end of the month, although neither side "
    "would commit to a date when asked by reporters outside the meeting room on Tuesday.",
]


def _page(charset_meta: str = '<meta charset="utf-8">', extra_paragraph: str = "") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in [*ARTICLE_PARAGRAPHS, extra_paragraph] if p)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{charset_meta}
<title>Trade talks enter third day | Example Courier</title>
<meta name="author" content="Jordan Lee">
<meta property="og:site_name" content="Example Courier">
<link rel="canonical" href="https://courier.example/trade/third-day">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "Trade talks enter third day", "datePublished": "2025-04-08T09:00:00Z",
  "author": {{"@type": "Person", "name": "Jordan Lee"}}}}
</script>
<script>document.write("SCRIPT TEXT MUST NOT APPEAR")</script>
</head><body>
<div id="cookies">We use cookies. Accept all cookies</div>
<nav><ul><li><a href="/">Home</a></li>
<li><a href="/politics">Politics menu item</a></li></ul></nav>
<article><h1>Trade talks enter third day</h1>
{paragraphs}
<div class="share">Share on Facebook Share on X</div>
</article>
<section class="comments"><h2>Comments (3)</h2>
<div class="comment"><p>Commenter rant that must not be imported as article text.</p></div>
</section>
<footer><a href="#top">Top of page</a> Copyright Example Courier footer text</footer>
</body></html>"""


def test_article_text_without_boilerplate(write_file: WriteFile) -> None:
    extracted = read(write_file("page.html", _page().encode("utf-8")))
    assert extracted.format == "html"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in extracted.text
    # paragraph breaks survive as blank lines
    assert f"{ARTICLE_PARAGRAPHS[0]}\n\n{ARTICLE_PARAGRAPHS[1]}" in extracted.text
    for boilerplate in ("cookies", "Politics menu item", "Commenter rant", "Top of page",
                        "footer text", "SCRIPT TEXT", "Share on Facebook"):
        assert boilerplate not in extracted.text


def test_html_metadata(write_file: WriteFile) -> None:
    extracted = read(write_file("page.htm", _page().encode("utf-8")))
    assert extracted.title == "Trade talks enter third day"
    assert extracted.author == "Jordan Lee"
    assert extracted.published == date(2025, 4, 8)
    assert extracted.site_name == "Example Courier"
    assert extracted.url == "https://courier.example/trade/third-day"
    assert extracted.source == extracted.url


def test_page_declaring_utf8_but_written_in_cp1252(write_file: WriteFile) -> None:
    extra = "Le ministre a déclaré « c’est un bon début » — à Montréal, près du café."
    data = _page(extra_paragraph=extra).encode("cp1252")
    extracted = read(write_file("mislabelled.html", data))
    assert extra in extracted.text


def test_page_declaring_latin1_with_cp1252_quotes(write_file: WriteFile) -> None:
    extra = "He called it “a workmanlike meeting” – nothing more."
    data = _page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
                 extra).encode("cp1252")
    assert extra in read(write_file("latin1.html", data)).text


def test_short_page_falls_back_to_visible_text(write_file: WriteFile) -> None:
    page = (
        "<html><head><title>Note</title><style>p {color: red}</style></head><body>"
        "<nav>Menu</nav><main><p>Only line.</p><p>Second line.</p></main>"
        "<footer>Footer</footer></body></html>"
    )
    extracted = read(write_file("note.html", page.encode()))
    assert extracted.text == "Only line.\n\nSecond line."
    assert extracted.title == "Note"
    assert extracted.published is None  # no date on the page: none invented


def test_fallback_when_trafilatura_finds_nothing(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trafilatura's own baseline catches almost every page, so force the rare miss."""
    import annotator.importers.html as html_module

    monkeypatch.setattr(html_module, "_trafilatura", lambda *_, **__: None)
    page = (
        "<html><head><title>Saved note</title><script>var x = 'SCRIPT';</script></head><body>"
        "<header>Site header</header><nav>Menu</nav><main><h2>Heading</h2><p>First <b>bold</b>"
        " words.</p><ul><li>Item A</li><li>Item B</li></ul><aside>Aside</aside></main>"
        "<footer>Footer</footer></body></html>"
    )
    extracted = read(write_file("note.html", page.encode()))
    assert extracted.text == "Heading\n\nFirst bold words.\n\nItem A\n\nItem B"
    assert extracted.title == "Saved note"
    assert extracted.warnings == ("no article found; imported the page's visible text",)


def test_random_bytes_named_html(write_file: WriteFile) -> None:
    junk = bytes((i * 131 + 17) % 256 for i in range(4096)) + b"\x00" * 64
    with pytest.raises(ImportFailed, match="looks like a binary file, not text"):
        read(write_file("junk.html", junk))


def test_html_without_text(write_file: WriteFile) -> None:
    with pytest.raises(ImportFailed, match="^no text in the page$"):
        read(write_file("blank.html", b"<html><body><script>x()</script></body></html>"))


def test_files_folder_beside_the_page_is_not_read(write_file: WriteFile, tmp_path: Path) -> None:
    write_file("saved_files/tracker.html", b"<p>TRACKER TEXT</p>")
    frame = '<iframe src="saved_files/tracker.html"></iframe>'
    page = _page().replace("</article>", f"{frame}</article>")
    extracted = read(write_file("saved.html", page.encode()))
    assert "TRACKER TEXT" not in extracted.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Username", ""),
        ("By Joshua Sokol May", "Joshua Sokol"),
        ("Nathan Willis March", "Nathan Willis"),
        ("Aleš Vávra před", "Aleš Vávra"),
        ("Jeffrey Gettleman; JEFFREY GETTLEMAN", "Jeffrey Gettleman"),
        ("Rfcmarkup Version; Kooman; F; Jong; Michiel de", "Kooman; Jong; Michiel de"),
        ("https://www.theguardian.com/profile/someone; Eleanor Ainge Roy", "Eleanor Ainge Roy"),
        ("Par Sébastien Farcis 12 mars 2016", "Sébastien Farcis"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Ben Silverman Games Editor", "Ben Silverman"),
        ("Sarah Staff Writer", "Sarah Staff Writer"),  # two words left: never eat into a name
        ("Alex Perry", "Alex Perry"),
    ],
)
def test_author_junk_is_filtered(raw: str, expected: str) -> None:
    from annotator.importers.html_author import clean_author

    assert clean_author(raw) == expected


def _byline_page(head: str, byline: str) -> bytes:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Trade talks enter third day</title>{head}</head><body><article>
<h1>Trade talks enter third day</h1><div class="pb-byline">{byline}</div>
{paragraphs}</article>
<form class="comment-form"><label>Username</label><input name="user"></form>
</body></html>""".encode()


def test_json_ld_author_name_wins_over_meta_tags(write_file: WriteFile) -> None:
    head = """<meta name="author" content="Webdesk Admin Tool">
<script type="application/ld+json">
<![CDATA[ {"@type": "NewsArticle", "author": [{"@type": "Organization", "name": "Courier"},
{"@type": "Person", "name": "Aleš Vávra"}]} ]]></script>"""
    extracted = read(write_file("ld.html", _byline_page(head, "")))
    assert extracted.author == "Aleš Vávra"


def test_placeholder_author_falls_back_to_the_byline_element(write_file: WriteFile) -> None:
    head = '<meta name="author" content="Username">'
    extracted = read(write_file("wapo.html", _byline_page(head, "By <a href='/p/ec'>Erin "
                                                                "Cunningham</a>")))
    assert extracted.author == "Erin Cunningham"
