"""What our REFI-QDA export writes and our import reads back, in one place: namespaces, the
aliases line kept in a code's description, and the document details kept in a source's.

The schema allows no extension elements in a ``Code`` or a ``TextSource``, so what it has no
field for travels as plain lines of the ``Description``, which every tool shows and keeps.
"""

from __future__ import annotations

import re
from datetime import date

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Annotator"

ALIASES_PREFIX = "Aliases: "
ALIAS_SEPARATOR = "; "

# Document details in a TextSource description: "Author: …" lines, in this order.
DETAIL_LABELS = {
    "author": "Author",
    "published": "Published",
    "source": "Source",
    "url": "URL",
    "format": "Format",
    "original_name": "Original file",
}
_DETAIL_LINE = re.compile(rf"^({'|'.join(map(re.escape, DETAIL_LABELS.values()))}): (.*)$")
_FIELD_OF = {label: key for key, label in DETAIL_LABELS.items()}

# Characters XML 1.0 cannot carry at all (not even escaped).
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def description_with_aliases(description: str, aliases: tuple[str, ...]) -> str:
    if not aliases:
        return description
    line = ALIASES_PREFIX + ALIAS_SEPARATOR.join(aliases)
    return f"{description.rstrip()}\n\n{line}" if description.strip() else line


def split_aliases(description: str) -> tuple[str, tuple[str, ...]]:
    """``description_with_aliases`` undone: the description and the aliases of its last line."""
    head, _, last = description.rstrip().rpartition("\n")
    if not last.startswith(ALIASES_PREFIX):
        return description, ()
    aliases = tuple(a.strip() for a in last[len(ALIASES_PREFIX):].split(ALIAS_SEPARATOR.strip()))
    return head.rstrip(), tuple(a for a in aliases if a)


def details_description(details: dict[str, str]) -> str:
    return "\n".join(f"{DETAIL_LABELS[key]}: {value}" for key, value in details.items()
                     if key in DETAIL_LABELS and value and "\n" not in value)


def split_details(description: str) -> tuple[dict[str, str], str]:
    """Document details from ``details_description`` lines, and whatever else the description
    says (another tool's memo on the source)."""
    details: dict[str, str] = {}
    rest: list[str] = []
    for line in description.splitlines():
        match = _DETAIL_LINE.match(line.strip())
        if match and _FIELD_OF[match.group(1)] not in details:
            details[_FIELD_OF[match.group(1)]] = match.group(2).strip()
        else:
            rest.append(line)
    return details, "\n".join(rest).strip()


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
