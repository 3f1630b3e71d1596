"""Document variables and analysis counts as a service on the ``Store``: thin doors onto
``core.variables``, ``core.variables_csv`` and ``core.analysis``, which hold the logic.

Variable values are not in the search index (``name:value`` queries find their documents in
the database, see ``core.variable_search``), so writing them bumps no index generation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from annotator.core import analysis
from annotator.core import variables as vc
from annotator.core._db.analysis_sql import AnalysisDb, analysis_db, temporary_paragraphs
from annotator.core._db.highlight_records import document_update
from annotator.core._db.schema import DocumentRow
from annotator.core.analysis import Axis, Matrix, Timeline
from annotator.core.analysis_filter import AnalysisFilter, ResolvedFilter
from annotator.core.changes import Changes
from annotator.core.codebook import Codebook
from annotator.core.documents import Documents
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.highlights import Highlights
from annotator.core.models import ACTOR, TOPIC, Highlight
from annotator.core.paragraphs import ensure_paragraphs
from annotator.core.search import Search
from annotator.core.store import Store
from annotator.core.variables import Variable
from annotator.core.variables_csv import VariablesImported, plan_import


class AnalysisService:
    """Variable writes publish a ``Changes`` naming the documents (the Library pane shows
    values as columns); built-in ones go through ``Documents.update_document``."""

    def __init__(self, store: Store, documents: Documents, highlights: Highlights,
                 codebook: Codebook, search: Search) -> None:
        self._store, self._documents, self._highlights = store, documents, highlights
        self._codebook, self._search = codebook, search

    # ----------------------------------------------------------------- variables
    def variables(self) -> list[Variable]:
        """Built-in variables (published, author, source, format), then the user's."""
        with self._store.read() as s:
            return vc.list_variables(s)

    def variable(self, name: str) -> Variable:
        """The variable called ``name`` (any case); ``NotFound`` if there is none."""
        with self._store.read() as s:
            return vc.find_variable(s, name)

    def define_variable(self, name: str, type: str = vc.TEXT,
                        choices: Iterable[str] = ()) -> Variable:
        with self._store.write() as s:
            return vc.define_variable(s, name, type, choices)

    def change_variable(self, name: str, *, new_name: str | None = None,
                        type: str | None = None, choices: Iterable[str] | None = None) -> Variable:
        with self._store.write() as s:
            return vc.change_variable(s, name, new_name=new_name, kind=type,
                                             choices=choices)

    def delete_variable(self, name: str) -> dict[int, str]:
        """Delete a user variable and its values; returns the values, for undo."""
        with self._store.write() as s:
            return vc.delete_variable(s, name)

    def restore_variable(self, variable: Variable, values: Mapping[int, str]) -> None:
        """Undo of ``delete_variable``."""
        with self._store.write() as s:
            vc.define_variable(s, variable.name, variable.type, variable.choices)
            vc.restore_values(s, variable.name, dict(values))

    def variable_values(self, name: str) -> list[str]:
        """The values of ``name`` in use, in the variable's order."""
        with self._store.read() as s:
            return vc.distinct_values(s, vc.find_variable(s, name))

    def document_variables(self, document_id: int) -> dict[str, str]:
        """The document's values of the user's variables (unset ones absent)."""
        with self._store.read() as s:
            if s.get(DocumentRow, document_id) is None:
                raise NotFound(f"no document {document_id}")
            return vc.values_of_documents(s, [document_id]).get(document_id, {})

    def all_document_variables(
        self, document_ids: Iterable[int] | None = None
    ) -> dict[int, dict[str, str]]:
        """``{document id: {name: value}}`` for every document holding a value."""
        with self._store.read() as s:
            return vc.values_of_documents(s, document_ids)

    def set_document_variable(self, document_id: int, name: str, value: Any) -> str | None:
        """Set one document's value (None or "" clears it); returns the previous value.
        Built-ins (published, author, source) change the document's metadata."""
        return self.set_documents_variable([document_id], name, value)[document_id]

    def set_documents_variable(
        self, document_ids: Iterable[int], name: str, value: Any
    ) -> dict[int, str | None]:
        """Give several documents the same value in one step; returns each one's previous
        value (for undo)."""
        ids = list(dict.fromkeys(document_ids))
        variable = self.variable(name)
        if variable.builtin:
            return self._set_builtin(ids, variable, value)
        with self._store.write() as s:
            before = vc.set_values(s, ids, variable, value)
        self._store.publish(Changes(documents=frozenset(ids)))
        return before

    def restore_document_variable(self, name: str,
                                  values: Mapping[int, str | None]) -> None:
        """Undo of ``set_documents_variable``: put each document's previous value back."""
        variable = self.variable(name)
        if variable.builtin:
            for doc_id, value in values.items():
                self._set_builtin([doc_id], variable, value)
            return
        with self._store.write() as s:
            vc.restore_values(s, variable.name, values)
        self._store.publish(Changes(documents=frozenset(values)))

    def _set_builtin(self, ids: list[int], variable: Variable,
                     value: Any) -> dict[int, str | None]:
        if variable.name not in vc.EDITABLE_BUILTINS:
            raise InvalidInput(f"{variable.name} is set on import and cannot be changed")
        stored = vc.normal_value(variable, value)
        before: dict[int, str | None] = {}
        for doc_id in ids:
            doc = self._documents.document(doc_id)
            old = getattr(doc, variable.name)
            before[doc_id] = old.isoformat() if isinstance(old, date) else (old or None)
            if variable.name == "published":
                self._documents.update_document(doc_id, published=date.fromisoformat(stored)
                                     if stored else None)
            elif variable.name == "author":
                self._documents.update_document(doc_id, author=stored or "")
            else:
                self._documents.update_document(doc_id, source=stored or "")
        return before

    def import_variables_csv(self, path: Path | str) -> VariablesImported:
        """Read a CSV of variables per document (see ``core.variables_csv``) in one step:
        every row is checked first; nothing is saved unless all of it is."""
        path = Path(path).expanduser()
        with self._store.read() as s:
            known = {v.name.casefold(): v for v in vc.list_variables(s) if not v.builtin}
            docs = s.execute(select(DocumentRow.id, DocumentRow.title)).all()
        titles: dict[str, list[int]] = {}
        for doc_id, title in docs:
            titles.setdefault(" ".join(title.split()).casefold(), []).append(doc_id)
        plan = plan_import(path, known, {d for d, _ in docs}, titles)
        builtin_changes: dict[int, dict[str, Any]] = {}
        with self._store.write() as s:
            for new in plan.new_variables:
                vc.define_variable(s, new.name, new.type, new.choices)
            count = 0
            for doc_id, values in plan.values.items():
                for name, value in values.items():
                    count += 1
                    if name in vc.BUILTIN_TYPES:
                        builtin_changes.setdefault(doc_id, {})[name] = (
                            date.fromisoformat(value) if name == "published" else value)
                        continue
                    variable = vc.find_variable(s, name)
                    vc.set_values(s, [doc_id], variable, value)
            # Built-in fields are in the search index: one generation for the whole import.
            generation = self._store.next_generation(s) if builtin_changes else 0
            updates = []
            for doc_id, changes in builtin_changes.items():
                row = s.get(DocumentRow, doc_id)
                if row is None:
                    raise NotFound(f"no document {doc_id}")
                for key, value in changes.items():
                    setattr(row, key, value)
                s.flush()
                updates.append(document_update(s, row, generation))
        for update in updates:
            self._store.apply_index(update)
        self._store.publish(Changes(documents=frozenset(plan.values)))
        return VariablesImported(len(plan.values), count,
                                 tuple(v.name for v in plan.new_variables))

    # ----------------------------------------------------------------- analysis
    @contextmanager
    def _analysis_db(self, *, paragraphs: bool = False) -> Iterator[AnalysisDb]:
        """A DB-API connection for the analysis SQL; with ``paragraphs`` the paragraph spans
        of every highlighted document are made first (stored, or kept for this read if the
        project is open read-only)."""
        if paragraphs and not self._store.readonly:
            with self._store.write() as s:
                ensure_paragraphs(analysis_db(s.connection()), self._documents.document_texts)
        with self._store.read() as s, ExitStack() as stack:
            db = analysis_db(s.connection())
            if paragraphs and self._store.readonly:
                stack.enter_context(temporary_paragraphs(db))
                ensure_paragraphs(db, self._documents.document_texts)
            yield db

    def resolve_analysis_filter(self, f: AnalysisFilter | None) -> ResolvedFilter:
        """Run the filter's search query (if any) once, for several counts to share."""
        f = f or AnalysisFilter()
        for name, _values in f.variables:
            self.variable(name)  # a clear NotFound for a mistyped variable
        if not f.query:
            return ResolvedFilter(f)
        counts = self._documents.counts()
        results = self._search.search(f.query, limit=counts["documents"] + counts["highlights"] + 1)
        hls = frozenset(h.highlight_id for h in results.hits if h.highlight_id is not None)
        docs = frozenset(h.document_id for h in results.hits if h.kind == "document")
        return ResolvedFilter(f, hls, docs, tuple(results.warnings))

    def _resolved(self, f: AnalysisFilter | ResolvedFilter | None) -> ResolvedFilter:
        resolved = f if isinstance(f, ResolvedFilter) else self.resolve_analysis_filter(f)
        # The coders shown now, whenever the filter was resolved: blind coding turned on
        # between two counts must hide the second one's other coders too.
        shown = self._store.shown_coders
        coders = None if shown is None else tuple(sorted(shown))
        return resolved if resolved.coders == coders else replace(resolved, coders=coders)

    def analysis_axis(self, name: str) -> Axis:
        """``actor``, ``topic`` or another tag category; ``documents``; or a variable."""
        key = name.strip()
        if key.casefold() in ("documents", "document", "docs"):
            return Axis(analysis.AXIS_DOCUMENTS)
        if any(c.name == key.casefold() for c in self._codebook.categories()):
            return Axis(analysis.AXIS_CATEGORY, key.casefold())
        try:
            return Axis(analysis.AXIS_VARIABLE, self.variable(key).name)
        except NotFound:
            cats = ", ".join(c.name for c in self._codebook.categories())
            raise NotFound(f"{name!r} is neither a tag category ({cats}), 'documents' nor a "
                           "variable") from None

    def tag_matrix(
        self, rows: Axis | str, columns: Axis | str, scope: str = analysis.HIGHLIGHT,
        f: AnalysisFilter | ResolvedFilter | None = None,
    ) -> Matrix:
        """Counts of tag combinations (``core.analysis`` explains the scopes)."""
        row_axis = self.analysis_axis(rows) if isinstance(rows, str) else rows
        col_axis = self.analysis_axis(columns) if isinstance(columns, str) else columns
        variable = self.variable(row_axis.name) if row_axis.kind == analysis.AXIS_VARIABLE \
            else None
        resolved = self._resolved(f)
        wants = scope == analysis.PARAGRAPH and row_axis.kind == analysis.AXIS_CATEGORY
        with self._analysis_db(paragraphs=wants) as db:
            return analysis.matrix(db, row_axis, col_axis, scope, resolved, variable=variable)

    def cooccurrence(self, scope: str = analysis.HIGHLIGHT) -> Matrix:
        """The actor x topic matrix over the whole project."""
        return self.tag_matrix(ACTOR, TOPIC, scope)

    def matrix_cell_highlights(
        self, result: Matrix, row: Any, column: Any,
        f: AnalysisFilter | ResolvedFilter | None = None,
    ) -> list[Highlight]:
        """The excerpts behind one cell of ``result``, in reading order."""
        resolved = self._resolved(f)
        with self._analysis_db(paragraphs=result.scope == analysis.PARAGRAPH) as db:
            ids = analysis.cell_highlights(db, result, row, column, resolved)
        return self._highlights_in_order(ids)

    def combination_highlights(
        self, a_tags: Iterable[int], b_tags: Iterable[int], mode: str = analysis.AND,
        scope: str = analysis.HIGHLIGHT, f: AnalysisFilter | ResolvedFilter | None = None,
    ) -> list[Highlight]:
        """Excerpts with tag A AND tag B (in the same highlight, overlapping, same paragraph
        or document), or with A and NOT B; in reading order."""
        resolved = self._resolved(f)
        with self._analysis_db(paragraphs=scope == analysis.PARAGRAPH) as db:
            ids = analysis.combination(db, a_tags, b_tags, mode, scope, resolved)
        return self._highlights_in_order(ids)

    def tagged_highlights(
        self, tag_ids: Iterable[int], f: AnalysisFilter | ResolvedFilter | None = None
    ) -> list[Highlight]:
        """Highlights carrying any of ``tag_ids`` that the filter keeps, in reading order."""
        tags = list(tag_ids)
        return self.combination_highlights(tags, tags, analysis.AND, analysis.HIGHLIGHT, f)

    def _highlights_in_order(self, ids: list[int]) -> list[Highlight]:
        order = {hid: i for i, hid in enumerate(ids)}
        return sorted(self._highlights.highlights(highlight_ids=ids), key=lambda h: order[h.id])

    def tag_frequencies(
        self, f: AnalysisFilter | ResolvedFilter | None = None, *,
        by: str | None = None, category: str | None = None,
    ) -> list[analysis.TagFrequency]:
        """Highlights and documents per tag, optionally per value of the variable ``by``."""
        variable = self.variable(by) if by else None
        resolved = self._resolved(f)
        with self._analysis_db() as db:
            return analysis.frequencies(db, resolved, by=variable, category=category)

    def category_frequencies(
        self, f: AnalysisFilter | ResolvedFilter | None = None
    ) -> list[analysis.CategoryFrequency]:
        resolved = self._resolved(f)
        with self._analysis_db() as db:
            return analysis.category_frequencies(db, resolved)

    def tag_timeline(
        self, tag_ids: Iterable[int], bin: str = analysis.MONTH,
        f: AnalysisFilter | ResolvedFilter | None = None,
    ) -> Timeline:
        """Highlights per tag and week, month or quarter of their documents' dates."""
        resolved = self._resolved(f)
        with self._analysis_db() as db:
            return analysis.timeline(db, list(tag_ids), bin, resolved)
