"""The Disagreements tab: the passages the chosen coders differ on, listed per document or per
tag, each shown side by side (``passage_sides``), and settled into the consensus coder: accept
a coder's side, merge the sides, or edit the consensus by hand in the reader. Every settling is
one step on the main window's undo stack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.adjudication import Adjudicated, Review
from annotator.core.disagreements import BOUNDARIES, MISSING, TAGS, Passage
from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.core.models import Highlight
from annotator.gui.commands import push
from annotator.gui.commands_adjudication import AdjudicateCommand
from annotator.gui.compare.coder_picker import Comparison
from annotator.gui.compare.latest_job import LatestJob
from annotator.gui.compare.passage_sides import CONSENSUS_COLOUR, PassageSides, coder_colour
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.tasks import TaskRunner
from annotator.gui.widgets.reader_text import display_text

KINDS = (("Every difference", None), ("Only some coders tagged it", MISSING),
         ("Different tags", TAGS), ("Different boundaries", BOUNDARIES))
PASSAGE, DIFFERENCE, DISPUTED, CONSENSUS = range(4)
SETTLED, UNSETTLED = "#15803d", "#b45309"
Key = tuple[int, int, int]  # document, start, end
Mark = tuple[int, int, str]  # core span and the colour it is underlined in


@dataclass(frozen=True)
class Found:
    review: Review
    titles: dict[int, str]
    formats: dict[int, str]


def key_of(passage: Passage) -> Key:
    return (passage.document_id, passage.start, passage.end)


def excerpt(passage: Passage, width: int = 90) -> str:
    longest = max((h for side in passage.sides for h in side), key=lambda h: h.end - h.start)
    text = " ".join(longest.text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class DisagreementView(QWidget):
    """``ready()`` once a list (or the reason there is none) is shown; ``open_passage(int,
    int, object)``: show document, select highlight (0: none), underline the marks."""

    ready = Signal()
    open_passage = Signal(int, int, object)

    def __init__(self, library: Library, events: LibraryEvents, undo_stack: QUndoStack,
                 runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.events = events
        self.undo_stack = undo_stack
        self.job = LatestJob(runner, "disagreements", self)
        self.comparison: Comparison | None = None
        self.found: Found | None = None
        self._texts: dict[int, str] = {}
        self._advance_from: Key | None = None
        self._keep: Key | None = None
        self._build()

    # ----------------------------------------------------------------- layout
    def _build(self) -> None:
        self.summary = QLabel()
        self.summary.setObjectName("disagreementSummary")
        self.summary.setWordWrap(True)
        self.group_by = QComboBox()
        self.group_by.addItems(["Document", "Tag"])
        self.kind = QComboBox()
        for label, kind in KINDS:
            self.kind.addItem(label, kind)
        self.tag = QComboBox()
        self.tag.setObjectName("disputedTag")
        self.tag.setMinimumContentsLength(18)
        self.tag.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.show_settled = QCheckBox("Show settled")
        self.show_settled.setChecked(True)
        self.show_settled.setToolTip("List passages the consensus already holds coding over")
        self.advance = QCheckBox("Next after settling")
        self.advance.setChecked(True)
        self.advance.setToolTip("After accepting or merging, go on to the next unsettled passage")
        self.copy_agreed = QPushButton("Copy Agreed Passages")
        self.copy_agreed.setObjectName("copyAgreed")
        self.copy_agreed.setToolTip("Copy every passage the coders coded alike into the consensus "
                                    "(where it holds nothing yet), in one undoable step")
        self.copy_agreed.clicked.connect(self.copy_agreed_passages)
        controls = QHBoxLayout()
        for label, widget in (("Group by", self.group_by), ("Show", self.kind), ("Tag", self.tag)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.show_settled)
        controls.addWidget(self.advance)
        controls.addStretch(1)
        controls.addWidget(self.copy_agreed)
        for combo in (self.group_by, self.kind, self.tag):
            combo.currentIndexChanged.connect(lambda _i: self._fill())
        self.show_settled.toggled.connect(lambda _on: self._fill())

        self.tree = QTreeWidget()
        self.tree.setObjectName("disagreementTree")
        self.tree.setHeaderLabels(["Passage", "Difference", "Disputed tags", "Consensus"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(PASSAGE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in ((DIFFERENCE, 230), (DISPUTED, 200), (CONSENSUS, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        self.tree.currentItemChanged.connect(lambda _now, _before: self._show_current())
        self.tree.itemDoubleClicked.connect(lambda _item, _column: self.open_in_reader())

        self.sides = PassageSides()
        self.sides.accept.connect(self.accept_side)
        self.merge_button = QPushButton("Merge Sides")
        self.merge_button.setObjectName("mergeSides")
        self.merge_button.setToolTip("The consensus gets, tag by tag, everything any coder marked "
                                     "here (the union of their spans)")
        self.merge_button.clicked.connect(self.merge)
        self.edit_button = QPushButton("Edit in Reader…")
        self.edit_button.setObjectName("editConsensus")
        self.edit_button.setToolTip("Open the consensus coding of this passage in the reader to "
                                    "adjust its span and tags by hand (starting from the merge "
                                    "when the consensus holds nothing here yet)")
        self.edit_button.clicked.connect(self.edit_in_reader)
        self.open_button = QPushButton("Open in Reader")
        self.open_button.setObjectName("openPassage")
        self.open_button.setToolTip("Show the passage in the reader with every coder's highlights "
                                    "underlined in their colour (double-click does the same)")
        self.open_button.clicked.connect(self.open_in_reader)
        self.settle_note = QLabel()
        self.settle_note.setStyleSheet("color: palette(mid);")
        actions = QHBoxLayout()
        actions.addWidget(self.settle_note, 1)
        for button in (self.open_button, self.edit_button, self.merge_button):
            actions.addWidget(button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.sides, 1)
        lower_layout.addLayout(actions)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([250, 420])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        self._enable_actions(None)
        self._add_shortcuts()

    def _add_shortcuts(self) -> None:
        """Keys for working through a long list without the mouse: Ctrl+1…9 accept that
        coder's side, Ctrl+M merges, Ctrl+E edits in the reader, Return opens the passage."""
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for n in range(1, 10):
            key = QShortcut(QKeySequence(f"Ctrl+{n}"), self, context=context)
            key.activated.connect(lambda n=n: self._accept_nth(n - 1))
        for sequence, slot, button in (("Ctrl+M", self.merge, self.merge_button),
                                       ("Ctrl+E", self.edit_in_reader, self.edit_button)):
            QShortcut(QKeySequence(sequence), self, context=context).activated.connect(
                lambda slot=slot, button=button: slot() if button.isEnabled() else None)
            button.setToolTip(f"{button.toolTip()} ({sequence})")
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.tree,
                  context=Qt.ShortcutContext.WidgetShortcut).activated.connect(self.open_in_reader)

    def _accept_nth(self, n: int) -> None:
        coders = self.found.review.coders if self.found else ()
        if n < len(coders) and self.can_settle()[0] and self.current_passage() is not None:
            self.accept_side(coders[n])

    # ----------------------------------------------------------------- computing
    def compute(self, comparison: Comparison | None, reason: str = "") -> None:
        self.comparison = comparison
        if comparison is None:
            self.found = None
            self._fill()
            self.summary.setText(reason)
            self.ready.emit()
            return
        current = self.current_passage()
        self._keep = key_of(current) if current is not None else self._keep
        self.summary.setText(f"Finding the passages {comparison.describe()} differ on…")
        library = self.library

        def job() -> Found:
            review = library.review_disagreements(list(comparison.units), tags=comparison.tags,
                                                  groups=dict(comparison.groups) or None)
            documents = library.documents()
            return Found(review, {d.id: d.title for d in documents}, {d.id: d.format for d in documents})

        self.job.run(job, self._arrived, self._failed)

    def _arrived(self, found: Found) -> None:
        self.found = found
        self._texts.clear()  # a document's text may have been edited meanwhile
        self._reload_tags()
        self._fill()
        self.ready.emit()

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(f"Could not list the disagreements: {exc}")
        self.ready.emit()

    def _reload_tags(self) -> None:
        chosen = self.tag.currentData()
        blocked = self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags", None)
        labels = sorted({lab for p in self.passages() for lab in p.disputed})
        for label in labels:
            category, _, name = label.partition(":")
            self.tag.addItem(f"{name} ({category})", label)
        self.tag.setCurrentIndex(max(0, self.tag.findData(chosen)))
        self.tag.blockSignals(blocked)

    def show_tag(self, label: str) -> None:
        """List only the passages disputed for ``label`` (once the list holds it)."""
        index = self.tag.findData(label)
        if index < 0:
            self.tag.addItem(label.partition(":")[2], label)
            index = self.tag.count() - 1
        self.tag.setCurrentIndex(index)

    # ----------------------------------------------------------------- the list
    def passages(self) -> tuple[Passage, ...]:
        return self.found.review.passages if self.found else ()

    def held(self, index: int) -> tuple[Highlight, ...]:
        return self.found.review.consensus[index] if self.found else ()

    def _shown(self, index: int, passage: Passage) -> bool:
        kind, tag = self.kind.currentData(), self.tag.currentData()
        return ((kind is None or kind in passage.kinds) and (tag is None or tag in passage.disputed)
                and (self.show_settled.isChecked() or not self.held(index)))

    def _fill(self) -> None:
        keep = self._keep
        current = self.current_passage()
        if current is not None:
            keep = key_of(current)
        self.tree.blockSignals(True)
        self.tree.clear()
        by_tag = self.group_by.currentIndex() == 1
        groups: dict[str, QTreeWidgetItem] = {}
        shown = 0
        for index, passage in enumerate(self.passages()):
            if not self._shown(index, passage):
                continue
            shown += 1
            heads = ([f"{lab.partition(':')[2]} ({lab.partition(':')[0]})" for lab in passage.disputed]
                     if by_tag else [self.found.titles.get(passage.document_id, "?")
                                     if self.found else "?"])
            for head in heads or ["(untagged)"]:
                parent = groups.get(head)
                if parent is None:
                    parent = groups[head] = QTreeWidgetItem(self.tree, [head])
                    font = parent.font(PASSAGE)
                    font.setBold(True)
                    parent.setFont(PASSAGE, font)
                    parent.setFirstColumnSpanned(True)
                    parent.setExpanded(True)
                    parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item = QTreeWidgetItem(parent, self._row(index, passage, by_tag))
                item.setData(PASSAGE, Qt.ItemDataRole.UserRole, index)
                item.setForeground(CONSENSUS, QBrush(QColor(SETTLED if self.held(index) else UNSETTLED)))
        for head, parent in groups.items():
            parent.setText(PASSAGE, f"{head}  —  {parent.childCount()}")
        self.tree.blockSignals(False)
        self._summarise(shown)
        self._select(keep)

    def _row(self, index: int, passage: Passage, by_tag: bool) -> list[str]:
        where = (f"{self.found.titles.get(passage.document_id, '?')} · " if by_tag and self.found
                 else "")
        held = self.held(index)
        if held:
            tags = sorted({t.name for h in held for t in h.tags})
            state = "✓ " + (", ".join(tags) if tags else f"{len(held)} untagged")
        else:
            state = "not settled"
        disputed = ", ".join(lab.partition(":")[2] for lab in passage.disputed)
        return [f"{where}{passage.start:,}–{passage.end:,}   “{excerpt(passage)}”",
                passage.describe(), disputed, state]

    def _summarise(self, shown: int) -> None:
        if self.found is None or self.comparison is None:
            return
        review = self.found.review
        total = len(review.passages)
        who = self.comparison.describe()
        if review.documents == 0:
            self.summary.setText(f"No document holds highlights of every one of {who}.")
            return
        self.summary.setText(
            f"{total:,} passage{'s' * (total != 1)} where {who} differ, in the "
            f"{review.documents:,} document{'s' * (review.documents != 1)} all of them coded · "
            f"{sum(1 for h in review.consensus if h):,} settled into “{review.consensus_coder}”"
            + (f" · {shown:,} shown" if shown != total else ""))

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i).child(j) for i in range(self.tree.topLevelItemCount())
                for j in range(self.tree.topLevelItem(i).childCount())]

    def _select(self, keep: Key | None) -> None:
        items = self._items()
        chosen = None
        if self._advance_from is not None:
            after = [it for it in items if key_of(self.passages()[self._index(it)]) > self._advance_from
                     and not self.held(self._index(it))]
            chosen = after[0] if after else None
            self._advance_from = None
        if chosen is None and keep is not None:
            chosen = next((it for it in items if key_of(self.passages()[self._index(it)]) == keep), None)
        if chosen is None and items:
            chosen = items[0]
        self.tree.setCurrentItem(chosen)
        self._show_current()

    @staticmethod
    def _index(item: QTreeWidgetItem) -> int:
        return int(item.data(PASSAGE, Qt.ItemDataRole.UserRole))

    def current_index(self) -> int | None:
        item = self.tree.currentItem()
        if item is None or item.data(PASSAGE, Qt.ItemDataRole.UserRole) is None:
            return None
        return self._index(item)

    def current_passage(self) -> Passage | None:
        index = self.current_index()
        return None if index is None or index >= len(self.passages()) else self.passages()[index]

    def select_passage(self, key: Key) -> None:
        self._select(key)

    # ----------------------------------------------------------------- the sides
    def _text(self, document_id: int) -> str:
        if document_id not in self._texts:
            source = self.found.formats.get(document_id, "") if self.found else ""
            # As the reader shows it: same offsets, a wrapped page's line breaks as spaces.
            self._texts[document_id] = display_text(self.library.document_text(document_id), source)
        return self._texts[document_id]

    def can_settle(self) -> tuple[bool, str]:
        if self.found is None:
            return False, ""
        if self.library.readonly:
            return False, "The project is open read-only: the consensus cannot be written."
        consensus = self.found.review.consensus_coder
        if self.comparison and consensus in self.comparison.units:
            return False, (f"“{consensus}” is one of the compared coders: compare the coders "
                           "themselves to settle into it.")
        return True, f"Settling writes highlights as “{consensus}”."

    def _show_current(self) -> None:
        index = self.current_index()
        passage = self.current_passage()
        if self.found is not None:
            self.sides.set_coders(self.found.review.coders, self.found.review.consensus_coder)
        ok, why = self.can_settle()
        self.settle_note.setText(why)
        if passage is None or index is None:
            self.sides.show_passage("", None, (), False)
            self._enable_actions(None)
            return
        try:
            text = self._text(passage.document_id)
        except AnnotatorError as exc:
            self.settle_note.setText(str(exc))
            return
        self.sides.show_passage(text, passage, self.held(index), ok)
        self._enable_actions(passage)

    def _enable_actions(self, passage: Passage | None) -> None:
        ok, _why = self.can_settle()
        for button in (self.merge_button, self.edit_button):
            button.setEnabled(passage is not None and ok)
        self.open_button.setEnabled(passage is not None)
        self.copy_agreed.setEnabled(ok and self.comparison is not None)

    # ----------------------------------------------------------------- settling
    def _settle(self, text: str, action: Callable[[], Adjudicated]) -> AdjudicateCommand | None:
        passage = self.current_passage()
        command = AdjudicateCommand(self.library, self.events, text, action)
        try:
            push(self.undo_stack, command)
        except AnnotatorError as exc:
            show_error(self, exc, text)
            return None
        if passage is not None and self.advance.isChecked():
            self._advance_from = key_of(passage)
        return command

    def accept_side(self, coder: str) -> None:
        passage = self.current_passage()
        if passage is None:
            return
        library = self.library
        self._settle(f"Accept {coder}'s coding", lambda: library.accept_side(passage, coder))

    def merge(self) -> None:
        passage = self.current_passage()
        if passage is None:
            return
        library = self.library
        self._settle("Merge coders' coding", lambda: library.merge_sides(passage))

    def copy_agreed_passages(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        library = self.library
        groups = dict(comparison.groups) or None

        def copy() -> Adjudicated:
            every = library.review_disagreements(list(comparison.units), tags=comparison.tags,
                                                 groups=groups, include_agreed=True)
            return library.accept_agreed(every.passages)

        command = self._settle("Copy agreed passages to the consensus", copy)
        self._advance_from = None
        if command is not None and command.done is not None:
            n = len(command.done.added)
            self.settle_note.setText(f"Copied {n:,} agreed highlight{'s' * (n != 1)} into the consensus."
                                     if n else "Every agreed passage is already in the consensus.")

    def marks(self, index: int) -> list[Mark]:
        passage = self.passages()[index]
        marks = [(h.start, h.end, coder_colour(i)) for i, side in enumerate(passage.sides) for h in side]
        return marks + [(h.start, h.end, CONSENSUS_COLOUR) for h in self.held(index)]

    def open_in_reader(self) -> None:
        index, passage = self.current_index(), self.current_passage()
        if passage is None or index is None:
            return
        first = next((h.id for side in passage.sides for h in side), 0)
        self.open_passage.emit(passage.document_id, first, self.marks(index))

    def edit_in_reader(self) -> None:
        index, passage = self.current_index(), self.current_passage()
        if passage is None or index is None:
            return
        held = self.held(index)
        marks = self.marks(index)
        if held:
            chosen = held[0].id
        else:
            command = self._settle("Start the consensus from the merge",
                                   lambda: self.library.merge_sides(passage))
            self._advance_from = None
            if command is None or command.done is None or not command.done.added:
                return
            chosen = command.done.added[0].id
            marks += [(h.start, h.end, CONSENSUS_COLOUR) for h in command.done.added]
        self.open_passage.emit(passage.document_id, chosen, marks)
