"""The filters every analysis view shares, and the SQL conditions they become.

A filter narrows the highlights counted: to a set of documents (by id, by variable values),
to documents published in a date range, and to what a search query finds. A query keeps the
highlights it finds (directly or through their note) and every highlight of the documents it
finds, so ``tariffs`` analyses the passages of the articles that talk about tariffs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from annotator.core.errors import InvalidInput
from annotator.core.variables import BUILTIN_TYPES


@dataclass(frozen=True)
class AnalysisFilter:
    """Empty fields do not filter. ``variables`` pairs a variable name with the values kept
    (None in the values keeps documents without a value); ``date_from``/``date_to`` bound
    the published date, inclusive, and leave out undated documents when either is set."""

    document_ids: tuple[int, ...] = ()
    variables: tuple[tuple[str, tuple[str | None, ...]], ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "document_ids", tuple(self.document_ids))
        object.__setattr__(self, "variables",
                           tuple((n, tuple(vs)) for n, vs in self.variables))
        object.__setattr__(self, "query", (self.query or "").strip())
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput(
                f"the date range ends ({self.date_to}) before it starts ({self.date_from})")

    @property
    def empty(self) -> bool:
        return not (self.document_ids or self.variables or self.date_from or self.date_to
                    or self.query)

    def describe(self) -> str:
        """The filter in a few words, for a chart's caption ("" when it keeps everything)."""
        parts = []
        if self.document_ids:
            n = len(self.document_ids)
            parts.append(f"{n} selected document{'s' if n != 1 else ''}")
        for name, values in self.variables:
            shown = ", ".join(v if v is not None else "(no value)" for v in values)
            parts.append(f"{name}: {shown}")
        if self.date_from or self.date_to:
            lo = self.date_from.isoformat() if self.date_from else "…"
            hi = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"published {lo} to {hi}")
        if self.query:
            parts.append(f"search “{self.query}”")
        return "; ".join(parts)


@dataclass(frozen=True)
class ResolvedFilter:
    """An ``AnalysisFilter`` with its query already run: the ids it found."""

    filter: AnalysisFilter = field(default_factory=AnalysisFilter)
    query_highlights: frozenset[int] = frozenset()
    query_documents: frozenset[int] = frozenset()
    warnings: tuple[str, ...] = ()
    # Only highlights these coders made (None: every coder's): the Library's coder filter and
    # blind coding (``core.coders``), set by the analysis service on every count.
    coders: tuple[str, ...] | None = None


# Conditions that keep everything or nothing, said the same way by SQLite and PostgreSQL.
EVERYTHING = "1 = 1"
NOTHING = "1 = 0"


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted(values))


def _in_list(expr: str, param: str) -> str:
    return f"{expr} IN (SELECT value FROM json_each(:{param}))"


def document_conditions(resolved: ResolvedFilter, doc: str) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on a document id expression ``doc`` (and named parameters)."""
    f = resolved.filter
    where: list[str] = []
    params: dict[str, Any] = {}
    if f.document_ids:
        where.append(_in_list(doc, "f_docs"))
        params["f_docs"] = _ids(f.document_ids)
    if f.date_from or f.date_to:
        bounds = []
        if f.date_from:
            bounds.append("published >= :f_from")
            params["f_from"] = f.date_from.isoformat()
        if f.date_to:
            bounds.append("published <= :f_to")
            params["f_to"] = f.date_to.isoformat()
        where.append(f"{doc} IN (SELECT id FROM documents WHERE {' AND '.join(bounds)})")
    for i, (name, values) in enumerate(f.variables):
        present = [v for v in values if v is not None]
        params[f"f_v{i}"] = json.dumps(present)
        if name in BUILTIN_TYPES:
            column = f'"{name}"'
            kept = f"SELECT id FROM documents WHERE {_in_list(column, f'f_v{i}')}"
            empty = f"SELECT id FROM documents WHERE {column} IS NULL OR CAST({column} AS TEXT) = ''"
        else:
            params[f"f_n{i}"] = name
            kept = (f"SELECT document_id FROM document_variables WHERE name = :f_n{i}"
                    f" AND {_in_list('value', f'f_v{i}')}")
            empty = ("SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM "
                     f"document_variables WHERE name = :f_n{i})")
        parts = [f"{doc} IN ({kept})"] if present else []
        if None in values:
            parts.append(f"{doc} IN ({empty})")
        where.append("(" + " OR ".join(parts) + ")" if parts else NOTHING)
    return where, params


def highlight_conditions(
    resolved: ResolvedFilter, highlight: str
) -> tuple[str, dict[str, Any]]:
    """One SQL condition on a ``highlights`` alias (``EVERYTHING`` when nothing filters)."""
    where, params = document_conditions(resolved, f"{highlight}.document_id")
    if resolved.filter.query:
        where.append(f"({_in_list(f'{highlight}.id', 'f_qh')} OR "
                     f"{_in_list(f'{highlight}.document_id', 'f_qd')})")
        params["f_qh"] = _ids(resolved.query_highlights)
        params["f_qd"] = _ids(resolved.query_documents)
    if resolved.coders is not None:
        where.append(_in_list(f"{highlight}.author", "f_coders"))
        params["f_coders"] = json.dumps(sorted(resolved.coders))
    return (" AND ".join(where) if where else EVERYTHING), params
