"""The Library keeps the index in step: metadata edits reach passages; empty categories parse."""

from __future__ import annotations

from pathlib import Path

from tests.core.helpers import add_text, new_library


def test_author_query_finds_passages_and_follows_metadata_edits(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "Retaliation was discussed at length in Ottawa.", author="Hannah Okafor")
        h = library.add_highlight(doc.id, 0, 11)
        kinds = {(hit.kind, hit.highlight_id) for hit in library.search("author:okafor in:highlights").hits}
        assert kinds == {("highlight", h.id)}
        library.update_document(doc.id, author="Sam Lee")
        assert library.search("author:okafor").hits == ()
        assert {hit.highlight_id for hit in library.search("author:lee in:highlights").hits} == {h.id}
        assert library.check()[0]


def test_query_on_a_user_category_without_tags_is_not_an_unknown_field(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        add_text(library, "Hawkish words on trade.")
        library.add_category("stance")
        results = library.search("stance:hawkish")
        assert results.hits == () and not any("unknown" in w.lower() for w in results.warnings)
