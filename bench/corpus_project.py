"""Fill Annotator projects with the synthetic corpus through the public Library API, and keep
them in a cache so every case and every later run reuses them.

Cache layout: ``bench/.cache/projects/v<CORPUS_VERSION>-seed<seed>-n<size>/`` holds the project
and ``bench-manifest.json``, written last, so a build killed half-way is never mistaken for a
finished one. Because article ``i`` depends only on ``(seed, i)``, a larger project is grown from
a copy of the largest smaller cached one instead of being built from nothing.

Documents go in one by one with ``add_document`` (one transaction each, as an import does).
Highlights go in batches with ``restore_highlights``: the public call that inserts many
highlights in one transaction (the export bench uses it the same way). The search index is built
once at the end with ``Library.reindex``: the fill removes the index folder first, which is the
documented repair path for a missing index (updates then wait for the rebuild). Measured here
with a live index, each ``add_document`` cost about a second by 150 documents (one Whoosh commit
per document, merges behind it), which would make a 20,000-document project take most of a day.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.core.extracted import Extracted
from annotator.core.library import INDEX_DIR, Library
from annotator.core.models import ACTOR, TOPIC, Highlight, TagRef
from bench.corpus import CORPUS_VERSION, Article, article
from bench.vocabulary import ACTORS, TOPICS

MANIFEST = "bench-manifest.json"
HIGHLIGHT_BATCH_DOCUMENTS = 200  # documents per restore_highlights call (1,000 highlights)
_CREATED = datetime(2026, 6, 1, 9, 0, 0)


@dataclass(frozen=True)
class FillReport:
    """How the cached project came to be: ``added`` documents with their highlights took
    ``seconds`` to add to the database (on top of ``grown_from`` documents copied from a smaller
    cached project), then indexing all ``size`` took ``reindex_seconds``."""

    seed: int
    size: int
    grown_from: int
    added: int
    seconds: float
    documents_per_s: float
    highlights: int
    reindex_seconds: float
    corpus_version: int = CORPUS_VERSION
    built_at: str = ""  # UTC, when the project was built (older manifests lack it)


def project_key(seed: int, size: int) -> str:
    return f"v{CORPUS_VERSION}-seed{seed}-n{size}"


def cached_project(
    cache: Path, seed: int, size: int, *, log: Callable[[str], None] = print
) -> tuple[Path, FillReport]:
    """The folder of a finished project of ``size`` documents for ``seed``, built if needed."""
    root = cache / "projects"
    folder = root / project_key(seed, size)
    manifest = folder / MANIFEST
    if manifest.exists():
        report = FillReport(**json.loads(manifest.read_text(encoding="utf-8")))
        return folder, _current_index(folder, report, log)
    shutil.rmtree(folder, ignore_errors=True)
    base = _largest_smaller(root, seed, size)
    if base is not None:
        log(f"  growing the {size}-document project from the cached {base[1]}-document one")
        shutil.copytree(base[0], folder)
        (folder / MANIFEST).unlink()
        start = base[1]
    else:
        start = 0
    started = time.perf_counter()
    if start == 0:
        # A project with no documents gets an empty index on open; one document in, the index
        # can be removed and stays removed until the reindex below.
        with Library.create(folder) as library:
            fill(library, seed, 0, 1, log=log)
        start_fill = 1
    else:
        start_fill = start
    shutil.rmtree(folder / INDEX_DIR, ignore_errors=True)
    with Library.open(folder) as library:
        fill(library, seed, start_fill, size, log=log)
        filled = time.perf_counter()
        log(f"  building the search index of {size} documents (Library.reindex)")
        library.reindex(processes=2)  # as the CLI does
        indexed = time.perf_counter()
        ok, message = library.check()
        if not ok:
            raise RuntimeError(f"bench project {folder} is inconsistent: {message}")
        highlights = library.counts()["highlights"]
    fill_s = filled - started
    report = FillReport(
        seed=seed, size=size, grown_from=start, added=size - start, seconds=round(fill_s, 2),
        documents_per_s=round((size - start) / fill_s, 1) if fill_s else 0.0,
        highlights=highlights, reindex_seconds=round(indexed - filled, 2),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    manifest.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    return folder, report


def _current_index(folder: Path, report: FillReport, log: Callable[[str], None]) -> FillReport:
    """A cached project whose index an older version of the search code built (the index
    reports "built by another version") is reindexed once, so search figures always measure
    the current index format; the manifest then records that build. A project an older
    schema built is upgraded first (cases open it read-only, which cannot upgrade)."""
    try:
        with Library.open(folder, readonly=True) as library:
            ok, message = library.check()
    except ProjectError as exc:
        if "needs an upgrade" not in str(exc):
            raise
        log(f"  cached project {folder.name}: upgrading its database schema once")
        Library.open(folder).close()
        with Library.open(folder, readonly=True) as library:
            ok, message = library.check()
    if ok:
        return report
    log(f"  cached project {folder.name}: {message}; reindexing it once")
    started = time.perf_counter()
    with Library.open(folder) as library:
        library.reindex(processes=2)  # as the CLI does
    fresh = replace(report, reindex_seconds=round(time.perf_counter() - started, 2),
                    built_at=datetime.now(UTC).isoformat(timespec="seconds"))
    (folder / MANIFEST).write_text(json.dumps(asdict(fresh), indent=2), encoding="utf-8")
    return fresh


def _largest_smaller(root: Path, seed: int, size: int) -> tuple[Path, int] | None:
    best: tuple[Path, int] | None = None
    prefix = f"v{CORPUS_VERSION}-seed{seed}-n"
    for candidate in root.glob(prefix + "*") if root.is_dir() else ():
        n = int(candidate.name[len(prefix):])
        if n < size and (candidate / MANIFEST).exists() and (best is None or n > best[1]):
            best = (candidate, n)
    return best


def ensure_tags(library: Library) -> dict[tuple[str, str], TagRef]:
    """The corpus's actors and topics (with aliases) as tags; created on first call."""
    refs: dict[tuple[str, str], TagRef] = {}
    for category, entities in ((ACTOR, ACTORS), (TOPIC, TOPICS)):
        for name, aliases in entities:
            tag = library.find_tag(category, name) or library.create_tag(
                name, category, aliases=aliases
            )
            refs[(category, name)] = TagRef(tag.id, tag.name, tag.category, tag.colour)
    return refs


