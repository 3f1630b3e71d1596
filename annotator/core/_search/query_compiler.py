"""Turns the parsed search-box tree into a Whoosh query.

Field names are checked against the fixed fields and the tag categories present in the index;
anything that cannot be searched (unknown field, bad date, a lone stop word) is dropped with a
warning instead of failing the whole query.
"""

from __future__ import annotations

import calendar
import fnmatch
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from whoosh import query as wq
from whoosh.analysis import Analyzer

from annotator.core._search.analysis import fold, query_terms, tag_analyzer, text_analyzer
from annotator.core._search.query_syntax import Fielded, Group, Leaf, Negation, Node
from annotator.core._search.ranges import PreloadedNumericRange
from annotator.core._search.schema import (
    AUTHOR,
    DEFAULT_FIELDS,
    EXACT_TAGS,
    KIND_DOCUMENT,
    KIND_HIGHLIGHT,
    NOTE,
    SOURCE,
    TAGS,
    TEXT_ALL,
    TITLE,
    category_field,
    exact_category_field,
    exact_tag_key,
)
from annotator.core.errors import InvalidQuery

SCOPE_DOCUMENTS = "documents"
SCOPE_HIGHLIGHTS = "highlights"
SCOPE_NOTES = "notes"
_SCOPE_NAMES = {
    "documents": SCOPE_DOCUMENTS,
    "document": SCOPE_DOCUMENTS,
    "docs": SCOPE_DOCUMENTS,
    "highlights": SCOPE_HIGHLIGHTS,
    "highlight": SCOPE_HIGHLIGHTS,
    "passages": SCOPE_HIGHLIGHTS,
    "notes": SCOPE_NOTES,
    "note": SCOPE_NOTES,
}
_TEXT_FIELDS = {"title": (TITLE,), "author": (AUTHOR,), "source": (SOURCE,), "note": (NOTE,)}
KNOWN_FIELDS = (
    "actor", "topic", "tag", "title", "author", "source", "note", "page", "format", "published",
    "in",
)
MARKABLE_FIELDS = frozenset({TEXT_ALL, NOTE, TITLE})

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_RANGE_SPLIT = re.compile(r"\s*\bto\b\s*|\s*\.\.\s*", re.IGNORECASE)
_COMPARE_RE = re.compile(r"^(>=|<=|>|<)(.*)$")
_MAX_FUZZY = 2
MAX_PAGE = 2**31 - 1


@dataclass
class CompiledQuery:
    query: wq.Query | None
    warnings: list[str] = field(default_factory=list)
    scopes: frozenset[str] = frozenset()


class _DateError(ValueError):
    pass


class VariableField(Protocol):
    """A document variable as the compiler sees it: its type (text, number, date, choice)
    and the documents whose value passes a test. The values live in the database, not in the
    index: a ``name:value`` query becomes the set of those documents (and their passages)."""

    type: str

    def documents_where(self, keep: Callable[[str], bool]) -> Collection[int]: ...


def _period(spec: str) -> tuple[int, int]:
    """First and last day of ``2025``, ``2025-06`` or ``2025-06-14`` as yyyymmdd numbers."""
    match = _DATE_RE.match(spec.strip())
    if not match:
        raise _DateError(spec)
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is None:
        return year * 10000 + 101, year * 10000 + 1231
    if not 1 <= month <= 12:
        raise _DateError(spec)
    last = calendar.monthrange(year, month)[1]
    base = year * 10000 + month * 100
    if day is None:
        return base + 1, base + last
    if not 1 <= day <= last:
        raise _DateError(spec)
    return base + day, base + day


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date_value(text: str) -> int | None:
    match = _DATE_RE.match(text)
    if not match or not match.group(3):
        return None
    return int(match.group(1)) * 10000 + int(match.group(2)) * 100 + int(match.group(3))


def _in_bounds(value: float | None, low: float | None, high: float | None) -> bool:
    return value is not None and (low is None or value >= low) and (high is None or value <= high)


_VALUE_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


def _value_words(value: str) -> list[str]:
    folded = fold(value)
    return [folded, *_VALUE_WORD.findall(folded)]


def _holds_phrase(value: str, phrase: str) -> bool:
    """``phrase`` is the whole value or a run of whole words in it (any case and accents):
    outlet:globe finds "Globe and Mail", outlet:"and mail" too, outlet:glob does not."""
    if value == phrase:
        return True
    words = _VALUE_WORD.findall(value)
    wanted = _VALUE_WORD.findall(phrase)
    if not wanted:
        return False
    n = len(wanted)
    return any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def _any_record() -> wq.Query:
    """What a purely negative query starts from. Not Every(): that would include the index's
    meta record, and excluding it with a search mask slows every query down."""
    return wq.Or([wq.Term("kind", KIND_DOCUMENT), wq.Term("kind", KIND_HIGHLIGHT)])


