"""Counts behind the Analysis window and ``annotator report``: the tag matrix, frequencies,
the timeline and the retrieval of tag combinations. Every count is one SQL statement over
the whole project (grouped, never a highlight at a time in Python), so the GUI and the CLI,
which both call these functions, always agree.

Matrix scopes (what a cell of row tag A and column tag B counts):

* ``highlight``: highlights carrying both A and B;
* ``overlap``: highlights carrying A that share at least one character with a highlight
  carrying B (the same highlight included, so it is never less than ``highlight``);
* ``paragraph``: paragraphs (``core.paragraphs``) that hold a highlight carrying A and one
  carrying B (a highlight belongs to every paragraph it touches);
* ``document``: documents holding a highlight carrying A and one carrying B.

Rows can also be documents or the values of a document variable; a cell then counts the
column tag's highlights in that document or in the documents with that value (documents,
with the ``document`` scope).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from annotator.core._db.analysis_sql import AnalysisDb
from annotator.core.analysis_filter import (
    EVERYTHING,
    ResolvedFilter,
    document_conditions,
    highlight_conditions,
)
from annotator.core.errors import InvalidInput
from annotator.core.variables import BUILTIN_TYPES, Variable, sort_values

HIGHLIGHT = "highlight"
OVERLAP = "overlap"
PARAGRAPH = "paragraph"
DOCUMENT = "document"
SCOPES = (HIGHLIGHT, OVERLAP, PARAGRAPH, DOCUMENT)
# What a cell counts, said to the user next to the matrix and in a cell's tooltip.
SCOPE_UNITS = {
    HIGHLIGHT: "highlights carrying both tags",
    OVERLAP: "highlights with the row tag overlapping a highlight with the column tag",
    PARAGRAPH: "paragraphs holding both tags",
    DOCUMENT: "documents holding both tags",
}
SCOPE_LABELS = {HIGHLIGHT: "Same highlight", OVERLAP: "Overlapping highlights",
                PARAGRAPH: "Same paragraph", DOCUMENT: "Same document"}

AXIS_CATEGORY = "category"
AXIS_DOCUMENTS = "documents"
AXIS_VARIABLE = "variable"

WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
BINS = (WEEK, MONTH, QUARTER)

AND = "and"
NOT = "not"

Key = int | str | None


@dataclass(frozen=True)
class Axis:
    """Matrix rows or columns: the tags of a category, the documents, or a variable's values."""

    kind: str
    name: str = ""

    def describe(self) -> str:
        if self.kind == AXIS_DOCUMENTS:
            return "documents"
        return self.name


@dataclass(frozen=True)
class AxisItem:
    """One row or column. ``key`` is a tag id, a document id or a variable value (None:
    documents without a value)."""

    key: Key
    label: str
    colour: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Matrix:
    rows: tuple[AxisItem, ...]
    columns: tuple[AxisItem, ...]
    counts: dict[tuple[Key, Key], int]
    row_axis: Axis
    column_axis: Axis
    scope: str

    def count(self, row: Key, column: Key) -> int:
        return self.counts.get((row, column), 0)

    def row_total(self, row: Key) -> int:
        return sum(self.count(row, c.key) for c in self.columns)

    def column_total(self, column: Key) -> int:
        return sum(self.count(r.key, column) for r in self.rows)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def unit(self) -> str:
        if self.row_axis.kind == AXIS_CATEGORY:
            return SCOPE_UNITS[self.scope]
        if self.scope == DOCUMENT:
            return "documents holding the column tag"
        return "highlights carrying the column tag"


@dataclass(frozen=True)
class TagFrequency:
    tag_id: int
    tag: str
    category: str
    colour: str
    highlights: int
    documents: int
    value: str | None = None  # the split variable's value (None: no value, or no split)


@dataclass(frozen=True)
class CategoryFrequency:
    category: str
    highlights: int  # highlights carrying any tag of the category
    documents: int


@dataclass(frozen=True)
class TimelinePoint:
    tag_id: int
    tag: str
    period: str | None  # YYYY-MM, YYYY-Www or YYYY-Qn; None: documents without a date
    count: int


@dataclass(frozen=True)
class Timeline:
    periods: tuple[str, ...]
    points: tuple[TimelinePoint, ...]
    bin: str
    undated: dict[int, int] = field(default_factory=dict)  # tag id -> undated highlights

    @property
    def undated_total(self) -> int:
        return sum(self.undated.values())


