"""A web page's author, cleaned of what bylines and meta tags carry besides names.

Sources, best first: JSON-LD ``author.name`` (structured and meant for machines), the author
trafilatura found (meta tags and byline heuristics), and the text of an element whose class
names a byline. What trafilatura returns often carries junk: a comment form's "Username", a
profile URL, "Rfcmarkup Version" (the generator), a date glued on ("Joshua Sokol May"), the
same name twice in two cases, a job title ("Games Editor"). Those are filtered here; a name is
never invented.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import lxml.html

from annotator.importers.metadata import clean_name

_PLACEHOLDERS = frozenset(
    {
        "username", "user", "admin", "administrator", "author", "authors", "anonymous",
        "unknown", "guest", "staff", "editor", "editors", "webmaster", "redaction",
        "rédaction", "redaktion", "null", "none", "n/a", "by", "posted by", "written by",
    }
)
_TOOL_WORDS = re.compile(
    r"\b(version|generator|rfcmarkup|wordpress|drupal|joomla|microsoft|adobe|html|xml|"
    r"powered)\b",
    re.IGNORECASE,
)
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre januar februar märz juni juli oktober
    dezember enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
    diciembre""".split()
)
# Lowercase words that belong inside names ("Michiel de Jong", "Ludwig van Beethoven").
_NAME_PARTICLES = frozenset(
    "de da das do dos du del della der den di la le van von ter ten bin ibn al y e".split()
)
# A job title after the name ("Ben Silverman Games Editor"): a role word, optionally preceded by
# words that say which desk; both lists are small on purpose, a name must never be eaten.
_ROLES = frozenset(
    "editor reporter correspondent writer columnist contributor producer critic analyst".split()
)
_DESKS = frozenset(
    """senior staff chief managing contributing deputy associate executive news games sports
    politics political business tech technology science health music film arts culture
    features travel food opinion foreign national metro economics""".split()
)
_BY_PREFIX = re.compile(r"^(by|par|von|por|di|door|av|af)\s+", re.IGNORECASE)
_URLISH = re.compile(r"://|^www\.|[/@]|\.(com|org|net|fr|de|uk)\b", re.IGNORECASE)
_MAX_BYLINE_CHARS = 120
# Some sites wrap their JSON-LD in a CDATA section (or a commented-out one) as if it were XHTML.
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def page_author(tree: lxml.html.HtmlElement | None, found: str | None) -> str:
    """The best author for the page: JSON-LD, else ``found`` (trafilatura's) cleaned, else a
    byline element's text cleaned; "" when none of them holds a plausible name."""
    if tree is not None:
        structured = clean_author("; ".join(_json_ld_authors(tree)))
        if structured:
            return structured
    cleaned = clean_author(found)
    if cleaned or tree is None:
        return cleaned
    return clean_author(_byline_text(tree))


def clean_author(raw: str | None) -> str:
    """Names from ``raw`` ("A; B" as trafilatura joins them), junk dropped, each name once."""
    if not raw:
        return ""
    names: list[str] = []
    seen: set[str] = set()
    for part in raw.split(";"):
        name = _clean_one(part)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return "; ".join(names)


def _clean_one(part: str) -> str:
    name = _BY_PREFIX.sub("", clean_name(part)).strip(" ,|·-–—")
    if not name or _URLISH.search(name) or _TOOL_WORDS.search(name):
        return ""
    words = name.split()
    # A date or a relative time glued after the name: "Nathan Willis March", "Aleš Vávra před".
    while len(words) > 1 and _trailing_junk(words[-1]):
        words.pop()
    if words[-1].casefold() in _ROLES:
        start = len(words) - 1
        while start > 0 and words[start - 1].casefold() in _DESKS:
            start -= 1
        if start >= 2:  # at least a first and a last name stay
            words = words[:start]
    name = " ".join(words)
    if name.casefold() in _PLACEHOLDERS or len(name.strip(".")) < 2:
        return ""
    return name


def _trailing_junk(word: str) -> bool:
    bare = word.strip(".,")
    return (bare.casefold() in _MONTHS or any(ch.isdigit() for ch in bare)
            or (bare.islower() and bare not in _NAME_PARTICLES))


def _json_ld_authors(tree: lxml.html.HtmlElement) -> Iterator[str]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text or ""), strict=False)
        except ValueError:
            continue  # hand-written JSON-LD is often broken; the other sources remain
        yield from _authors_in(data)


def _authors_in(data: object) -> Iterator[str]:
    if isinstance(data, list):
        for item in data:
            yield from _authors_in(item)
    elif isinstance(data, dict):
        if "author" in data:
            yield from _names(data["author"])
        elif "@graph" in data:
            yield from _authors_in(data["@graph"])


def _names(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)
    elif isinstance(value, dict) and value.get("@type") != "Organization":
        name = value.get("name")
        if isinstance(name, str):
            yield name


def _byline_text(tree: lxml.html.HtmlElement) -> str:
    for element in tree.xpath("//*[contains(translate(@class, 'BYLINE', 'byline'), 'byline')]"):
        text = " ".join(" ".join(element.itertext()).split())
        if 1 < len(text) <= _MAX_BYLINE_CHARS:
            return text
    return ""
