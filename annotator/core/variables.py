"""Document variables: a name and a type (text, number, date, one of a list) and one value per
document, as MAXQDA's document variables or NVivo's classifications.

``published``, ``author``, ``source`` and ``format`` are built-in variables: they are the
document's own columns, listed, filtered and split by like the others (``format`` cannot be
set). Values are stored as text in a normal form: numbers in their shortest decimal spelling
(``12``, ``3.5``), dates as ISO ``YYYY-MM-DD``, choices exactly as the list spells them.

Functions here take a SQLAlchemy ``Session`` inside the Library's read or write transaction;
the Library's thin facade methods (``library_variables``) open those.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core._db.schema import (
    CategoryRow,
    DocumentRow,
    DocumentVariableRow,
    VariableRow,
)
from annotator.core.errors import InvalidInput, NotFound

TEXT = "text"
NUMBER = "number"
DATE = "date"
CHOICE = "choice"
VARIABLE_TYPES = (TEXT, NUMBER, DATE, CHOICE)
# Spellings accepted for the types (the CLI and CSV headers take any of these).
_TYPE_NAMES = {"text": TEXT, "number": NUMBER, "numeric": NUMBER, "date": DATE,
               "choice": CHOICE, "list": CHOICE, "one-of-list": CHOICE}

# Built-in variables: the document's own columns, with their types.
BUILTIN_TYPES: dict[str, str] = {"published": DATE, "author": TEXT, "source": TEXT,
                                 "format": TEXT}
EDITABLE_BUILTINS = ("published", "author", "source")
# Search fields and words a variable may not be called: a query could not reach it.
RESERVED_NAMES = frozenset({"actor", "topic", "tag", "title", "note", "page", "in", "id",
                            "document_id"})
_NAME_RE = re.compile(r"^[A-Za-z][\w-]*$")


@dataclass(frozen=True, slots=True)
class Variable:
    """A document variable. ``choices`` lists a choice variable's allowed values in order;
    ``builtin`` marks published/author/source/format."""

    name: str
    type: str
    choices: tuple[str, ...] = ()
    builtin: bool = False


def variable_type(value: str) -> str:
    kind = _TYPE_NAMES.get(value.strip().casefold())
    if kind is None:
        raise InvalidInput(
            f"a variable's type is one of {', '.join(VARIABLE_TYPES)}, not {value!r}")
    return kind


# ----------------------------------------------------------------- values
def normal_value(variable: Variable, raw: Any) -> str | None:
    """``raw`` in the stored form for ``variable``'s type; None for an empty value (which
    clears it). Raises ``InvalidInput`` saying what the type wants."""
    if raw is None:
        return None
    if isinstance(raw, date):
        text = raw.isoformat()
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        text = repr(raw)
    else:
        text = " ".join(str(raw).split())
    if not text:
        return None
    if variable.type == NUMBER:
        return _number_text(variable.name, text)
    if variable.type == DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidInput(
                f"{variable.name} is a date: want YYYY-MM-DD, not {text!r}") from None
    if variable.type == CHOICE:
        for choice in variable.choices:
            if choice.casefold() == text.casefold():
                return choice
        allowed = ", ".join(repr(c) for c in variable.choices) or "(no values defined yet)"
        raise InvalidInput(f"{variable.name} is one of {allowed}, not {text!r}")
    return text


def _number_text(name: str, text: str) -> str:
    try:
        number = float(text.replace(",", "")) if re.fullmatch(r"[\d,]+(\.\d*)?", text) \
            else float(text)
    except ValueError:
        raise InvalidInput(f"{name} is a number, not {text!r}") from None
    if not math.isfinite(number):
        raise InvalidInput(f"{name} is a number, not {text!r}")
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def guess_type(values: Iterable[str]) -> str:
    """The narrowest type every non-empty value fits (for a CSV column naming a new
    variable): number, then date, else text."""
    present = [v.strip() for v in values if v and v.strip()]
    if not present:
        return TEXT
    for kind in (NUMBER, DATE):
        probe = Variable("probe", kind)
        try:
            for value in present:
                normal_value(probe, value)
        except InvalidInput:
            continue
        return kind
    return TEXT


# ----------------------------------------------------------------- definitions
def builtin_variables() -> list[Variable]:
    return [Variable(name, kind, builtin=True) for name, kind in BUILTIN_TYPES.items()]


def list_variables(s: Session) -> list[Variable]:
    """Built-ins first, then the user's variables in their order."""
    rows = s.scalars(select(VariableRow).order_by(VariableRow.position, VariableRow.name)).all()
    return [*builtin_variables(), *(_model(r) for r in rows)]


