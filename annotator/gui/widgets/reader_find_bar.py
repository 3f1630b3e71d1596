"""Find in the open document (Ctrl+F): type to jump to the next match, Enter / Shift+Enter
(or F3 / Shift+F3) for next and previous, wrapping at the ends, "3 of 12" beside; Escape
closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.gui.icons import icon
from annotator.gui.tones import set_tone
from annotator.gui.widgets.reader import Reader


class FindLineEdit(QLineEdit):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.parent()
        assert isinstance(bar, FindBar)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            bar.find(backward=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if event.key() == Qt.Key.Key_Escape:
            bar.close_bar()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, reader: Reader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self._haystack = ""  # the shown text, case-folded unless Match case, for counting
        self._haystack_key: tuple[int | None, int, bool] | None = None
        self.edit = FindLineEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(lambda _t: self.find(incremental=True))
        self.case = QCheckBox("Match case")
        self.case.toggled.connect(lambda _on: self.find(incremental=True))
        self.previous = self._button("up", "Previous match (Shift+Enter)", lambda: self.find(backward=True))
        self.next = self._button("down", "Next match (Enter)", lambda: self.find())
        self.status = QLabel()
        close = self._button("close", "Close (Escape)", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        layout.addWidget(self.case)
        layout.addWidget(self.status)
        layout.addStretch(0)
        layout.addWidget(close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, self.find)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindPrevious), self, lambda: self.find(backward=True))
        self.hide()

    def _button(self, name: str, tip: str, slot) -> QToolButton:  # noqa: ANN001
        button = QToolButton(self)
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def open_bar(self) -> None:
        selected = self.reader.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 80:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.status.clear()
        self.reader.setFocus()

    def find(self, *, backward: bool = False, incremental: bool = False) -> bool:
        """Select the next (or previous) match after the cursor, wrapping around; an
        incremental search (while typing) starts at the current match, so it can grow."""
        needle = self.edit.text()
        if not needle:
            self.status.clear()
            return False
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        document = self.reader.document()
        start = QTextCursor(self.reader.textCursor())
        if incremental:
            start.setPosition(start.selectionStart())
        found = document.find(needle, start, flags)
        wrapped = False
        if found.isNull():
            edge = QTextCursor(document)
            edge.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = document.find(needle, edge, flags)
            wrapped = True
        if found.isNull():
            self.status.setText("No matches")
            set_tone(self.edit, "error")
            return False
        set_tone(self.edit, None)
        index, total = self.match_number(found.selectionStart())
        self.status.setText(f"{index} of {total}" + ("  (wrapped around)" if wrapped else ""))
        self.reader.setTextCursor(found)
        self.reader.centerCursor()
        return True

    def match_number(self, position: int) -> tuple[int, int]:
        """(which match starts at UTF-16 ``position``, how many there are), counted on the
        shown text: a str count is fast even on a 1.2-million-character document."""
        fold = not self.case.isChecked()
        key = (self.reader.document_id, self.reader.document().characterCount(), fold)
        if self._haystack_key != key:
            text = self.reader.toPlainText()
            self._haystack = text.lower() if fold else text
            self._haystack_key = key
        needle = self.edit.text().lower() if fold else self.edit.text()
        start = self.reader.offsets.to_core(position)
        return self._haystack.count(needle, 0, start) + 1, self._haystack.count(needle)
