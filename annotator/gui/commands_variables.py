"""Undo commands for document variables: defining, changing and deleting a variable, and
setting one variable's value on several documents at once (the Library table, the CLI's
``var set`` as a user action)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.variables import Variable
from annotator.gui.commands import LibraryCommand
from annotator.gui.events import LibraryEvents


class _VariableCommand(LibraryCommand):
    def __init__(self, text: str, library: Library, events: LibraryEvents) -> None:
        super().__init__(text, events)
        self.library = library

    def redo(self) -> None:
        super().redo()
        if self.error is None:
            self.events.variables_changed.emit()

    def undo(self) -> None:
        super().undo()
        self.events.variables_changed.emit()


class DefineVariableCommand(_VariableCommand):
    def __init__(self, library: Library, events: LibraryEvents, name: str, kind: str,
                 choices: Sequence[str] = ()) -> None:
        super().__init__(f"Add Variable “{name}”", library, events)
        self.name, self.kind, self.choices = name, kind, tuple(choices)

    def do(self) -> Changes:
        self.name = self.library.define_variable(self.name, self.kind, self.choices).name
        return Changes()

    def undo_action(self) -> Changes:
        self.library.delete_variable(self.name)
        return Changes()


class ChangeVariableCommand(_VariableCommand):
    """Rename, retype or re-list; undo puts back the old definition and every old value."""

    def __init__(self, library: Library, events: LibraryEvents, old: Variable, name: str,
                 kind: str, choices: Sequence[str]) -> None:
        super().__init__(f"Change Variable “{old.name}”", library, events)
        self.old, self.name, self.kind, self.choices = old, name, kind, tuple(choices)
        self.values: dict[int, str] = {}

    def do(self) -> Changes:
        self.values = {d: v[self.old.name] for d, v in
                       self.library.all_document_variables().items() if self.old.name in v}
        self.library.change_variable(self.old.name, new_name=self.name, type=self.kind,
                                     choices=self.choices)
        return Changes(documents=frozenset(self.values))

    def undo_action(self) -> Changes:
        self.library.delete_variable(self.name)
        self.library.restore_variable(self.old, self.values)
        return Changes(documents=frozenset(self.values))


class DeleteVariableCommand(_VariableCommand):
    def __init__(self, library: Library, events: LibraryEvents, variable: Variable) -> None:
        super().__init__(f"Delete Variable “{variable.name}”", library, events)
        self.variable = variable
        self.values: dict[int, str] = {}

    def do(self) -> Changes:
        self.values = self.library.delete_variable(self.variable.name)
        return Changes(documents=frozenset(self.values))

    def undo_action(self) -> Changes:
        self.library.restore_variable(self.variable, self.values)
        return Changes(documents=frozenset(self.values))


class SetVariableCommand(_VariableCommand):
    """One value for several documents; undo gives each its previous value back."""

    def __init__(self, library: Library, events: LibraryEvents, document_ids: Iterable[int],
                 name: str, value: Any) -> None:
        ids = list(dict.fromkeys(document_ids))
        what = "1 document" if len(ids) == 1 else f"{len(ids)} documents"
        super().__init__(f"Set {name} on {what}", library, events)
        self.ids, self.name, self.value = ids, name, value
        self.before: dict[int, str | None] = {}

    def do(self) -> Changes:
        self.before = self.library.set_documents_variable(self.ids, self.name, self.value)
        return Changes(documents=frozenset(self.ids))

    def undo_action(self) -> Changes:
        self.library.restore_document_variable(self.name, self.before)
        return Changes(documents=frozenset(self.ids))


class ImportVariablesCommand(_VariableCommand):
    """A CSV of values per document as one step. Undo removes the variables it created and
    puts back every value and every built-in field (date, author, source) it changed; redo
    reads the file again."""

    def __init__(self, library: Library, events: LibraryEvents, path: Path) -> None:
        super().__init__(f"Import Variables from {path.name}", library, events)
        self.path = path
        self.summary = ""
        self.before: dict[int, dict[str, str]] = {}
        self.known: list[Variable] = []
        self.fields: dict[int, tuple[Any, str, str]] = {}

    def do(self) -> Changes:
        self.before = self.library.all_document_variables()
        self.known = [v for v in self.library.variables() if not v.builtin]
        self.fields = {d.id: (d.published, d.author, d.source) for d in self.library.documents()}
        self.summary = self.library.import_variables_csv(self.path).summary()
        return Changes(documents=frozenset(self.library.all_document_variables()))

    def undo_action(self) -> Changes:
        known = {v.name for v in self.known}
        for variable in self.library.variables():
            if not variable.builtin and variable.name not in known:
                self.library.delete_variable(variable.name)
        now = self.library.all_document_variables()
        touched = set(now) | set(self.before)
        for name in known:
            self.library.restore_document_variable(
                name, {d: self.before.get(d, {}).get(name) for d in touched})
        changed = set(touched)
        for doc in self.library.documents():
            old = self.fields.get(doc.id)
            if old is not None and old != (doc.published, doc.author, doc.source):
                published, author, source = old
                self.library.update_document(doc.id, published=published, author=author,
                                             source=source)
                changed.add(doc.id)
        return Changes(documents=frozenset(changed))