# ----------------------------------------------------------------- helpers
def _tags_of(db: AnalysisDb, category: str) -> list[AxisItem]:
    rows = db.execute("SELECT id, name, colour, category FROM tags WHERE category = ? "
                      "ORDER BY name COLLATE NOCASE, id", (category,)).fetchall()
    return [AxisItem(i, n, c, cat) for i, n, c, cat in rows]


def _category_exists(db: AnalysisDb, name: str) -> bool:
    return db.execute("SELECT 1 FROM categories WHERE name = ?", (name,)).fetchone() is not None


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps(sorted(set(ids)))


def _document_key(axis: Axis) -> tuple[str, dict[str, Any]]:
    """SQL for a document's row key (on alias ``d``) when rows are documents or values."""
    if axis.kind == AXIS_DOCUMENTS:
        return "d.id", {}
    if axis.name in BUILTIN_TYPES:
        return f'd."{axis.name}"', {}
    value = ("(SELECT value FROM document_variables dv WHERE dv.document_id = d.id "
             "AND dv.name = :row_var)")
    return value, {"row_var": axis.name}


# ----------------------------------------------------------------- matrix
def matrix(
    db: AnalysisDb,
    rows: Axis,
    columns: Axis,
    scope: str,
    resolved: ResolvedFilter,
    *,
    variable: Variable | None = None,
) -> Matrix:
    """Counts for every row x column (zero cells left out of ``counts``). ``variable`` is
    the row variable's definition when rows are a variable's values (for their order)."""
    if scope not in SCOPES:
        raise InvalidInput(f"the scope is one of {', '.join(SCOPES)}, not {scope!r}")
    if columns.kind != AXIS_CATEGORY:
        raise InvalidInput("matrix columns are the tags of a category")
    for axis in (rows, columns):
        if axis.kind == AXIS_CATEGORY and not _category_exists(db, axis.name):
            raise InvalidInput(f"no tag category {axis.name!r} in this project")
    col_items = _tags_of(db, columns.name)
    if rows.kind == AXIS_CATEGORY:
        row_items = _tags_of(db, rows.name)
        counts = _tag_by_tag(db, rows.name, columns.name, scope, resolved)
    else:
        counts = _document_by_tag(db, rows, columns.name, scope, resolved)
        row_items = _document_rows(db, rows, resolved, variable, counts)
    return Matrix(tuple(row_items), tuple(col_items), counts, rows, columns, scope)


def _tag_by_tag(
    db: AnalysisDb, row_cat: str, col_cat: str, scope: str, resolved: ResolvedFilter
) -> dict[tuple[Key, Key], int]:
    # Tags are joined by category (not ``tag_id IN (subquery)``): SQLite then walks the
    # highlight_tags index once per tag, which measured two to three times faster.
    cond_a, params = highlight_conditions(resolved, "ha")
    params.update(rc=row_cat, cc=col_cat)
    if scope == HIGHLIGHT:
        filtered = "" if cond_a == EVERYTHING else (
            f" AND a.highlight_id IN (SELECT ha.id FROM highlights ha WHERE {cond_a})")
        sql = ("SELECT a.tag_id, b.tag_id, count(*) FROM tags ta "
               "JOIN highlight_tags a ON a.tag_id = ta.id "
               "JOIN highlight_tags b ON b.highlight_id = a.highlight_id "
               "JOIN tags tb ON tb.id = b.tag_id "
               f"WHERE ta.category = :rc AND tb.category = :cc{filtered} GROUP BY 1, 2")
    elif scope == OVERLAP:
        cond_b = cond_a.replace("ha.", "hb.")
        sql = ("SELECT a.tag_id, b.tag_id, count(DISTINCT ha.id) FROM tags ta "
               "JOIN highlight_tags a ON a.tag_id = ta.id "
               "JOIN highlights ha ON ha.id = a.highlight_id "
               "JOIN highlights hb ON hb.document_id = ha.document_id "
               'AND hb.start < ha."end" AND hb."end" > ha.start '
               "JOIN highlight_tags b ON b.highlight_id = hb.id "
               "JOIN tags tb ON tb.id = b.tag_id "
               f"WHERE ta.category = :rc AND tb.category = :cc "
               f"AND {cond_a} AND {cond_b} GROUP BY 1, 2")
    else:
        # The units (paragraphs or documents) holding each tag of either category, once
        # each; then the units holding a row tag and a column tag are counted by a join.
        if scope == PARAGRAPH:
            unit = ("SELECT DISTINCT p.document_id AS d, p.number AS n, ht.tag_id AS t "
                    "FROM tags tg JOIN highlight_tags ht ON ht.tag_id = tg.id "
                    "JOIN highlights ha ON ha.id = ht.highlight_id "
                    "JOIN paragraphs p ON p.document_id = ha.document_id "
                    'AND p.start < ha."end" AND p."end" > ha.start')
            same = "b.d = a.d AND b.n = a.n"
        else:
            unit = ("SELECT DISTINCT ha.document_id AS d, ht.tag_id AS t "
                    "FROM tags tg JOIN highlight_tags ht ON ht.tag_id = tg.id "
                    "JOIN highlights ha ON ha.id = ht.highlight_id")
            same = "b.d = a.d"
        sql = (f"WITH ua AS MATERIALIZED ({unit} WHERE tg.category = :rc AND {cond_a}), "
               f"ub AS MATERIALIZED ({unit} WHERE tg.category = :cc AND {cond_a}) "
               f"SELECT a.t, b.t, count(*) FROM ua a JOIN ub b ON {same} GROUP BY 1, 2")
    return {(r, c): n for r, c, n in db.execute(sql, params)}


