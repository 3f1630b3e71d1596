"""The codebook service: categories and tags (create, edit, merge, delete, undo)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core._db import convert, removals
from annotator.core._db.highlight_records import documents_of, indexed_highlights, tag_gone
from annotator.core._db.postgres_concurrency import lock_tag_name
from annotator.core._db.schema import (
    CategoryRow,
    HighlightRow,
    TagRow,
    highlight_tags,
)
from annotator.core._search.records import IndexUpdate
from annotator.core.changes import ChangePayload, Changes
from annotator.core.coders import shown_highlights
from annotator.core.colours import colour_for, is_colour
from annotator.core.edit_check import bump, refreshing
from annotator.core.errors import InvalidInput, NotFound
from annotator.core.models import BUILTIN_CATEGORIES, Category, Tag, TagRef, TagSnapshot
from annotator.core.store import Store
from annotator.core.tag_check import check_unchanged, check_unused_by_others

_UNSET: Any = object()


@dataclass(frozen=True)
class MergeRecord:
    """What ``merge_tags`` did, so undo can split the tags apart again."""

    target_id: int
    sources: tuple[TagSnapshot, ...]
    added_to_target: tuple[int, ...]  # highlights that gained the target tag by the merge
    target_aliases_before: tuple[str, ...]
    target_parent_before: int | None = None


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("a tag needs a name")
    return name


# Built once: tagging asks these on every click, and SQLAlchemy took longer to make a new
# statement's cache key than SQLite took to answer it.
_TAG_NAMES = select(TagRow.id, TagRow.name).where(TagRow.id.in_(bindparam("ids", expanding=True)))
_TAG_COUNTS = (select(highlight_tags.c.tag_id, func.count())
               .where(highlight_tags.c.tag_id.in_(bindparam("ids", expanding=True)))
               .group_by(highlight_tags.c.tag_id))

def _shown_links(store: Store) -> list[ColumnElement[bool]]:
    """Count only the links of highlights of the shown coders (``core.coders``)."""
    shown = shown_highlights(store)
    return [] if shown is None else [highlight_tags.c.highlight_id.in_(shown)]


class Codebook:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._tags_cache: tuple[int, tuple[Tag, ...]] | None = None  # (store revision, tags)

    # ----------------------------------------------------------------- categories
    def categories(self) -> list[Category]:
        with self._store.read() as s:
            rows = s.scalars(select(CategoryRow).order_by(CategoryRow.position, CategoryRow.name))
            return [Category(r.name, r.label, r.name in BUILTIN_CATEGORIES) for r in rows]

    def add_category(self, name: str, label: str | None = None) -> Category:
        """A user category such as ``stance``; its name is what queries and exports use."""
        with self._store.write() as s:
            key = _ensure_category(s, name, label)
        self._store.publish(Changes(codebook=True))
        return Category(key, label or key.capitalize(), key in BUILTIN_CATEGORIES)

    def rename_category(self, name: str, label: str) -> Category:
        """Change how a category is shown (its key, used in queries and exports, stays)."""
        label = clean_name(label)
        with self._store.write() as s:
            row = s.get(CategoryRow, name)
            if row is None:
                raise NotFound(f"no category {name!r}")
            row.label = label
        self._store.publish(Changes(codebook=True))
        return Category(name, label, name in BUILTIN_CATEGORIES)

    def delete_category(self, name: str) -> None:
        """Remove an empty user category; Actors and Topics always stay."""
        if name in BUILTIN_CATEGORIES:
            raise InvalidInput(f"the built-in category {name!r} cannot be deleted")
        with self._store.write() as s:
            row = s.get(CategoryRow, name)
            if row is None:
                raise NotFound(f"no category {name!r}")
            count = s.scalar(select(func.count()).where(TagRow.category == name)) or 0
            if count:
                raise InvalidInput(
                    f"category {row.label!r} still has {count} tag(s): delete or merge them first"
                )
            s.delete(row)
        self._store.publish(Changes(codebook=True))

    # ----------------------------------------------------------------- reading tags
    def tags(self, category: str | None = None) -> list[Tag]:
        """All tags with highlight counts, by category then name. Kept until the next write:
        a window's panes each ask for the codebook as it opens, and counting 100,000 tagged
        highlights took 30 ms each time."""
        revision = self._store.stable_revision()
        cached = self._tags_cache
        if revision is not None and cached is not None and cached[0] == revision:
            tags = cached[1]
        else:
            tags = self._read_tags()
            if revision is not None and self._store.stable_revision() == revision:
                self._tags_cache = (revision, tags)
        return [t for t in tags if t.category == category] if category else list(tags)

    def _read_tags(self) -> tuple[Tag, ...]:
        with self._store.read() as s:
            counts: dict[int, int] = {
                tag_id: count for tag_id, count in s.execute(
                    select(highlight_tags.c.tag_id, func.count()).where(*_shown_links(self._store))
                    .group_by(highlight_tags.c.tag_id))
            }
            query = select(TagRow).order_by(TagRow.category, func.lower(TagRow.name))
            return tuple(convert.tag(r, highlight_count=counts.get(r.id, 0)) for r in s.scalars(query))

    def tag(self, tag_id: int) -> Tag:
        with self._store.read() as s:
            row = _tag_row(s, tag_id)
            count = s.scalar(select(func.count()).where(highlight_tags.c.tag_id == tag_id,
                                                        *_shown_links(self._store)))
            return convert.tag(row, highlight_count=count or 0)

    def tag_names(self, tag_ids: Iterable[int]) -> dict[int, str]:
        """Each tag's name in one query, without counting its highlights as ``tag`` does: an
        undo command names its tags on every tagging. An unknown id raises NotFound."""
        ids = list(dict.fromkeys(tag_ids))  # a codebook's size: far under SQLite's bound limit
        if not ids:
            return {}
        with self._store.read() as s:
            names = dict(s.connection().execute(_TAG_NAMES, {"ids": ids}).all())
        for tag_id in ids:
            if tag_id not in names:
                raise NotFound(f"no tag {tag_id}")
        return {tag_id: names[tag_id] for tag_id in ids}

    def tag_counts(self, tag_ids: Iterable[int], *, every_coder: bool = False) -> dict[int, int]:
        """How many highlights carry each of these tags (0 included, unknown ids too), as
        ``Tag.highlight_count`` says: one grouped query, for views that follow a tagging edit
        without rereading the whole codebook. ``every_coder`` counts the coders not shown too
        (what deleting or merging the tag reaches)."""
        ids = list(dict.fromkeys(tag_ids))  # a codebook's size: far under SQLite's bound limit
        counts = dict.fromkeys(ids, 0)
        if not ids:
            return counts
        with self._store.read() as s:
            query = _TAG_COUNTS
            if self._store.shown_coders is not None and not every_coder:
                query = _TAG_COUNTS.where(*_shown_links(self._store))
            counts.update(s.connection().execute(query, {"ids": ids}).all())
        return counts

    def find_tag(self, category: str, name: str) -> Tag | None:
        """Case-insensitive lookup by name, then by alias, within a category."""
        with self._store.read() as s:
            row = _find_tag_row(s, category, name)
            if row is None:
                return None
            count = s.scalar(select(func.count()).where(highlight_tags.c.tag_id == row.id,
                                                        *_shown_links(self._store)))
            return convert.tag(row, highlight_count=count or 0)

    # ----------------------------------------------------------------- writing tags
    def create_tag(
        self,
        name: str,
        category: str,
        *,
        colour: str | None = None,
        parent_id: int | None = None,
        description: str = "",
        aliases: Sequence[str] = (),
        tag_id: int | None = None,
    ) -> Tag:
        with self._store.write() as s:
            row = _new_tag_row(s, name, category, colour, parent_id, description, aliases, tag_id)
            tag = convert.tag(row)
        self._store.publish(Changes(tags=frozenset({tag.id}), codebook=True))
        return tag

    def update_tag(
        self,
        tag_id: int,
        *,
        name: str = _UNSET,
        colour: str = _UNSET,
        parent_id: int | None = _UNSET,
        description: str = _UNSET,
        aliases: Sequence[str] = _UNSET,
        expected: Mapping[str, Any] | None = None,
    ) -> Tag:
        """Rename, recolour, re-parent, describe or set aliases. Renaming onto an existing name
        is refused (merge instead), so no highlight silently changes tag. ``expected``: field
        values the caller's own last edit left (an undo); refused (``EditConflict``) if another
        coder changed one since."""
        with refreshing(self._store.publish), self._store.write() as s:
            row = _tag_row(s, tag_id, lock=True)
            check_unchanged(convert.tag(row), expected)
            if name is not _UNSET:
                name = clean_name(name)
                lock_tag_name(s.connection(), row.category, name)
                clash = s.scalar(
                    select(TagRow.id).where(
                        TagRow.category == row.category, TagRow.name == name, TagRow.id != tag_id
                    )
                )
                if clash:
                    raise InvalidInput(f"{row.category} tag {name!r} already exists: merge instead")
                row.name = name
            if colour is not _UNSET:
                if not is_colour(colour):
                    raise InvalidInput(f"colour must look like #rrggbb, not {colour!r}")
                row.colour = colour
            if parent_id is not _UNSET:
                _check_parent(s, row, parent_id)
                row.parent_id = parent_id
            if description is not _UNSET:
                row.description = description
            if aliases is not _UNSET:
                row.aliases = json.dumps(_clean_aliases(aliases, row.name))
            s.flush()
            # Highlight records index a tag's category, name and aliases only: a recolour,
            # re-parenting or description leaves the index as it is (and its generation).
            update = None
            if name is not _UNSET or aliases is not _UNSET:
                update = _reindex_tagged(s, [tag_id], self._store.next_generation(s))
            tag = self.tag(tag_id)
        # Views swap the new name and colour into the highlights they hold: naming every
        # highlight of the tag made each of them read hundreds back on a recolour.
        self._store.finish(update, Changes(
            tags=frozenset({tag_id}), codebook=True,
            payload=ChangePayload(tag_refs=(TagRef(tag.id, tag.name, tag.category, tag.colour),))))
        return tag

    def merge_tags(self, source_ids: Iterable[int], target_id: int) -> MergeRecord:
        """Move every highlight of the sources onto the target, keep the sources' names as the
        target's aliases, then delete the sources."""
        sources = [i for i in dict.fromkeys(source_ids) if i != target_id]
        if not sources:
            raise InvalidInput("choose at least one other tag to merge into this one")
        self._store.before_bulk("merge")
        with refreshing(self._store.publish), self._store.write() as s:
            # Locked first: a coder applying one of these tags now waits for the merge (and is
            # then told it was merged), or the merge waits for their tagging and moves it too.
            _lock_tags(s, [target_id, *sources])
            snapshots = tuple(self.tag_snapshot(i) for i in sources)
            target = _tag_row(s, target_id)
            before = set(
                s.scalars(
                    select(highlight_tags.c.highlight_id).where(highlight_tags.c.tag_id == target_id)
                )
            )
            moved = {h for snap in snapshots for h in snap.highlight_ids}
            added = sorted(moved - before)
            if added:
                s.execute(
                    insert(highlight_tags), [{"highlight_id": h, "tag_id": target_id} for h in added]
                )
            aliases_before = convert.aliases_of(target)
            new_aliases = list(aliases_before)
            for snap in snapshots:
                new_aliases += [snap.tag.name, *snap.tag.aliases]
            target.aliases = json.dumps(_clean_aliases(new_aliases, target.name))
            parent_before = target.parent_id
            # A target inside a source's sub-tree first climbs out of it, or the tree would loop.
            if any(a in sources for a in _ancestors(s, target)):
                parent = target.parent_id
                while parent is not None and (parent in sources or any(
                        a in sources for a in _ancestors(s, _tag_row(s, parent)))):
                    parent = _tag_row(s, parent).parent_id
                target.parent_id = parent
            for child in s.scalars(select(TagRow).where(TagRow.parent_id.in_(sources))):
                if child.id != target_id:
                    child.parent_id = target_id
            s.execute(delete(TagRow).where(TagRow.id.in_(sources)))
            s.flush()
            self._removed(s, snapshots, merged_into=target.name)
            generation = self._store.next_generation(s)
            update = _reindex_highlights(s, sorted(moved | before), generation)
            changes = _tag_changes(s, [target_id, *sources], moved)
        self._store.finish(update, changes)
        return MergeRecord(target_id, snapshots, tuple(added), aliases_before, parent_before)

    def undo_merge(self, record: MergeRecord) -> None:
        with refreshing(self._store.publish), self._store.write() as s:
            target = _tag_row(s, record.target_id, lock=True)
            if record.added_to_target:
                s.execute(
                    delete(highlight_tags).where(
                        highlight_tags.c.tag_id == record.target_id,
                        highlight_tags.c.highlight_id.in_(record.added_to_target),
                    )
                )
            target.aliases = json.dumps(list(record.target_aliases_before))
            for snap in _parents_first(list(record.sources)):
                _insert_tag_snapshot(s, snap)
            s.flush()
            target.parent_id = record.target_parent_before
            s.flush()
            touched = {h for snap in record.sources for h in snap.highlight_ids}
            self._restored(s, record.sources, touched)
            generation = self._store.next_generation(s)
            update = _reindex_highlights(s, sorted(touched), generation)
            sources = [snap.tag.id for snap in record.sources]
            changes = _tag_changes(s, [record.target_id, *sources], touched)
        self._store.finish(update, changes)

    def tag_snapshot(self, tag_id: int) -> TagSnapshot:
        with self._store.read() as s:
            ids = s.scalars(
                select(highlight_tags.c.highlight_id)
                .where(highlight_tags.c.tag_id == tag_id)
                .order_by(highlight_tags.c.highlight_id)
            ).all()
            children = s.scalars(
                select(TagRow.id).where(TagRow.parent_id == tag_id).order_by(TagRow.id)
            ).all()
        return TagSnapshot(self.tag(tag_id), tuple(ids), tuple(children))

    def delete_tags(self, tag_ids: Iterable[int]) -> list[TagSnapshot]:
        """Delete several tags in one transaction (one index update); snapshots for undo,
        parents before children so ``restore_tags`` can replay them in order."""
        ids = list(dict.fromkeys(tag_ids))
        doomed = set(ids)
        with refreshing(self._store.publish), self._store.write() as s:
            _lock_tags(s, ids)
            snapshots = [self.tag_snapshot(i) for i in ids]
            for tag_id in ids:
                row = _tag_row(s, tag_id)
                parent = row.parent_id
                while parent in doomed:  # children of a deleted parent climb past it
                    parent = _tag_row(s, parent).parent_id
                for child in s.scalars(select(TagRow).where(TagRow.parent_id == tag_id)):
                    if child.id not in doomed:
                        child.parent_id = parent
            s.execute(delete(TagRow).where(TagRow.id.in_(ids)))
            self._removed(s, snapshots)
            touched = sorted({h for snap in snapshots for h in snap.highlight_ids})
            changes = _tag_changes(s, ids, touched)
            update = _reindex_highlights(s, touched, self._store.next_generation(s))
        self._store.finish(update, changes)
        return _parents_first(snapshots)

    def restore_tags(self, snapshots: Sequence[TagSnapshot]) -> None:
        """Undo of ``delete_tags``."""
        with self._store.write() as s:
            for snap in _parents_first(list(snapshots)):
                _insert_tag_snapshot(s, snap)
            s.flush()
            touched = sorted({h for snap in snapshots for h in snap.highlight_ids})
            self._restored(s, snapshots, touched)
            update = _reindex_highlights(s, touched, self._store.next_generation(s))
            changes = _tag_changes(s, [snap.tag.id for snap in snapshots], touched)
        self._store.finish(update, changes)

    def delete_tag(self, tag_id: int, *, unless_used_by_others: bool = False) -> TagSnapshot:
        """Remove a tag from the codebook and from its highlights. The highlights stay, with
        their other tags; children move up to the deleted tag's parent. With
        ``unless_used_by_others`` (the undo of making it) refused (``EditConflict``) once
        another coder's highlight carries it."""
        with refreshing(self._store.publish), self._store.write() as s:
            row = _tag_row(s, tag_id, lock=True)
            if unless_used_by_others:
                check_unused_by_others(s.connection(), convert.tag(row), self._store.user)
            snapshot = self.tag_snapshot(tag_id)
            changes = _tag_changes(s, [tag_id], snapshot.highlight_ids)
            for child in s.scalars(select(TagRow).where(TagRow.parent_id == tag_id)):
                child.parent_id = row.parent_id
            s.delete(row)
            s.flush()
            self._removed(s, [snapshot])
            generation = self._store.next_generation(s)
            update = _reindex_highlights(s, list(snapshot.highlight_ids), generation)
        self._store.finish(update, changes)
        return snapshot

    def restore_tag(self, snapshot: TagSnapshot) -> Tag:
        """Undo of ``delete_tag``: same id, same highlights (those that still exist)."""
        with self._store.write() as s:
            _insert_tag_snapshot(s, snapshot)
            s.flush()
            self._restored(s, [snapshot], snapshot.highlight_ids)
            generation = self._store.next_generation(s)
            update = _reindex_highlights(s, list(snapshot.highlight_ids), generation)
            changes = _tag_changes(s, [snapshot.tag.id], snapshot.highlight_ids)
        self._store.finish(update, changes)
        return self.tag(snapshot.tag.id)


    def _removed(self, s: Session, snapshots: Sequence[TagSnapshot], merged_into: str = "") -> None:
        """Inside a deletion or merge: the tags' highlights changed (their versions move on, so
        a coder's stale edit of one is refused) and who removed the tags is kept."""
        conn, now = s.connection(), datetime.now().replace(microsecond=0)
        bump(conn, self._store.own_versions, sorted({h for snap in snapshots for h in snap.highlight_ids}),
             self._store.user, now)
        detail = {"merged_into": merged_into} if merged_into else {}
        removals.record(conn, removals.TAG, [(snap.tag.id, {"name": snap.tag.name, **detail})
                                             for snap in snapshots], self._store.user, now)

    def _restored(self, s: Session, snapshots: Sequence[TagSnapshot], highlight_ids: Iterable[int]) -> None:
        """Inside an undo of a deletion or merge: the tags are back, their highlights changed."""
        conn = s.connection()
        removals.forget(conn, removals.TAG, [snap.tag.id for snap in snapshots])
        bump(conn, self._store.own_versions, sorted(set(highlight_ids)), self._store.user,
             datetime.now().replace(microsecond=0))


