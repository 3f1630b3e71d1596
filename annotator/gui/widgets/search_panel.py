"""The search panel: a query box (help in its tooltip), filters for actor, topic, date and
scope, results grouped by document with marked snippets, tags and pages, a keyword-in-context
tab and saved searches. With nothing to list the panel shows a few query examples instead and
gives its height back to the reader; results take the room again when there are some.
Searches run on the thread pool; a newer query supersedes an older
one, whose results are dropped. ``open_hit(document_id, start, end)`` asks the main window to
show a hit (start/end are -1 when the hit has no span, e.g. a title-only match)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QKeyEvent,
    QPainter,
    QPalette,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError, InvalidQuery
from annotator.core.library import Library
from annotator.core.progress import CancelToken
from annotator.core.search_results import QUERY_HELP, Hit, KwicLine, SearchResults, kwic_line, snippet_html
from annotator.gui.events import LibraryEvents
from annotator.gui.swatches import muted
from annotator.gui.tasks import Task, TaskRunner
from annotator.gui.tones import Tone, follow_palette, tone_for
from annotator.gui.widgets.kwic_view import KwicView
from annotator.gui.widgets.saved_searches import SavedSearches
from annotator.gui.widgets.search_filters import SearchFilters
from annotator.gui.widgets.search_hint import SearchHint

RESULT_LIMIT = 200
KWIC_LIMIT = 1000
DEBOUNCE_MS = 300
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
TAGS_SHARE = 1 / 3  # at most, of the results' width
LISTING_SHARE = 0.45  # of the reader/results splitter, when results first need the room
_KIND_LABEL = {"document": "Document", "highlight": "Highlight", "note": "Note"}


@dataclass
class SearchOutcome:
    serial: int
    query: str
    results: SearchResults | None = None
    error: str = ""
    kwic: list[KwicLine] = field(default_factory=list)


def run_search(library: Library, serial: int, query: str, cancel: CancelToken) -> SearchOutcome:
    """Runs on the thread pool: the search, then keyword-in-context lines for its matches."""
    try:
        results = library.search(query, limit=RESULT_LIMIT)
    except InvalidQuery as exc:
        return SearchOutcome(serial, query, error=str(exc))
    lines: list[KwicLine] = []
    seen: set[tuple[int, int, int]] = set()
    texts: dict[int, str] = {}
    for hit in results.hits:
        if cancel.cancelled or len(lines) >= KWIC_LIMIT:
            break
        spans = hit.matches
        if not spans and hit.kind == "highlight" and hit.start is not None and hit.end is not None:
            spans = ((hit.start, hit.end),)  # matched by its tags: the passage is the line
        for start, end in spans:
            if (hit.document_id, start, end) in seen:
                continue
            seen.add((hit.document_id, start, end))
            if hit.document_id not in texts:
                texts[hit.document_id] = library.document_text(hit.document_id)
            lines.append(kwic_line(texts[hit.document_id], start, end,
                                   document_id=hit.document_id, title=hit.title))
    return SearchOutcome(serial, query, results, kwic=lines[:KWIC_LIMIT])


class SnippetDelegate(QStyledItemDelegate):
    """Paints the rich-text snippet (matched words in bold) of hit rows, wrapped; the kind
    label in the muted colour of the palette at paint time (it follows a Light/Dark switch)."""

    def _document(self, option: QStyleOptionViewItem, html: str, width: int,
                  kind_colour: QColor | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        colour = kind_colour or muted(option.palette)
        doc.setDefaultStyleSheet(f".kind {{ color: {colour.name()}; }}")
        doc.setHtml(html)
        doc.setTextWidth(max(120, width))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        html = index.data(HTML_ROLE)
        if not html:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        doc = self._document(opt, html, opt.rect.width(), opt.palette.color(role) if selected else None)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        html = index.data(HTML_ROLE)
        if not html:
            return super().sizeHint(option, index)
        view = self.parent()
        width = _snippet_width(view, index) if isinstance(view, QTreeView) else 400
        doc = self._document(option, html, width)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


def _snippet_width(view: QTreeView, index: QModelIndex) -> int:
    """The width ``paint`` gets for a first-column cell: the column less the tree's indent
    for the row's depth (and for the root's branch marks)."""
    depth = int(view.rootIsDecorated())
    parent = index.parent()
    while parent.isValid():
        depth += 1
        parent = parent.parent()
    return view.columnWidth(0) - view.indentation() * depth


class SearchPanel(QWidget):
    open_hit = Signal(int, int, int)  # document_id, start, end (-1 when unknown)
    searched = Signal(object)  # SearchResults shown (for the status bar, tests)

    def __init__(self, library: Library, parent: QWidget | None = None, *,
                 events: LibraryEvents | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._runner = runner or TaskRunner(self)
        self._serial = 0
        self._current: Task | None = None
        self._shown_query: str | None = None
        self._running_query: str | None = None
        self._open_when_done = False

        self.query_box = QLineEdit(self)
        self.query_box.setPlaceholderText("Search documents, highlights and notes")
        self.query_box.setToolTip(QUERY_HELP)
        self.query_box.setClearButtonEnabled(True)
        self.filters = SearchFilters(self)
        self.scope, self.actor, self.topic = self.filters.scope, self.filters.actor, self.filters.topic
        self.date_from, self.date_to = self.filters.date_from, self.filters.date_to
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._status_lines: tuple[tuple[str, Tone | None], ...] = ()
        follow_palette(self.status, lambda _label: self._show_status())  # toned for the new theme

        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Result", "Tags", "Page"])
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setItemDelegateForColumn(0, SnippetDelegate(self.tree))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # The snippets take what the tags and pages leave, so nothing scrolls sideways.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._sizing_tags = False  # True while the panel itself sizes the Tags column
        self._tags_width_chosen = False  # the user has dragged the Tags column's edge
        header.sectionResized.connect(self._column_resized)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.tree.doItemsLayout)
        self.tree.viewport().installEventFilter(self)
        self.kwic = KwicView(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.tree, "Results")
        self.tabs.addTab(self.kwic, "Keyword in context")
        self.saved = SavedSearches(library, self.full_query, self)
        self.hint = SearchHint(self)
        self._listing = True
        self._listing_height = 0  # the height the user last gave the results, 0 before any

        self._column = QWidget(self)
        column = QVBoxLayout(self._column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.query_box)
        column.addWidget(self.filters)
        column.addWidget(self.status)
        column.addWidget(self.hint)
        column.addWidget(self.tabs, 1)
        column.addStretch(0)
        splitter = self._inner = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.saved)
        splitter.addWidget(self._column)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([160, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.query_box.textEdited.connect(lambda _text: self._debounce.start())
        self.query_box.installEventFilter(self)
        self.tree.installEventFilter(self)
        for combo in (self.scope, self.actor, self.topic):
            combo.activated.connect(lambda _i: self.search_now())
        for box in (self.date_from, self.date_to):
            box.editingFinished.connect(self.search_now)
        self.tree.doubleClicked.connect(self._open_index)
        self.kwic.open_line.connect(self.open_hit)
        self.saved.run_query.connect(self.run_saved)
        if events is not None:
            events.changed.connect(self._library_changed)
        self.refresh_filters()
        self._say("")
        self._set_listing(False)

    # -- public API ----------------------------------------------------------------------------

    def use_query_box(self, box: QLineEdit) -> None:
        """Take queries from ``box`` (the window's toolbar search) instead of a box of the
        panel's own: one search box, and the panel's room goes to the results."""
        own = self.query_box
        own.hide()
        own.removeEventFilter(self)
        self.query_box = box
        box.textEdited.connect(lambda _text: self._debounce.start())
        box.installEventFilter(self)

    def set_query(self, query: str) -> None:
        self.query_box.setText(query)
        self.search_now()

    def run_saved(self, query: str) -> None:
        """A saved search holds the filters in its query, so the filter controls are reset
        rather than added to it a second time."""
        self.filters.reset()
        self.set_query(query)

    def full_query(self) -> str:
        """The query box plus the filter controls, in the query language."""
        parts = [self.query_box.text().strip(), *self.filters.query_parts()]
        return " ".join(p for p in parts if p)

    def refresh_filters(self) -> None:
        for category, combo, anyone in (("actor", self.actor, "Any actor"),
                                        ("topic", self.topic, "Any topic")):
            try:
                names = sorted({tag.name for tag in self.library.tags(category)}, key=str.casefold)
            except AnnotatorError:
                names = []
            self.filters.set_tag_names(combo, anyone, names)

    def search_now(self) -> None:
        self._debounce.stop()
        query = self.full_query()
        self._serial += 1
        if self._current is not None:
            self._current.cancel()  # its results will be dropped; stop before its KWIC pass
        if not query:
            self._show(SearchOutcome(self._serial, query, SearchResults(query, (), 0, 0.0)))
            return
        serial, library = self._serial, self.library
        task = Task(lambda _report, cancel: run_search(library, serial, query, cancel), "search")
        task.signals.finished.connect(self._finished)
        task.signals.failed.connect(self._failed)
        self._current = task
        self._running_query = query
        self._say("Searching…")
        self._runner.launch(task)

    def is_searching(self) -> bool:
        return self._debounce.isActive() or self._current is not None

    # -- results -------------------------------------------------------------------------------

    def _finished(self, outcome: SearchOutcome) -> None:
        if outcome.serial != self._serial:
            return  # superseded by a newer query
        self._current = None
        self._show(outcome)

    def _failed(self, error: Exception) -> None:
        self._current = None
        self._say(f"Search failed: {error}", tone="error")

    def _show(self, outcome: SearchOutcome) -> None:
        self._shown_query = outcome.query
        self.model.removeRows(0, self.model.rowCount())
        self.kwic.set_lines(outcome.kwic)
        if outcome.error:
            self._say(outcome.error, tone="error")
            self.hint.set_heading(SearchHint.EMPTY)
            self._set_listing(False)
            return
        results = outcome.results
        assert results is not None
        groups: dict[int, QStandardItem] = {}
        for hit in results.hits:
            parent = groups.get(hit.document_id)
            if parent is None:
                parent = QStandardItem(hit.title or f"Document {hit.document_id}")
                font = parent.font()
                font.setBold(True)
                parent.setFont(font)
                parent.setData(hit, HIT_ROLE)
                groups[hit.document_id] = parent
                self.model.appendRow([parent, QStandardItem(""), QStandardItem("")])
            self._add_hit(parent, hit)
        for parent in groups.values():
            parent.setText(f"{parent.text()}  ({parent.rowCount()})")
        for row in range(self.model.rowCount()):  # a document's title may use the whole row
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        self._fit_tags_column()
        if self.model.rowCount():
            first = self.model.index(0, 0, self.model.index(0, 0))
            self.tree.setCurrentIndex(first)
        more = f" · showing the first {len(results.hits)}" if results.total > len(results.hits) else ""
        text = (f"{results.total} result{'s' if results.total != 1 else ''} · "
                f"{results.elapsed_ms:.0f} ms{more}")
        self._say(text if outcome.query else "", warning=" ".join(results.warnings) if outcome.query else "")
        self.hint.set_heading(SearchHint.NO_MATCH if outcome.query else SearchHint.EMPTY)
        self._set_listing(bool(results.hits))
        self.searched.emit(results)
        if self._open_when_done:
            self._open_when_done = False
            self._open_index(self.tree.currentIndex())

    def _add_hit(self, parent: QStandardItem, hit: Hit) -> None:
        label = _KIND_LABEL[hit.kind]
        snippet = snippet_html(hit.snippet) or "<i>(matched in the title or metadata)</i>"
        item = QStandardItem(f"{label}: {hit.snippet}")
        item.setData(f"<span class='kind'>{label}</span> {snippet}", HTML_ROLE)
        item.setData(hit, HIT_ROLE)
        tags = QStandardItem(", ".join(t.partition(":")[2] or t for t in hit.tags))
        tags.setToolTip("\n".join(hit.tags))
        page = QStandardItem("" if hit.page is None else str(hit.page))
        parent.appendRow([item, tags, page])

    def _say(self, text: str, *, tone: Tone | None = None, warning: str = "") -> None:
        """The status line (``text`` in ``tone``, then ``warning`` on a line of its own),
        hidden when it has nothing to say (no query yet)."""
        lines = ((text, tone), (warning, "warning"))
        self._status_lines = tuple(line for line in lines if line[0])
        self._show_status()

    def _show_status(self) -> None:
        html = []
        for text, tone in self._status_lines:
            colour = f" style='color:{tone_for(self.status, tone).name()}'" if tone else ""
            html.append(f"<span{colour}>{_escape(text)}</span>")
        self.status.setText("<br>".join(html))
        self.status.setVisible(bool(html))

    # -- columns ----------------------------------------------------------------------------------

    def _fit_tags_column(self) -> None:
        """The tags as wide as the widest list, up to a third of the list's width (longer lists
        are elided, whole in their tooltip), and never narrower than the "Tags" heading."""
        if self._tags_width_chosen:
            return  # the user dragged it: their width stands for every later search
        header = self.tree.header()
        room = int(self.tree.viewport().width() * TAGS_SHARE)
        wanted = max(header.sectionSizeHint(1), min(self.tree.sizeHintForColumn(1), room))
        if self.tree.columnWidth(1) != wanted:
            self._sizing_tags = True
            try:
                self.tree.setColumnWidth(1, wanted)
            finally:
                self._sizing_tags = False

    def _column_resized(self, column: int, old: int, new: int) -> None:
        """The tree keeps each row's height from when it was laid out; a snippet column of
        another width wraps to another number of lines, so the rows are measured again."""
        if column == 0 and old != new:
            self._relayout.start()
        elif column == 1 and not self._sizing_tags:
            self._tags_width_chosen = True

    # -- room -------------------------------------------------------------------------------------

    def _set_listing(self, listing: bool) -> None:
        """Results list, or the hint in a compact panel."""
        if listing == self._listing:
            return
        splitter = self.parentWidget()
        if not listing and isinstance(splitter, QSplitter) and self.isVisible():
            self._listing_height = splitter.sizes()[splitter.indexOf(self)]  # as the user left it
        self._listing = listing
        self.hint.setVisible(not listing)
        self.tabs.setVisible(listing)
        self._fit_splitter()

    def compact_height(self) -> int:
        margins = self.layout().contentsMargins()
        for widget in (self._column, self._inner):
            widget.updateGeometry()  # the cached minimum sizes still count what was just hidden
        self.layout().invalidate()
        column = self._column.layout().totalHeightForWidth(max(self._column.width(), 300))
        return max(column, self.saved.minimumSizeHint().height()) + margins.top() + margins.bottom()

    def _fit_splitter(self) -> None:
        """In the reader/results splitter, shrink to the hint or grow back to the results'
        height, moving the difference to the neighbouring pane."""
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter) or not self.isVisible() or splitter.count() < 2:
            return
        sizes = splitter.sizes()
        mine = splitter.indexOf(self)
        total = sum(sizes)
        if self._listing:
            wanted = self._listing_height or int(total * LISTING_SHARE)
        else:
            wanted = self.compact_height()
        other = mine - 1 if mine > 0 else mine + 1
        wanted = max(self.compact_height(), min(wanted, sizes[mine] + sizes[other]
                                                - splitter.widget(other).minimumSizeHint().height()))
        sizes[other] += sizes[mine] - wanted
        sizes[mine] = wanted
        splitter.setSizes(sizes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._listing:  # a results list keeps the height the user gave it
            QTimer.singleShot(0, self, self._fit_splitter)  # once the splitter has laid out its panes

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hit: Hit | None = index.siblingAtColumn(0).data(HIT_ROLE)
        if hit is None:
            return
        start, end = hit.start, hit.end  # a document row holds its best hit
        self.open_hit.emit(hit.document_id, -1 if start is None else start, -1 if end is None else end)

    def _library_changed(self, changes: Changes) -> None:
        if changes.codebook:  # the lists hold tag names: tagging a passage leaves them alone
            self.refresh_filters()
        if self._shown_query:
            self._debounce.start()  # results may include what just changed; bursts search once

    # -- keys ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_tags_column()
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.query_box:
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self._enter_in_query_box()
                    return True
                if key == Qt.Key.Key_Down and self.model.rowCount():
                    self.tree.setFocus()
                    return True
            elif watched is self.tree and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_index(self.tree.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _enter_in_query_box(self) -> None:
        """Enter opens the current hit; if the results are not for this query yet, it searches
        now and opens the first hit when they arrive."""
        query = self.full_query()
        if self._current is not None and self._running_query == query:
            self._open_when_done = True
            return
        if self._debounce.isActive() or self._shown_query != query:
            self._open_when_done = True
            self.search_now()
            return
        self._open_index(self.tree.currentIndex())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
