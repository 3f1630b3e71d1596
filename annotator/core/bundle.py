"""A whole batch of documents, codes and highlights to write in one transaction: what an
exchange-format importer (REFI-QDA) hands ``Library.import_bundle``. Plain values, no I/O.

Keys (``key``, ``parent_key``, ``tag_keys``) are the importer's own names for things (REFI
GUIDs); the writer maps them to the ids it creates or finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class BundleCategory:
    key: str  # the category key ("actor", "topic", "stance"…)
    label: str


@dataclass(frozen=True, slots=True)
class BundleTag:
    key: str
    category: str
    name: str
    colour: str | None = None  # "#rrggbb"; None: the next colour of the palette
    description: str = ""
    aliases: tuple[str, ...] = ()
    parent_key: str | None = None  # listed before this tag


@dataclass(frozen=True, slots=True)
class BundleHighlight:
    start: int  # code points into the document's text, end exclusive
    end: int
    tag_keys: tuple[str, ...] = ()
    note: str | None = None
    author: str = ""
    created: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class BundleVariable:
    name: str  # as the other tool named it; the writer makes it a usable variable name
    type: str  # "text", "number", "date" or "choice" (core.variables)
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class BundleDocument:
    key: str
    text: str  # stored exactly as given: highlight offsets count into it
    title: str
    format: str = "txt"
    author: str = ""
    published: date | None = None
    source: str = ""
    url: str = ""
    note: str | None = None
    highlights: tuple[BundleHighlight, ...] = ()
    original_name: str = ""  # with original_bytes: the file kept under sources/
    original_bytes: bytes = field(default=b"", repr=False)
    imported_at: datetime | None = None
    pages: tuple[tuple[int, int], ...] = ()  # (start, end) per page, for a paged source
    variables: tuple[tuple[str, str], ...] = ()  # (variable name as in the bundle, value)


@dataclass(frozen=True)
class Bundle:
    categories: tuple[BundleCategory, ...] = ()
    tags: tuple[BundleTag, ...] = ()  # parents before children
    documents: tuple[BundleDocument, ...] = ()
    merge_codes: bool = True  # reuse a same-named tag of the category instead of adding one
    variables: tuple[BundleVariable, ...] = ()


@dataclass
class BundleResult:
    """What was written. ``existing_documents`` maps a bundle document's key to the document
    already in the project with the same text; ``merged_tags`` the keys of tags matched by name
    to existing ones; ``tag_ids`` every tag key to the id now carrying it."""

    document_ids: list[int] = field(default_factory=list)
    existing_documents: dict[str, int] = field(default_factory=dict)
    highlight_ids: list[int] = field(default_factory=list)
    highlights_on_existing: list[int] = field(default_factory=list)
    created_tag_ids: list[int] = field(default_factory=list)
    merged_tags: dict[str, int] = field(default_factory=dict)
    renamed_tags: dict[str, str] = field(default_factory=dict)  # key -> name given instead
    tag_ids: dict[str, int] = field(default_factory=dict)
    created_categories: list[BundleCategory] = field(default_factory=list)
    codings: int = 0  # tag links written
    notes: int = 0  # notes written (on documents and highlights)
    highlights_already_present: int = 0
    highlights_not_placed: int = 0  # on a same-text document whose whitespace differs
    variables_created: list[str] = field(default_factory=list)
    renamed_variables: dict[str, str] = field(default_factory=dict)  # bundle name -> name given
    variable_values: int = 0  # values set on new documents
    variable_values_refused: list[str] = field(default_factory=list)  # why, one a value
    variable_values_left: int = 0  # on documents already present, kept as they were
