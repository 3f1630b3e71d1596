"""Find mentions: every untagged occurrence of a tag's name and aliases across the project, in
context, with a tick box each; the ticked ones are tagged in one undoable step."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.core.models import Mention
from annotator.core.progress import Progress
from annotator.gui.commands import push
from annotator.gui.commands_codebook import TagMentions
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.tasks import Task, TaskRunner, shared_runner
from annotator.gui.widgets.context_delegate import (
    AFTER_ROLE,
    BEFORE_ROLE,
    COLOUR_ROLE,
    MATCH_ROLE,
    KeywordInContextDelegate,
    one_line,
)

DOCUMENT, CONTEXT = 0, 1


class FindMentionsDialog(QDialog):
    """Opens at once and looks for the mentions in the background (a large project takes a
    second or more), with progress; Close stops the search. ``searched()`` is emitted when
    the list is filled. Raises the Library's error if ``tag_id`` no longer exists (the caller
    shows it)."""

    searched = Signal()
    tagged = Signal(list)  # the highlights "Tag" made (the window selects one)

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        undo_stack: QUndoStack,
        tag_id: int,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.events, self.undo_stack, self.tag_id = library, events, undo_stack, tag_id
        self.tag = library.tag(tag_id)
        self.mentions: list[Mention] = []
        self.ready = False
        self.setWindowTitle(f"Find mentions — {self.tag.name}")
        self.resize(760, 460)
        self.names = ", ".join(f"“{n}”" for n in (self.tag.name, *self.tag.aliases))
        self.summary = QLabel(f"Looking for mentions of {self.names}…")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)

        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Document", "Context"])
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemDelegateForColumn(CONTEXT, KeywordInContextDelegate(self.view))
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(DOCUMENT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DOCUMENT, 200)

        self.select_all_button = QPushButton("Select &all")
        self.select_none_button = QPushButton("Select &none")
        self.select_all_button.clicked.connect(lambda: self.set_all_checked(True))
        self.select_none_button.clicked.connect(lambda: self.set_all_checked(False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.tag_button = self.buttons.addButton("Tag", QDialogButtonBox.ButtonRole.AcceptRole)
        self.tag_button.setDefault(True)
        self.buttons.addButton(self.select_all_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.select_none_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.tag_checked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)

        self.model.itemChanged.connect(self._update_button)
        self.view.doubleClicked.connect(self._toggle)
        self._update_button()

        self.runner = runner or shared_runner()
        library, tag_id = self.library, self.tag_id
        self.task = Task(lambda report, cancel: library.find_mentions(
            tag_id, progress=report, cancel=cancel), "find mentions")
        # Bound slots of this GUI-thread object, so results arrive queued on the GUI thread.
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._found)
        self.task.signals.failed.connect(self._failed)
        self.runner.launch(self.task)

    @Slot(object)
    def _progress(self, progress: Progress) -> None:
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)

    @Slot(object)
    def _found(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.model.blockSignals(True)
        for mention in mentions:
            self.model.appendRow(self._row(mention))
        self.model.blockSignals(False)
        self.view.reset()
        documents = len({m.document_id for m in mentions})
        if mentions:
            self.summary.setText(
                f"{len(mentions)} untagged mention{'s' if len(mentions) != 1 else ''} of "
                f"{self.names} in {documents} document{'s' if documents != 1 else ''}. "
                "Untick those that mean something else."
            )
        else:
            self.summary.setText(
                f"No untagged mentions of {self.names} in this project: every one found is "
                f"already tagged “{self.tag.name}”. Add aliases to the tag to look for other "
                "spellings."
            )
        self.bar.hide()
        self.ready = True
        self._update_button()
        self.searched.emit()

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self.bar.hide()
        self.summary.setText(f"Cannot look for mentions: {error}")
        self.ready = True
        self.searched.emit()

    def done(self, result: int) -> None:
        self.task.cancel()
        super().done(result)

    def _row(self, mention: Mention) -> list[QStandardItem]:
        document = QStandardItem(mention.document_title)
        document.setCheckable(True)
        document.setCheckState(Qt.CheckState.Checked)
        document.setToolTip(mention.document_title)
        document.setEditable(False)
        context = QStandardItem(
            f"…{one_line(mention.context_before)} [{mention.text}] {one_line(mention.context_after)}…"
        )
        context.setData(mention.context_before, BEFORE_ROLE)
        context.setData(mention.text, MATCH_ROLE)
        context.setData(mention.context_after, AFTER_ROLE)
        context.setData(self.tag.colour, COLOUR_ROLE)
        context.setEditable(False)
        context.setToolTip(one_line(f"{mention.context_before}{mention.text}{mention.context_after}"))
        return [document, context]

    def _toggle(self, index: QModelIndex) -> None:
        """A double-click anywhere on a row ticks or unticks it (Enter stays with the Tag button)."""
        item = self.model.item(index.row(), DOCUMENT)
        item.setCheckState(
            Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked else Qt.CheckState.Checked
        )

    def checked_mentions(self) -> list[Mention]:
        return [
            m for row, m in enumerate(self.mentions)
            if self.model.item(row, DOCUMENT).checkState() == Qt.CheckState.Checked
        ]

    def set_all_checked(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.model.blockSignals(True)
        for row in range(self.model.rowCount()):
            self.model.item(row, DOCUMENT).setCheckState(state)
        self.model.blockSignals(False)
        self.view.viewport().update()
        self._update_button()

    def _update_button(self) -> None:
        count = len(self.checked_mentions())
        self.tag_button.setText(f"Tag {count} mention{'s' if count != 1 else ''}")
        self.tag_button.setEnabled(count > 0)

    def tag_checked(self) -> None:
        chosen = self.checked_mentions()
        if not chosen:
            return
        command = TagMentions(self.library, self.events, self.tag_id, chosen)
        try:
            push(self.undo_stack, command)
        except AnnotatorError as exc:
            show_error(self, exc, "Tagging the mentions")
            return
        self.accept()
        self.tagged.emit(list(command.created))
