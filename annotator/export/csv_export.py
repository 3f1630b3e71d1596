"""Export tagged excerpts to a CSV file that opens cleanly in Excel, LibreOffice, R and pandas.

One row per highlight (or per highlight x tag with ``CsvOptions.per_tag``), in reading order:
document, then position. Columns are ``COLUMNS``; docs/export.md is the user-facing contract.
Reads through the ``Library`` facade only; never imports Qt, SQLAlchemy or Whoosh. Safe to run
off the GUI thread: it only reads the library and writes its own temporary file.
"""

from __future__ import annotations

import difflib
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from annotator.core.errors import AnnotatorError, Cancelled, InvalidInput, NotFound
from annotator.core.models import ACTOR, TOPIC, Document, Highlight
from annotator.core.progress import CancelToken, Progress, ProgressCallback

if TYPE_CHECKING:
    from annotator.core.library import Library

COLUMNS = (
    "excerpt_id", "document_id", "document_title", "author", "published", "source", "page",
    "start", "end", "actors", "topics", "tags", "note", "text", "context_before",
    "context_after", "created", "modified",
)
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
JOIN = "; "
# Leading characters that make Excel, LibreOffice and Google Sheets read a cell as a formula
# (OWASP "CSV injection"); tab and CR because some importers strip them and then see "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PROGRESS_EVERY = 2_000  # excerpts between progress reports and cancel checks
# Fetch a query's highlights by id while they are at most this share of the project; past
# it, one read of everything and a filter costs less than the many id-chunk reads.
_QUERY_BY_ID_SHARE = 0.5
_ID_CHUNK = 500  # ids per ``highlights(highlight_ids=...)`` call, well under SQLite's limit
_DANGEROUS_FIRST = frozenset(FORMULA_STARTS)
_BLANK_FIRST = frozenset(" \n")


class ExportFailed(AnnotatorError):
    """The CSV file could not be written; the message names the file and the reason."""


@dataclass(frozen=True)
class ExcerptFilter:
    """Which highlights to export. Empty fields do not filter.

    Tag names match case-insensitively and by alias. Within one category any named tag matches
    (``actors=("Carney", "Ford")``: either); across categories all must match (an actor *and* a
    topic). ``tags`` holds ``(category, name)`` pairs of any category, ``actor`` and ``topic``
    included. ``date_from``/``date_to`` bound the document's published date, inclusive;
    documents without one are left out when either bound is set. ``query`` uses the search
    language and keeps highlights that match it themselves or through their note.
    """

    actors: Sequence[str] = ()
    topics: Sequence[str] = ()
    tags: Sequence[tuple[str, str]] = ()
    document_ids: Sequence[int] = ()
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""

    def __post_init__(self) -> None:
        # Tuples, so a filter can be compared, hashed and shared with a worker thread.
        object.__setattr__(self, "actors", tuple(self.actors))
        object.__setattr__(self, "topics", tuple(self.topics))
        object.__setattr__(self, "tags", tuple((c, n) for c, n in self.tags))
        object.__setattr__(self, "document_ids", tuple(self.document_ids))
        object.__setattr__(self, "query", (self.query or "").strip())

    def tag_names(self) -> list[tuple[str, str]]:
        """Every tag criterion as ``(category, name)``."""
        return [
            *((ACTOR, n) for n in self.actors),
            *((TOPIC, n) for n in self.topics),
            *((" ".join(c.split()).lower(), n) for c, n in self.tags),
        ]


@dataclass(frozen=True)
class CsvOptions:
    """How the file is laid out. ``delimiter`` is ``","``, ``";"`` or ``"\\t"``."""

    per_tag: bool = False
    excel_bom: bool = False
    delimiter: str = ","
    context_chars: int = 100
    neutralise_formulas: bool = True

    def __post_init__(self) -> None:
        if self.delimiter not in DELIMITERS:
            raise InvalidInput(
                f"the delimiter must be a comma, a semicolon or a tab, not {self.delimiter!r}"
            )
        if self.context_chars < 0:
            raise InvalidInput("context cannot be a negative number of characters")


# ----------------------------------------------------------------- selecting excerpts
def select_excerpts(library: Library, excerpt_filter: ExcerptFilter) -> list[Highlight]:
    """The highlights ``excerpt_filter`` keeps, by document then position.

    Raises ``NotFound`` for a tag name or document id the project does not have (a typo
    should not silently export nothing), ``InvalidInput`` for a reversed date range,
    ``InvalidQuery`` for a query that does not parse and ``ExportFailed`` when a query is given
    but the search index does not match the project.
    """
    return _select(library, excerpt_filter, {d.id: d for d in library.documents()})


