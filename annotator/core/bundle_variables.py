"""Document variables of an exchange bundle, written inside the bundle's transaction: each
bundle variable becomes one of ours (a same-named one is reused; a name our search cannot take
gets a usable one), and each new document gets its values. A value that does not fit its
variable's type is refused and said, never guessed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy.orm import Session

from annotator.core import variables as vc
from annotator.core.bundle import Bundle, BundleResult
from annotator.core.errors import InvalidInput, NotFound


def usable_name(name: str) -> str:
    """Letters, digits, - and _ only, starting with a letter: the form ``name:value`` takes."""
    cleaned = re.sub(r"[^\w-]+", "_", name.strip()).strip("_-")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"v_{cleaned}" if cleaned else "variable"
    return cleaned


def write_variables(s: Session, bundle: Bundle, document_ids: Mapping[str, int],
                    new_documents: set[int], result: BundleResult) -> None:
    """``document_ids``: every bundle document's key to its id (new or already present)."""
    ours: dict[str, vc.Variable] = {}
    for wanted in bundle.variables:
        ours[wanted.name] = _variable(s, wanted.name, wanted.type, wanted.choices, result)
    for doc in bundle.documents:
        doc_id = document_ids.get(doc.key)
        if doc_id is None:
            continue
        for name, value in doc.variables:
            variable = ours.get(name)
            if variable is None or not value.strip():
                continue
            if doc_id not in new_documents:
                result.variable_values_left += 1
                continue
            try:
                vc.set_values(s, [doc_id], variable, value)
            except InvalidInput as exc:
                result.variable_values_refused.append(f"{doc.title!r}, {variable.name}: {exc}")
                continue
            result.variable_values += 1


def _variable(s: Session, name: str, kind: str, choices: tuple[str, ...],
              result: BundleResult) -> vc.Variable:
    wanted = usable_name(name)
    try:
        existing = vc.find_variable(s, wanted)
        if not existing.builtin:
            return existing
    except NotFound:
        pass
    for candidate in (wanted, f"{wanted}_var", f"{wanted}_2"):
        try:
            made = vc.define_variable(s, candidate, kind, choices or ())
        except InvalidInput:
            continue
        result.variables_created.append(made.name)
        if made.name != name:
            result.renamed_variables[name] = made.name
        return made
    raise InvalidInput(f"no usable name for the variable {name!r}")
