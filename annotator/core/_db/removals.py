"""Who removed a highlight or a tag, and when: the sentence a coder reads when their edit
named something another coder deleted (or merged away) a moment before."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from annotator.core._db.schema import removals_table

HIGHLIGHT = "highlight"
TAG = "tag"
_BATCH = 500

_r = removals_table


def when(at: datetime) -> str:
    """A change's time as a coder reads it: the time alone today, else date and time."""
    return f"{at:%H:%M:%S}" if at.date() == datetime.now().date() else f"{at:%Y-%m-%d %H:%M}"


def record(conn: Connection, kind: str, removed: Sequence[tuple[int, dict[str, str]]],
           by: str, at: datetime) -> None:
    """Note that these rows (id, what to say about them) were removed by ``by``."""
    if not removed:
        return
    forget(conn, kind, [row_id for row_id, _ in removed])
    conn.execute(insert(_r), [{"kind": kind, "row_id": row_id, "removed_by": by, "removed_at": at,
                               "detail": json.dumps(detail)} for row_id, detail in removed])


def forget(conn: Connection, kind: str, ids: Iterable[int]) -> None:
    """These rows are back (an undo): no longer removed."""
    ids = list(ids)
    for i in range(0, len(ids), _BATCH):
        conn.execute(delete(_r).where(_r.c.kind == kind, _r.c.row_id.in_(ids[i:i + _BATCH])))


def explain(conn: Connection, kind: str, row_id: int) -> tuple[str, str] | None:
    """(the sentence, the coder) saying who removed this row and when, or None when nobody
    recorded it (never existed, or went with its document)."""
    row = conn.execute(select(_r.c.removed_by, _r.c.removed_at, _r.c.detail)
                       .where(_r.c.kind == kind, _r.c.row_id == row_id)).first()
    if row is None:
        return None
    detail = json.loads(row.detail or "{}")
    at = row.removed_at if isinstance(row.removed_at, datetime) else datetime.fromisoformat(str(row.removed_at))
    if kind == TAG:
        what = f"the tag “{detail.get('name', row_id)}”"
        how = f"merged into “{detail['merged_into']}”" if detail.get("merged_into") else "deleted"
    else:
        quote = detail.get("text", "")
        what = f"the highlight “{short(quote)}”" if quote else f"highlight {row_id}"
        how = "deleted"
    return f"{what} was {how} by {row.removed_by} at {when(at)}", row.removed_by


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
