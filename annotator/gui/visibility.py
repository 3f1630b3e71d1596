"""Whether a pane is out of sight behind another side tab (or a hidden panel), so it can put
off its reads until it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def hidden_in_window(widget: QWidget) -> bool:
    """True when the widget or a parent below its window is hidden. A window not shown yet
    does not count: its panes keep up, as they must when it appears."""
    current: QWidget | None = widget
    while current is not None and not current.isWindow():
        if current.isHidden():
            return True
        current = current.parentWidget()
    return False