def _model(row: VariableRow) -> Variable:
    return Variable(row.name, row.type, tuple(json.loads(row.choices or "[]")))


def find_variable(s: Session, name: str) -> Variable:
    key = name.strip()
    if key.casefold() in BUILTIN_TYPES:
        return Variable(key.casefold(), BUILTIN_TYPES[key.casefold()], builtin=True)
    row = s.get(VariableRow, key) or s.scalar(
        select(VariableRow).where(func.lower(VariableRow.name) == key.casefold()))
    if row is None:
        raise NotFound(f"no variable {name!r} in this project (see `annotator vars`)")
    return _model(row)


def _check_name(s: Session, name: str, *, renaming: str | None = None) -> str:
    name = name.strip()
    if not _NAME_RE.match(name):
        raise InvalidInput(
            f"a variable's name starts with a letter and holds letters, digits, - and _ "
            f"only (it is searched as name:value), not {name!r}")
    folded = name.casefold()
    if folded in BUILTIN_TYPES or folded in RESERVED_NAMES:
        raise InvalidInput(f"{name!r} is already a built-in field; choose another name")
    if s.scalar(select(CategoryRow.name).where(func.lower(CategoryRow.name) == folded)):
        raise InvalidInput(
            f"{name!r} is already a tag category (searched as {name}:…); choose another name")
    clash = s.scalar(select(VariableRow.name).where(func.lower(VariableRow.name) == folded))
    if clash is not None and clash != renaming:
        raise InvalidInput(f"there is already a variable called {clash!r}")
    return name


def define_variable(s: Session, name: str, kind: str, choices: Iterable[str] = ()) -> Variable:
    """Create a variable (``kind`` one of VARIABLE_TYPES)."""
    name = _check_name(s, name)
    kind = variable_type(kind)
    allowed = _clean_choices(kind, choices)
    position = (s.scalar(select(func.max(VariableRow.position))) or 0) + 1
    s.add(VariableRow(name=name, type=kind, choices=json.dumps(allowed), position=position))
    s.flush()
    return Variable(name, kind, tuple(allowed))


def _clean_choices(kind: str, choices: Iterable[str]) -> list[str]:
    allowed = list(dict.fromkeys(" ".join(c.split()) for c in choices if c and c.strip()))
    if kind == CHOICE and not allowed:
        raise InvalidInput("a one-of-list variable needs at least one value to choose from")
    return allowed if kind == CHOICE else []


def change_variable(
    s: Session, name: str, *, new_name: str | None = None, kind: str | None = None,
    choices: Iterable[str] | None = None,
) -> Variable:
    """Rename, retype or re-list a variable. Existing values are converted to the new type;
    if any does not fit, nothing changes and the error names the first that does not."""
    old = find_variable(s, name)
    if old.builtin:
        raise InvalidInput(f"{old.name} is a built-in variable and cannot be changed")
    row = s.get(VariableRow, old.name)
    assert row is not None
    new_kind = variable_type(kind) if kind is not None else old.type
    new_choices = _clean_choices(new_kind, choices if choices is not None else old.choices)
    target = Variable(old.name, new_kind, tuple(new_choices))
    values = s.execute(select(DocumentVariableRow).where(DocumentVariableRow.name == old.name))
    for (value_row,) in values:
        try:
            converted = normal_value(target, value_row.value)
        except InvalidInput as exc:
            raise InvalidInput(f"document {value_row.document_id} holds a value that does not "
                               f"fit: {exc}") from None
        value_row.value = converted or value_row.value
    row.type, row.choices = new_kind, json.dumps(new_choices)
    if new_name is not None and new_name.strip() != old.name:
        row.name = _check_name(s, new_name, renaming=old.name)
    s.flush()
    return _model(row)


def delete_variable(s: Session, name: str) -> dict[int, str]:
    """Delete a variable with its values; returns the values (document id -> value) so undo
    can put them back."""
    variable = find_variable(s, name)
    if variable.builtin:
        raise InvalidInput(f"{variable.name} is a built-in variable and cannot be deleted")
    values = document_values(s, variable.name)
    s.execute(delete(DocumentVariableRow).where(DocumentVariableRow.name == variable.name))
    row = s.get(VariableRow, variable.name)
    s.delete(row)
    return values


# ----------------------------------------------------------------- per-document values
def document_values(s: Session, name: str) -> dict[int, str]:
    """Every document's value of the user variable ``name`` (documents without one absent)."""
    return dict(s.execute(
        select(DocumentVariableRow.document_id, DocumentVariableRow.value)
        .where(DocumentVariableRow.name == name)).all())