def _select(
    library: Library, excerpt_filter: ExcerptFilter, documents: dict[int, Document]
) -> list[Highlight]:
    f = excerpt_filter
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise InvalidInput(f"the date range ends ({f.date_to}) before it starts ({f.date_from})")
    groups = _tag_groups(library, f.tag_names())
    for doc_id in f.document_ids:
        if doc_id not in documents:
            raise NotFound(f"no document {doc_id}")
    wanted_docs = set(f.document_ids) or None
    if f.date_from or f.date_to:
        dated = {i for i, d in documents.items() if _in_range(d.published, f.date_from, f.date_to)}
        wanted_docs = dated if wanted_docs is None else wanted_docs & dated
    query_ids = _query_highlight_ids(library, f.query) if f.query else None

    candidates = _candidates(library, groups, wanted_docs, query_ids)
    group_sets = list(groups.values())
    return [
        h
        for h in candidates
        if (wanted_docs is None or h.document_id in wanted_docs)
        and (query_ids is None or h.id in query_ids)
        and all(not ids.isdisjoint(h.tag_ids) for ids in group_sets)
    ]


def _tag_groups(library: Library, names: Iterable[tuple[str, str]]) -> dict[str, set[int]]:
    """Tag ids wanted per category; a highlight must carry one of each category's set."""
    groups: dict[str, set[int]] = {}
    for category, name in names:
        tag = library.find_tag(category, name)
        if tag is None:
            raise NotFound(_unknown_tag_message(library, category, name))
        groups.setdefault(category, set()).add(tag.id)
    return groups


def _unknown_tag_message(library: Library, category: str, name: str) -> str:
    known = library.tags(category)
    if not known:
        if category not in {c.name for c in library.categories()}:
            return f"no tag category {category!r} in this project"
        return f"no {category} tags in this project yet, so none named {name!r}"
    spellings = {t.name.casefold(): t.name for t in known}
    spellings.update({a.casefold(): a for t in known for a in t.aliases})
    close = difflib.get_close_matches(name.casefold(), list(spellings), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(spellings[c]) for c in close)}?)" if close else ""
    return f"no {category} named {name!r}{hint}"


def _in_range(published: date | None, lo: date | None, hi: date | None) -> bool:
    if published is None:
        return False
    return (lo is None or published >= lo) and (hi is None or published <= hi)


def _query_highlight_ids(library: Library, query: str) -> set[int]:
    """Ids of highlights the query matches, directly or through their note."""
    ok, why = library.check()
    if not ok:
        # A stale index would silently drop or add rows; the researcher must know.
        raise ExportFailed(f"cannot filter by a search query: {why}")
    counts = library.counts()
    # Every highlight and document could match; ask for all of them so none is cut off.
    limit = counts["highlights"] + counts["documents"] + 1
    results = library.search(query, limit=limit)
    return {
        hit.highlight_id
        for hit in results.hits
        if hit.kind in ("highlight", "note") and hit.highlight_id is not None
    }


def _candidates(
    library: Library,
    groups: dict[str, set[int]],
    wanted_docs: set[int] | None,
    query_ids: set[int] | None,
) -> list[Highlight]:
    """A superset of the result in reading order, fetched the cheapest way the filter allows."""
    if query_ids is not None and (
        len(query_ids) <= _QUERY_BY_ID_SHARE * library.counts()["highlights"]
    ):
        ids = sorted(query_ids)
        found = [
            h
            for i in range(0, len(ids), _ID_CHUNK)
            for h in library.highlights(highlight_ids=ids[i : i + _ID_CHUNK])
        ]
        return sorted(found, key=lambda h: (h.document_id, h.start, h.end, h.id))
    if groups:
        return library.highlights(tag_ids=set().union(*groups.values()))
    if wanted_docs is not None and len(wanted_docs) <= 50:
        # Per-document reads concatenated by id keep the library's reading order.
        return [h for d in sorted(wanted_docs) for h in library.highlights(d)]
    return library.highlights()


# ----------------------------------------------------------------- rows
def neutralise(cell: str) -> str:
    """The cell with a leading apostrophe if a spreadsheet would read it as a formula.

    Looks past leading spaces and newlines too, since some importers trim them first."""
    # Called for every text cell of every row, so the common case is one set lookup.
    if not cell:
        return cell
    first = cell[0]
    if first in _DANGEROUS_FIRST:
        return "'" + cell
    if first in _BLANK_FIRST and cell.lstrip(" \n\r\t").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def page_label(h: Highlight) -> str:
    """``3``, ``3-4`` when the excerpt crosses a page break, empty for unpaged sources."""
    if h.page is None:
        return ""
    if h.page_end is None or h.page_end == h.page:
        return str(h.page)
    return f"{h.page}-{h.page_end}"


