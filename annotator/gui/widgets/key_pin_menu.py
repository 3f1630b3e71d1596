"""Pin a tag to a number key from a menu (the codebook's): "Pin to key ▸ 1…9", and "Unpin"
when it is pinned. The tagging controller owns the keys; a pane gets these hooks from the
window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QMenu

from annotator.core.models import Tag
from annotator.gui.tag_keys import KEYS


@dataclass(frozen=True)
class PinHooks:
    pins: Callable[[], dict[int, int]]  # key -> tag id
    pin: Callable[[int, int], None]  # key, tag id
    unpin: Callable[[int], None]  # tag id


def add_pin_actions(menu: QMenu, tag: Tag, hooks: PinHooks, names: dict[int, str]) -> None:
    """``names``: tag id -> name, to say which tag a key holds now."""
    pins = hooks.pins()
    current = next((k for k, t in pins.items() if t == tag.id), None)
    if current is not None:
        menu.addAction(f"Unpin “{tag.name}” from key {current}", lambda: hooks.unpin(tag.id))
    keys = menu.addMenu("Pin to key")
    keys.setToolTipsVisible(True)
    for key in range(1, KEYS + 1):
        holder = pins.get(key)
        label = str(key) if holder is None or holder == tag.id else f"{key}  (instead of “{names.get(holder, '?')}”)"
        action = keys.addAction(label, lambda k=key: hooks.pin(k, tag.id))
        action.setCheckable(True)
        action.setChecked(holder == tag.id)
