"""Undo of a codebook edit must not take back another coder's work (a team project).

Highlights carry versions (``edit_check``); tags do not, so a tag edit's undo names what it
expects instead: the values its own edit left (a rename's undo expects the name it gave), or,
for the undo of making a tag, that no other coder's highlight carries it yet. Both checks run
inside the edit's transaction, after the tag is locked, so a coder applying the tag at that
moment has either committed (and is seen) or waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from annotator.core._db import removals
from annotator.core._db.schema import highlight_tags, highlights_table
from annotator.core.changes import Changes
from annotator.core.errors import EditConflict
from annotator.core.models import Tag

_h = highlights_table
_NOT_UNDONE = "your undo was not applied"


def check_unchanged(tag: Tag, expected: Mapping[str, Any] | None) -> None:
    """Refuse (``EditConflict``) when one of the ``expected`` fields no longer holds its value:
    another coder edited the tag since this coder's edit."""
    if not expected:
        return
    changed = [key for key, value in expected.items() if _same(getattr(tag, key)) != _same(value)]
    if not changed:
        return
    now = f"it is now called “{tag.name}”" if "name" in changed else f"its {_field(changed[0])} changed"
    raise EditConflict(f"the tag “{tag.name}” was changed by another coder since ({now}); {_NOT_UNDONE}",
                       coder="another coder", refresh=Changes(tags=frozenset({tag.id}), codebook=True))


def check_unused_by_others(conn: Connection, tag: Tag, user: str) -> None:
    """Refuse (``EditConflict``) removing a tag another coder has applied: the undo of making
    it would take it off their highlights."""
    row = conn.execute(
        select(_h.c.id, _h.c.author, _h.c.modified_by, _h.c.modified)
        .join(highlight_tags, highlight_tags.c.highlight_id == _h.c.id)
        .where(highlight_tags.c.tag_id == tag.id,
               or_(_h.c.author != user, _h.c.modified_by != user))
        .order_by(_h.c.modified.desc()).limit(1)
    ).first()
    if row is None:
        return
    coder = row.modified_by if row.modified_by and row.modified_by != user else row.author
    at = row.modified if isinstance(row.modified, datetime) else datetime.fromisoformat(str(row.modified))
    raise EditConflict(
        f"the tag “{tag.name}” was applied by {coder} at {removals.when(at)} since you made it; "
        f"removing it would take it off their highlights, so {_NOT_UNDONE} (the tag stays)",
        coder=coder, refresh=Changes(tags=frozenset({tag.id}), codebook=True))


def _same(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _field(key: str) -> str:
    return {"parent_id": "place in the tree", "aliases": "aliases", "colour": "colour"}.get(key, key)
