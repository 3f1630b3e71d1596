"""What the search panel shows instead of an empty results list: a few query examples and a
link to Help ▸ Search Syntax, in the muted secondary-text colour, a few lines tall."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from annotator.gui.dialogs.help_dialogs import SearchSyntaxDialog
from annotator.gui.swatches import mute_label

SYNTAX_LINK = "help:search-syntax"
_EXAMPLES = (
    ("<code>\"trade war\"</code> the phrase", "<code>tariffs OR duties</code>",
     "<code>-china</code> leave out", "<code>negotiat*</code> prefix"),
    ("<code>actor:Carney</code>", "<code>topic:tariffs</code>", "<code>published:2025-06</code>",
     "<code>in:highlights</code>"),
)


def hint_html(heading: str, link_colour: str) -> str:
    rows = "<br>".join(" &nbsp;·&nbsp; ".join(row) for row in _EXAMPLES)
    return (f"{heading}<br>{rows}<br>"
            f"All of it in <a href='{SYNTAX_LINK}' style='color:{link_colour}'>Help ▸ Search Syntax</a>.")


class SearchHint(QLabel):
    """``set_heading`` says why there is nothing to list (no query yet, no match)."""

    EMPTY = "Words match in any form, in documents, passages, tags and notes. For example:"
    NO_MATCH = "Nothing matched. Fewer words, a prefix with * or a close spelling with ~ may help:"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heading = self.EMPTY
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setContentsMargins(2, 6, 2, 2)
        mute_label(self)
        self.linkActivated.connect(self._open)
        self._render()

    def minimumSizeHint(self) -> QSize:
        """As tall as the text at the width it has, not at QLabel's narrowest guess, so the
        splitter lets the panel shrink to the hint."""
        hint = super().minimumSizeHint()
        if self.width() <= hint.width():
            return hint
        return QSize(hint.width(), self.heightForWidth(self.width()))

    def set_heading(self, heading: str) -> None:
        self._heading = heading
        self._render()

    def _render(self) -> None:
        # Rich text takes a link's colour when it is parsed, not when it is painted: name the
        # palette's own, and parse again when the palette changes.
        self.setText(hint_html(self._heading, self.palette().color(QPalette.ColorRole.Link).name()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._render()

    def _open(self, link: str) -> None:
        if link == SYNTAX_LINK:
            SearchSyntaxDialog(self.window()).exec()
