"""Who coded what: the project's coders, which of them the read paths show, and blind coding.

Every highlight names the coder who made it (``highlights.author``) and every note the coder
who wrote it (``notes.author``). A ``Library`` shows every coder's work unless

* the coder filter names some coders (``set_visible_coders``: "show only Alice and Bob"), or
* blind coding is on for this user (``set_blind_coding``): only their own highlights, and
  counts of only their own highlights, until they choose to compare. It is kept in the
  project per user (``meta`` key ``blind_coding:<user>``), so the GUI and every CLI command
  of that user agree, and a second researcher's setting is theirs alone.

Both become one set on the store (``Store.shown_coders``) that the read paths honour through
``coder_condition``: highlights, documents' and tags' highlight counts, search hits on
highlights and their notes, excerpt exports and every analysis count. Writes are not
filtered, and undo snapshots read every coder's highlights (what a write removes must come
back whole). ``None`` (no filter) leaves every statement as it was: a one-coder project reads
exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from annotator.core._db.schema import (
    HighlightRow,
    MetaRow,
    NoteRow,
    documents_table,
    highlights_table,
    notes_table,
    tags_table,
)
from annotator.core.changes import Changes
from annotator.core.coder_identity import BLIND_ON, blind_key
from annotator.core.errors import InvalidInput
from annotator.core.models import Coder
from annotator.core.store import Store


def coder_condition(store: Store, author: Any) -> list[ColumnElement[bool]]:
    """``[author IN (shown coders)]``, or ``[]`` when every coder is shown."""
    shown = store.shown_coders
    return [] if shown is None else [author.in_(sorted(shown))]


def shown_highlights(store: Store) -> Select | None:
    """``SELECT id FROM highlights`` of the shown coders, for tables hanging off highlights
    (``highlight_tags``, notes); None when every coder is shown."""
    shown = store.shown_coders
    if shown is None:
        return None
    return select(highlights_table.c.id).where(highlights_table.c.author.in_(sorted(shown)))


class Coders:
    def __init__(self, store: Store, counts: Callable[[], dict[str, int]]) -> None:
        """``counts``: the database's whole counts (``Documents.counts``), which is what the
        user sees when every coder is shown."""
        self._store = store
        self._counts = counts
        self._chosen: frozenset[str] | None = None
        self._blind = False

    def reload_coder_settings(self) -> None:
        """Read this user's blind-coding setting from the project (on open, and again when
        the store's user changes, e.g. once logged in to a team project)."""
        with self._store.read() as s:
            row = s.get(MetaRow, blind_key(self._store.user))
            self._blind = row is not None and row.value == BLIND_ON
        self._apply()

    # ----------------------------------------------------------------- reading
    def coders(self) -> list[Coder]:
        """Every coder with their highlight and note counts, by name. With blind coding on,
        only this user: another coder's name and counts are what blind coding hides."""
        h, n = HighlightRow, NoteRow
        with self._store.read() as s:
            highlights = dict(s.execute(select(h.author, func.count()).group_by(h.author)).all())
            notes = dict(s.execute(
                select(n.author, func.count()).where(n.highlight_id.is_not(None))
                .group_by(n.author)).all())
        names = sorted(set(highlights) | set(notes), key=lambda c: (c.casefold(), c))
        if self._blind:
            names = [c for c in names if c == self._store.user]
        return [Coder(c, highlights.get(c, 0), notes.get(c, 0)) for c in names]

    def visible_coders(self) -> frozenset[str] | None:
        """The coders whose work is shown now (None: every coder)."""
        return self._store.shown_coders

    def blind_coding(self) -> bool:
        return self._blind

    def visible_counts(self) -> dict[str, int]:
        """``Library.counts()`` as the user may see it: highlights (and their notes) of the
        shown coders only. ``counts()`` stays the database's whole, for the index checks."""
        shown = shown_highlights(self._store)
        if shown is None:  # the status bar asks after every edit: the one prepared statement
            return self._counts()
        h, n = highlights_table, notes_table
        highlights = select(func.count()).select_from(h).where(
            *coder_condition(self._store, h.c.author))
        notes = select(func.count()).select_from(n).where(
            or_(n.c.highlight_id.is_(None), n.c.highlight_id.in_(shown)))
        with self._store.read() as s:
            return {
                "documents": s.scalar(select(func.count()).select_from(documents_table)) or 0,
                "highlights": s.scalar(highlights) or 0,
                "tags": s.scalar(select(func.count()).select_from(tags_table)) or 0,
                "notes": s.scalar(notes) or 0,
            }

    # ----------------------------------------------------------------- choosing
    def set_visible_coders(self, coders: Iterable[str] | None) -> None:
        """Show only these coders' work (None: every coder). Kept for this session only; blind
        coding, while on, wins over it."""
        chosen = None if coders is None else frozenset(coders)
        if chosen is not None and not chosen:
            raise InvalidInput("choose at least one coder to show (or show every coder)")
        self._chosen = chosen
        self._apply()

    def set_blind_coding(self, on: bool) -> None:
        """Turn blind coding on or off for this user, kept in the project."""
        with self._store.write() as s:
            key = blind_key(self._store.user)
            row = s.get(MetaRow, key)
            value = BLIND_ON if on else "off"
            if row is None:
                s.add(MetaRow(key=key, value=value))
            else:
                row.value = value
        self._blind = on
        self._apply()

    def _apply(self) -> None:
        shown = frozenset({self._store.user}) if self._blind else self._chosen
        if shown == self._store.shown_coders:
            return
        self._store.shown_coders = shown
        # Every count and list a view shows may change: say so as one whole-project change.
        self._store.publish(Changes(documents_added_or_removed=True, codebook=True, notes=True))
