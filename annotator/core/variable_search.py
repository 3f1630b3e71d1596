"""``name:value`` search for document variables: the compiler asks, per distinct value, whether
it matches, and the database answers which documents hold the matching values. Values are
not copied into the search index, so setting a variable on a thousand documents costs no
re-indexing and a query never sees a stale value."""

from __future__ import annotations

from collections.abc import Callable, Collection

from annotator.core.store import Store
from annotator.core.variables import Variable, documents_where, list_variables


class DatabaseVariable:
    """One user variable as ``_search.query_compiler.VariableField``."""

    def __init__(self, store: Store, variable: Variable) -> None:
        self.store = store
        self.variable = variable
        self.type = variable.type

    def documents_where(self, keep: Callable[[str], bool]) -> Collection[int]:
        with self.store.read() as s:
            return documents_where(s, self.variable, keep)


def variable_fields(store: Store) -> dict[str, DatabaseVariable]:
    """The user's variables by name (built-ins are search fields of their own)."""
    with store.read() as s:
        variables = list_variables(s)
    return {v.name: DatabaseVariable(store, v) for v in variables if not v.builtin}
