"""The Library pane: every document of the project, sortable, filterable, multi-select;
opening one shows it in the reader; deleting asks first, naming what goes with it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.library import Library
from annotator.core.models import Document
from annotator.core.variables import Variable
from annotator.gui import settings
from annotator.gui.commands import push
from annotator.gui.commands_reading import DeleteDocumentsCommand
from annotator.gui.commands_variables import SetVariableCommand
from annotator.gui.errors import reporting_errors
from annotator.gui.events import LibraryEvents
from annotator.gui.icons import icon
from annotator.gui.models.document_table import (
    AUTHOR,
    COLUMNS,
    FORMAT,
    HIGHLIGHTS,
    ID_ROLE,
    NAME_ROLE,
    PUBLISHED,
    TITLE,
    VARIABLE_ROLE,
    DocumentFilterProxy,
    DocumentTableModel,
)
from annotator.gui.tasks import Task, TaskRunner
from annotator.gui.widgets.fitted_column import FittedColumn

HEADER_KEY = "library"
# A project with more documents than this opens with only the rows the pane shows first,
# read in the pane's order; the whole list follows off the GUI thread once the window is up
# (reading 20,000 documents took longer than everything else the first paint needs).
FIRST_ROWS = 150
LIST_HIDDEN_AFTER_MS = 500
_ORDER_OF_COLUMN = {column: name.casefold() for column, name in enumerate(COLUMNS)} | {FORMAT: "format"}


class VariableDelegate(QStyledItemDelegate):
    """A one-of-list variable is edited with a drop-down of its values (and an empty entry
    to clear it); other types with a line edit, checked by the core when committed."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        variable = index.data(VARIABLE_ROLE)
        if variable is not None and variable.choices:
            box = QComboBox(parent)
            box.addItems(["", *variable.choices])
            return box
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: ANN001
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def confirm_delete(parent: QWidget | None, documents: int, highlights: int, title: str) -> bool:
    """Ask before deleting. Tests replace this function."""
    what = f"“{title}”" if documents == 1 else f"{documents} documents"
    lost = (
        f"{highlights} highlight{'s' if highlights != 1 else ''} and their notes will be deleted with "
        f"{'it' if documents == 1 else 'them'}."
        if highlights
        else "No highlights will be lost."
    )
    answer = QMessageBox.question(
        parent,
        "Delete documents" if documents > 1 else "Delete document",
        f"Delete {what}?\n\n{lost}\nYou can undo this with Ctrl+Z while the project stays open.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class LibraryPane(QWidget):
    """``document_activated(int)``: the user picked a document to read.
    ``info_requested(int)``: "Document Info…" from the context menu."""

    document_activated = Signal(int)
    info_requested = Signal(int)
    listed = Signal()  # the whole list replaced the first rows of a large project

    def __init__(self, library: Library, events: LibraryEvents, undo_stack: QUndoStack,
                 parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.events = events
        self.undo_stack = undo_stack
        self.runner = runner or TaskRunner(self)
        self._listing = 0  # serial of the latest read of the whole list (see _start_listing)
        self.loading = False  # True while the pane shows only the first rows of a large project
        self._listing_started = False
        self.model = DocumentTableModel(self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.heading = QLabel()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter documents")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_filter_text)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PUBLISHED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Only variable columns are editable (the model's flags say so).
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setItemDelegate(VariableDelegate(self.table))
        self.model.variable_edited.connect(self._variable_edited)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self._build_header()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.delete_action = QAction(icon("delete"), "Delete Documents…", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        events.changed.connect(self._on_changed)
        events.variables_changed.connect(self.reload)
        total = library.counts()["documents"]
        if total > FIRST_ROWS and self._show_first_rows(total):
            # The whole list is read once the table has painted its first rows, so the read
            # does not slow the window's first paint; a hidden pane starts it a moment later.
            self.table.viewport().installEventFilter(self)
            QTimer.singleShot(LIST_HIDDEN_AFTER_MS, self._start_listing)
        else:
            self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.table.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._start_listing)
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- content
    def reload(self) -> None:
        self._listing += 1  # a whole-list read still running is older than this one
        variables = [v for v in self.library.variables() if not v.builtin]
        values = self.library.all_document_variables() if variables else {}
        self._fill(self.library.documents(), variables, values)

    def _show_first_rows(self, total: int) -> bool:
        """Show the rows the sorted table starts with (the user's variables come with the
        whole list); False when the table is sorted by a variable, which SQL does not order."""
        sort = self.model.sorted_by
        order = _ORDER_OF_COLUMN.get(sort[0]) if sort is not None else "published"
        if order is None:
            return False
        descending = sort is not None and sort[1] == Qt.SortOrder.DescendingOrder
        self.model.set_documents(self.library.first_documents(order, descending=descending, limit=FIRST_ROWS))
        self._set_heading(total)
        self.loading = True
        return True

    def _start_listing(self) -> None:
        """Read the whole list off the GUI thread; it replaces the first rows unless a reload
        (after an edit) came first."""
        if not self.loading or self._listing_started:
            return
        self._listing_started = True
        self._listing += 1
        serial, library = self._listing, self.library

        def job(_report: object, _cancel: object) -> tuple:
            variables = [v for v in library.variables() if not v.builtin]
            return library.documents(), variables, library.all_document_variables() if variables else {}

        task = Task(job, "list documents")
        task.signals.finished.connect(lambda result: self._listed(serial, result))
        task.signals.failed.connect(lambda _exc: self._listed(serial, None))
        self.runner.launch(task)

    def _listed(self, serial: int, result: tuple | None) -> None:
        if serial != self._listing:
            return
        if result is None:  # the read failed: try once more here, where a failure is shown
            if self.isVisible():
                with reporting_errors(self, "Listing the documents"):
                    self.reload()
            return
        self._fill(*result)

    def _fill(self, documents: list[Document], variables: list[Variable],
              values: dict[int, dict[str, str]]) -> None:
        current = self.current_document_id()
        selected = set(self.selected_document_ids())
        was_loading, self.loading = self.loading, False
        self.model.set_documents(documents, variables, values)
        self._set_heading(len(self.model.documents))
        selection = self.table.selectionModel()
        blocker = selection.blockSignals(True)
        if current is not None and (index := self._proxy_index(current)).isValid():
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        for doc_id in selected:
            if (index := self._proxy_index(doc_id)).isValid():
                selection.select(index, QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
        selection.blockSignals(blocker)
        if was_loading:
            self.listed.emit()

    def _set_heading(self, count: int) -> None:
        self.heading.setText(f"<b>Library</b> · {count} document{'s' if count != 1 else ''}")

    def _proxy_index(self, document_id: int) -> QModelIndex:
        """The table index of a document's first cell; invalid when absent or filtered out."""
        row = self.model.row_of(document_id)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

    def _on_changed(self, changes: Changes) -> None:
        if changes.documents_added_or_removed or (changes.documents and not changes.highlights):
            self.reload()  # documents came, went or were edited
        elif changes.highlights and not changes.same_highlight_counts:
            # Highlights coming or going change only the counts of the documents they name.
            known = changes.counts()
            counts = known if known is not None and changes.documents <= known.keys() else \
                self.library.highlight_counts(changes.documents)
            self.model.set_highlight_counts(counts)

    def select_document(self, document_id: int) -> None:
        """Make a document current (and so shown in the reader)."""
        index = self._proxy_index(document_id)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    def current_document_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def selected_document_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(ID_ROLE) for index in sorted(rows, key=lambda i: i.row())]

    def first_document_id(self) -> int | None:
        return self.proxy.index(0, 0).data(ID_ROLE) if self.proxy.rowCount() else None

    def _current_changed(self, current, _previous) -> None:  # noqa: ANN001 - Qt slot
        if current.isValid():
            self.document_activated.emit(current.data(ID_ROLE))

    # ----------------------------------------------------------------- variables
    def _variable_edited(self, document_id: int, name: str, value: str) -> None:
        """An edited cell of a selected row sets the value on every selected document."""
        selected = self.selected_document_ids()
        ids = selected if document_id in selected else [document_id]
        # After the editor closes: the model is reset by the reload the command causes.
        QTimer.singleShot(0, lambda: self.set_variable(ids, name, value))

    def set_variable(self, document_ids: Sequence[int], name: str, value: str) -> None:
        with reporting_errors(self, f"Setting {name}"):
            push(self.undo_stack, SetVariableCommand(self.library, self.events, document_ids,
                                                     name, value))

    def ask_variable(self, name: str) -> None:
        """Context menu: one value for every selected document."""
        ids = self.selected_document_ids() or [i for i in [self.current_document_id()] if i]
        if not ids:
            return
        variable = self.library.variable(name)
        label = f"{name} for {len(ids)} document{'s' if len(ids) != 1 else ''} (empty clears it):"
        if variable.choices:
            value, ok = QInputDialog.getItem(self, "Set Variable", label,
                                             ["", *variable.choices], 0, False)
        else:
            value, ok = QInputDialog.getText(self, "Set Variable", label)
        if ok:
            self.set_variable(ids, name, value)

    # ----------------------------------------------------------------- actions
    def delete_selected(self) -> None:
        ids = self.selected_document_ids() or [i for i in [self.current_document_id()] if i]
        self.delete_documents(ids)

    def delete_documents(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        docs = [d for d in self.model.documents if d.id in set(ids)]
        highlights = sum(d.highlight_count for d in docs)
        if not confirm_delete(self, len(docs), highlights, docs[0].title if docs else ""):
            return
        with reporting_errors(self, "Deleting documents"):
            push(self.undo_stack, DeleteDocumentsCommand(self.library, self.events, [d.id for d in docs]))

    def _context_menu(self, point) -> None:  # noqa: ANN001 - Qt slot
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        doc_id = index.data(ID_ROLE)
        menu = QMenu(self)
        menu.addAction("Open").triggered.connect(lambda: self.select_document(doc_id))
        menu.addAction(icon("info"), "Document Info…").triggered.connect(lambda: self.info_requested.emit(doc_id))
        if self.model.variables:
            variables = menu.addMenu(icon("variables"), "Set Variable")
            for variable in self.model.variables:
                variables.addAction(f"{variable.name}…").triggered.connect(
                    lambda _c=False, n=variable.name: self.ask_variable(n))
        menu.addSeparator()
        count = len(self.selected_document_ids())
        self.delete_action.setText("Delete Document…" if count <= 1 else f"Delete {count} Documents…")
        menu.addAction(self.delete_action)
        menu.exec(self.table.viewport().mapToGlobal(point))

    # ----------------------------------------------------------------- header
    def _build_header(self) -> None:
        """The title is what tells documents apart, so it takes all the width the others
        leave. The author (long: "Northern Policy Review staff") starts hidden — it is in
        every row's tooltip — and the header's menu shows it. Widths, order, hidden columns
        and the sort are kept across sessions."""
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(32)
        header.setStretchLastSection(False)
        for column in (AUTHOR, PUBLISHED, FORMAT, HIGHLIGHTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        for column, sample in ((AUTHOR, "Northern Policy"), (PUBLISHED, "2025-10-06"), (FORMAT, "HTML")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        header.resizeSection(HIGHLIGHTS, max(metrics.horizontalAdvance("9999"), 16) + 20)
        # Titles fill the width the other columns leave, and can be dragged wider than the
        # pane to read a long one whole (each row's tooltip shows it too).
        self.title_column = FittedColumn(self.table, TITLE)
        self.table.setColumnHidden(AUTHOR, True)
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        saved = settings.header_state(HEADER_KEY)
        self.title_column.fit()
        if saved is not None:
            header.restoreState(saved)
            header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Interactive)
            self.title_column.chosen = False  # a restored width fits the pane again
            self.title_column.fit()
        # Saved a moment after the last change: a drag resizes a column many times a second.
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(400)
        self._header_timer.timeout.connect(self.save_header)
        for signal in (header.sectionResized, header.sectionMoved, header.sortIndicatorChanged):
            signal.connect(lambda *_args: self._header_timer.start())

    def save_header(self) -> None:
        self._header_timer.stop()
        settings.set_header_state(HEADER_KEY, self.table.horizontalHeader().saveState())

    def _header_menu(self, point) -> None:  # noqa: ANN001 - Qt slot
        menu = self.header_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(point))

    def header_menu(self) -> QMenu:
        """Show or hide each column but the title."""
        menu = QMenu(self)
        extra = range(HIGHLIGHTS + 1, self.model.columnCount())
        for column in (AUTHOR, PUBLISHED, FORMAT, HIGHLIGHTS, *extra):
            name = self.model.headerData(column, Qt.Orientation.Horizontal, NAME_ROLE)
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self._show_column(c, on))
        return menu

    def _show_column(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        if shown and self.table.columnWidth(column) < 32:
            self.table.setColumnWidth(column, 84)
        self.save_header()