def _document_by_tag(
    db: AnalysisDb, rows: Axis, col_cat: str, scope: str, resolved: ResolvedFilter
) -> dict[tuple[Key, Key], int]:
    cond, params = highlight_conditions(resolved, "h")
    key, key_params = _document_key(rows)
    params.update(key_params, cc=col_cat)
    counted = "DISTINCT h.document_id" if scope == DOCUMENT else "DISTINCT h.id"
    sql = (f"SELECT {key} AS k, ht.tag_id, count({counted}) FROM highlight_tags ht "
           "JOIN highlights h ON h.id = ht.highlight_id JOIN documents d ON d.id = h.document_id "
           f"WHERE ht.tag_id IN (SELECT id FROM tags WHERE category = :cc) AND {cond} "
           "GROUP BY 1, 2")
    out: dict[tuple[Key, Key], int] = {}
    for k, tag_id, n in db.execute(sql, params):
        out[(_key_text(k, rows), tag_id)] = n
    return out


def _key_text(value: Any, axis: Axis) -> Key:
    if axis.kind == AXIS_DOCUMENTS:
        return int(value)
    if value is None or value == "":
        return None
    return str(value)


def _document_rows(
    db: AnalysisDb, rows: Axis, resolved: ResolvedFilter, variable: Variable | None,
    counts: dict[tuple[Key, Key], int],
) -> list[AxisItem]:
    where, params = document_conditions(resolved, "d.id")
    clause = " AND ".join(where) if where else EVERYTHING
    if rows.kind == AXIS_DOCUMENTS:
        found = db.execute(f"SELECT d.id, d.title FROM documents d WHERE {clause} ORDER BY d.id",
                           params).fetchall()
        return [AxisItem(i, t) for i, t in found]
    key, key_params = _document_key(rows)
    params.update(key_params)
    values = {_key_text(k, rows) for (k,) in db.execute(
        f"SELECT DISTINCT {key} FROM documents d WHERE {clause}", params)}
    values |= {r for r, _c in counts}
    present = [v for v in values if isinstance(v, str)]
    ordered = sort_values(variable, present) if variable is not None else sorted(present)
    items = [AxisItem(v, v) for v in ordered]
    if None in values:
        items.append(AxisItem(None, "(no value)"))
    return items


# ----------------------------------------------------------------- excerpts behind counts
def _related(scope: str) -> str:
    """SQL saying highlight ``hb`` is in the same unit of ``scope`` as highlight ``ha``."""
    if scope == HIGHLIGHT:
        return "hb.id = ha.id"
    if scope == OVERLAP:
        return 'hb.document_id = ha.document_id AND hb.start < ha."end" AND hb."end" > ha.start'
    if scope == PARAGRAPH:
        return ("hb.document_id = ha.document_id AND EXISTS (SELECT 1 FROM paragraphs p "
                'WHERE p.document_id = ha.document_id AND p.start < ha."end" '
                'AND p."end" > ha.start AND p.start < hb."end" AND p."end" > hb.start)')
    return "hb.document_id = ha.document_id"


