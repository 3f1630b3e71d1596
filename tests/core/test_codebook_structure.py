"""Codebook structure: sub-tags survive delete/merge and their undo; categories can be managed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InvalidInput
from tests.core.helpers import add_text, new_library


def test_delete_and_restore_tag_keeps_its_sub_tags(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        trade = library.create_tag("Trade", "topic")
        tariffs = library.create_tag("tariffs", "topic", parent_id=trade.id)
        quotas = library.create_tag("quotas", "topic", parent_id=trade.id)
        snapshot = library.delete_tag(trade.id)
        assert library.tag(tariffs.id).parent_id is None
        library.restore_tag(snapshot)
        assert {library.tag(tariffs.id).parent_id, library.tag(quotas.id).parent_id} == {trade.id}


def test_delete_tags_in_one_step_and_restore_nested_ones(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        doc = add_text(library, "Steel tariffs and dairy quotas were discussed.")
        trade = library.create_tag("Trade", "topic")
        tariffs = library.create_tag("tariffs", "topic", parent_id=trade.id)
        steel = library.create_tag("steel", "topic", parent_id=tariffs.id)
        energy = library.create_tag("energy", "topic")
        h = library.add_highlight(doc.id, 0, 13, tag_ids=[tariffs.id, steel.id, energy.id])
        snapshots = library.delete_tags([tariffs.id, trade.id])
        assert library.highlight(h.id).topics == ["energy", "steel"]
        assert library.tag(steel.id).parent_id is None  # climbed past both deleted ancestors
        library.restore_tags(snapshots)
        assert library.tag(tariffs.id).parent_id == trade.id
        assert library.tag(steel.id).parent_id == tariffs.id
        assert sorted(library.highlight(h.id).topics) == ["energy", "steel", "tariffs"]


def test_merge_moves_sub_tags_under_the_target_and_undo_puts_them_back(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        ustr = library.create_tag("USTR", "actor")
        office = library.create_tag("US Trade Representative", "actor")
        deputy = library.create_tag("Deputy USTR", "actor", parent_id=ustr.id)
        record = library.merge_tags([ustr.id], office.id)
        assert library.tag(deputy.id).parent_id == office.id
        library.undo_merge(record)
        assert library.tag(deputy.id).parent_id == ustr.id


def test_user_categories_can_be_renamed_and_deleted_when_empty(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        library.add_category("stance", "Stance")
        hawkish = library.create_tag("hawkish", "stance")
        library.rename_category("stance", "Stance on trade")
        assert [c.label for c in library.categories()][-1] == "Stance on trade"
        with pytest.raises(InvalidInput, match="still has 1 tag"):
            library.delete_category("stance")
        library.delete_tag(hawkish.id)
        library.delete_category("stance")
        assert [c.name for c in library.categories()] == ["actor", "topic"]
        with pytest.raises(InvalidInput, match="built-in"):
            library.delete_category("actor")


def test_merging_a_tag_into_its_own_sub_tag_never_makes_a_loop(tmp_path: Path) -> None:
    with new_library(tmp_path) as library:
        a = library.create_tag("Trade", "topic")
        x = library.create_tag("Tariffs", "topic", parent_id=a.id)
        b = library.create_tag("Steel tariffs", "topic", parent_id=x.id)
        record = library.merge_tags([a.id], b.id)
        parents = {t.id: t.parent_id for t in library.tags("topic")}
        assert parents == {b.id: None, x.id: b.id}
        library.undo_merge(record)
        parents = {t.id: t.parent_id for t in library.tags("topic")}
        assert parents == {a.id: None, x.id: a.id, b.id: x.id}
