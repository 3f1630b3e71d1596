"""PySide6 6.12.0 on Python 3.11 lowers None's refcount on every call of a void Qt method until
the interpreter aborts (../shared/design/STACK.md). This keeps such a release out."""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

CALLS = 10_000


def test_void_qt_methods_do_not_eat_none_references() -> None:
    document = QTextDocument("x" * 100)
    cursor = QTextCursor(document)
    fmt = QTextCharFormat()
    before = sys.getrefcount(None)
    for i in range(CALLS):
        cursor.setPosition(i % 100)  # returns void
    fmt.setFontWeight(700)
    for _ in range(CALLS // 10):
        cursor.setPosition(10)
        cursor.setPosition(20, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
    after = sys.getrefcount(None)
    # Other threads may create and drop None references meanwhile; a leak of one per call
    # would show as thousands.
    assert after >= before - 100, f"None refcount fell by {before - after} over {CALLS} void calls"
