"""The line above the tag bar naming the open document (bold title, then author, format,
date, pages, highlights). It is elided at a character boundary with "…" to the width it is
given — never cut mid-word by the frame — and its tooltip always holds the full text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

SEPARATOR = "  ·  "


class DocumentHeader(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setContentsMargins(8, 6, 8, 2)
        self.title = ""
        self.details = ""
        self.hint = ""

    def set_document(self, title: str, details: str) -> None:
        self.title, self.details, self.hint = title, details, ""
        self.setToolTip(title + SEPARATOR + details if details else title)
        self._fit()

    def set_hint(self, hint: str) -> None:
        """An italic line when no document is open."""
        self.title, self.details, self.hint = "", "", hint
        self.setToolTip(hint)
        self._fit()

    def full_text(self) -> str:
        return self.hint or (self.title + SEPARATOR + self.details if self.details else self.title)

    def shown_text(self) -> str:
        """The plain text on screen now (elided when the label is narrow)."""
        return self._parts()[0]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _parts(self) -> tuple[str, str]:
        """(plain text shown, the same as rich text)."""
        margins = self.contentsMargins()
        room = max(0, self.width() - margins.left() - margins.right() - 2)
        normal = QFontMetrics(self.font())
        elide = Qt.TextElideMode.ElideRight
        if self.hint:
            italic = QFont(self.font())
            italic.setItalic(True)
            shown = QFontMetrics(italic).elidedText(self.hint, elide, room)
            return shown, f"<i>{_escape(shown)}</i>"
        bold_font = QFont(self.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        details = SEPARATOR + self.details if self.details else ""
        details_width = normal.horizontalAdvance(details)
        title_width = bold.horizontalAdvance(self.title)
        if title_width + details_width <= room:
            title = self.title
        elif room - details_width >= room * 0.45:
            # The title gives way first, while it keeps about half of the line.
            title = bold.elidedText(self.title, elide, room - details_width)
        else:
            title = bold.elidedText(self.title, elide, int(room * 0.45))
            details = normal.elidedText(details, elide, room - bold.horizontalAdvance(title))
        details = details if details.strip(" ·") else ""
        rich = f"<b>{_escape(title)}</b>" + (_escape(details).replace("  ", "&nbsp; ") if details else "")
        return title + details, rich

    def _fit(self) -> None:
        self.setText(self._parts()[1])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