def context_before(text: str, start: int, chars: int) -> str:
    """Up to ``chars`` characters before ``start``, without a word cut in half at the far end."""
    if chars <= 0 or start <= 0:
        return ""
    lo = max(0, start - chars)
    piece = text[lo:start]
    if lo > 0 and not text[lo - 1].isspace() and not piece[0].isspace():
        # The window starts inside a word: drop that word's tail.
        parts = piece.split(None, 1)
        if len(parts) == 2:
            return parts[1]
        # Only the cut word (and maybe spaces after it) is left; with no space at all
        # (Chinese, Japanese, a long URL) a hard cut beats no context.
        return "" if piece[-1].isspace() else piece
    return piece.lstrip()


def context_after(text: str, end: int, chars: int) -> str:
    """Up to ``chars`` characters after ``end``, without a word cut in half at the far end."""
    if chars <= 0 or end >= len(text):
        return ""
    hi = min(len(text), end + chars)
    piece = text[end:hi]
    if hi < len(text) and not text[hi].isspace() and not piece[-1].isspace():
        parts = piece.rsplit(None, 1)
        if len(parts) == 2:
            return parts[0]
        return "" if piece[0].isspace() else piece
    return piece.rstrip()


def csv_line(cells: Sequence[str], delimiter: str = ",") -> str:
    """One RFC 4180 record: every cell quoted, inner quotes doubled, CRLF at the end.

    Quoting every cell (not only those that need it) keeps a cell holding a comma in one
    piece even when a spreadsheet splits the file on another delimiter than the one chosen,
    and it lets rows be built with one ``join`` instead of the ``csv`` module's per-cell scan,
    which dominated the time of large exports."""
    return '"' + f'"{delimiter}"'.join([c.replace('"', '""') for c in cells]) + '"\r\n'


def _plain_cell(cell: str) -> str:
    """The cell escaped for a quoted CSV field."""
    return cell.replace('"', '""')


def _guarded_cell(cell: str) -> str:
    """``neutralise`` then escape, in one call: this runs for every text cell of every row."""
    if cell:
        first = cell[0]
        if first in _DANGEROUS_FIRST or (
            first in _BLANK_FIRST and cell.lstrip(" \n\r\t").startswith(FORMULA_STARTS)
        ):
            cell = "'" + cell
    return cell.replace('"', '""')


