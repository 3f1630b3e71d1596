"""Markdown to reading text: keep every word, drop the markup that would distract a reader.

Deliberately line-based and conservative: anything that is not clearly a marker stays, because
losing words is worse than showing a stray asterisk.
"""

from __future__ import annotations

import re

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HRULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BLOCKQUOTE = re.compile(r"^ {0,3}> ?")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


def markdown_to_text(source: str) -> tuple[str, str]:
    """Return (reading text, title). The title is the first level-1 heading, else ""."""
    lines = source.split("\n")
    out: list[str] = []
    title = ""
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            text = _inline(heading.group(2))
            if not title and len(heading.group(1)) == 1:
                title = text
            out.append(text)
            continue
        if _SETEXT_UNDERLINE.match(line) and out and out[-1].strip() and index > 0:
            if not title and line.strip().startswith("="):
                title = out[-1].strip()
            continue
        if _HRULE.match(line):
            out.append("")
            continue
        out.append(_inline(_BLOCKQUOTE.sub("", line)))
    return "\n".join(out), title


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _INLINE_CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS_STAR.sub(r"\1", line)
    return _EMPHASIS_UNDERSCORE.sub(r"\1", line)
