"""The text the reader displays: the stored text, character for character the same length, so
every offset stays valid. Only line breaks that merely wrapped a paragraph (a PDF page's
layout, or a hard-wrapped plain text's, not the author's) are shown as spaces, so paragraphs
reflow to the reader's width."""

from __future__ import annotations

from annotator.core.text_layout import reflowed

REFLOW_FORMATS = frozenset({"pdf"})
PLAIN_FORMATS = frozenset({"txt", "md"})  # reflowed when hard-wrapped (core.text_layout)
LONG_LINE_SHARE = 0.7  # a line this close to the longest lines ends because the page did


def display_text(text: str, source_format: str) -> str:
    if source_format.lower() in PLAIN_FORMATS:
        return reflowed(text)
    if source_format.lower() not in REFLOW_FORMATS or "\n" not in text:
        return text
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return text
    typical = lengths[int(len(lengths) * 0.9)] if len(lengths) > 1 else lengths[0]
    threshold = LONG_LINE_SHARE * typical
    out: list[str] = []
    for line, following in zip(lines, lines[1:]):
        out.append(line)
        wrapped = line and following and len(line) >= threshold and not line.endswith("-")
        out.append(" " if wrapped else "\n")
    out.append(lines[-1])
    joined = "".join(out)
    assert len(joined) == len(text)  # offsets depend on it
    return joined
