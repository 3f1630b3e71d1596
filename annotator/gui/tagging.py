"""Tagging from the reader: turns the tag bar's and the keyboard's choices into undo commands
on the selected text or the selected highlight, and keeps the recent tags (keys 1–9)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from annotator.core.errors import AnnotatorError, ServerUnreachable
from annotator.core.library import Library
from annotator.core.models import Tag
from annotator.gui import settings
from annotator.gui.commands import push
from annotator.gui.commands_codebook import CreateTag
from annotator.gui.commands_reading import (
    AddHighlightCommand,
    DeleteHighlightsCommand,
    SetHighlightSpanCommand,
    SetHighlightTagsCommand,
)
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents
from annotator.gui.tag_entry import exact, meaning, split_names
from annotator.gui.tag_keys import TagKeys
from annotator.gui.widgets import tag_picker
from annotator.gui.widgets.reader import Reader
from annotator.gui.widgets.tag_picker import TagBar

MAX_RECENT = 9  # number keys 1–9
# Writing QSettings rewrites its file (~8 ms), so a burst of tagging saves the order once.
SAVE_RECENT_DELAY_MS = 1500


class TaggingController(QObject):
    """``message(str)``: a short hint for the status bar (e.g. "Select some text first")."""

    message = Signal(str)

    def __init__(
        self,
        library: Library,
        events: LibraryEvents,
        undo_stack: QUndoStack,
        reader: Reader,
        tag_bar: TagBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.library = library
        self.events = events
        self.undo_stack = undo_stack
        self.reader = reader
        self.bar = tag_bar
        self.window = window
        self.tag_keys = TagKeys(settings.recent_tag_ids(library.folder), settings.pinned_tag_keys(library.folder))
        # The key order after each tagging, by the undo command that made it, so an undone
        # tagging gives its keys back: (command pointer, undo index after it, recent order).
        self._names: dict[int, str] = {}  # tag id -> name, as the picker lists them
        self._applying = False  # inside _apply_ids: the bar is stated once at its end
        # Set by ``coder_view`` when the project has several coders: selecting exactly another
        # coder's passage then makes the user's own highlight instead of tagging theirs.
        self.several_coders = False
        self._unsaved = False
        self._order_log: list[tuple[int, int, list[int]]] = []
        self._order_base: list[int] = []
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_RECENT_DELAY_MS)
        self._save_timer.timeout.connect(self.save_recent)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.save_recent)
        tag_bar.tags_submitted.connect(self.apply_typed)
        tag_bar.recent_clicked.connect(self.apply_recent)
        tag_bar.untag_clicked.connect(self.untag)
        tag_bar.picker.escaped.connect(reader.setFocus)  # Escape: back to reading
        reader.recent_tag_key.connect(self.apply_recent)
        tag_bar.pin_requested.connect(self.pin)
        tag_bar.unpin_requested.connect(self.unpin)
        undo_stack.indexChanged.connect(self._follow_undo)
        reader.delete_requested.connect(self.delete_selected)
        reader.selectionChanged.connect(self.update_target)
        reader.span_handles.span_dragged.connect(self.set_span)
        self.refresh_tags()
        self._order_base = list(self.tag_keys.recent)

    # ----------------------------------------------------------------- state shown
    @property
    def recent(self) -> list[int]:
        """The tag ids on keys 1, 2, 3…"""
        return self.tag_keys.keys()

    def refresh_tags(self) -> None:
        tags = self.library.tags()
        self._names = {t.id: t.name for t in tags}
        self._codebook = (tags, self.library.categories())
        self.bar.picker.set_tags(tags, self._codebook[1])
        # Until the user has tagged enough, the free keys offer the most used tags.
        self.tag_keys.keep_only(self._names, [t.id for t in sorted(tags, key=lambda t: -t.highlight_count)])
        self._show_keys({t.id: t for t in tags})
        self.update_target()

    def _show_keys(self, by_id: dict[int, Tag]) -> None:
        keys = self.tag_keys.keys()
        self.bar.set_recent([by_id[t] for t in keys if t in by_id], pinned=set(self.tag_keys.pins.values()))

    def update_target(self) -> None:
        if self._applying:
            return  # ``_apply_ids`` states the bar once, when the tagging is done
        span = self.reader.selection_span()
        hid = self.reader.selected_highlight
        if span is not None:
            quote = self.reader.textCursor().selectedText().replace("\u2029", " ")
            self.bar.set_target(f"Selection: “{_shorten(quote)}” →")
            self.bar.set_current_tags([])
        elif hid and hid in self.reader.highlights:
            highlight = self.reader.highlights[hid]
            if highlight.note:
                # The note is part of what is selected: marked here, whole in the tooltip.
                self.bar.set_target(f"Highlight: “{_shorten(highlight.text)}” ✎ →",
                                    f"“{_shorten(highlight.text, 200)}”\n\nNote: {_shorten(highlight.note, 400)}")
            else:
                self.bar.set_target(f"Highlight: “{_shorten(highlight.text)}” →")
            self.bar.set_current_tags(highlight.tags)
        else:
            self.bar.set_target("Select text to tag it")
            self.bar.set_current_tags([])

    def focus_picker(self) -> None:
        self.bar.picker.setFocus()
        self.bar.picker.selectAll()

    # ----------------------------------------------------------------- applying
    def apply_typed(self, text: str) -> None:
        """Apply what was typed: one tag, or several separated by commas or semicolons. A
        name is an existing tag (name, alias, or a fragment only one tag fits), or a new tag:
        in the category prefixed ("actor:Howard Lutnick"), else in the one the user picks."""
        if not self._has_target():
            return
        try:
            tags, categories = self.library.tags(), self.library.categories()
        except ServerUnreachable:
            # A team server that does not answer: the codebook as last listed names the tags,
            # and the tagging itself waits to be saved (``team_pending``).
            tags, categories = self._codebook
        # A tag whose own name holds a comma is taken whole; otherwise commas separate tags.
        names = [text] if exact(text, tags) is not None else split_names(text) or [text]
        resolved: list[Tag | tuple[str, str]] = []  # a known tag, or (category, new name)
        for name in names:
            found = meaning(name, tags, categories)
            if found.tag is not None:
                resolved.append(found.tag)
            elif found.category is not None:
                resolved.append((found.category, found.name))
            else:
                choice = tag_picker.choose_category(self.window, found.name, categories,
                                                    close=found.close, default=settings.last_tag_category())
                if choice is None:
                    return
                if isinstance(choice, Tag):
                    resolved.append(choice)
                else:
                    settings.set_last_tag_category(choice)
                    resolved.append((choice, found.name))
        label = ", ".join(r.name if isinstance(r, Tag) else r[1] for r in resolved)
        self.undo_stack.beginMacro(f"Tag “{label}”")
        try:
            tag_ids = []
            for item in resolved:
                if isinstance(item, Tag):
                    tag_ids.append(item.id)
                else:
                    category, name = item
                    command = CreateTag(self.library, self.events, name, category)
                    push(self.undo_stack, command)
                    assert command.tag_id is not None
                    tag_ids.append(command.tag_id)
            self._apply_ids(tag_ids)
        except AnnotatorError as exc:
            self.undo_stack.endMacro()
            self.undo_stack.undo()  # a half-done tagging must not stay on the stack
            show_error(self.window, exc, "Tagging")
            return
        self.undo_stack.endMacro()
        self._remember(tag_ids)
        self.bar.picker.clear()

    def apply_recent(self, index: int) -> None:
        keys = self.tag_keys.keys()
        if 0 <= index < len(keys) and self._has_target():
            tag_id = keys[index]
            if self._guarded(lambda: self._apply_ids([tag_id]), "Tagging"):
                self._remember([tag_id])

    def apply_tags(self, tag_ids: Sequence[int]) -> None:
        if self._has_target() and self._guarded(lambda: self._apply_ids(list(tag_ids)), "Tagging"):
            self._remember(tag_ids)

    def _apply_ids(self, tag_ids: list[int]) -> None:
        # Tagging moves the selection twice and every pane follows the edit, and each of
        # those would state the bar again.
        self._applying = True
        try:
            self._apply_ids_quietly(tag_ids)
        finally:
            self._applying = False
        self.update_target()

    def _apply_ids_quietly(self, tag_ids: list[int]) -> None:
        span = self.reader.selection_span()
        document_id = self.reader.document_id
        me, several = self.library.user, self.several_coders
        same = next((h.id for h in self.reader.highlights.values()
                     if span and (h.start, h.end) == span and (h.author == me or not several)), 0)
        if same:
            # The exact passage is already a highlight: tag it rather than stack a twin on it.
            # Another coder's is theirs: a twin of one's own is what coding the same passage
            # independently means (and what agreement compares).
            self.reader.select_highlight(same, scroll=False)
            cursor = self.reader.textCursor()
            cursor.clearSelection()
            self.reader.setTextCursor(cursor)
            span = None
        if span is not None and document_id is not None:
            command = AddHighlightCommand(self.library, self.events, document_id, *span, tag_ids,
                                          names=self._known_names(tag_ids))
            push(self.undo_stack, command)
            assert command.highlight is not None
            # Keep tagging the same passage: the next tag goes onto the new highlight.
            cursor = self.reader.textCursor()
            cursor.clearSelection()
            self.reader.setTextCursor(cursor)
            self.reader.select_highlight(command.highlight.id, scroll=False)
            self.events.highlight_selected.emit(command.highlight.id)
        elif self.reader.selected_highlight:
            hid = self.reader.selected_highlight
            have = {t.id for t in self.reader.highlights[hid].tags}
            new = [t for t in tag_ids if t not in have]
            if new:
                push(self.undo_stack, SetHighlightTagsCommand(self.library, self.events, [hid], add=new,
                                                              names=self._known_names(new)))

    def _remember(self, tag_ids: Sequence[int]) -> None:
        """Move the tags just applied to the front of the free keys, noting the order against
        the undo command that applied them."""
        index = self.undo_stack.index()
        changed = self.tag_keys.used(tag_ids)
        self._order_log = [e for e in self._order_log if e[1] < index]
        self._order_log.append((self._command_at(index), index, list(self.tag_keys.recent)))
        if changed:
            self._keys_changed()

    def _command_at(self, index: int) -> int:
        command = self.undo_stack.command(index - 1) if index > 0 else None
        return shiboken6.getCppPointer(command)[0] if command is not None else 0

    def _follow_undo(self, index: int) -> None:
        """After an undo or redo: the key order as it was at that point of the stack. Orders
        noted for commands no longer on the stack (undone, then replaced) do not count."""
        order = self._order_base
        for command, at, logged in self._order_log:
            if at <= index and self._command_at(at) == command:
                order = logged
        if order != self.tag_keys.recent:
            self.tag_keys.recent = list(order)
            self._keys_changed()

    def _keys_changed(self) -> None:
        self._unsaved = True
        self._save_timer.start()
        shown = {t.id: t for t in self.bar.recent_tags()}
        keys = self.tag_keys.keys()
        if len(keys) == len(shown) and all(t in shown for t in keys):
            self._show_keys(shown)  # the same tags in a new order: no need to read the codebook
        else:
            self.refresh_tags()

    def pin(self, key: int, tag_id: int) -> None:
        """Pin a tag to number key ``key`` (1–9): it stays there whatever is used since."""
        self.tag_keys.pin(key, tag_id)
        self._save_pins()

    def unpin(self, tag_id: int) -> None:
        self.tag_keys.unpin(tag_id)
        self._save_pins()

    def _save_pins(self) -> None:
        settings.set_pinned_tag_keys(self.library.folder, self.tag_keys.pins)
        self._keys_changed()
        self.save_recent()

    def save_recent(self) -> None:
        """Write the recent tags' order if tagging changed it since the last write; the window
        calls this on close and the application on quit, so a normal quit loses nothing."""
        self._save_timer.stop()
        if self._unsaved:
            self._unsaved = False
            settings.set_recent_tag_ids(self.library.folder, self.tag_keys.recent)

    def untag(self, tag_id: int) -> None:
        hid = self.reader.selected_highlight
        if hid:
            self._guarded(
                lambda: push(self.undo_stack,
                             SetHighlightTagsCommand(self.library, self.events, [hid], remove=[tag_id])),
                "Removing the tag",
            )
            self.update_target()

    # ----------------------------------------------------------------- the selected highlight
    def delete_selected(self) -> None:
        hid = self.reader.selected_highlight
        if not hid:
            self.message.emit("Click a highlight first, then press Delete")
            return
        self._guarded(
            lambda: push(self.undo_stack, DeleteHighlightsCommand(self.library, self.events, [hid])),
            "Deleting the highlight",
        )
        self.events.highlight_selected.emit(0)
        self.update_target()

    def set_span_to_selection(self) -> None:
        hid = self.reader.selected_highlight
        span = self.reader.selection_span()
        if not hid or span is None:
            self.message.emit("Click a highlight, then drag its handles, or select the new extent and choose Set Span")
            return
        self.set_span(hid, *span)

    def set_span(self, highlight_id: int, start: int, end: int) -> None:
        """Move a highlight to ``[start, end)`` (core offsets) as one undo step."""
        self._guarded(
            lambda: push(
                self.undo_stack, SetHighlightSpanCommand(self.library, self.events, highlight_id, start, end)
            ),
            "Changing the highlight's extent",
        )

    # ----------------------------------------------------------------- helpers
    def _known_names(self, tag_ids: Sequence[int]) -> list[str] | None:
        """The tags' names for an undo command's label, or None (the command reads them) when
        one is not among the tags last listed."""
        names = [self._names.get(t) for t in tag_ids]
        return None if None in names else [n for n in names if n is not None]

    def _has_target(self) -> bool:
        if self.reader.selection_span() is None and not self.reader.selected_highlight:
            self.message.emit("Select some text (or click a highlight) first")
            return False
        return True

    def _guarded(self, action: Callable[[], object], what: str) -> bool:
        try:
            action()
        except AnnotatorError as exc:
            show_error(self.window, exc, what)
            return False
        return True


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