def _lock_tags(s: Session, tag_ids: Iterable[int]) -> None:
    """Lock these tags for a deletion or merge (PostgreSQL ``FOR UPDATE``, in id order); one
    that is gone raises with who removed it."""
    ids = sorted(set(tag_ids))
    found = set(s.scalars(select(TagRow.id).where(TagRow.id.in_(ids)).order_by(TagRow.id).with_for_update()))
    for tag_id in ids:
        if tag_id not in found:
            raise tag_gone(s.connection(), tag_id)


def _tag_changes(s: Session, tag_ids: Iterable[int], highlight_ids: Iterable[int]) -> Changes:
    """A codebook edit: the tags, and the highlights (and their documents) whose painted
    colour or chips follow from them."""
    hids = frozenset(highlight_ids)
    docs = documents_of(s.connection(), hids) if hids else frozenset()
    return Changes(tags=frozenset(tag_ids), highlights=hids, documents=docs, codebook=True)


def _tag_row(s: Session, tag_id: int, *, lock: bool = False) -> TagRow:
    row = s.get(TagRow, tag_id, with_for_update=lock or None)
    if row is None:
        raise tag_gone(s.connection(), tag_id)
    return row


def _ancestors(s: Session, row: TagRow) -> list[int]:
    found: list[int] = []
    current = row.parent_id
    while current is not None and current not in found:
        found.append(current)
        current = _tag_row(s, current).parent_id
    return found


