"""The Notes pane: edits the note of the selected highlight, or of the open document when no
highlight is selected. Saves by itself (after a short pause and on leaving the editor); each
burst of editing is one undo step, however many times it saved along the way."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QShowEvent, QTextCursor, QUndoStack
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError, NotFound
from annotator.core.library import Library
from annotator.core.models import Highlight
from annotator.gui.coder_labels import coded_by
from annotator.gui.commands import push
from annotator.gui.commands_notes import SetNote
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.swatches import mute_label
from annotator.gui.visibility import hidden_in_window

IDLE_MS = 800
QUOTE_CHARS = 70


class NoteEditor(QWidget):
    """Follows ``events.document_opened`` / ``events.highlight_selected``; writes through
    ``SetNote`` commands on ``undo_stack``; reloads on ``events.changed`` (undo, redo)."""

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.events, self.undo_stack = library, events, undo_stack
        self.document_id: int | None = None
        self.highlight_id: int | None = None
        self.show_coders = False  # name the highlight's coder (``coder_view``: several coders)
        self._saved: str = ""  # what the Library holds for the current target
        self._dirty = False
        self._loading = False
        self._committing = False
        self._burst = 0  # bumped whenever an editing burst ends; SetNote merges within one
        self._stale = False  # the target changed while hidden: read it when shown
        self._version: int | None = None  # the highlight version the note shown is based on
        self._read_version: int | None = None

        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.target_label.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.installEventFilter(self)
        self.status_label = QLabel()
        mute_label(self.target_label)
        mute_label(self.status_label)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_MS)
        self.idle_timer.timeout.connect(self.commit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)  # breathing room inside the side tabs
        layout.setSpacing(4)
        layout.addWidget(self.target_label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status_label)

        events.document_opened.connect(self._document_opened)
        events.highlight_selected.connect(self._highlight_selected)
        events.changed.connect(self._on_changed)
        self._load()

    # ----------------------------------------------------------------- target
    def _document_opened(self, document_id: int) -> None:
        if document_id == self.document_id and self.highlight_id is None:
            return
        self.commit()
        self._end_burst()
        self.document_id, self.highlight_id = document_id, None
        self._load()

    def _highlight_selected(self, highlight_id: int) -> None:
        if (highlight_id or None) == self.highlight_id:
            return
        self.commit()
        self._end_burst()
        if highlight_id and hidden_in_window(self):
            # Out of sight (tagging selects every new highlight): its document is read with it
            # once shown.
            self.highlight_id = highlight_id
            self._load()
            return
        # Only the document is needed here (a cheap read); the note and quote are read when shown.
        found = self.library.highlight_documents([highlight_id]) if highlight_id else frozenset()
        if found:
            self.document_id, self.highlight_id = next(iter(found)), highlight_id
        else:
            self.highlight_id = None
        self._load()

    def _read_target(self) -> tuple[str, str]:
        """The current target's stored note and its description, from one read; resets the
        target if it is gone."""
        try:
            if self.highlight_id is not None:
                highlight = self.library.highlight(self.highlight_id)
                self.document_id = highlight.document_id
                self._read_version = highlight.version
                return highlight.note or "", self._describe_highlight(highlight)
        except NotFound:
            self.highlight_id = None
        try:
            if self.document_id is not None:
                document = self.library.document(self.document_id)
                return document.note or "", f"Note on document: {document.title}"
        except NotFound:
            self.document_id = None
        return "", "No document open"

    def _describe_highlight(self, highlight: Highlight) -> str:
        quote = " ".join(highlight.text.split())
        metrics = QFontMetrics(self.target_label.font())
        quote = metrics.elidedText(quote, Qt.TextElideMode.ElideRight,
                                   metrics.averageCharWidth() * QUOTE_CHARS)
        page = f" p. {highlight.page}" if highlight.page else ""
        coder = f" ({coded_by(highlight)})" if self.show_coders else ""
        return f"Note on highlight{page}: “{quote}”{coder}"

    def _load(self) -> None:
        self.idle_timer.stop()
        self._dirty = False
        if hidden_in_window(self):
            # Behind another side tab nobody reads or types here: read when shown.
            self._stale = True
            return
        self._stale = False
        self._saved, description = self._read_target()
        self._version = self._read_version
        # Always replace (even with equal text): setPlainText clears the editor's own undo
        # history, so Ctrl+Z in the editor can never bring back another target's typing.
        self._set_text(self._saved, force=True)
        self.editor.setEnabled(self.document_id is not None)
        self.target_label.setText(description)
        self.target_label.setToolTip(description)
        self.editor.setPlaceholderText(
            "" if self.document_id is None
            else "Write a note on this highlight…" if self.highlight_id is not None
            else "Write a note on this document…"
        )
        self.status_label.setText("")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()

    def focus_editor(self) -> None:
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def _set_text(self, text: str, *, force: bool = False) -> None:
        if self.editor.toPlainText() == text and not force:
            return
        self._loading = True
        try:
            position = self.editor.textCursor().position()
            self.editor.setPlainText(text)
            cursor = self.editor.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.editor.setTextCursor(cursor)
        finally:
            self._loading = False

    # ----------------------------------------------------------------- saving
    def _text_changed(self) -> None:
        if self._loading or self.document_id is None:
            return
        self._dirty = True
        self.status_label.setText("Editing…")
        self.idle_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.commit()
            self._end_burst()
        return super().eventFilter(watched, event)

    def _end_burst(self) -> None:
        self._burst += 1

    def commit(self) -> None:
        """Save the text if it changed; consecutive saves of one burst merge into one step."""
        self.idle_timer.stop()
        if not self._dirty or self.document_id is None:
            return
        self._dirty = False
        text = self.editor.toPlainText()
        if text.strip() == self._saved.strip():
            self.status_label.setText("")
            return
        self._committing = True
        try:
            command = SetNote(self.library, self.events, document_id=self.document_id,
                              highlight_id=self.highlight_id, text=text, burst=self._burst,
                              seen=self._version)
            push(self.undo_stack, command)
            self._version = command.version
        except AnnotatorError as exc:
            show_error(self, exc, "Saving the note")
            return
        finally:
            self._committing = False
        self._saved = text
        self.status_label.setText("Saved")

    # ----------------------------------------------------------------- outside changes
    def _on_changed(self, changes: Changes) -> None:
        if self._committing:
            return
        # A highlight's note and quote change only with that highlight; the document's note
        # is the target only while no highlight is.
        touches = changes.documents_added_or_removed or (
            self.highlight_id in changes.highlights if self.highlight_id is not None
            else self.document_id is not None and self.document_id in changes.documents
        )
        if not touches:
            return
        if self._stale or hidden_in_window(self):
            self._stale = True
            return
        before = (self.document_id, self.highlight_id)
        stored, description = self._read_target()  # also drops a target that was deleted
        if (self.document_id, self.highlight_id) != before:
            self._load()
            return
        # An undo or redo changed this note under us: a new burst starts after it. Text the
        # user is still typing wins (it is on screen and will be saved).
        self._end_burst()
        self._saved = stored
        if not self._dirty:
            self._set_text(stored)
            # Typing based on an older version keeps it: its save is then refused if another
            # coder changed the note meanwhile (the optimistic check), never written over theirs.
            self._version = self._read_version
        self.target_label.setText(description)
