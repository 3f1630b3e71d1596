"""Tag edits re-index the tag's highlights only when the index holds what changed (its name
and aliases): a recolour of a much-used tag must not rewrite hundreds of records."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.library import Library
from tests.core.helpers import add_text, new_library


@pytest.fixture
def library(tmp_path: Path):  # yields the open Library
    library = new_library(tmp_path)
    yield library
    library.close()


def _record_index_updates(library: Library, monkeypatch: pytest.MonkeyPatch) -> list:
    updates: list = []
    apply = library._store.apply_index

    def recording(update):  # wraps the Library's own method
        updates.append(update)
        return apply(update)

    monkeypatch.setattr(library._store, "apply_index", recording)
    return updates


def test_recolour_parent_and_description_leave_the_index_current(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = add_text(library, "Steel tariffs rise again. Radar upgrades follow.")
    steel = library.create_tag("Steel", "topic")
    trade = library.create_tag("Trade", "topic")
    library.add_highlight(doc.id, 0, 13, tag_ids=[steel.id])
    updates = _record_index_updates(library, monkeypatch)
    recoloured = library.update_tag(steel.id, colour="#123456")
    library.update_tag(steel.id, parent_id=trade.id)
    library.update_tag(steel.id, description="Steel and aluminium")
    assert updates == []
    assert recoloured.colour == "#123456" and recoloured.highlight_count == 1
    assert library.tag(steel.id).parent_id == trade.id
    assert library.index_problem(deep=True) is None
    assert library.search('topic:"Steel"').total == 1


def test_rename_and_aliases_re_index_the_tags_highlights(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = add_text(library, "Steel tariffs rise again. Radar upgrades follow.")
    steel = library.create_tag("Steel", "topic")
    made = library.add_highlight(doc.id, 0, 13, tag_ids=[steel.id])
    updates = _record_index_updates(library, monkeypatch)
    library.update_tag(steel.id, name="Metals")
    library.update_tag(steel.id, aliases=["Aluminium"])
    assert [[r.id for r in u.upsert_highlights] for u in updates] == [[made.id], [made.id]]
    assert library.index_problem(deep=True) is None
    assert library.search('topic:"Metals"').total == 1
    assert library.search('topic:"Steel"').total == 0