@dataclass
class _RowMaker:
    """Turns highlights into CSV lines, caching per-document cells and texts (one read each).

    Cells are guarded, then escaped (quotes doubled) and joined into a line here; cells known
    to hold no quote (numbers, dates) skip the escaping."""

    library: Library
    documents: dict[int, Document]
    options: CsvOptions
    document_order: list[int] = field(default_factory=list)  # ids in the order rows come
    _cell: Callable[[str], str] = field(init=False)
    _sep: str = field(init=False)
    _doc_cells: dict[int, str] = field(init=False, default_factory=dict)
    _texts: dict[int, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._cell = _guarded_cell if self.options.neutralise_formulas else _plain_cell
        self._sep = f'"{self.options.delimiter}"'
        self._position = {doc_id: i for i, doc_id in enumerate(self.document_order)}

    def _text(self, document_id: int) -> str:
        """Texts are read a batch of upcoming documents at a time (one query, not one per
        document) and only that batch is kept, so memory stays bounded on big projects."""
        text = self._texts.get(document_id)
        if text is None:
            at = self._position.get(document_id)
            wanted = (self.document_order[at : at + _TEXT_BATCH] if at is not None
                      else [document_id])
            self._texts = dict(self.library.document_texts(wanted))
            text = self._texts[document_id]
        return text

    def lines(self, h: Highlight) -> list[str]:
        """One line, or with ``per_tag`` one line per tag (at least one)."""
        c, sep = self._cell, self._sep
        doc_cells = self._doc_cells.get(h.document_id) or self._cache_document(h.document_id)
        chars = self.options.context_chars
        if chars:
            text = self._text(h.document_id)
            before = c(context_before(text, h.start, chars))
            after = c(context_after(text, h.end, chars))
        else:
            before = after = ""
        created = h.created.isoformat(timespec="seconds")
        modified = created if h.modified == h.created else h.modified.isoformat(timespec="seconds")
        head = sep.join((f'"{h.id}', doc_cells, page_label(h), str(h.start), str(h.end))) + sep
        tail = sep + sep.join(
            (c(h.note or ""), c(h.text), before, after, created, modified)
        ) + '"\r\n'
        actors, topics, others = self._split_tags(h)
        if not self.options.per_tag:
            tags = sep.join((c(JOIN.join(actors)), c(JOIN.join(topics)), c(JOIN.join(others))))
            return [head + tags + tail]
        # One line per tag, actors first, then topics, then other categories.
        lines = [head + c(name) + sep + sep + tail for name in actors]
        lines += [head + sep + c(name) + sep + tail for name in topics]
        lines += [head + sep + sep + c(label) + tail for label in others]
        return lines or [head + sep + sep + tail]

    @staticmethod
    def _split_tags(h: Highlight) -> tuple[list[str], list[str], list[str]]:
        """Actor names, topic names and ``category:name`` of the rest, in one pass (the
        model's three properties would walk the tags three times per row)."""
        actors: list[str] = []
        topics: list[str] = []
        others: list[str] = []
        for tag in h.tags:
            if tag.category == ACTOR:
                actors.append(tag.name)
            elif tag.category == TOPIC:
                topics.append(tag.name)
            else:
                others.append(f"{tag.category}:{tag.name}")
        return actors, topics, others

    def _cache_document(self, document_id: int) -> str:
        """The document's cells (document_id to source), escaped and joined."""
        doc = self.documents[document_id]
        c = self._cell
        cells = self._sep.join((
            str(doc.id),
            c(doc.title),
            c(doc.author),
            doc.published.isoformat() if doc.published else "",
            c(doc.source),
        ))
        self._doc_cells[document_id] = cells
        return cells


_TEXT_BATCH = 200


# ----------------------------------------------------------------- writing
def write_csv(
    library: Library,
    path: Path | str,
    excerpt_filter: ExcerptFilter,
    options: CsvOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Write the filtered excerpts to ``path`` and return the number of data rows written.

    Atomic: rows go to a temporary file in the target's folder, which is flushed to disk and
    then renamed over ``path``; on any failure (or ``Cancelled``) the previous file is
    untouched and no temporary file remains. Raises ``ExportFailed`` naming the file when it
    cannot be written. Runs off the GUI thread; ``progress`` is called from this thread.
    """
    options = options or CsvOptions()
    report = progress or (lambda _p: None)
    target = Path(path).expanduser()
    _check_target(target)
    report(Progress(0, 0, "Selecting excerpts…"))
    documents = {d.id: d for d in library.documents()}
    excerpts = _select(library, excerpt_filter, documents)
    _check_cancel(cancel)
    order = list(dict.fromkeys(h.document_id for h in excerpts))
    maker = _RowMaker(library, documents, options, order)
    total = len(excerpts)

    def write_rows(fh: TextIO) -> int:
        fh.write(csv_line(COLUMNS, options.delimiter))
        written = 0
        for done in range(0, total, _PROGRESS_EVERY):
            _check_cancel(cancel)
            report(Progress(done, total, "Writing rows…"))
            batch = [line for h in excerpts[done : done + _PROGRESS_EVERY]
                     for line in maker.lines(h)]
            fh.write("".join(batch))
            written += len(batch)
        _check_cancel(cancel)
        report(Progress(total, total, "Saving…"))
        return written

    return _write_atomically(target, write_rows, encoding="utf-8-sig" if options.excel_bom
                             else "utf-8")


def _check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled("export cancelled; no file was written")


def _check_target(target: Path) -> None:
    """Fail before the (possibly long) selection when the file can obviously not be written."""
    if target.is_dir():
        raise ExportFailed(f"cannot write {target}: it is a folder")
    if not target.parent.is_dir():
        raise ExportFailed(f"cannot write {target}: the folder {target.parent} does not exist")


def _write_atomically(target: Path, write: Callable[[TextIO], int], *, encoding: str) -> int:
    temp, fd = _create_temp(target)
    try:
        # A lone surrogate cannot be encoded; one replaced character beats a failed export.
        with os.fdopen(fd, "w", encoding=encoding, errors="replace", newline="") as fh:
            rows = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(target, temp)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise ExportFailed(f"cannot write {target}: {exc.strerror or exc}{hint}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return rows


def _create_temp(target: Path) -> tuple[Path, int]:
    """A new file beside ``target`` (same file system, so the rename is atomic). Created with
    mode 0o666 so the umask applies as for any file the user saves, unlike ``mkstemp``'s 0o600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(10):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportFailed(
                f"cannot write {target}: {exc.strerror or exc} (in {target.parent})"
            ) from exc
    raise ExportFailed(f"cannot write {target}: no free temporary file name in {target.parent}")


def _copy_mode(target: Path, temp: Path) -> None:
    """Keep the permissions of the file being replaced."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(temp, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort, the data is already on disk."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
