"""Coders in the window: which coders' work is shown, blind coding, and colour by coder.

The filter and blind coding live in the core (``Library.set_visible_coders``,
``Library.set_blind_coding``), so every pane, the reader, search and analysis count the same
highlights the CLI would. This module gives them their menu (View › Coders), the Highlights
pane's coder button, the status bar's word on what is hidden, and the reader's "colour by
coder" mode with its legend. With one coder in the project none of it shows: a researcher
working alone sees the window as it always was.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QToolButton, QWidget

from annotator.core.changes import Changes
from annotator.core.errors import AnnotatorError
from annotator.core.library import Library
from annotator.gui.coder_labels import coder_name
from annotator.gui.errors import show_error
from annotator.gui.events import LibraryEvents

# Okabe and Ito's palette, safe for the common colour-vision deficiencies, in an order that
# keeps the first coders far apart; after eight, darker shades of the same hues. Each is 60 %
# of Okabe-Ito's hue over white: at full strength the blue and vermilion behind black text
# read heavily next to the tag palette's pastels (black text stays legible on all of these).
CODER_COLOURS = ("#66aad1", "#f0c566", "#66c5ab", "#e0afca", "#9ad2f2", "#e69e66", "#f6ef8e",
                 "#c2c2c2")


def coder_colours(names: list[str]) -> dict[str, str]:
    """A distinct colour per coder, by name order, so every client of a team project gives a
    coder the same colour."""
    colours = {}
    for i, name in enumerate(sorted(names, key=lambda n: (n.casefold(), n))):
        base = CODER_COLOURS[i % len(CODER_COLOURS)]
        colours[name] = base if i < len(CODER_COLOURS) else _darker(base, i // len(CODER_COLOURS))
    return colours


def _darker(colour: str, step: int) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    scale = max(0.4, 1 - 0.25 * step)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * scale) for c in (r, g, b)))


class CoderView(QObject):
    """Owned by the main window. ``changed`` fires after what is shown changed (the coders
    shown, blind coding, colour mode) and the views were told."""

    changed = Signal()

    def __init__(self, window: QMainWindow, library: Library, events: LibraryEvents,
                 reload_reader: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.library, self.events = window, library, events
        self._reload_reader = reload_reader
        self.names: list[str] = []  # every coder the user may see
        self.colour_by_coder = False
        self.colours: dict[str, str] = {}
        self._listeners: list[Callable[[], None]] = []

        self.menu = QMenu("&Coders", window)
        self.menu.aboutToShow.connect(lambda: self._fill_menu(self.menu))
        self.act_blind = QAction("&Blind Coding", window)
        self.act_blind.setCheckable(True)
        self.act_blind.setStatusTip("Hide other coders' highlights and their counts until you "
                                    "choose to compare (kept in the project for you)")
        self.act_blind.toggled.connect(self.set_blind)
        self.act_colour = QAction("Colour by C&oder", window)
        self.act_colour.setCheckable(True)
        self.act_colour.setStatusTip("Paint highlights in their coder's colour instead of "
                                     "their tag's")
        self.act_colour.toggled.connect(self.set_colour_by_coder)

        self.pane_button = QToolButton()
        self.pane_button.setText("Coders")
        self.pane_button.setToolTip("Show every coder's highlights, or only some coders'")
        self.pane_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._pane_menu = QMenu(self.pane_button)
        self._pane_menu.aboutToShow.connect(lambda: self._fill_menu(self._pane_menu))
        self.pane_button.setMenu(self._pane_menu)

        self.status_label = QLabel()
        self.status_label.setContentsMargins(6, 0, 6, 0)
        self.legend = QLabel()
        self.legend.setObjectName("coderLegend")
        self.legend.setContentsMargins(6, 0, 6, 0)
        self.legend.setToolTip("Colour by coder: each coder's highlights in their colour")
        events.changed.connect(self._on_changed)
        self.act_blind.blockSignals(True)
        self.act_blind.setChecked(library.blind_coding())
        self.act_blind.blockSignals(False)
        self.refresh()

    # ----------------------------------------------------------------- wiring
    def install(self, view_menu: QMenu | None, pane_row: object, status_bar: QWidget) -> None:
        """Put the menu, the Highlights pane's button and the status labels in place."""
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addAction(self.act_blind)
            view_menu.addAction(self.act_colour)
            view_menu.addMenu(self.menu)
        add = getattr(pane_row, "addWidget", None)
        if add is not None:
            add(self.pane_button)
        insert = getattr(status_bar, "insertPermanentWidget", None)
        if insert is not None:
            insert(0, self.legend)
            insert(0, self.status_label)
        self._show_state()

    def on_update(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every refresh (views copying ``several``/``colours``)."""
        self._listeners.append(listener)
        listener()

    # ----------------------------------------------------------------- state
    @property
    def several(self) -> bool:
        """More than one coder to tell apart: only then is any coder named or coloured."""
        return len(self.names) > 1

    def refresh(self) -> None:
        """Read the coders again and bring every view up to date."""
        self.names = [c.name for c in self.library.coders()]
        self.colours = coder_colours(self.names)
        self._show_state()
        for listener in self._listeners:
            listener()

    def _on_changed(self, changes: Changes) -> None:
        rows = changes.payload.rows
        shown = self.library.visible_coders()
        me = self.library.user
        if rows and shown is not None and me not in shown and not self.library.blind_coding() \
                and any(h.author == me for h in rows):
            # The user coded while only other coders show: their new highlight must not
            # vanish, so their own work comes back into view (after this change is handled).
            QTimer.singleShot(0, lambda: self._show_mine_too(me))
        if changes.same_highlight_counts and not changes.documents_added_or_removed:
            return
        if rows is not None and not changes.documents_added_or_removed and not changes.codebook \
                and all(h.author in self.names for h in rows):
            return  # highlights of known coders came or went (each tagging click): nothing new
        before = self.names
        names = [c.name for c in self.library.coders()]
        if names != before:
            self.refresh()

    def _show_state(self) -> None:
        blind = self.library.blind_coding()
        shown = self.library.visible_coders()
        if blind:
            text = f"Blind coding: only your highlights ({coder_name(self.library.user)})"
        elif shown is not None:
            text = "Coders shown: " + ", ".join(sorted(coder_name(c) for c in shown))
        else:
            text = ""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        self.pane_button.setVisible(self.several and not blind)
        self.menu.setEnabled(self.several and not blind)
        self.act_colour.setEnabled(self.several)
        legend = self.colour_by_coder and self.several
        self.legend.setVisible(legend)
        if legend:
            self.legend.setText("  ".join(
                f'<span style="color:{self.colours[n]}">■</span> {html.escape(coder_name(n))}'
                for n in self.names if shown is None or n in shown))
        self.pane_button.setText("Coders" if shown is None or blind else f"Coders ({len(shown)})")

    # ----------------------------------------------------------------- user choices
    def _fill_menu(self, menu: QMenu) -> None:
        menu.clear()
        shown = self.library.visible_coders()
        every = menu.addAction("All Coders")
        every.setCheckable(True)
        every.setChecked(shown is None)
        every.triggered.connect(lambda: self.show_coders(None))
        menu.addSeparator()
        group = QActionGroup(menu)
        group.setExclusive(False)
        for name in self.names:
            label = coder_name(name) + (" (you)" if name == self.library.user else "")
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(shown is None or name in shown)
            action.setData(name)
            group.addAction(action)
            action.triggered.connect(lambda checked, n=name: self.toggle_coder(n, checked))

    def toggle_coder(self, name: str, on: bool) -> None:
        shown = set(self.library.visible_coders() or self.names)
        if on:
            shown.add(name)
        else:
            shown.discard(name)
        if not shown:
            self.window.statusBar().showMessage("At least one coder stays shown", 4000)
            self._show_state()
            return
        self.show_coders(None if shown >= set(self.names) else shown)

    def show_coders(self, names: set[str] | None) -> None:
        """Show only these coders' work (None: every coder)."""
        try:
            with self.library.collect_changes() as collected:
                self.library.set_visible_coders(names)
        except AnnotatorError as exc:
            show_error(self.window, exc, "Choosing coders")
            return
        self._after_choice(collected.changes)

    def _show_mine_too(self, me: str) -> None:
        shown = self.library.visible_coders()
        if shown is not None and me not in shown:
            self.show_coders(set(shown) | {me})
            self.window.statusBar().showMessage(
                "Your highlights are shown again, with the coders you chose", 5000)

    def set_blind(self, on: bool) -> None:
        if on == self.library.blind_coding():
            return
        try:
            with self.library.collect_changes() as collected:
                self.library.set_blind_coding(on)
        except AnnotatorError as exc:
            show_error(self.window, exc, "Blind coding")
            self.act_blind.blockSignals(True)
            self.act_blind.setChecked(self.library.blind_coding())
            self.act_blind.blockSignals(False)
            return
        self.refresh()
        self._after_choice(collected.changes)
        self.window.statusBar().showMessage(
            "Blind coding is on: other coders' highlights and counts are hidden" if on
            else "Blind coding is off: every coder's highlights are shown", 5000)

    def set_colour_by_coder(self, on: bool) -> None:
        self.colour_by_coder = on
        self._show_state()
        for listener in self._listeners:
            listener()
        self.changed.emit()

    def _after_choice(self, changes: Changes) -> None:
        """Every pane re-reads what it shows (the core's whole-project change); the reader
        re-reads its document's highlights."""
        self._reload_reader()  # first: the Highlights pane lists what the reader holds
        self.events.emit_changes(changes)
        self._show_state()
        for listener in self._listeners:
            listener()
        self.changed.emit()


def install_coder_view(window: Any) -> CoderView:
    """Give the main window its coder view: View menu entries, the Highlights pane's button,
    the status bar labels, and the views that name or colour coders kept in step."""
    reader, pane, notes, tagging = window.reader, window.highlights_pane, window.notes, window.tagging
    library = window.library

    def reload_reader() -> None:
        reader.coders_shown = library.visible_coders()
        if reader.document_id is None:
            return
        fresh = library.highlights(reader.document_id)
        gone = set(reader.highlights) - {h.id for h in fresh}
        reader.update_highlights(fresh, gone)

    view = CoderView(window, library, window.events, reload_reader)
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    view.install(view_menu, pane.top_row, window.statusBar())

    def apply() -> None:
        several = view.several
        reader.show_coders = several
        reader.coders_shown = library.visible_coders()
        colours = view.colours if view.colour_by_coder and several else None
        if colours != reader.coder_colours:
            reader.coder_colours = colours
            reader.repaint_all()
        notes.show_coders = several
        tagging.several_coders = several
        if pane.model.show_coders != several:
            pane.model.show_coders = several
            pane.view.viewport().update()

    view.on_update(apply)
    return view
