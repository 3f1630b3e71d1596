"""What a name typed in the tag entry means: an existing tag (by name, alias, or a partial
name only one tag fits), a new tag in a category the user prefixed (``actor:Howard Lutnick``,
as in search), or a new tag whose category the user still has to choose. Qt-free, so the
rules are cheap to test."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.models import Category, Tag

# Search fields that are not tag categories: "title:Budget" typed in the entry is a tag name.
NOT_CATEGORIES = frozenset({"tag", "title", "author", "source", "note", "page", "format", "published", "in"})
_PREFIX = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:\s*(\S.*)$")
_NEW_CATEGORY = re.compile(r"^[a-z][a-z_-]*$")  # "stance:" makes a category; "Re:" or "COVID-19:" do not
MAX_CLOSE = 6


@dataclass(frozen=True)
class Meaning:
    """``tag``: apply this existing tag. Otherwise a new tag ``name``: in ``category`` when the
    user prefixed one, else the user chooses, ``close`` (similar existing tags) offered first."""

    name: str
    tag: Tag | None = None
    category: str | None = None
    close: tuple[Tag, ...] = field(default=())


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_prefix(text: str, categories: Sequence[Category]) -> tuple[str, str] | None:
    """``(category, name)`` for "category:name", or None. An existing category's name or
    label works in any case; an unknown lower-case word makes a new category."""
    match = _PREFIX.match(text)
    if match is None:
        return None
    prefix, name = match.group(1), " ".join(match.group(2).split())
    for category in categories:
        if fold(prefix) in (category.name.casefold(), fold(category.label), fold(category.label).rstrip("s")):
            return category.name, name
    if _NEW_CATEGORY.match(prefix) and prefix not in NOT_CATEGORIES:
        return prefix, name
    return None


def exact(name: str, tags: Sequence[Tag], category: str | None = None) -> Tag | None:
    """The tag named ``name`` (any case), else the one with that alias."""
    wanted = fold(name)
    pool = [t for t in tags if category is None or t.category == category]
    for tag in pool:
        if fold(tag.name) == wanted:
            return tag
    for tag in pool:
        if any(fold(alias) == wanted for alias in tag.aliases):
            return tag
    return None


def partial(name: str, tags: Sequence[Tag]) -> list[Tag]:
    """Tags whose name or an alias contains ``name`` (as the entry's completions do)."""
    wanted = fold(name)
    if not wanted:
        return []
    return [t for t in tags if any(wanted in fold(n) for n in (t.name, *t.aliases))]


def close_matches(name: str, tags: Sequence[Tag], also: Sequence[Tag] = ()) -> tuple[Tag, ...]:
    """Existing tags a typo or a variant of ``name`` probably meant, best first."""
    out = {t.id: t for t in also}
    by_name: dict[str, Tag] = {}
    for tag in tags:
        for n in (tag.name, *tag.aliases):
            by_name.setdefault(fold(n), tag)
    for n in difflib.get_close_matches(fold(name), list(by_name), n=MAX_CLOSE, cutoff=0.6):
        out.setdefault(by_name[n].id, by_name[n])
    return tuple(list(out.values())[:MAX_CLOSE])


def meaning(text: str, tags: Sequence[Tag], categories: Sequence[Category]) -> Meaning:
    name = " ".join(text.split())
    prefixed = split_prefix(name, categories)
    if prefixed is not None:
        category, bare = prefixed
        return Meaning(bare, tag=exact(bare, tags, category), category=category)
    found = exact(name, tags)
    if found is not None:
        return Meaning(name, tag=found)
    fits = {t.id: t for t in partial(name, tags)}
    if len(fits) == 1:
        return Meaning(name, tag=next(iter(fits.values())))
    return Meaning(name, close=close_matches(name, tags, also=list(fits.values())))


def split_names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[,;]", text) if n.strip()]