def _carrying(alias: str, param: str) -> str:
    return (f"{alias}.id IN (SELECT highlight_id FROM highlight_tags "
            f"WHERE tag_id IN (SELECT value FROM json_each(:{param})))")


def combination(
    db: AnalysisDb,
    a_tags: Iterable[int],
    b_tags: Iterable[int],
    mode: str,
    scope: str,
    resolved: ResolvedFilter,
) -> list[int]:
    """Highlight ids in reading order. ``and``: highlights carrying a tag of A that have a
    highlight carrying a tag of B in the same unit of ``scope`` (same highlight, overlapping,
    same paragraph, same document), with those B highlights; ``not``: highlights carrying A
    with no B highlight in their unit."""
    if scope not in SCOPES:
        raise InvalidInput(f"the scope is one of {', '.join(SCOPES)}, not {scope!r}")
    if mode not in (AND, NOT):
        raise InvalidInput(f"combine tags with {AND!r} or {NOT!r}, not {mode!r}")
    cond_a, params = highlight_conditions(resolved, "ha")
    cond_b = cond_a.replace("ha.", "hb.")
    params.update(a=_ids_json(a_tags), b=_ids_json(b_tags))
    partner = (f"SELECT 1 FROM highlights hb WHERE {_related(scope)} AND "
               f"{_carrying('hb', 'b')} AND {cond_b}")
    if mode == NOT:
        sql = (f"SELECT ha.id FROM highlights ha WHERE {_carrying('ha', 'a')} AND {cond_a} "
               f"AND NOT EXISTS ({partner})")
    else:
        mirrored = partner.replace(":b", ":a")
        sql = (f"SELECT ha.id FROM highlights ha WHERE {cond_a} AND ("
               f"({_carrying('ha', 'a')} AND EXISTS ({partner})) OR "
               f"({_carrying('ha', 'b')} AND EXISTS ({mirrored})))")
    return _in_reading_order(db, [i for (i,) in db.execute(sql, params)])


def cell_highlights(
    db: AnalysisDb, result: Matrix, row: Key, column: Key, resolved: ResolvedFilter
) -> list[int]:
    """The highlights behind one matrix cell, in reading order."""
    if result.row_axis.kind == AXIS_CATEGORY:
        assert isinstance(row, int) and isinstance(column, int)
        return combination(db, [row], [column], AND, result.scope, resolved)
    cond, params = highlight_conditions(resolved, "h")
    key, key_params = _document_key(result.row_axis)
    params.update(key_params, col=column)
    if row is None:
        match = f"({key} IS NULL OR CAST({key} AS TEXT) = '')"
    else:
        match = f"{key} = :row"
        params["row"] = row
    sql = ("SELECT h.id FROM highlights h JOIN documents d ON d.id = h.document_id "
           "WHERE h.id IN (SELECT highlight_id FROM highlight_tags WHERE tag_id = :col) "
           f"AND {match} AND {cond}")
    return _in_reading_order(db, [i for (i,) in db.execute(sql, params)])


def _in_reading_order(db: AnalysisDb, ids: Sequence[int]) -> list[int]:
    if not ids:
        return []
    return [i for (i,) in db.execute(
        'SELECT id FROM highlights WHERE id IN (SELECT value FROM json_each(?)) '
        'ORDER BY document_id, start, "end", id', (_ids_json(ids),))]


# ----------------------------------------------------------------- frequencies
def frequencies(
    db: AnalysisDb,
    resolved: ResolvedFilter,
    *,
    by: Variable | None = None,
    category: str | None = None,
) -> list[TagFrequency]:
    """Highlights and documents per tag (every tag, zeros included), by category then name;
    with ``by``, per tag and value of that variable (every value in use, and None for
    documents without one)."""
    cond, params = highlight_conditions(resolved, "h")
    tag_clause = ""
    if category is not None:
        tag_clause = " WHERE category = :cat"
        params["cat"] = category
    tags = db.execute(f"SELECT id, name, category, colour FROM tags{tag_clause} "
                      "ORDER BY category, name COLLATE NOCASE, id", params).fetchall()
    split = "NULL"
    if by is not None:
        split, key_params = _document_key(Axis(AXIS_VARIABLE, by.name))
        params.update(key_params)
    sql = (f"SELECT ht.tag_id, {split}, count(*), count(DISTINCT h.document_id) "
           "FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id "
           f"JOIN documents d ON d.id = h.document_id WHERE {cond} GROUP BY 1, 2")
    axis = Axis(AXIS_VARIABLE, by.name if by else "")
    found = {(t, _key_text(v, axis)): (n, docs) for t, v, n, docs in db.execute(sql, params)}
    values: list[str | None] = [None]
    if by is not None:
        in_use = {str(v) for _t, v in found if v is not None}
        values = [*sort_values(by, in_use), None]
    out = []
    for tag_id, name, cat, colour in tags:
        for value in values:
            n, docs = found.get((tag_id, value), (0, 0))
            if by is not None and value is None and not n:
                continue  # "(no value)" rows only where there is something to show
            out.append(TagFrequency(tag_id, name, cat, colour, n, docs, value))
    return out