def _check_parent(s: Session, row: TagRow, parent_id: int | None) -> None:
    seen = {row.id}
    current = parent_id
    while current is not None:
        if current in seen:
            raise InvalidInput("a tag cannot be moved under itself or its own child")
        seen.add(current)
        parent = _tag_row(s, current)
        if parent.category != row.category:
            raise InvalidInput("a tag's parent must be in the same category")
        current = parent.parent_id


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    seen = {name.casefold()}
    out = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out


def _insert_tag_snapshot(s: Session, snap: TagSnapshot) -> None:
    tag = snap.tag
    if s.get(CategoryRow, tag.category) is None:
        s.add(CategoryRow(name=tag.category, label=tag.category.capitalize(), position=99))
    parent = tag.parent_id if tag.parent_id and s.get(TagRow, tag.parent_id) else None
    s.add(
        TagRow(
            id=tag.id,
            name=tag.name,
            category=tag.category,
            colour=tag.colour,
            parent_id=parent,
            description=tag.description,
            aliases=json.dumps(list(tag.aliases)),
        )
    )
    s.flush()
    existing = set(
        s.scalars(select(HighlightRow.id).where(HighlightRow.id.in_(snap.highlight_ids)))
    )
    links = [{"highlight_id": h, "tag_id": tag.id} for h in snap.highlight_ids if h in existing]
    if links:
        s.execute(insert(highlight_tags), links)
    for child in s.scalars(select(TagRow).where(TagRow.id.in_(snap.child_ids))):
        child.parent_id = tag.id


