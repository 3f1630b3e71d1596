"""Numeric ranges (published dates, pages) matched from preloaded document lists.

Whoosh answers a NumericRange with a tree of union matchers over dozens of trie terms and
walks it document by document, which dominated date-filtered searches (tens of ms even for a
few hundred matches). Reading each term's posting list once into a sorted array and matching
from that array gives the same documents several times faster.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from annotator.core._search.whoosh_internals import numeric_range_terms


class PreloadedNumericRange(wq.NumericRange):
    def trie_terms(self, reader: Any) -> list[tuple[str, bytes]]:
        """The index terms whose documents together make up the range."""
        return numeric_range_terms(self, reader)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        docnums: set[int] = set()
        for fieldname, btext in self.trie_terms(reader):
            docnums.update(reader.postings(fieldname, btext).all_ids())
        if not docnums:
            return NullMatcher()
        return ListMatcher(sorted(docnums), all_weights=self.boost)