def category_frequencies(db: AnalysisDb, resolved: ResolvedFilter) -> list[CategoryFrequency]:
    """Per category: highlights carrying any of its tags, and documents holding one."""
    cond, params = highlight_conditions(resolved, "h")
    found = {c: (n, d) for c, n, d in db.execute(
        "SELECT t.category, count(DISTINCT h.id), count(DISTINCT h.document_id) "
        "FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
        f"JOIN highlights h ON h.id = ht.highlight_id WHERE {cond} GROUP BY 1", params)}
    names = [n for (n,) in db.execute("SELECT name FROM categories ORDER BY position, name")]
    return [CategoryFrequency(c, *found.get(c, (0, 0))) for c in names]


# ----------------------------------------------------------------- timeline
def period_of(day: date, bin: str) -> str:
    if bin == WEEK:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if bin == QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _periods_between(first: date, last: date, bin: str) -> list[str]:
    periods: list[str] = []
    if bin == WEEK:
        day = first - timedelta(days=first.weekday())
        step = timedelta(days=7)
        while day <= last:
            periods.append(period_of(day, bin))
            day += step
        return periods
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        label = period_of(date(year, month, 1), bin)
        if not periods or periods[-1] != label:
            periods.append(label)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return periods


def timeline(
    db: AnalysisDb, tag_ids: Sequence[int], bin: str, resolved: ResolvedFilter
) -> Timeline:
    """Highlights per tag and period of their documents' published date; every period from
    the first to the last dated highlight is listed (zeros included), and highlights in
    undated documents are counted apart."""
    if bin not in BINS:
        raise InvalidInput(f"the bin is one of {', '.join(BINS)}, not {bin!r}")
    cond, params = highlight_conditions(resolved, "h")
    params["tags"] = _ids_json(tag_ids)
    names = dict(db.execute("SELECT id, name FROM tags WHERE id IN "
                            "(SELECT value FROM json_each(:tags))", params).fetchall())
    # Per tag and document first, then one date lookup per document and tag rather than
    # per highlight, through the covering (id, published) index: a document row holds its
    # whole text, and the planner would otherwise read the row (a third of the time).
    per_day = db.execute(
        "SELECT x.t, d.published, sum(x.n) FROM (SELECT ht.tag_id AS t, h.document_id AS doc, "
        "count(*) AS n FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id "
        f"WHERE ht.tag_id IN (SELECT value FROM json_each(:tags)) AND {cond} GROUP BY 1, 2) x "
        "JOIN documents d INDEXED BY ix_documents_id_published ON d.id = x.doc GROUP BY 1, 2",
        params).fetchall()
    counts: dict[tuple[int, str], int] = {}
    undated: dict[int, int] = {}
    days = []
    for tag_id, published, n in per_day:
        if not published:
            undated[tag_id] = undated.get(tag_id, 0) + n
            continue
        # SQLite stores the ISO text; PostgreSQL returns a date.
        day = published if isinstance(published, date) else date.fromisoformat(published)
        days.append(day)
        key = (tag_id, period_of(day, bin))
        counts[key] = counts.get(key, 0) + n
    periods = _periods_between(min(days), max(days), bin) if days else []
    points = []
    for tag_id in dict.fromkeys(tag_ids):
        for period in periods:
            points.append(TimelinePoint(tag_id, names.get(tag_id, ""), period,
                                        counts.get((tag_id, period), 0)))
        points.append(TimelinePoint(tag_id, names.get(tag_id, ""), None, undated.get(tag_id, 0)))
    return Timeline(tuple(periods), tuple(points), bin, undated)
