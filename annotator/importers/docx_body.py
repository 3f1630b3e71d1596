"""Streaming the text out of a WordprocessingML part (document.xml, footnotes.xml, endnotes.xml).

The part is read with ``iterparse`` and every element is dropped once handled, so memory stays
flat however large the part inflates, and reading stops as soon as the text passes the
character limit instead of after building a tree of a zip bomb. All text is reached however it
is nested: paragraphs inside content controls (``w:sdt``), tables inside table cells, text
boxes. Tables become tab-separated rows; a nested table's text joins its cell's text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RUN_BREAKS = {W + "br": "\n", W + "cr": "\n", W + "tab": "\t", W + "noBreakHyphen": "-"}
# Footnote/endnote entries that are not notes: the separator lines Word draws above them.
_NOTE_KINDS_SKIPPED = {"separator", "continuationSeparator", "continuationNotice"}


class _Walk:
    """State of one pass: ``outputs`` holds the list the next finished block goes to (the
    document's blocks, a table cell, a note), innermost last."""

    def __init__(self, on_text: Callable[[int], None]) -> None:
        self.on_text = on_text
        self.blocks: list[str] = []
        self.outputs: list[list[str]] = [self.blocks]
        self.paragraphs: list[list[str]] = []
        self.tables: list[list[str]] = []
        self.rows: list[list[str]] = []
        self.skipping = 0

    def start(self, tag: str, element: etree._Element) -> None:
        if tag == _MC_FALLBACK:
            self.skipping += 1  # the same content again, for readers without the Choice part
        elif self.skipping:
            return
        elif tag == W + "p":
            self.paragraphs.append([])
        elif tag == W + "tbl":
            self.tables.append([])
        elif tag == W + "tr":
            self.rows.append([])
        elif tag in (W + "tc", W + "footnote", W + "endnote"):
            self.outputs.append([])

    def end(self, tag: str, element: etree._Element) -> None:
        if tag == _MC_FALLBACK:
            self.skipping -= 1
        elif self.skipping:
            return
        elif tag == W + "t":
            # An entity left unresolved (we never resolve them) is a child node; the text
            # after it is that node's tail and belongs to the run.
            self._inline((element.text or "") + "".join(c.tail or "" for c in element))
        elif tag in _RUN_BREAKS:
            parent = element.getparent()
            if parent is not None and parent.tag == W + "r":  # not a tab stop in w:pPr
                self._inline(_RUN_BREAKS[tag])
        elif tag == W + "p":
            self._block("".join(self.paragraphs.pop()).strip())
        elif tag == W + "tc":
            self.rows[-1].append(" ".join(" ".join(self.outputs.pop()).split()))
        elif tag == W + "tr":
            cells = self.rows.pop()
            if any(cells):
                self.tables[-1].append("\t".join(cells))
        elif tag == W + "tbl":
            self._block("\n".join(self.tables.pop()))
        elif tag in (W + "footnote", W + "endnote"):
            note = " ".join(self.outputs.pop())
            if element.get(W + "type") not in _NOTE_KINDS_SKIPPED:
                self._block(note)

    def _inline(self, text: str) -> None:
        if self.paragraphs and text:
            self.paragraphs[-1].append(text)
            self.on_text(len(text))

    def _block(self, text: str) -> None:
        if text:
            self.outputs[-1].append(text)


def part_blocks(stream: IO[bytes], on_text: Callable[[int], None]) -> list[str]:
    """The part's blocks (paragraphs, tables, notes) in order; ``on_text`` is told the length
    of every piece of text read and may raise to stop reading."""
    walk = _Walk(on_text)
    events = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
    )
    for event, element in events:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            walk.start(tag, element)
            continue
        walk.end(tag, element)
        # Drop what is done with: the element's content and its earlier siblings.
        element.clear(keep_tail=True)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
    return walk.blocks
