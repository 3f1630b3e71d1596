"""Build the sample project shown on first start: the bundled articles, a small codebook of
actors and topics (with aliases and colours) and a few highlights with notes, so the first
screen already shows what the tool does. Qt-free; used by ``app.py`` and the tests.

A sample that could not be built completely (an article that failed to import: a broken
install, a missing data file in a bundle) is kept under a name that says so and is never
taken for the sample: the next start builds it again, and the failures are reported instead
of an empty project being shown as if that were all there is.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from annotator.core.errors import AnnotatorError
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


INCOMPLETE_SUFFIX = ".incomplete"


@dataclass(frozen=True)
class SampleBuild:
    """The sample project's folder and what went wrong building it (empty when complete)."""

    folder: Path
    failures: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.failures

    def report(self) -> str:
        """The failures as lines a user can act on; "" when complete."""
        if self.complete:
            return ""
        lines = "\n".join(f"  {line}" for line in self.failures)
        return (f"The sample project could not be built completely; it is opened as far as it "
                f"got, from {self.folder}, and will be built again on the next start:\n{lines}")


def is_incomplete_sample(folder: Path) -> bool:
    """Whether ``folder`` is a sample kept aside because it could not be built completely
    (never remembered as the last project)."""
    return folder.name.endswith(INCOMPLETE_SUFFIX)


def build_sample_project(folder: Path | None = None, source: Path | None = None) -> Path:
    """Create the sample project in ``folder`` (default: the user data folder) and return it.
    Raises ``SampleIncomplete`` when any article failed to import (see ``build_sample``)."""
    build = build_sample(folder, source)
    if not build.complete:
        raise SampleIncomplete(build)
    return build.folder


class SampleIncomplete(Exception):
    def __init__(self, build: SampleBuild) -> None:
        super().__init__(build.report())
        self.build = build


def build_sample(folder: Path | None = None, source: Path | None = None) -> SampleBuild:
    """Build the sample project. Built beside the target and moved into place, so a crash
    never leaves half a sample that would be opened as if complete; an incomplete one is
    moved to ``<target>.incomplete`` instead and its failures returned."""
    target = Path(folder) if folder is not None else sample_project_dir()
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    failures: list[str] = []
    with Library.create(partial) as library:
        for outcome in import_paths(library, [source or samples_dir()]):
            if outcome.status == "failed":
                failures.append(f"{outcome.path.name}: {outcome.message}")
        if not library.documents():
            failures.append(f"no sample articles found in {source or samples_dir()}")
        _fill_metadata(library)
        _add_codebook_and_highlights(library)
        for name, query in SAVED_SEARCHES:
            library.save_search(name, query)
    target.parent.mkdir(parents=True, exist_ok=True)
    if failures:
        incomplete = target.with_name(target.name + INCOMPLETE_SUFFIX)
        shutil.rmtree(incomplete, ignore_errors=True)
        partial.rename(incomplete)
        return SampleBuild(incomplete, tuple(failures))
    partial.rename(target)
    return SampleBuild(target)


def ensure_sample(folder: Path | None = None) -> SampleBuild:
    """The sample project, built on first use, again after an incomplete build, and again
    over an empty one that an install without its sample articles built before this check
    existed (moved aside to ``NAME.empty``, never deleted)."""
    target = Path(folder) if folder is not None else sample_project_dir()
    if (target / "project.sqlite").exists():
        if not _is_empty_project(target):
            return SampleBuild(target)
        aside = target.with_name(target.name + ".empty")
        shutil.rmtree(aside, ignore_errors=True)
        target.rename(aside)
    return build_sample(target)


def _is_empty_project(folder: Path) -> bool:
    try:
        with Library.open(folder, readonly=True) as library:
            return not library.documents()
    except AnnotatorError:
        return False  # open in another window, or not ours: leave it to the normal open path


def ensure_sample_project(folder: Path | None = None) -> Path:
    """The sample project's folder; raises ``SampleIncomplete`` when it could not be built."""
    build = ensure_sample(folder)
    if not build.complete:
        raise SampleIncomplete(build)
    return build.folder


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