def fill(
    library: Library, seed: int, start: int, stop: int, *, log: Callable[[str], None] = print
) -> None:
    """Add articles ``start..stop-1`` with their planned highlights to ``library``."""
    refs = ensure_tags(library)
    next_highlight = library.counts()["highlights"] + 1  # ids are dense: the fill never deletes
    pending: list[tuple[int, Article]] = []
    started = last_log = time.perf_counter()
    for i in range(start, stop):
        art = article(seed, i)
        doc = library.add_document(extracted(art))
        pending.append((doc.id, art))
        if len(pending) >= HIGHLIGHT_BATCH_DOCUMENTS or i == stop - 1:
            batch = highlight_batch(pending, refs, next_highlight)
            library.restore_highlights(batch)
            next_highlight += len(batch)
            pending = []
        now = time.perf_counter()
        if now - last_log > 15:
            last_log = now
            done = i + 1 - start
            log(f"  filled {i + 1}/{stop} documents ({done / (now - started):.0f} docs/s)")


def extracted(art: Article) -> Extracted:
    """What an importer would hand the Library for this article."""
    return Extracted(
        text=art.text,
        format=art.format,
        title=art.title,
        author=art.author,
        published=art.published,
        source=art.url,
        language="en",
        site_name=art.outlet,
        url=art.url,
        pages=art.pages(),
    )


def highlight_batch(
    documents: list[tuple[int, Article]], refs: dict[tuple[str, str], TagRef], first_id: int
) -> list[Highlight]:
    batch = []
    for doc_id, art in documents:
        text = art.text
        for plan in art.highlights:
            tags = tuple(refs[(ACTOR, a)] for a in plan.actors) + tuple(
                refs[(TOPIC, t)] for t in plan.topics
            )
            batch.append(
                Highlight(
                    id=first_id + len(batch), document_id=doc_id, start=plan.start, end=plan.end,
                    text=text[plan.start:plan.end], tags=tags, note=plan.note,
                    created=_CREATED, modified=_CREATED, author="bench",
                )
            )
    return batch