def values_of_documents(
    s: Session, document_ids: Iterable[int] | None = None
) -> dict[int, dict[str, str]]:
    """User variables per document: ``{document id: {name: value}}``, names in variable
    order; documents without any value are absent."""
    stmt = (select(DocumentVariableRow.document_id, DocumentVariableRow.name,
                   DocumentVariableRow.value)
            .join(VariableRow, VariableRow.name == DocumentVariableRow.name)
            .order_by(DocumentVariableRow.document_id, VariableRow.position, VariableRow.name))
    wanted = set(document_ids) if document_ids is not None else None
    out: dict[int, dict[str, str]] = {}
    for doc_id, name, value in s.execute(stmt):
        if wanted is None or doc_id in wanted:
            out.setdefault(doc_id, {})[name] = value
    return out


def distinct_values(s: Session, variable: Variable) -> list[str]:
    """The values in use, sorted in the type's order (a choice variable: its list's order,
    then any others)."""
    if variable.builtin:
        column = getattr(DocumentRow, variable.name)
        found = [v for (v,) in s.execute(select(column).distinct()) if v not in (None, "")]
        texts = [v.isoformat() if isinstance(v, date) else str(v) for v in found]
    else:
        texts = [v for (v,) in s.execute(
            select(DocumentVariableRow.value).distinct()
            .where(DocumentVariableRow.name == variable.name))]
    return sort_values(variable, texts)


def sort_values(variable: Variable, values: Iterable[str]) -> list[str]:
    values = list(values)
    if variable.type == CHOICE:
        rank = {c: i for i, c in enumerate(variable.choices)}
        return sorted(values, key=lambda v: (rank.get(v, len(rank)), v.casefold()))
    if variable.type == NUMBER:
        return sorted(values, key=lambda v: float(v) if _is_number(v) else math.inf)
    if variable.type == DATE:
        return sorted(values)
    return sorted(values, key=str.casefold)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def set_values(
    s: Session, document_ids: Iterable[int], variable: Variable, raw: Any
) -> dict[int, str | None]:
    """Give every document in ``document_ids`` this value of a user variable (None or ""
    clears it). Returns each document's previous value, for undo."""
    if variable.builtin:
        raise InvalidInput(f"{variable.name} is a built-in variable; edit it as document metadata")
    value = normal_value(variable, raw)
    ids = list(dict.fromkeys(document_ids))
    known = set(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids))))
    missing = [i for i in ids if i not in known]
    if missing:
        raise NotFound(f"no document {missing[0]}")
    before: dict[int, str | None] = {i: None for i in ids}
    before.update(s.execute(
        select(DocumentVariableRow.document_id, DocumentVariableRow.value)
        .where(DocumentVariableRow.name == variable.name,
               DocumentVariableRow.document_id.in_(ids))).all())
    s.execute(delete(DocumentVariableRow).where(
        DocumentVariableRow.name == variable.name, DocumentVariableRow.document_id.in_(ids)))
    if value is not None:
        s.add_all(DocumentVariableRow(document_id=i, name=variable.name, value=value)
                  for i in ids)
    s.flush()
    return before


def restore_values(s: Session, name: str, values: Mapping[int, str | None]) -> None:
    """Undo of ``set_values``/``delete_variable``: each document's stored value, as given
    (None: no value), without re-checking types."""
    ids = list(values)
    s.execute(delete(DocumentVariableRow).where(
        DocumentVariableRow.name == name, DocumentVariableRow.document_id.in_(ids)))
    s.add_all(DocumentVariableRow(document_id=i, name=name, value=v)
              for i, v in values.items() if v is not None)
    s.flush()


def documents_where(s: Session, variable: Variable, keep: Any) -> set[int]:
    """Ids of documents whose value of ``variable`` passes ``keep(value_text)``: the test
    runs once per distinct value, the documents are found in SQL."""
    if variable.builtin:
        column = getattr(DocumentRow, variable.name)
        values = [v for (v,) in s.execute(select(column).distinct()) if v not in (None, "")]
        chosen = [v for v in values if keep(v.isoformat() if isinstance(v, date) else str(v))]
        if not chosen:
            return set()
        return set(s.scalars(select(DocumentRow.id).where(column.in_(chosen))))
    texts = distinct_values(s, variable)
    chosen_texts = [v for v in texts if keep(v)]
    if not chosen_texts:
        return set()
    return set(s.scalars(select(DocumentVariableRow.document_id).where(
        DocumentVariableRow.name == variable.name, DocumentVariableRow.value.in_(chosen_texts))))
