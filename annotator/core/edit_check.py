"""The optimistic check on highlight edits, for coders working at the same time.

Every change to a highlight (span, tags, note; a merge or deletion of one of its tags) bumps
its ``version`` and records its coder in ``modified_by``. An edit that says which version it
was based on (``expected=``) is refused with ``EditConflict`` ("changed by bob at 10:42:07")
when someone else changed the highlight since, never applied over their work. Changes this
``Library`` made itself since do not count: an undo may follow the coder's own later edits
(``OwnVersions``), but never another coder's.

Rows are locked in a fixed order, tags (``tag_rows``) before highlights before the generation
counter, so two writers on PostgreSQL wait for each other instead of deadlocking.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from annotator.core._db import removals
from annotator.core._db.schema import highlights_table
from annotator.core.changes import Changes
from annotator.core.errors import EditConflict, NotFound, RemovedMeanwhile

_h = highlights_table
_BATCH = 500
Expected = Mapping[int, int] | None


class OwnVersions:
    """For each highlight, the run of versions this process wrote one after another: from
    ``start`` (the version it last saw before writing) to ``end`` (its latest write). An edit
    based on any version in that run meets nobody else's work if the highlight is still at
    ``end``."""

    def __init__(self) -> None:
        self._runs: dict[int, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def wrote(self, highlight_id: int, before: int, after: int) -> None:
        with self._lock:
            start, end = self._runs.get(highlight_id, (before, before))
            self._runs[highlight_id] = (start if end == before else before, after)

    def covers(self, highlight_id: int, expected: int, current: int) -> bool:
        run = self._runs.get(highlight_id)
        return run is not None and run[0] <= expected <= run[1] and run[1] == current


# Built once: every tagging click runs it, and making a statement's cache key anew cost more
# than SQLite's answer.
_LOCK = (select(_h.c.id, _h.c.document_id, _h.c.text, _h.c.version, _h.c.modified_by, _h.c.modified)
         .where(_h.c.id.in_(bindparam("ids", expanding=True))).order_by(_h.c.id).with_for_update())


def single(highlight_id: int, expected: int | None) -> Expected:
    return None if expected is None else {highlight_id: expected}


def lock_highlights(conn: Connection, own: OwnVersions, highlight_ids: Sequence[int],
                    expected: Expected) -> dict[int, int]:
    """Lock these highlights for this transaction (PostgreSQL: ``FOR UPDATE``, in id order; SQLite
    writes are serialised anyway) and return their versions. Raises ``RemovedMeanwhile`` or
    ``NotFound`` for one that is gone, ``EditConflict`` for one another coder changed after
    the version ``expected`` names; on SQLite, nothing."""
    if conn.dialect.name == "sqlite":
        # A local project has one writer (the project lock): nobody else's change can come
        # between, and a local edit costs no extra query. Versions still move on (``bump``).
        return {}
    ids = sorted(set(highlight_ids))
    rows: dict[int, Any] = {}
    for i in range(0, len(ids), _BATCH):
        for found in conn.execute(_LOCK, {"ids": ids[i:i + _BATCH]}):
            rows[found.id] = found
    for hid in highlight_ids:
        row: Any = rows.get(hid)
        if row is None:
            gone = removals.explain(conn, removals.HIGHLIGHT, hid)
            if gone is not None:
                sentence, coder = gone
                raise RemovedMeanwhile(f"{sentence}; {_NOT_SAVED}", coder=coder,
                                       refresh=Changes(highlights=frozenset({hid})))
            raise NotFound(f"no highlight {hid}")
        seen = None if expected is None else expected.get(hid)
        if seen is not None and seen != row.version and not own.covers(hid, seen, row.version):
            raise EditConflict(_changed(row), coder=row.modified_by or "another coder",
                               refresh=Changes(documents=frozenset({row.document_id}),
                                               highlights=frozenset({hid}), notes=True))
    return {hid: row.version for hid, row in rows.items()}


_NOT_SAVED = "your edit was not saved"


def _changed(row: Any) -> str:
    at = row.modified if isinstance(row.modified, datetime) else datetime.fromisoformat(str(row.modified))
    quote = removals.short(row.text)
    return (f"the highlight “{quote}” was changed by {row.modified_by or 'another coder'} at "
            f"{removals.when(at)} since you last saw it; {_NOT_SAVED} (it now shows their "
            "version: look again and redo your edit if it still applies)")


_BUMP_QUIET = (update(_h).where(_h.c.id.in_(bindparam("ids", expanding=True)))
               .values(version=_h.c.version + 1, modified_by=bindparam("by"))
               .returning(_h.c.id, _h.c.version))
_BUMP = _BUMP_QUIET.values(modified=bindparam("now"))


def bump(conn: Connection, own: OwnVersions, highlight_ids: Iterable[int], by: str,
         now: datetime | None) -> dict[int, int]:
    """Record a change to these highlights by ``by``: their new versions. ``now`` None keeps
    their modified time (a restore puts back the highlight as it was)."""
    ids = list(dict.fromkeys(highlight_ids))
    out: dict[int, int] = {}
    statement = _BUMP_QUIET if now is None else _BUMP
    for i in range(0, len(ids), _BATCH):
        params: dict[str, Any] = {"ids": ids[i:i + _BATCH], "by": by}
        if now is not None:
            params["now"] = now
        out.update(conn.execute(statement, params).all())
    for hid, version in out.items():
        own.wrote(hid, version - 1, version)
    return out


def record_deleted(conn: Connection, highlights: Sequence[Any], by: str, now: datetime) -> None:
    """Say who deleted these highlights (objects with ``id`` and ``text``)."""
    removals.record(conn, removals.HIGHLIGHT, [(h.id, {"text": h.text}) for h in highlights], by, now)


@contextmanager
def refreshing(publish: Any) -> Iterator[None]:
    """Publish what a refused edit must make the views read again, then let the refusal
    through: the coder sees the other coder's version, not the one they edited."""
    try:
        yield
    except EditConflict as conflict:
        if isinstance(conflict.refresh, Changes):
            publish(conflict.refresh)
        raise
