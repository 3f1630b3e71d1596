"""Build the sample project shown on first start: the bundled articles, a small codebook of
actors and topics (with aliases and colours) and a few highlights with notes, so the first
screen already shows what the tool does. Qt-free; used by ``app.py`` and the tests.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from annotator.core.library import Library
from annotator.core.reflow import PLAIN_TEXT_FORMATS, reflowed
from annotator.importers.batch import import_paths
from annotator.paths import sample_project_dir, samples_dir

ACTORS = (
    ("Mark Carney", "#f4c542", ("Carney", "Prime Minister Carney")),
    ("Élise Marchand", "#f49ac2", ("Elise Marchand", "Marchand")),
    ("Daniel Whitcomb", "#7cc6fe", ("Whitcomb",)),
    ("Rebecca Thornton", "#9be59b", ("Thornton", "General Thornton")),
)
# Topic name, colour, and the words that mark a sentence as being about it.
TOPICS = (
    ("tariffs", "#ffb26b", ("tariff", "counter-tariff", "duties")),
    ("USMCA review", "#c3a6ff", ("USMCA",)),
    ("Arctic sovereignty", "#7ee0d2", ("Arctic",)),
    ("critical minerals", "#d4e157", ("mineral",)),
    ("NORAD", "#b0bec5", ("NORAD",)),
)
NOTES = {
    "tariffs": "Ottawa's line: counter-measures stay until US duties are lifted, not paused.",
    "Arctic sovereignty": "Sovereignty framed through surveillance capacity — compare with the trade framing.",
    "critical minerals": "Minerals as the most likely early deal; check against the policy brief.",
}
_SENTENCE = re.compile(r"[^.!?\n]*[.!?]")
# Plain text and Markdown carry no metadata fields; fill in what a researcher would type.
METADATA = {
    "2025-03-14 Northline Wire": ("Northline Wire staff", date(2025, 3, 14)),
    "Critical minerals and energy": ("Trade Policy Desk", date(2025, 9, 19)),
}
SAVED_SEARCHES = (
    ("Carney on tariffs", 'actor:"Mark Carney" OR (carney topic:tariffs)'),
    ("Arctic and NORAD, June 2025", "(arctic OR norad) published:2025-06"),
    ("All notes", "in:notes"),
)


def build_sample_project(folder: Path | None = None, source: Path | None = None) -> Path:
    """Create the sample project in ``folder`` (default: the user data folder) and return it.

    Built beside the target and moved into place, so a crash never leaves half a sample that
    would be opened as if complete."""
    target = Path(folder) if folder is not None else sample_project_dir()
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with Library.create(partial) as library:
        list(import_paths(library, [source or samples_dir()]))
        _fill_metadata(library)
        _add_codebook_and_highlights(library)
        for name, query in SAVED_SEARCHES:
            library.save_search(name, query)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial.rename(target)
    return target


def ensure_sample_project(folder: Path | None = None) -> Path:
    target = Path(folder) if folder is not None else sample_project_dir()
    if (target / "project.sqlite").exists():
        return target
    return build_sample_project(target)


def _fill_metadata(library: Library) -> None:
    for document in library.documents():
        for prefix, (author, published) in METADATA.items():
            if document.original_name.startswith(prefix):
                library.update_document(
                    document.id,
                    author=document.author or author,
                    published=document.published or published,
                )


def _add_codebook_and_highlights(library: Library) -> None:
    actors = [(library.create_tag(name, "actor", colour=colour, aliases=aliases), (name, *aliases))
              for name, colour, aliases in ACTORS]
    topics = [(library.create_tag(name, "topic", colour=colour), words) for name, colour, words in TOPICS]
    for document in library.documents():
        text = library.document_text(document.id)
        if document.format in PLAIN_TEXT_FORMATS:
            # Sentences of hard-wrapped text run over its wrapping line breaks (same offsets).
            text = reflowed(text)
        for tag, names in actors:
            for span in _mentions(text, names)[:3]:
                library.add_highlight(document.id, *span, tag_ids=[tag.id])
        # One highlight per sentence, carrying every topic it is about (at most two sentences).
        sentences: dict[tuple[int, int], list[int]] = {}
        for tag, words in topics:
            span = _first_sentence_with(text, words)
            if span and (span in sentences or len(sentences) < 2):
                sentences.setdefault(span, []).append(tag.id)
        for span, tag_ids in sentences.items():
            first = library.tag(tag_ids[0]).name
            library.add_highlight(document.id, *span, tag_ids=tag_ids, note=NOTES.get(first))


def _mentions(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    longest_first = sorted(names, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in longest_first)
    pattern = re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _first_sentence_with(text: str, words: tuple[str, ...]) -> tuple[int, int] | None:
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if len(sentence.strip()) > 40 and any(w.casefold() in sentence.casefold() for w in words):
            start = match.start() + len(sentence) - len(sentence.lstrip())
            return start, match.end()
    return None
