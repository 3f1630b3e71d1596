"""Driving the reader like a user in tests: select a quote, click a character, read back the
colour painted at an offset (core offsets, code points)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor

from annotator.gui.widgets.reader import Reader


def find_quote(reader: Reader, library, quote: str) -> tuple[int, int]:
    text = library.document_text(reader.document_id)
    start = text.index(quote)
    return start, start + len(quote)


def select_quote(reader: Reader, library, quote: str) -> tuple[int, int]:
    """Select ``quote`` the way a keyboard user would: a QTextCursor over its Qt positions,
    set on the reader (the core offsets are returned for checks)."""
    start, end = find_quote(reader, library, quote)
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.offsets.to_qt(start))
    cursor.setPosition(reader.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    return start, end


def drag_select(qtbot, reader: Reader, start: int, end: int) -> None:
    """Select with the mouse: press on the first character, drag to the end of the last."""
    begin, finish = point_of(reader, start, left=True), point_of(reader, end - 1, left=False)
    viewport = reader.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=begin)
    qtbot.mouseMove(viewport, pos=finish)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=finish)


def point_of(reader: Reader, offset: int, *, left: bool = False) -> QPoint:
    """A viewport point over character ``offset``: its middle, or just inside its left or
    right edge."""
    cursor = QTextCursor(reader.document())
    qt = reader.offsets.to_qt(offset)
    cursor.setPosition(qt)
    reader.setTextCursor(cursor)
    reader.ensureCursorVisible()
    before = reader.cursorRect(cursor)
    cursor.setPosition(qt + 1)
    after = reader.cursorRect(cursor)
    y = before.center().y()
    if after.top() != before.top():  # the character ends a line
        return QPoint(before.x() + 2, y)
    if left:
        return QPoint(before.x() + 1, y)
    return QPoint((before.x() + after.x()) // 2 + (1 if not left else 0), y)


def click_on(qtbot, reader: Reader, offset: int) -> None:
    point = point_of(reader, offset)
    cursor = reader.textCursor()
    cursor.clearSelection()
    reader.setTextCursor(cursor)
    qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=point)


def painted(reader: Reader, offset: int) -> QColor | None:
    """The background painted under character ``offset`` (None: no highlight there)."""
    fmt = reader.char_format_at(offset)
    if not fmt.hasProperty(fmt.Property.BackgroundBrush):
        return None
    return fmt.background().color()


def underlined(reader: Reader, offset: int) -> bool:
    return reader.char_format_at(offset).fontUnderline()
