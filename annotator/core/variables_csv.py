"""Reading a CSV of document variables: one row per document (named by ``id`` or ``title``),
one column per variable. Everything is checked before anything is saved, so a file with one
bad cell changes nothing and the message names the file, the line and the column.

Columns naming a variable the project does not have create it, with the narrowest type
every value fits (number, date, else text). ``published``, ``author`` and ``source`` columns
set those built-in fields. Empty cells leave a value as it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import InvalidInput
from annotator.core.variables import (
    BUILTIN_TYPES,
    Variable,
    guess_type,
    normal_value,
)

ID_COLUMNS = ("id", "document_id", "doc_id")
TITLE_COLUMNS = ("title", "document_title")


@dataclass(frozen=True)
class VariablesPlan:
    """What an import will do: new variables to create and each document's new values."""

    new_variables: tuple[Variable, ...]
    values: dict[int, dict[str, str]]  # document id -> {variable name: stored value}
    rows: int


@dataclass(frozen=True)
class VariablesImported:
    documents: int
    values: int
    created: tuple[str, ...]

    def summary(self) -> str:
        made = f"; created {', '.join(self.created)}" if self.created else ""
        return (f"set {self.values} value{'s' if self.values != 1 else ''} on "
                f"{self.documents} document{'s' if self.documents != 1 else ''}{made}")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
    if not rows:
        raise InvalidInput(f"{path} is empty")
    return [h.strip() for h in rows[0]], rows[1:]


def plan_import(
    path: Path,
    variables: dict[str, Variable],
    ids: set[int],
    titles: dict[str, list[int]],
) -> VariablesPlan:
    """Check the file against the project: ``variables`` by folded name, the document
    ``ids`` and the ids per folded ``title``."""
    header, rows = read_rows(path)
    folded = [h.casefold() for h in header]
    key_col = next((folded.index(c) for c in ID_COLUMNS if c in folded), None)
    by_title = key_col is None
    if by_title:
        key_col = next((folded.index(c) for c in TITLE_COLUMNS if c in folded), None)
    if key_col is None:
        raise InvalidInput(f"{path}: the first line needs an 'id' or a 'title' column "
                           f"(found: {', '.join(header) or 'nothing'})")
    columns: list[tuple[int, str]] = []
    for i, name in enumerate(header):
        if i == key_col or folded[i] in ID_COLUMNS + TITLE_COLUMNS or not name:
            continue
        if folded[i] == "format":
            raise InvalidInput(f"{path}: column 'format' is set on import and cannot be changed")
        columns.append((i, name))
    if not columns:
        raise InvalidInput(f"{path}: no variable columns besides {header[key_col]!r}")
    new: list[Variable] = []
    chosen: dict[int, Variable] = {}
    for i, name in columns:
        known = variables.get(name.casefold())
        if known is None and name.casefold() in BUILTIN_TYPES:
            known = Variable(name.casefold(), BUILTIN_TYPES[name.casefold()], builtin=True)
        if known is None:
            known = Variable(name, guess_type(r[i] if i < len(r) else "" for r in rows))
            new.append(known)
        chosen[i] = known
    values: dict[int, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        cell = row[key_col].strip() if key_col < len(row) else ""
        doc_id = _document(path, line, cell, by_title, ids, titles)
        for i, variable in chosen.items():
            raw = row[i] if i < len(row) else ""
            if not raw.strip():
                continue
            try:
                value = normal_value(variable, raw)
            except InvalidInput as exc:
                raise InvalidInput(f"{path}, line {line}, column {header[i]!r}: {exc}") from None
            if value is not None:
                values.setdefault(doc_id, {})[variable.name] = value
    return VariablesPlan(tuple(new), values, len(rows))


def _document(path: Path, line: int, cell: str, by_title: bool, ids: set[int],
              titles: dict[str, list[int]]) -> int:
    where = f"{path}, line {line}"
    if not cell:
        raise InvalidInput(f"{where}: no document {'title' if by_title else 'id'}")
    if by_title:
        found = titles.get(" ".join(cell.split()).casefold(), [])
        if not found:
            raise InvalidInput(f"{where}: no document titled {cell!r}")
        if len(found) > 1:
            raise InvalidInput(f"{where}: {len(found)} documents are titled {cell!r} "
                               f"(ids {', '.join(map(str, found))}); use an 'id' column")
        return found[0]
    try:
        doc_id = int(cell)
    except ValueError:
        raise InvalidInput(f"{where}: {cell!r} is not a document id") from None
    if doc_id not in ids:
        raise InvalidInput(f"{where}: no document {doc_id}")
    return doc_id
