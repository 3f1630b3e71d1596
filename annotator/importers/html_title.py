"""A web page's title without what sites append to it: "… | Eleanor Ainge Roy" (the byline),
"… - The Guardian" (the site). The site's name is kept as the document's site name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# " | ", " - ", " – ", " — ", " :: ", " · ", " • " between the headline and what follows it.
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
_MIN_HEADLINE = 12
_MAX_SUFFIX = 60


def split_title(title: str, *, site_name: str = "", author: str = "", url: str = "") -> tuple[str, str]:
    """(headline, site name): the headline with up to two trailing segments cut that name the
    site (``site_name`` or the URL's host) or the author; the site name as the title spells it
    when ``site_name`` is empty or only a host name, else ``site_name``."""
    headline, site = title.strip(), site_name.strip()
    for _ in range(2):
        parts = _SEPARATOR.split(headline)
        if len(parts) < 2:
            break
        match = list(_SEPARATOR.finditer(headline))[-1]
        rest, suffix = headline[: match.start()].strip(), headline[match.end():].strip()
        if len(rest) < _MIN_HEADLINE or len(suffix) > _MAX_SUFFIX:
            break
        if _names_site(suffix, site, url):
            # A name as the site writes it beats the bare host name extractors fall back to.
            site = suffix if not site or _is_host_name(site) else site
        elif not _names_author(suffix, author):
            break
        headline = rest
    return headline, site


def _is_host_name(name: str) -> bool:
    return " " not in name and "." in name


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _names_site(suffix: str, site_name: str, url: str) -> bool:
    key = _letters(suffix)
    if not key:
        return False
    if site_name and (key == _letters(site_name) or key in _letters(site_name)
                      or _letters(site_name) in key):
        return True
    host = urlsplit(url).hostname or "" if url else ""
    host_key = _letters(re.sub(r"^(www|m|amp)\.", "", host).rsplit(".", 1)[0])
    return bool(host_key) and len(key) >= 3 and (key in host_key or host_key in key)


def _names_author(suffix: str, author: str) -> bool:
    if not author:
        return False
    key = _letters(suffix)
    return bool(key) and any(key == _letters(name) for name in author.split(";"))
