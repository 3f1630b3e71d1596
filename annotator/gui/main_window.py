"""The main window: Library pane | tag bar + reader (+ search results) | codebook, highlights
and notes. It owns the one QUndoStack and the LibraryEvents broadcast, opens documents,
routes changes to the reader, and runs long jobs (import, reindex) in the background."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError, NotFound
from annotator.core.library import Library
from annotator.core.models import Document, Highlight
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.gui import settings, team_projects
from annotator.gui.coder_view import install_coder_view
from annotator.gui.commands import push
from annotator.gui.commands_reading import ImportedDocumentsCommand
from annotator.gui.errors import reporting_errors, show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.icons import app_icon
from annotator.gui.main_window_actions import WindowActions
from annotator.gui.open_notes import show_open_notes
from annotator.gui.tagging import TaggingController
from annotator.gui.tasks import Task, TaskRunner
from annotator.gui.team_follow import follow_team
from annotator.gui.team_notices import TeamNotices
from annotator.gui.widgets.codebook_pane import CodebookPane
from annotator.gui.widgets.document_header import DocumentHeader
from annotator.gui.widgets.empty_state import EmptyProject
from annotator.gui.widgets.highlights_pane import HighlightsPane
from annotator.gui.widgets.key_pin_menu import PinHooks
from annotator.gui.widgets.library_pane import LibraryPane
from annotator.gui.widgets.note_editor import NoteEditor
from annotator.gui.widgets.reader import Reader
from annotator.gui.widgets.reader_find_bar import FindBar
from annotator.gui.widgets.search_panel import SearchPanel
from annotator.gui.widgets.tag_picker import TagBar
from annotator.importers import SUPPORTED_SUFFIXES

# The dialogs (and the export and import code behind them) are imported when first opened:
# importing them all took a sixth of the window's start.
if TYPE_CHECKING:
    from annotator.gui.dialogs.import_dialog import ImportDialog

# Documents with at least this many highlights get them read in the background (see open_document).
BACKGROUND_HIGHLIGHTS_FROM = 400


class MainWindow(QMainWindow):
    """``highlights_loaded(int)``: a long document's highlights arrived and are painted."""

    highlights_loaded = Signal(int)
    open_windows: set[MainWindow] = set()  # keeps windows alive after a project switch

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.events = LibraryEvents(self)
        self.undo_stack = QUndoStack(self)
        self.runner = TaskRunner(self)
        self.reindex_task: Task | None = None
        self.import_dialogs: list[ImportDialog] = []
        self._syncing = False  # True while following an event, so we do not echo it back
        self._highlight_load = 0  # serial of the latest background highlight read
        self._changes_seen = 0  # bumped on every change, to spot edits during that read
        self._reader_paint_pending = False
        self._loading_document: int | None = None  # whose highlights are being read off the GUI thread
        self._pending_hit: tuple[int, int, int] | None = None  # a hit opened while they were read
        self._status_pending = False  # the status bar's counts are due a re-read
        self._header_document: Document | None = None  # what the header shows
        self._closed = False
        self.setWindowTitle(team_projects.window_title(library))
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_panes()
        self.actions_ = WindowActions(self)
        self.actions_.build_menus(self)
        self.search_box = self.actions_.build_toolbar(self)
        self.search_box.returnPressed.connect(self.run_search)
        self.search_panel.use_query_box(self.search_box)
        self.search_box.textChanged.connect(self._query_typed)
        self._panel_opened_for_query = False
        self.reader.context_actions = [
            self.actions_.tag_selection, self.actions_.set_span, self.actions_.edit_note,
            self.actions_.delete_highlight, None, self.actions_.copy_excerpts, self.actions_.find,
        ]
        self._build_status_bar()
        self.coder_view = install_coder_view(self)
        # Team projects: refused undos, and actions kept while the server does not answer.
        self.team_notices = TeamNotices(self, self.library, self.events, self.undo_stack)
        self._connect()
        self.team_follow = follow_team(self.library, self.events, self.status_team,
                                       lambda: self.reader.document_id, self,
                                       lambda text, ms: self.statusBar().showMessage(text, ms))
        self._restore_layout()
        # The search panel stays out of the reader's way until there is a query (or the user
        # opens it with View ▸ Search Results); a restored splitter state may have shown it.
        self._show_search_panel(False)
        self.search_panel.hide()
        self.open_windows.add(self)
        first = self.library_pane.first_document_id()
        if first is not None:
            self.library_pane.select_document(first)
        self._update_header()
        self.update_status()
        if self.library_pane.loading:  # its whole list is read first, then the index checked
            self.library_pane.listed.connect(self.check_index, Qt.ConnectionType.SingleShotConnection)
        else:
            QTimer.singleShot(0, self.check_index)

    # ----------------------------------------------------------------- layout
    def _build_panes(self) -> None:
        self.library_pane = LibraryPane(self.library, self.events, self.undo_stack, self, runner=self.runner)
        self.reader = Reader(self)
        self.reader.set_font(settings.reader_font_family(), settings.reader_font_size())
        self.find_bar = FindBar(self.reader, self)
        self.tag_bar = TagBar(self)
        self.tagging = TaggingController(self.library, self.events, self.undo_stack, self.reader,
                                         self.tag_bar, self)
        self.doc_header = DocumentHeader(self)
        self.empty_project = EmptyProject(self)
        self.empty_project.import_requested.connect(self.choose_import_files)
        self.reader_stack = QStackedWidget(self)
        self.reader_stack.addWidget(self.reader)
        self.reader_stack.addWidget(self.empty_project)
        self.search_panel = SearchPanel(self.library, self, events=self.events, runner=self.runner)

        reading = QWidget(self)
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(0)
        reading_layout.addWidget(self.reader_stack, 1)
        reading_layout.addWidget(self.find_bar)
        self.centre_split = QSplitter(Qt.Orientation.Vertical, self)
        self.centre_split.setObjectName("centreSplit")
        self.centre_split.addWidget(reading)
        self.centre_split.addWidget(self.search_panel)
        self.centre_split.setStretchFactor(0, 3)
        self.centre_split.setStretchFactor(1, 1)
        self.centre_split.setSizes([560, 220])
        self.centre_split.setChildrenCollapsible(False)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.doc_header)
        centre_layout.addWidget(self.tag_bar)
        centre_layout.addWidget(self.centre_split, 1)

        self.codebook = CodebookPane(self.library, self.events, self.undo_stack, self)
        self.codebook.pin_hooks = PinHooks(lambda: dict(self.tagging.tag_keys.pins), self.tagging.pin,
                                           self.tagging.unpin)
        self.highlights_pane = HighlightsPane(self.library, self.events, self.undo_stack, self)
        self.highlights_pane.shown_highlights = self._reader_highlights
        self.notes = NoteEditor(self.library, self.events, self.undo_stack, self)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(self.codebook, "Codebook")
        self.side_tabs.addTab(self.highlights_pane, "Highlights")
        self.side_tabs.addTab(self.notes, "Notes")

        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(self.library_pane)
        self.main_split.addWidget(centre)
        self.main_split.addWidget(self.side_tabs)
        self.main_split.setStretchFactor(0, 0)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setStretchFactor(2, 0)
        self.main_split.setSizes([370, 780, 290])
        self.setCentralWidget(self.main_split)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_project = QLabel()
        self.status_counts = QLabel()
        self.status_index = QLabel()
        self.status_team = QLabel()  # who else changed the open document (team projects)
        for label in (self.status_team, self.status_project, self.status_counts, self.status_index):
            label.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(label)

    def _restore_layout(self) -> None:
        geometry = settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 900)
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        for splitter in (self.main_split, self.centre_split):
            saved = settings.splitter_state(splitter.objectName())
            if saved is not None:
                splitter.restoreState(saved)

    def _save_layout(self) -> None:
        settings.set_window_geometry(self.saveGeometry())
        settings.set_window_state(self.saveState())
        for splitter in (self.main_split, self.centre_split):
            settings.set_splitter_state(splitter.objectName(), splitter.saveState())
        self.library_pane.save_header()
        settings.set_reader_font_size(self.reader.font_size())

    # ----------------------------------------------------------------- wiring
    def _connect(self) -> None:
        self.library_pane.document_activated.connect(self.open_document)
        self.library_pane.info_requested.connect(self.edit_document_info)
        self.events.changed.connect(self._on_changed)
        self.events.document_opened.connect(self._on_document_opened)
        self.events.highlight_selected.connect(self._on_highlight_selected)
        self.events.tag_filter_changed.connect(self.reader.set_tag_filter)
        self.reader.highlight_clicked.connect(self._on_reader_click)
        self.tagging.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.search_panel.open_hit.connect(self.open_hit)
        self.undo_stack.indexChanged.connect(lambda _i: self._status_due())

    def open_document(self, document_id: int, *, announce: bool = True) -> None:
        """Show a document; ``announce``: tell the panes (not when they told us: announced
        again, after a highlight was picked with it, it would make the Notes tab drop that
        highlight for the document's own note)."""
        if document_id == self.reader.document_id:
            return
        try:
            document = self.library.document(document_id)
            text = self.library.document_text(document_id, keep=True)  # tagging quotes from it
            background = document.highlight_count >= BACKGROUND_HIGHLIGHTS_FROM
            highlights = [] if background else self.library.highlights(document_id)
        except AnnotatorError as exc:
            show_error(self, exc, "Opening the document")
            return
        self.reader.show_document(document, text, highlights)
        self._loading_document = document_id if background else None
        if background:
            # Reading thousands of highlights takes the Library longer than showing the
            # text; the text appears now and the highlights are painted when they arrive.
            self._load_highlights(document_id)
        self._update_header()
        self.tagging.update_target()
        self._syncing = True
        try:
            self.library_pane.select_document(document_id)
        finally:
            self._syncing = False
        # The side panes follow once the text is on screen: some read all of the document's
        # highlights, which takes the Library far longer than the reader needs.
        if announce:
            QTimer.singleShot(0, lambda: self._announce_document(document_id))

    def _announce_document(self, document_id: int) -> None:
        if self.reader.document_id == document_id:
            self.events.document_opened.emit(document_id)

    def _load_highlights(self, document_id: int) -> None:
        self._highlight_load += 1
        serial, changes_before, library = self._highlight_load, self._changes_seen, self.library
        task = Task(lambda _report, _cancel: library.highlights(document_id), "load highlights")
        task.signals.finished.connect(
            lambda highlights: self._highlights_loaded(serial, changes_before, document_id, highlights)
        )
        task.signals.failed.connect(lambda exc: show_error(self, exc, "Loading the highlights")
                                    if isinstance(exc, AnnotatorError) else None)
        self.runner.launch(task)

    def _highlights_loaded(self, serial: int, changes_before: int, document_id: int,
                           highlights: list) -> None:
        if serial != self._highlight_load or self.reader.document_id != document_id:
            return  # another document was opened meanwhile
        if changes_before != self._changes_seen:
            self._load_highlights(document_id)  # an edit landed while reading: read again
            return
        self._loading_document = None
        self.reader.update_highlights(highlights)
        pending, self._pending_hit = self._pending_hit, None
        if pending is not None and pending[0] == document_id and not self.reader.selected_highlight:
            self._show_hit(pending[1], pending[2])
        self.tagging.update_target()
        self.highlights_pane.highlights_arrived(document_id)
        self.highlights_loaded.emit(document_id)

    def _reader_highlights(self, document_id: int) -> list[Highlight] | None:
        """The open document's highlights as the reader holds them, in reading order (the
        Highlights pane lists these rather than reading them again); None while they are
        still being read, or for a document the reader does not show."""
        if self.reader.document_id != document_id or self._loading_document == document_id:
            return None
        return sorted(self.reader.highlights.values(), key=lambda h: h.reading_key)

    def _on_document_opened(self, document_id: int) -> None:
        if not self._syncing:
            self.open_document(document_id, announce=False)

    def _on_highlight_selected(self, highlight_id: int) -> None:
        if self._syncing or (highlight_id and highlight_id == self.reader.selected_highlight):
            return  # our own echo, or already shown: do not scroll the reader under the user
        if highlight_id and highlight_id not in self.reader.highlights:
            try:
                highlight = self.library.highlight(highlight_id)
            except NotFound:
                return
            self.open_document(highlight.document_id)
        self.reader.select_highlight(highlight_id, scroll=bool(highlight_id))
        self.tagging.update_target()

    def _on_reader_click(self, highlight_id: int) -> None:
        self._syncing = True
        try:
            self.events.highlight_selected.emit(highlight_id)
        finally:
            self._syncing = False
        self.tagging.update_target()

    def _on_changed(self, changes: Changes) -> None:
        self._changes_seen += 1
        doc_id = self.reader.document_id
        if changes.codebook:
            self.tagging.refresh_tags()
        if doc_id is not None and doc_id in changes.documents and changes.documents_added_or_removed:
            if not any(d.id == doc_id for d in self.library.documents()):
                self.reader.clear_document()
                first = self.library_pane.first_document_id()
                if first is not None:
                    self.library_pane.select_document(first)
                self._update_header()
                self.update_status()
                return
        if doc_id is None and changes.documents_added_or_removed:
            first = self.library_pane.first_document_id()
            if first is not None:
                self.library_pane.select_document(first)
        elif doc_id is not None:
            # Edits name the highlights whose paint follows from them (merges and deleted tags
            # too) and often carry them as written; a renamed or recoloured tag comes as its
            # new ref, swapped into the highlights the reader holds.
            if changes.highlights:
                known = changes.fresh_rows()
                fresh = list(known.values()) if known is not None else \
                    self.library.highlights(doc_id, highlight_ids=changes.highlights)
                gone = {h for h in changes.highlights if h in self.reader.highlights} - {h.id for h in fresh}
                self.reader.update_highlights([h for h in fresh if h.document_id == doc_id], gone)
            if changes.tag_refs:
                self.reader.update_highlights(changes.retagged(self.reader.highlights.values()))
            self.tagging.update_target()
            if changes.highlights or changes.tag_refs:
                self._paint_reader_first()
        # Edits naming highlights change none of the header's document details, only its count.
        if changes.highlights and not changes.documents_added_or_removed:
            self._update_count(changes)
        elif changes.documents or changes.documents_added_or_removed or not changes.tag_refs:
            self._update_header()  # (a renamed or recoloured tag shows nowhere in it)
        if not changes.same_highlight_counts or changes.documents_added_or_removed or changes.codebook:
            self._status_due()  # the status bar counts documents, highlights and tags

    def _paint_reader_first(self) -> None:
        """Show an edit in the reader before the side panes lay out and paint what follows
        from it: Qt paints the whole window in one pass, after every queued call, so a
        Highlights tab of 2,000 cards made the reader wait for it. The call is queued so the
        tagging that made the edit has put its selection right first."""
        if not self._reader_paint_pending:
            self._reader_paint_pending = True
            # A posted call, not a zero timer: Qt runs posted calls before timers, and the
            # Highlights pane's list lays itself out on a zero timer started by the edit.
            QMetaObject.invokeMethod(self, "_paint_reader", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _paint_reader(self) -> None:
        self._reader_paint_pending = False
        if not self._closed and self.reader.isVisible():
            self.reader.viewport().repaint()

    # ----------------------------------------------------------------- status
    def _status_due(self) -> None:
        """Re-read the status bar's counts once the event loop turns: an undo brings both the
        stack's indexChanged and the change itself, and each would re-read them."""
        if not self._status_pending:
            self._status_pending = True
            QTimer.singleShot(0, self._show_status)

    def _show_status(self) -> None:
        self._status_pending = False
        if not self._closed:  # the Library closes with the window
            with self.team_notices.server_down_noted():
                self.update_status()

    def _update_count(self, changes: Changes) -> None:
        """After highlights of the shown document came, went or changed: only its count."""
        shown, doc_id = self._header_document, self.reader.document_id
        if shown is None or shown.id != doc_id:
            self._update_header()
        elif doc_id in changes.documents and not changes.same_highlight_counts:
            count = (changes.counts() or {}).get(doc_id)
            if count is None:
                count = self.library.highlight_counts([doc_id])[doc_id]
            self._show_header(replace(shown, highlight_count=count))

    def _update_header(self) -> None:
        empty = not self.library_pane.model.documents
        self.reader_stack.setCurrentWidget(self.empty_project if empty else self.reader)
        self.tag_bar.setVisible(not empty)  # nothing to tag yet
        doc_id = self.reader.document_id
        if doc_id is None:
            self.doc_header.set_hint("No documents yet — import articles with File ▸ Import Files… or drop them here"
                                     if empty else "No document open — choose one in the Library")
            return
        try:
            self._show_header(self.library.document(doc_id))
        except NotFound:
            return

    def _show_header(self, doc: Document) -> None:
        self._header_document = doc
        parts = [doc.format.upper()]
        if doc.author:
            parts.insert(0, doc.author)
        if doc.published:
            parts.append(doc.published.isoformat())
        if doc.pages:
            parts.append(f"{doc.pages} page{'s' if doc.pages != 1 else ''}")
        parts.append(f"{doc.highlight_count} highlight{'s' if doc.highlight_count != 1 else ''}")
        self.doc_header.set_document(doc.title, " · ".join(parts))

    def update_status(self) -> None:
        counts = self.library.visible_counts()  # blind coding hides other coders' counts too
        self.status_project.setText(team_projects.status_text(self.library))
        self.status_counts.setText(
            f"{counts['documents']} document{'s' if counts['documents'] != 1 else ''} · "
            f"{counts['highlights']} highlight{'s' if counts['highlights'] != 1 else ''} · "
            f"{counts['tags']} tags"
        )
        if self.reindex_task is None:
            self.status_index.setText("index up to date")

    # ----------------------------------------------------------------- search index
    def check_index(self) -> None:
        """Rebuild the index in the background when it does not match the database. The
        check reads a fingerprint of every document and highlight (0.2 s at 20,000
        documents), so it runs off the GUI thread too."""
        if self.library.readonly:
            return
        library = self.library

        def job(_report: ProgressCallback, _cancel: CancelToken) -> bool:
            try:
                return library.index_is_current()
            except AnnotatorError:
                return False

        task = Task(job, "check index")
        task.signals.finished.connect(self._index_checked)
        self.runner.launch(task)

    def _index_checked(self, current: bool) -> None:
        if not current and not self._closed:
            self.start_reindex()

    def start_reindex(self) -> None:
        if self.reindex_task is not None:
            return
        library = self.library

        def job(report: ProgressCallback, cancel: CancelToken) -> None:
            # One writer process: forking a process that runs Qt threads can deadlock.
            library.reindex(progress=report, cancel=cancel, processes=1)

        self.status_index.setText("rebuilding index…")
        task = Task(job, "reindex")
        task.signals.progress.connect(self._reindex_progress)
        task.signals.failed.connect(lambda exc: self._reindex_ended(exc))
        task.signals.finished.connect(lambda _r: self._reindex_ended(None))
        task.signals.cancelled.connect(lambda: self._reindex_ended(None))
        self.reindex_task = task
        self.runner.launch(task)

    def _reindex_progress(self, progress: Progress) -> None:
        self.status_index.setText(f"rebuilding {round(100 * progress.fraction)}%")

    def _reindex_ended(self, error: Exception | None) -> None:
        self.reindex_task = None
        if self._closed:  # cancelled by closing: the Library is gone, nothing to tell
            return
        if error is not None:
            self.status_index.setText("index needs rebuilding")
            if isinstance(error, AnnotatorError):
                show_error(self, error, "Rebuilding the search index")
            else:
                QMessageBox.warning(self, "Search index", f"Rebuilding the search index failed: {error}")
        else:
            self.update_status()
            if self.library.follows_others:
                # What others committed while the index was built is in it, but no poll will
                # report it: the views read documents, counts and the codebook again.
                self.events.emit_changes(Changes(documents_added_or_removed=True, codebook=True,
                                                 notes=True, saved_searches=True))

    # ----------------------------------------------------------------- import
    def choose_import_files(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import Files", str(Path.home()), f"Articles ({patterns});;All files (*)"
        )
        if files:
            self.import_any([Path(f) for f in files])

    def import_any(self, paths: list[Path]) -> None:
        """Articles go to the import dialog; a .qdpx/.qdc is an exchange file with its own
        import (one undo step and a report)."""
        exchange = [p for p in paths if p.suffix.lower() in (".qdpx", ".qdc")]
        for path in exchange:
            self.actions_.refi.import_file(path)
        if len(exchange) < len(paths):
            self.import_paths([p for p in paths if p not in exchange])

    def choose_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import Folder", str(Path.home()))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> ImportDialog:
        """Import in the background with a progress dialog; the window stays usable."""
        from annotator.gui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.library, paths, self.runner, self)
        dialog.imported.connect(lambda ids: self._record_import(ids, dialog.changes))
        dialog.finished.connect(
            lambda _r: self.import_dialogs.remove(dialog) if dialog in self.import_dialogs else None
        )
        self.import_dialogs.append(dialog)
        dialog.show()
        return dialog

    def _record_import(self, document_ids: list[int], changes: Changes) -> None:
        if not document_ids:
            return
        push(self.undo_stack, ImportedDocumentsCommand(self.library, self.events, document_ids, changes))
        if self.reader.document_id is None or len(document_ids) == 1:
            self.library_pane.select_document(document_ids[0])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_any(paths)

    # ----------------------------------------------------------------- other actions
    def export_excerpts(self) -> None:
        from annotator.gui.dialogs.export_dialog import ExportDialog

        # Start from what the user is looking at: the codebook's paint filter and the query.
        tag_filter = self.reader.tag_filter
        query = self.search_box.text().strip()
        dialog = ExportDialog(self.library, self, preset_tag_ids=None if tag_filter is None else set(tag_filter),
                            preset_query=query)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def copy_excerpts(self) -> None:
        """Copy the highlights selected in the Highlights pane (or the one clicked in the
        reader) as quote, tags, note and citation, tab-separated."""
        from annotator.export.citation import excerpts_as_tsv_with_citation

        highlights = self.highlights_pane.selected_highlights() if self.highlights_pane.isVisible() else []
        if not highlights and self.reader.selected_highlight:
            highlights = [self.reader.highlights[self.reader.selected_highlight]]
        if not highlights:
            self.statusBar().showMessage(
                "Select highlights first (click one in the reader or the Highlights pane)", 4000
            )
            return
        with reporting_errors(self, "Copying excerpts"):
            QGuiApplication.clipboard().setText(excerpts_as_tsv_with_citation(self.library, highlights))
            self.statusBar().showMessage(f"Copied {len(highlights)} excerpt{'s' if len(highlights) != 1 else ''}", 3000)

    def edit_document_info(self, document_id: int | None = None) -> None:
        from annotator.gui.dialogs.document_info import DocumentInfoDialog

        document_id = document_id or self.reader.document_id
        if document_id is None:
            return
        with reporting_errors(self, "Opening the document details"):
            DocumentInfoDialog(self.library, self.events, self.undo_stack, document_id, self).exec()

    def edit_preferences(self) -> None:
        from annotator.gui.dialogs.preferences import PreferencesDialog

        if PreferencesDialog(self, library=self.library).exec():
            self.reader.set_font(settings.reader_font_family(), settings.reader_font_size())

    def change_font_size(self, step: int) -> None:
        size = settings.DEFAULT_FONT_SIZE if step == 0 else self.reader.font_size() + step
        size = max(settings.MIN_FONT_SIZE, min(settings.MAX_FONT_SIZE, size))
        self.reader.set_font_size(size)
        settings.set_reader_font_size(size)

    def find_mentions(self) -> None:
        from annotator.gui.dialogs.find_mentions import FindMentionsDialog

        tag = self.codebook.current_tag()
        tag_id = tag.id if tag else None
        if tag_id is None and self.reader.selected_highlight:
            tags = self.reader.highlights[self.reader.selected_highlight].tags
            tag_id = tags[0].id if tags else None
        if tag_id is None:
            self.statusBar().showMessage("Choose a tag in the Codebook (or click a highlight) first", 4000)
            self.side_tabs.setCurrentWidget(self.codebook)
            return
        with reporting_errors(self, "Finding mentions"):
            dialog = FindMentionsDialog(self.library, self.events, self.undo_stack, tag_id, self,
                                        runner=self.runner)
            dialog.tagged.connect(self.select_highlights_made)
            dialog.exec()

    def edit_note(self) -> None:
        """The Notes tab edits the clicked highlight's note (or the document's): show it and
        put the cursor at the end of the note."""
        if self.reader.document_id is None:
            self.statusBar().showMessage("Open a document first", 4000)
            return
        self.actions_.show_side.setChecked(True)
        self.side_tabs.setCurrentWidget(self.notes)
        self.notes.focus_editor()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def run_search(self) -> None:
        self._show_search_panel(True)
        self.search_panel.set_query(self.search_box.text().strip())

    def _query_typed(self, text: str) -> None:
        """A query opens the search panel; clearing it closes the panel again, unless the
        user had opened it."""
        if text.strip():
            if not self.search_panel.isVisible():
                self._panel_opened_for_query = True
                self._show_search_panel(True)
        elif self._panel_opened_for_query:
            self._panel_opened_for_query = False
            self._show_search_panel(False)

    def _show_search_panel(self, shown: bool) -> None:
        self.actions_.show_search.setChecked(shown)

    def open_analysis(self) -> None:
        """The Analysis window (one per main window); matplotlib is imported only now."""
        window = getattr(self, "analysis_window", None)
        if window is None:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                from annotator.gui.analysis.window import AnalysisWindow

                window = AnalysisWindow(self.library, self.events,
                                        self.library_pane.selected_document_ids, self.open_hit,
                                        self)
            finally:
                QGuiApplication.restoreOverrideCursor()
            window.setWindowFlag(Qt.WindowType.Window, True)
            self.analysis_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    def open_compare_coders(self) -> None:
        """Tools › Compare Coders…: agreement, disagreements and adjudication (one window).
        Under blind coding, comparing is the coder's choice to see the others: asked first."""
        from annotator.gui.compare.window import open_compare_window

        if self.library.blind_coding():
            answer = QMessageBox.question(
                self, "Compare Coders",
                "Blind coding is on: other coders' highlights are hidden from you.\n\n"
                "Comparing shows every coder's work. Turn blind coding off and compare?")
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.coder_view.act_blind.setChecked(False)
            if self.library.blind_coding():
                return  # turning it off failed, and the coder was told why

        open_compare_window(self)

    def edit_variables(self) -> None:
        from annotator.gui.dialogs.variables_dialog import VariablesDialog

        VariablesDialog(self.library, self.events, self.undo_stack, self).exec()

    def open_excerpt_report(self) -> None:
        from annotator.gui.dialogs.excerpt_report_dialog import ExcerptReportDialog

        ExcerptReportDialog(self.library, self).exec()

    def open_hit(self, document_id: int, start: int, end: int) -> None:
        """Show a search hit: a highlight (or its note) as that highlight selected, its tags
        and note in the tag bar, ready to retag; other text as a plain selection."""
        self.open_document(document_id)
        if self.reader.document_id != document_id or not 0 <= start < end:
            return
        if self._loading_document == document_id:
            self._pending_hit = (document_id, start, end)  # chosen once the highlights are read
        self._show_hit(start, end)

    def _show_hit(self, start: int, end: int) -> None:
        same = next((h.id for h in sorted(self.reader.highlights.values(), key=lambda h: h.reading_key)
                     if (h.start, h.end) == (start, end)), 0)
        if same:
            cursor = self.reader.textCursor()
            cursor.clearSelection()
            self.reader.setTextCursor(cursor)
            self.reader.select_highlight(same)
            self._on_reader_click(same)
        else:
            self.reader.select_span(start, end)
        self.reader.setFocus()
        self.tagging.update_target()

    def select_highlights_made(self, highlights: list[Highlight]) -> None:
        """After highlights were made elsewhere (Find Mentions), select one: the first in the
        open document, else the first made, opening its document."""
        if not highlights:
            return
        here = [h for h in highlights if h.document_id == self.reader.document_id]
        chosen = min(here or highlights, key=lambda h: (h.document_id != self.reader.document_id, h.start))
        self.events.highlight_selected.emit(chosen.id)

    # ----------------------------------------------------------------- projects
    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New Project", str(Path.home() / "Untitled.annotator"), "Annotator project (*.annotator)"
        )
        if not path:
            return
        folder = Path(path)
        if folder.suffix != ".annotator":
            folder = folder.with_name(folder.name + ".annotator")
        with reporting_errors(self, "Creating the project"):
            Library.create(folder).close()
            self.switch_project(folder)

    def choose_project(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open Project", str(self.library.folder.parent))
        if folder:
            self.switch_project(Path(folder))

    def switch_project(self, folder: Path) -> None:
        """Open another project in a new window, then close this one (which closes its
        Library). If the other project cannot be opened, this window stays as it is."""
        if Path(folder).resolve() == self.library.folder.resolve():
            return
        try:
            library = team_projects.open_project(self, Path(folder))
        except AnnotatorError as exc:
            show_error(self, exc, f"Opening {Path(folder).name}")
            if not team_projects.server_unreachable(exc):  # it may answer tomorrow
                settings.forget_recent_project(Path(folder))
            return
        if library is not None:
            self.show_project(library)

    def show_project(self, library: Library) -> None:
        """Show ``library`` (just opened) in a new window and close this one."""
        settings.set_last_project(library.folder)
        window = MainWindow(library)
        window.show()
        show_open_notes(window, library)
        self.close()

    def restore_from_backup(self) -> None:
        """File › Restore from Backup…: this window closes and the project opens again in a
        new one on the restored database (dialogs/restore_dialog.py)."""
        from annotator.gui.dialogs.restore_dialog import restore_from_backup

        restore_from_backup(self, self._reopen)

    @staticmethod
    def _reopen(folder: Path) -> None:
        try:
            library = Library.open(folder)
        except AnnotatorError as exc:
            show_error(None, exc, f"Opening {folder.name}")
            return
        window = MainWindow(library)
        window.show()
        show_open_notes(window, library)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every change is already committed; only UI state is saved here.
        self.notes.commit()  # a note typed a moment ago is saved before the Library closes
        if not self.team_notices.pending.may_close():  # changes waiting for a team server
            event.ignore()
            return
        self._save_layout()
        self.tagging.save_recent()
        for name in ("analysis_window", "compare_window"):
            window = getattr(self, name, None)
            if window is not None:
                window.close()  # its counts run on the Library about to close
        self.runner.cancel_all()
        self.runner.wait()
        if self.team_follow is not None:
            self.team_follow.stop()
        self._closed = True
        self.library.close()
        self.open_windows.discard(self)
        super().closeEvent(event)
