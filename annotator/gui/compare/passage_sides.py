"""One passage shown side by side: a column per compared coder (and one for the consensus), each
the passage's text in its context with that coder's highlights shaded in their tag colours and
underlined in the coder's colour, the spans and tags listed below, and the button that accepts
that coder's side into the consensus."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.disagreements import Passage
from annotator.core.models import Highlight

CONTEXT = 120  # characters of text shown either side of a passage
CODER_COLOURS = ("#1f6fb4", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490")
CONSENSUS_COLOUR = "#4b5563"


def coder_colour(index: int) -> str:
    return CODER_COLOURS[index % len(CODER_COLOURS)]


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """About CONTEXT characters either side of ``[start, end)``, cut at whitespace."""
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return lo, hi


def side_html(text: str, passage: Passage, highlights: Sequence[Highlight], colour: str) -> str:
    """The passage in context with ``highlights`` shaded (first tag's colour) and underlined in
    ``colour``; text outside the passage is greyed; then each highlight's span, tags and note."""
    lo, hi = _window(text, passage.start, passage.end)
    cuts = sorted({lo, hi, passage.start, passage.end,
                   *(p for h in highlights for p in (h.start, h.end) if lo < p < hi)})
    parts = ["…" if lo > 0 else ""]
    for a, b in zip(cuts, cuts[1:]):
        if not lo <= a < b <= hi:
            continue
        piece = html.escape(text[a:b]).replace("\n", "<br>")
        if a == passage.start:
            piece = '<a name="passage"></a>' + piece
        covering = [h for h in highlights if h.start <= a and b <= h.end]
        inside = passage.start <= a and b <= passage.end
        style = "" if inside else "color:#8a8a8a;"
        if covering:
            shade = next((t.colour for h in covering for t in h.tags), "#dddddd")
            style += (f"background-color:{shade}; color:#111111; "
                      f"text-decoration:underline; text-decoration-color:{colour};")
        parts.append(f'<span style="{style}">{piece}</span>' if style else piece)
    parts.append("…" if hi < len(text) else "")
    body = "".join(parts)
    if highlights:
        items = []
        for h in sorted(highlights, key=lambda h: (h.start, h.end)):
            tags = ", ".join(
                f'<span style="background-color:{t.colour}; color:#111111;">&nbsp;{html.escape(t.name)}'
                f'&nbsp;</span> <span style="color:#777777;">{html.escape(t.category)}</span>'
                for t in h.tags) or '<i style="color:#777777;">no tags</i>'
            note = f'<br><i>Note: {html.escape(h.note)}</i>' if h.note else ""
            items.append(f"<li><b>{h.start:,}–{h.end:,}</b> ({h.end - h.start:,} chars): {tags}{note}</li>")
        listing = "<ul style='margin-left:0; -qt-list-indent:1;'>" + "".join(items) + "</ul>"
    else:
        listing = '<p style="color:#777777;"><i>Nothing tagged here.</i></p>'
    return f'<div style="line-height:135%;">{body}</div><hr>{listing}'


class SideColumn(QFrame):
    """One coder's side: name, text, and (for compared coders) an Accept button."""

    accept = Signal(str)

    def __init__(self, coder: str, colour: str, *, consensus: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.coder = coder
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"side:{coder}")
        title = QLabel(f'<span style="color:{colour}; font-size:15px;">■</span>&nbsp;'
                       f'<b>{html.escape(coder)}</b>'
                       + (' <span style="color:#777777;">(consensus)</span>' if consensus else ""))
        title.setTextFormat(Qt.TextFormat.RichText)
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(mid);")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setObjectName(f"sideText:{coder}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        self.button: QPushButton | None = None
        if not consensus:
            self.button = QPushButton(f"Accept {coder}")
            self.button.setObjectName(f"accept:{coder}")
            self.button.setToolTip(f"The consensus over this passage becomes what {coder} coded "
                                   "(replacing what it held there)")
            self.button.clicked.connect(lambda: self.accept.emit(self.coder))
            layout.addWidget(self.button)
        self.colour = colour

    def show_side(self, text: str, passage: Passage, highlights: Sequence[Highlight]) -> None:
        self.browser.setHtml(side_html(text, passage, highlights, self.colour))
        self.browser.scrollToAnchor("passage")
        n = len(highlights)
        self.count.setText(f"{n} highlight{'s' * (n != 1)}" if n else "not tagged")


class PassageSides(QWidget):
    """The columns for the compared coders and the consensus; ``accept(str)`` a coder's side."""

    accept = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: dict[str, SideColumn] = {}
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel("Choose a passage to see each coder's coding side by side.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(mid);")
        self.row.addWidget(self.placeholder)

    def set_coders(self, coders: Sequence[str], consensus: str) -> None:
        if list(self.columns) == [*coders, consensus]:
            return
        for column in self.columns.values():
            column.setParent(None)
            column.deleteLater()
        self.columns = {}
        for i, coder in enumerate(coders):
            self._add(coder, coder_colour(i), consensus=False)
            button = self.columns[coder].button
            if button is not None and i < 9:
                button.setToolTip(f"{button.toolTip()} (Ctrl+{i + 1})")
        self._add(consensus, CONSENSUS_COLOUR, consensus=True)

    def _add(self, coder: str, colour: str, *, consensus: bool) -> None:
        column = SideColumn(coder, colour, consensus=consensus)
        column.accept.connect(self.accept)
        self.row.addWidget(column, 1)
        self.columns[coder] = column
        column.hide()

    def show_passage(self, text: str, passage: Passage | None, held: Sequence[Highlight],
                     can_settle: bool) -> None:
        self.placeholder.setVisible(passage is None)
        for coder, column in self.columns.items():
            column.setVisible(passage is not None)
            if passage is None:
                continue
            sides = passage.side(coder) if coder in passage.coders else held
            column.show_side(text, passage, sides)
            if column.button is not None:
                column.button.setEnabled(can_settle)