def _parents_first(snapshots: list[TagSnapshot]) -> list[TagSnapshot]:
    """Order snapshots so a tag is restored before any tag whose parent it is."""
    ids = {snap.tag.id for snap in snapshots}
    done: set[int] = set()
    ordered: list[TagSnapshot] = []
    pending = list(snapshots)
    while pending:
        ready = [p for p in pending if p.tag.parent_id not in ids - done]
        if not ready:  # a cycle cannot be stored; keep the remaining order
            ready = pending[:1]
        for snap in ready:
            ordered.append(snap)
            done.add(snap.tag.id)
            pending.remove(snap)
    return ordered


def _reindex_tagged(s: Session, tag_ids: list[int], generation: int) -> IndexUpdate:
    ids = s.scalars(
        select(highlight_tags.c.highlight_id).where(highlight_tags.c.tag_id.in_(tag_ids))
    ).all()
    return _reindex_highlights(s, list(ids), generation)


def _reindex_highlights(s: Session, highlight_ids: list[int], generation: int) -> IndexUpdate:
    """Index records for these highlights, read inside the writing transaction."""
    s.flush()
    s.expire_all()  # link rows written with Core inserts/deletes: callers' objects reload them
    return IndexUpdate(generation=generation, upsert_highlights=indexed_highlights(s, highlight_ids))


