"""Which tag each number key 1–9 applies: tags pinned to a key keep it (as MAXQDA's favourite
codes do); the other keys follow recent use, the latest on the lowest free key. Qt-free."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

KEYS = 9


class TagKeys:
    def __init__(self, recent: Sequence[int] = (), pins: dict[int, int] | None = None) -> None:
        self.recent: list[int] = list(dict.fromkeys(recent))
        self.pins: dict[int, int] = {k: t for k, t in (pins or {}).items() if 1 <= k <= KEYS}

    def keys(self) -> list[int]:
        """Tag ids on keys 1, 2, 3… with no gaps: pinned tags on their keys, recent tags on
        the free ones in order. A pin beyond the tags there are moves down to the first gap."""
        pinned = set(self.pins.values())
        free = iter(t for t in self.recent if t not in pinned)
        slots: list[int | None] = []
        for key in range(1, KEYS + 1):
            slots.append(self.pins[key] if key in self.pins else next(free, None))
        out = [t for t in slots if t is not None]
        return out

    def key_of(self, tag_id: int) -> int | None:
        return next((k for k, t in self.pins.items() if t == tag_id), None)

    def used(self, tag_ids: Sequence[int]) -> bool:
        """These tags were just applied (the last one latest). Whether the order changed."""
        order = [*dict.fromkeys([*reversed(tag_ids), *self.recent])][: KEYS + len(self.pins)]
        if order == self.recent:
            return False
        self.recent = order
        return True

    def pin(self, key: int, tag_id: int) -> None:
        """Pin ``tag_id`` to ``key`` (taking it from any other key it was pinned to)."""
        self.pins = {k: t for k, t in self.pins.items() if t != tag_id}
        self.pins[key] = tag_id

    def unpin(self, tag_id: int) -> None:
        self.pins = {k: t for k, t in self.pins.items() if t != tag_id}

    def keep_only(self, tag_ids: Iterable[int], fill: Iterable[int]) -> None:
        """Forget tags that are gone; top the recent tags up from ``fill`` (most used first)
        until every key has one."""
        alive = set(tag_ids)
        self.recent = [t for t in self.recent if t in alive]
        self.pins = {k: t for k, t in self.pins.items() if t in alive}
        for tag in fill:
            if len(self.recent) >= KEYS + len(self.pins):
                break
            if tag not in self.recent:
                self.recent.append(tag)
