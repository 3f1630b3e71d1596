"""Excerpt records to CSV lines: the cells, the formula guard, the context columns and the
row maker the CSV export (``csv_export``) and its worker processes (``csv_parallel``) share.

Qt-free and database-free: the row maker reads document texts through the callable it is
given, so one process reads them through the ``Library``, another straight from the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from annotator.core.errors import InvalidInput
from annotator.core.models import ACTOR, TOPIC, DocumentSummary, ExcerptRecord, Tag

TextReader = Callable[[list[int]], Iterable[tuple[int, str]]]

COLUMNS = (
    "excerpt_id", "document_id", "document_title", "author", "published", "source", "page",
    "start", "end", "actors", "topics", "tags", "note", "text", "context_before",
    "context_after", "created", "modified", "coder",
)
# ``coder`` (the highlight's maker) came last, after the columns scripts already read by
# position; it is always there, one coder or many, so every export has one shape.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
JOIN = "; "
# Leading characters that make Excel, LibreOffice and Google Sheets read a cell as a formula
# (OWASP "CSV injection"); tab and CR because some importers strip them and then see "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters of document text held at once for the context columns.
_TEXT_BUDGET = 20_000_000
# Excel keeps at most this many characters of a cell and drops the rest without a word.
EXCEL_CELL_LIMIT = 32_767
_DANGEROUS_FIRST = frozenset(FORMULA_STARTS)
_BLANK_FIRST = frozenset(" \n")
_RISKY_FIRST = _DANGEROUS_FIRST | _BLANK_FIRST  # first characters worth a closer look


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


def page_label(page: int | None, page_end: int | None) -> str:
    """``3``, ``3-4`` when the excerpt crosses a page break, empty for unpaged sources."""
    if page is None:
        return ""
    if page_end is None or page_end == page:
        return str(page)
    return f"{page}-{page_end}"


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


class RowMaker:
    """Turns excerpt records into CSV lines.

    Everything a row shares with other rows is escaped once and cached: a document's cells,
    and the tag cells of each distinct combination of tags (a project has few). Cells are
    guarded, then escaped (quotes doubled) and joined into a line here; cells known to hold
    no quote (numbers, dates) skip the escaping."""

    def __init__(self, texts: TextReader, documents: dict[int, DocumentSummary],
                 tags: dict[int, Tag], options: CsvOptions, variables: Sequence[str] = (),
                 values: dict[int, dict[str, str]] | None = None) -> None:
        # ``texts``: ``(id, text)`` of the documents asked for (``Library.document_texts``).
        self.texts = texts
        # Document variables: one column each after COLUMNS, the same cells on every row of
        # a document, so they are escaped once per document.
        self.variables = tuple(variables)
        self.values = values or {}
        self._variable_cells: dict[int, str] = {}
        self.documents = documents
        self.tags = tags
        self.options = options
        self._cell: Callable[[str], str] = (
            _guarded_cell if options.neutralise_formulas else _plain_cell)
        self._sep = f'"{options.delimiter}"'
        self._doc_cells: dict[int, str] = {}
        self._tag_cells: dict[tuple[int, ...], list[str]] = {}
        self._texts: dict[int, str] = {}
        self._coder_cells: dict[str, str] = {}  # a project has few coders: escaped once each
        self.long_cells = 0  # cells over ``EXCEL_CELL_LIMIT``, each counted once (not per tag)

    def lines(self, batch: Sequence[ExcerptRecord]) -> list[str]:
        """One line per record, or with ``per_tag`` one line per tag (at least one)."""
        if not self.options.context_chars:
            return self._lines(batch)
        out: list[str] = []
        for run in self._runs_within_text_budget(batch):
            self._load_texts(run)
            out += self._lines(run)
        return out

    def _runs_within_text_budget(self, batch: Sequence[ExcerptRecord]) -> Iterator[Sequence[ExcerptRecord]]:
        """Consecutive slices whose documents' texts together stay under ``_TEXT_BUDGET``
        characters (one long PDF per excerpt must not load a thousand books at once)."""
        first, used = 0, 0
        seen: set[int] = set()
        for i, r in enumerate(batch):
            if r.document_id in seen:
                continue
            size = self.documents[r.document_id].characters
            if seen and used + size > _TEXT_BUDGET:
                yield batch[first:i]
                first, used, seen = i, 0, set()
            seen.add(r.document_id)
            used += size
        if first < len(batch):
            yield batch[first:]

    def _lines(self, batch: Sequence[ExcerptRecord]) -> list[str]:
        # The hot loop of a large export. Records come grouped by document, so a document's
        # cells, variables and text are looked up once per run of its rows; the formula guard
        # is one set lookup of the first character (``risky`` is empty when the guard is off);
        # and a row with one tag cell (the layout without ``per_tag``) is one f-string.
        sep, chars = self._sep, self.options.context_chars
        risky = _RISKY_FIRST if self.options.neutralise_formulas else frozenset()
        tag_cells, texts = self._tag_cells, self._texts
        count_long = chars > EXCEL_CELL_LIMIT
        out: list[str] = []
        append = out.append
        coder_cells = self._coder_cells
        current = -1
        document = extra = text = ""
        for (hid, doc_id, start, end, excerpt, note, tag_ids, created, modified, page, page_end,
             coder) in batch:
            if doc_id != current:
                current = doc_id
                document = self._doc_cells.get(doc_id) or self._cache_document(doc_id)
                cached = self._variable_cells.get(doc_id)
                extra = self._cache_variables(doc_id) if cached is None else cached
                if chars:
                    text = texts[doc_id]
            if chars:
                before = context_before(text, start, chars)
                after = context_after(text, end, chars)
                if before[:1] in risky:
                    before = neutralise(before)
                # The text after an excerpt mostly starts with a space then a letter: that
                # second character settles it without a call.
                if after[:1] in risky and (after[0] not in _BLANK_FIRST or after[1:2] in risky):
                    after = neutralise(after)
                if count_long:
                    self.long_cells += ((len(before) > EXCEL_CELL_LIMIT)
                                        + (len(after) > EXCEL_CELL_LIMIT))
                if '"' in before:
                    before = before.replace('"', '""')
                if '"' in after:
                    after = after.replace('"', '""')
            else:
                before = after = ""
            if excerpt[:1] in risky:
                excerpt = neutralise(excerpt)
            if note:
                if note[:1] in risky:
                    note = neutralise(note)
                if len(note) > EXCEL_CELL_LIMIT:
                    self.long_cells += 1
                if '"' in note:
                    note = note.replace('"', '""')
            else:
                note = ""
            if len(excerpt) > EXCEL_CELL_LIMIT:
                self.long_cells += 1
            if '"' in excerpt:
                excerpt = excerpt.replace('"', '""')
            pages = "" if page is None else page_label(page, page_end)
            made_by = coder_cells.get(coder)
            if made_by is None:
                made_by = coder_cells[coder] = self._cell(coder)
            cells = tag_cells.get(tag_ids) or self._cache_tags(tag_ids)
            if len(cells) == 1:
                append(f'"{hid}{sep}{document}{sep}{pages}{sep}{start}{sep}{end}{sep}{cells[0]}'
                       f"{sep}{note}{sep}{excerpt}{sep}{before}{sep}{after}{sep}{created}"
                       f'{sep}{modified}{sep}{made_by}{extra}"\r\n')
                continue
            head = f'"{hid}{sep}{document}{sep}{pages}{sep}{start}{sep}{end}{sep}'
            tail = (f"{sep}{note}{sep}{excerpt}{sep}{before}{sep}{after}{sep}{created}"
                    f'{sep}{modified}{sep}{made_by}{extra}"\r\n')
            for tags in cells:
                append(head + tags + tail)
        return out

    def _load_texts(self, batch: Sequence[ExcerptRecord]) -> None:
        """Read the texts of the batch's documents (for context), keeping only those: a
        batch spans a bounded number of documents, so memory stays bounded too."""
        wanted = list(dict.fromkeys(r.document_id for r in batch))
        kept = {d: self._texts[d] for d in wanted if d in self._texts}
        missing = [d for d in wanted if d not in kept]
        if missing:
            kept.update(self.texts(missing))
        self._texts = kept

    def _cache_tags(self, tag_ids: tuple[int, ...]) -> list[str]:
        """The ``actors, topics, tags`` cells of this tag combination, joined; with
        ``per_tag`` one such triple per tag: actors first, then topics, then the rest."""
        c, sep = self._cell, self._sep
        actors: list[str] = []
        topics: list[str] = []
        others: list[str] = []
        for tag_id in tag_ids:
            tag = self.tags[tag_id]
            if tag.category == ACTOR:
                actors.append(tag.name)
            elif tag.category == TOPIC:
                topics.append(tag.name)
            else:
                others.append(f"{tag.category}:{tag.name}")
        if not self.options.per_tag:
            cells = [sep.join((c(JOIN.join(actors)), c(JOIN.join(topics)), c(JOIN.join(others))))]
        else:
            cells = [c(name) + sep + sep for name in actors]
            cells += [sep + c(name) + sep for name in topics]
            cells += [sep + sep + c(label) for label in others]
            cells = cells or [sep + sep]
        self._tag_cells[tag_ids] = cells
        return cells

    def _cache_variables(self, document_id: int) -> str:
        """The document's variable cells, each preceded by the separator ("" without any)."""
        if not self.variables:
            self._variable_cells[document_id] = ""
            return ""
        own = self.values.get(document_id, {})
        cells = "".join(self._sep + self._cell(own.get(name, "")) for name in self.variables)
        self._variable_cells[document_id] = cells
        return cells

    def _cache_document(self, document_id: int) -> str:
        """The document's cells (document_id to source), escaped and joined."""
        doc = self.documents[document_id]
        c = self._cell
        self.long_cells += sum(len(v) > EXCEL_CELL_LIMIT
                               for v in (doc.title, doc.author, doc.source))
        cells = self._sep.join((
            str(doc.id),
            c(doc.title),
            c(doc.author),
            doc.published.isoformat() if doc.published else "",
            c(doc.source),
        ))
        self._doc_cells[document_id] = cells
        return cells