def _ensure_category(s: Session, name: str, label: str | None = None) -> str:
    """The key of category ``name``, added (last) if the project does not have it yet."""
    key = clean_name(name).lower()
    if ":" in key or '"' in key:
        raise InvalidInput("a category name cannot contain ':' or '\"'")
    if s.get(CategoryRow, key) is None:
        position = (s.scalar(select(func.max(CategoryRow.position))) or 0) + 1
        s.add(CategoryRow(name=key, label=label or key.capitalize(), position=position))
    return key


def _find_tag_row(s: Session, category: str, name: str) -> TagRow | None:
    wanted = " ".join(name.split()).casefold()
    rows = s.scalars(select(TagRow).where(TagRow.category == category).order_by(TagRow.id)).all()
    for row in rows:
        if row.name.casefold() == wanted:
            return row
    for row in rows:
        if any(a.casefold() == wanted for a in convert.aliases_of(row)):
            return row
    return None


def _new_tag_row(
    s: Session, name: str, category: str, colour: str | None = None, parent_id: int | None = None,
    description: str = "", aliases: Sequence[str] = (), tag_id: int | None = None,
) -> TagRow:
    """``create_tag`` inside the caller's transaction (its arguments, in its order)."""
    name = clean_name(name)
    if colour is not None and not is_colour(colour):
        raise InvalidInput(f"colour must look like #rrggbb, not {colour!r}")
    category = _ensure_category(s, category)
    lock_tag_name(s.connection(), category, name)
    if s.scalar(select(TagRow.id).where(TagRow.category == category, TagRow.name == name)):
        raise InvalidInput(f"{category} tag {name!r} already exists")
    if parent_id is not None:
        parent = _tag_row(s, parent_id)
        if parent.category != category:
            raise InvalidInput("a tag's parent must be in the same category")
    count = s.scalar(select(func.count()).select_from(TagRow)) or 0
    row = TagRow(
        id=tag_id,
        name=name,
        category=category,
        colour=colour or colour_for(count),
        parent_id=parent_id,
        description=description,
        aliases=json.dumps(_clean_aliases(aliases, name)),
    )
    s.add(row)
    s.flush()
    return row


def find_or_create_tag_rows(s: Session, wanted: Sequence[tuple[str, str]]) -> list[int]:
    """Ids of the ``(category, name)`` tags, matched like ``find_tag`` and created when
    missing, inside the caller's transaction (so a failed write leaves no new tag behind)."""
    ids = []
    for category, name in wanted:
        key = category.strip().lower()
        # Two coders typing the same new tag at once: the second waits here, then finds it.
        lock_tag_name(s.connection(), key, name)
        row = _find_tag_row(s, key, name) or _new_tag_row(s, name, key)
        ids.append(row.id)
    return ids