class QueryCompiler:
    def __init__(
        self,
        categories: Collection[str],
        has_term: Callable[[str, str], bool] | None = None,
        variables: Mapping[str, VariableField] | None = None,
    ) -> None:
        self.has_term = has_term or (lambda _field, _text: False)
        # A tag category wins over a variable of the same name (the Library refuses to make
        # such a variable, but a category may be created after it).
        self.variables = {k.casefold(): v for k, v in (variables or {}).items()}
        # Categories are whatever tag categories the index holds ("actor", "topic", "stance"…).
        self.categories = {c.casefold() for c in categories} | {"actor", "topic"}
        self.text_analyzer = text_analyzer()
        self.tag_analyzer = tag_analyzer()
        self.warnings: list[str] = []
        self.scopes: set[str] = set()

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def compile(self, tree: Node | None) -> CompiledQuery:
        self._collect_scopes(tree)
        q = self.node(tree, None) if tree is not None else None
        if isinstance(q, wq.Not):
            q = wq.And([_any_record(), q])
        scope = self._scope_filter()
        if scope is not None:
            q = scope if q is None else wq.And([q, scope])
        return CompiledQuery(q, self.warnings, frozenset(self.scopes))

    # -- tree walking --------------------------------------------------------------------------

    def _collect_scopes(self, tree: Node | None) -> None:
        """``in:`` applies to the whole query wherever it is written."""
        if isinstance(tree, Leaf) and tree.field == "in":
            value = tree.text.casefold()
            if value in _SCOPE_NAMES:
                self.scopes.add(_SCOPE_NAMES[value])
            else:
                self.warn(f"“in:{tree.text}” is not a scope; use in:documents, in:highlights or in:notes.")
        elif isinstance(tree, Group):
            for child in tree.children:
                self._collect_scopes(child)
        elif isinstance(tree, (Negation, Fielded)):
            self._collect_scopes(tree.child)

    def _scope_filter(self) -> wq.Query | None:
        filters: list[wq.Query] = []
        if SCOPE_DOCUMENTS in self.scopes:
            filters.append(wq.Term("kind", KIND_DOCUMENT))
        if SCOPE_HIGHLIGHTS in self.scopes:
            filters.append(wq.Term("kind", KIND_HIGHLIGHT))
        if SCOPE_NOTES in self.scopes:
            filters.append(wq.Term("has_note", "1"))
        if not filters:
            return None
        return filters[0] if len(filters) == 1 else wq.Or(filters)

    def node(self, node: Node, inherited: str | None) -> wq.Query | None:
        if isinstance(node, Leaf):
            return self.leaf(node if node.field else Leaf(inherited, node.form, node.text, node.distance))
        if isinstance(node, Fielded):
            return self.node(node.child, node.field)
        if isinstance(node, Negation):
            child = self.node(node.child, inherited)
            return wq.Not(child) if child is not None else None
        children = [q for q in (self.node(c, inherited) for c in node.children) if q is not None]
        if not children:
            return None
        if len(children) == 1:
            return children[0]
        if node.op == "or":
            return wq.Or(children)
        if all(isinstance(c, wq.Not) for c in children):
            children.insert(0, _any_record())
        return wq.And(children)

    # -- leaves --------------------------------------------------------------------------------

    def leaf(self, leaf: Leaf) -> wq.Query | None:
        name = leaf.field
        if name is None:
            fields = (NOTE,) if self.scopes == {SCOPE_NOTES} else DEFAULT_FIELDS
            return self.text(leaf, fields, self.text_analyzer)
        if name == "in":
            return None
        if name in _TEXT_FIELDS:
            return self.text(leaf, _TEXT_FIELDS[name], self.text_analyzer)
        if name == "tag":
            return self.exact_tag(leaf, EXACT_TAGS) or self.text(leaf, (TAGS,), self.tag_analyzer)
        if name in self.categories:
            return self.exact_tag(leaf, exact_category_field(name)) or self.text(
                leaf, (category_field(name),), self.tag_analyzer
            )
        if name in self.variables:
            return self.variable(leaf, self.variables[name])
        if name == "published":
            return self.numeric(leaf, "published", self.published_bounds)
        if name == "page":
            return self.page(leaf)
        if name == "format":
            return self.format(leaf)
        plain = self.leaf(Leaf(None, leaf.form, leaf.text, leaf.distance))
        searched = f"; “{leaf.text}” was searched as plain words" if plain is not None else ""
        self.warn(
            f"Unknown field “{name}:”{searched}. "
            f"Fields: {', '.join(KNOWN_FIELDS)}, a tag category or a document variable."
        )
        return plain

    def exact_tag(self, leaf: Leaf, fieldname: str) -> wq.Query | None:
        """A quoted tag name that is exactly some tag's name or alias: one term lookup.
        (Otherwise the quoted words are matched as a phrase inside tag names.)"""
        if leaf.form != "phrase":
            return None
        key = exact_tag_key(leaf.text)
        return wq.Term(fieldname, key) if key and self.has_term(fieldname, key) else None

    def text(self, leaf: Leaf, fields: tuple[str, ...], analyzer: Analyzer) -> wq.Query | None:
        builder = self._text_builder(leaf, analyzer)
        if builder is None:
            return None
        queries = [builder(f) for f in fields]
        return queries[0] if len(queries) == 1 else wq.Or(queries)

    def _text_builder(self, leaf: Leaf, analyzer: Analyzer) -> Callable[[str], wq.Query] | None:
        if leaf.form in ("word", "phrase"):
            terms = query_terms(analyzer, leaf.text)
            if not terms:
                if any(ch.isalnum() for ch in leaf.text):
                    shown = " ".join(leaf.text.split())
                    self.warn(f"“{shown}” is too common a word to search for; it was ignored.")
                return None
            if len(terms) == 1:
                return lambda f: wq.Term(f, terms[0])
            return lambda f: wq.Phrase(f, terms)
        if leaf.form == "prefix":
            stem = fold(leaf.text)
            if len(stem) < 2:
                self.warn(f"“{leaf.text}*” is too short for a wildcard; use at least two letters.")
                return None
            return lambda f: wq.Prefix(f, stem)
        if leaf.form == "wildcard":
            pattern = fold(leaf.text)
            if len(pattern.replace("*", "").replace("?", "")) < 2:
                self.warn(f"“{leaf.text}” is too vague a wildcard; use at least two letters.")
                return None
            return lambda f: wq.Wildcard(f, pattern)
        if leaf.form == "fuzzy":
            word = fold(leaf.text)
            if leaf.distance == 0:
                return self._text_builder(Leaf(leaf.field, "word", leaf.text), analyzer)
            distance = min(leaf.distance, _MAX_FUZZY)
            if leaf.distance > _MAX_FUZZY:
                self.warn(
                    f"“{leaf.text}~”: close spellings go up to {_MAX_FUZZY} "
                    f"letters off; searched as {leaf.text}~{_MAX_FUZZY}."
                )
            return lambda f: wq.FuzzyTerm(
                f, word, maxdist=distance, prefixlength=1
            )
        self.warn(f"A range “[{leaf.text}]” only works with published: or page:; it was ignored.")
        return None

    def variable(self, leaf: Leaf, variable: VariableField) -> wq.Query | None:
        """The documents (and their passages) whose value of the variable matches."""
        keep = self._value_test(leaf, variable.type)
        if keep is None:
            return None
        found = sorted(variable.documents_where(keep))
        if not found:
            return wq.Term("doc", "")  # no document has such a value: matches nothing
        terms: list[wq.Query] = [wq.Term("doc", str(i)) for i in found]
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def _value_test(self, leaf: Leaf, kind: str) -> Callable[[str], bool] | None:
        if kind == "number":
            return self._number_test(leaf)
        if kind == "date":
            try:
                low, high = self._numeric_range(leaf, _period)
            except _DateError:
                self.warn(f"“{leaf.field}:{leaf.text}” is not a date; use {leaf.field}:2025, "
                          f"{leaf.field}:2025-06-14 or {leaf.field}:[2025-01 to 2025-06].")
                return None
            return lambda v: _in_bounds(_date_value(v), low, high)
        if leaf.form == "range":
            self.warn(f"“{leaf.field}:[{leaf.text}]”: {leaf.field} is a text variable; "
                      "ranges work with number and date variables.")
            return None
        wanted = fold(" ".join(leaf.text.split()))
        if leaf.form in ("prefix", "wildcard"):
            pattern = wanted + "*" if leaf.form == "prefix" else wanted
            return lambda v: any(fnmatch.fnmatchcase(w, pattern) for w in _value_words(v))
        return lambda v: _holds_phrase(fold(v), wanted)

    def _number_test(self, leaf: Leaf) -> Callable[[str], bool] | None:
        text = leaf.text.strip()
        try:
            if leaf.form == "range":
                parts = _RANGE_SPLIT.split(text, maxsplit=1)
                lo_spec, hi_spec = (p.strip().strip("*") for p in
                                    (parts if len(parts) == 2 else (text, text)))
                low = float(lo_spec) if lo_spec else None
                high = float(hi_spec) if hi_spec else None
                return lambda v: _in_bounds(_float(v), low, high)
            compare = _COMPARE_RE.match(text)
            op, spec = compare.groups() if compare else ("=", text)
            number = float(spec)
        except ValueError:
            self.warn(f"“{leaf.field}:{leaf.text}” is not a number; use {leaf.field}:12, "
                      f"{leaf.field}:>=10 or {leaf.field}:[10 to 20].")
            return None
        tests: dict[str, Callable[[float], bool]] = {
            "=": lambda x: x == number, ">": lambda x: x > number, ">=": lambda x: x >= number,
            "<": lambda x: x < number, "<=": lambda x: x <= number,
        }
        test = tests[op]
        return lambda v: (x := _float(v)) is not None and test(x)

    def format(self, leaf: Leaf) -> wq.Query | None:
        if leaf.form not in ("word", "phrase"):
            self.warn(f"“format:{leaf.text}” should be a plain word such as format:pdf.")
            return None
        return wq.Term("format", leaf.text.strip().casefold())

    # -- numbers and dates ---------------------------------------------------------------------

    def published_bounds(self, spec: str) -> tuple[int, int]:
        return _period(spec)

    def numeric(
        self, leaf: Leaf, fieldname: str, bounds: Callable[[str], tuple[int, int]]
    ) -> wq.Query | None:
        example = "published:2025, published:2025-06-14 or published:[2025-06-01 to 2025-06-30]"
        try:
            low, high = self._numeric_range(leaf, bounds)
        except _DateError:
            self.warn(f"“{leaf.field}:{leaf.text}” is not a date; use {example}.")
            return None
        if low is None and high is None:
            return wq.Every(fieldname)
        return PreloadedNumericRange(fieldname, low, high)

    def _numeric_range(
        self, leaf: Leaf, bounds: Callable[[str], tuple[int, int]]
    ) -> tuple[int | None, int | None]:
        text = leaf.text.strip()
        if leaf.form == "range":
            parts = _RANGE_SPLIT.split(text, maxsplit=1)
            if len(parts) != 2:
                parts = text.split() if len(text.split()) == 2 else [text, text]
            lo_spec, hi_spec = (p.strip().strip("*") for p in parts)
            low = bounds(lo_spec)[0] if lo_spec else None
            high = bounds(hi_spec)[1] if hi_spec else None
            if low is not None and high is not None and low > high:
                self.warn(
                    f"“{leaf.field}:[{leaf.text}]” runs backwards; "
                    f"searched from {hi_spec} to {lo_spec}."
                )
                return bounds(hi_spec)[0], bounds(lo_spec)[1]
            return low, high
        compare = _COMPARE_RE.match(text)
        if compare:
            op, spec = compare.groups()
            first, last = bounds(spec)
            if op == ">":
                return last + 1, None
            if op == ">=":
                return first, None
            if op == "<":
                return None, first - 1
            return None, last
        return bounds(text)

    def page(self, leaf: Leaf) -> wq.Query | None:
        def page_bounds(spec: str) -> tuple[int, int]:
            spec = spec.strip()
            if "-" in spec.strip("-"):
                lo, _, hi = spec.partition("-")
                return page_bounds(lo)[0], page_bounds(hi)[1]
            if not spec.isdigit():
                raise _DateError(spec)
            return int(spec), int(spec)

        try:
            low, high = self._numeric_range(leaf, page_bounds)
        except _DateError:
            self.warn(f"“page:{leaf.text}” is not a page number; use page:12 or page:[10 to 20].")
            return None
        if any(n is not None and n > MAX_PAGE for n in (low, high)):
            # The index stores pages as 32-bit numbers; Whoosh cannot even look a bigger one up.
            shown = f"[{leaf.text}]" if leaf.form == "range" else leaf.text
            raise InvalidQuery(f"“page:{shown}”: page numbers go up to {MAX_PAGE:,}.")
        # A highlight covers pages page..page_end; it matches when that overlaps the request.
        parts: list[wq.Query] = []
        if high is not None:
            parts.append(PreloadedNumericRange("page", None, high))
        if low is not None:
            parts.append(PreloadedNumericRange("page_end", low, None))
        if not parts:
            return wq.Every("page")
        return parts[0] if len(parts) == 1 else wq.And(parts)
