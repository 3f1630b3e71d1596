"""Document Variables (Tools menu): create, change and delete the project's variables (name,
type, the values a one-of-list variable allows) and import a CSV of values per document.
Values themselves are edited in the Library table's variable columns. Every change is one
undoable step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.library import Library
from annotator.core.variables import VARIABLE_TYPES, Variable
from annotator.gui.commands import push
from annotator.gui.commands_variables import (
    ChangeVariableCommand,
    DefineVariableCommand,
    DeleteVariableCommand,
    ImportVariablesCommand,
)
from annotator.gui.errors import reporting_errors
from annotator.gui.events import LibraryEvents

TYPE_LABELS = {"text": "Text", "number": "Number", "date": "Date (YYYY-MM-DD)",
               "choice": "One of a list"}


class VariableEditor(QDialog):
    """Name, type and (for a list) the allowed values, one per line or comma-separated."""

    def __init__(self, parent: QWidget | None, variable: Variable | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change Variable" if variable else "New Variable")
        self.name = QLineEdit(variable.name if variable else "")
        self.name.setPlaceholderText("e.g. outlet, country, stance")
        self.kind = QComboBox()
        for key in VARIABLE_TYPES:
            self.kind.addItem(TYPE_LABELS[key], key)
        if variable:
            self.kind.setCurrentIndex(self.kind.findData(variable.type))
        self.choices = QLineEdit(", ".join(variable.choices) if variable else "")
        self.choices.setPlaceholderText("CA, US, MX")
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Type", self.kind)
        form.addRow("Values to choose from", self.choices)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Search a variable as name:value, e.g. outlet:\"Globe and Mail\"."))
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.choices.setEnabled(self.kind.currentData() == "choice")

    def values(self) -> tuple[str, str, list[str]]:
        choices = [c.strip() for c in self.choices.text().replace("\n", ",").split(",")]
        return self.name.text().strip(), self.kind.currentData(), [c for c in choices if c]


class VariablesDialog(QDialog):
    def __init__(self, library: Library, events: LibraryEvents, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.events = events
        self.undo_stack = undo_stack
        self.setWindowTitle("Document Variables")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Name", "Type", "Values in use"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.change_selected())
        buttons = QHBoxLayout()
        for label, slot in (("Add…", self.add), ("Change…", self.change_selected),
                            ("Delete", self.delete_selected), ("Import CSV…", self.choose_import)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Built-in: published, author, source, format. Edit values in "
                                "the Library table's columns (select several documents to "
                                "set them all at once)."))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(560, 380)
        events.variables_changed.connect(self.reload)
        self.reload()

    def user_variables(self) -> list[Variable]:
        return [v for v in self.library.variables() if not v.builtin]

    def reload(self) -> None:
        variables = self.user_variables()
        self.table.setRowCount(len(variables))
        for row, v in enumerate(variables):
            kind = TYPE_LABELS[v.type] + (f": {', '.join(v.choices)}" if v.choices else "")
            values = self.library.variable_values(v.name)
            shown = ", ".join(values[:6]) + (" …" if len(values) > 6 else "")
            for column, text in enumerate((v.name, kind, shown)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def selected(self) -> Variable | None:
        rows = self.table.selectionModel().selectedRows()
        variables = self.user_variables()
        return variables[rows[0].row()] if rows and rows[0].row() < len(variables) else None

    def add(self) -> None:
        editor = VariableEditor(self)
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.define(*editor.values())

    def define(self, name: str, kind: str, choices: list[str]) -> None:
        with reporting_errors(self, "Adding a variable"):
            push(self.undo_stack, DefineVariableCommand(self.library, self.events, name, kind,
                                                        choices))

    def change_selected(self) -> None:
        variable = self.selected()
        if variable is None:
            return
        editor = VariableEditor(self, variable)
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.change(variable, *editor.values())

    def change(self, variable: Variable, name: str, kind: str, choices: list[str]) -> None:
        with reporting_errors(self, "Changing a variable"):
            push(self.undo_stack, ChangeVariableCommand(self.library, self.events, variable,
                                                        name, kind, choices))

    def delete_selected(self) -> None:
        variable = self.selected()
        if variable is None:
            return
        count = len(self.library.variable_values(variable.name))
        answer = QMessageBox.question(
            self, "Delete variable",
            f"Delete “{variable.name}” and its values ({count} distinct)?\n"
            "You can undo this with Ctrl+Z.")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(variable)

    def delete(self, variable: Variable) -> None:
        with reporting_errors(self, "Deleting a variable"):
            push(self.undo_stack, DeleteVariableCommand(self.library, self.events, variable))

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Variables", str(Path.home()),
                                              "CSV (*.csv *.tsv *.txt)")
        if path:
            self.import_csv(Path(path))

    def import_csv(self, path: Path) -> None:
        with reporting_errors(self, "Importing variables"):
            command = ImportVariablesCommand(self.library, self.events, path)
            push(self.undo_stack, command)
            QMessageBox.information(self, "Variables imported",
                                    f"{path.name}: {command.summary}. Undo (Ctrl+Z) takes the "
                                    "whole import back.")
