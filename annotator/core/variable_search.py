"""``name:value`` search for document variables: the compiler asks, per distinct value, whether
it matches, and the database answers which documents hold the matching values. Values are
not copied into the search index, so setting a variable on a thousand documents costs no
re-indexing and a query never sees a stale value."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from annotator.core.variables import Variable, documents_where

if TYPE_CHECKING:
    from annotator.core.library import Library


class DatabaseVariable:
    """One user variable as ``_search.query_compiler.VariableField``."""

    def __init__(self, library: Library, variable: Variable) -> None:
        self.library = library
        self.variable = variable
        self.type = variable.type

    def documents_where(self, keep: Callable[[str], bool]) -> Collection[int]:
        with self.library._read() as s:
            return documents_where(s, self.variable, keep)


def variable_fields(library: Library) -> dict[str, DatabaseVariable]:
    """The user's variables by name (built-ins are search fields of their own)."""
    return {v.name: DatabaseVariable(library, v) for v in library.variables() if not v.builtin}
