"""What ``annotator check`` verifies beyond the search index: that the database's content is
what Annotator wrote.

* every document, highlight and note matches its checksum (``_db.row_digests``);
* every highlight's span lies inside its document and its quote equals the text there;
* every original under ``sources/`` is present and has the bytes it had at import;
* SQLite's own structure check passes.

Problems are either repairable (``--repair`` does it: stale scratch files, unlisted originals,
rows changed with SQL outside Annotator, which it accepts) or damage, which only a backup can
undo; ``newest_good_backup`` finds the newest backup that passes the same checks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core._db import row_digests
from annotator.core._db.row_digests import COVERED, SOURCE_KIND, digest, file_digest
from annotator.core.stale_files import stale_files

_SHOWN_IDS = 8


@dataclass
class ContentReport:
    rows_verified: int = 0
    quotes_verified: int = 0
    originals_verified: int = 0
    damage: list[str] = field(default_factory=list)  # only a restore undoes these
    repairable: list[str] = field(default_factory=list)  # --repair fixes these
    unsealed: int = 0  # rows changed outside Annotator since its last write

    @property
    def ok(self) -> bool:
        return not self.damage and not self.repairable

    def summary(self) -> str:
        return (f"content verified: {self.rows_verified:,} checksums, {self.quotes_verified:,} "
                f"quotes, {self.originals_verified:,} originals")


def shown_ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:_SHOWN_IDS])
    return shown + (f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else "")


def _lenient(raw: bytes) -> str:
    # Damaged bytes must be reported, not stop the check with a decoding error.
    return raw.decode("utf-8", errors="surrogateescape")


def connect_for_check(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db.as_posix()}?mode=ro", uri=True)
    conn.text_factory = _lenient
    return conn


def verify(conn: sqlite3.Connection, folder: Path | None, *, deep: bool = False) -> ContentReport:
    """Check the database behind ``conn``; ``folder`` (the project) adds the originals and
    leftover files, None checks the database alone (a backup)."""
    report = ContentReport()
    pragma = "integrity_check" if deep else "quick_check"
    try:
        result = conn.execute(f"PRAGMA {pragma}").fetchone()
    except sqlite3.DatabaseError as exc:
        report.damage.append(f"the database file is damaged: {exc}")
        return report
    if not result or result[0] != "ok":
        report.damage.append(f"the database file is damaged: {result[0] if result else '?'}")
        return report
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "row_checksums" not in tables:
        report.repairable.append("the database has no checksums yet (open it for writing once)")
    else:
        _verify_rows(conn, report)
    _verify_quotes(conn, report)
    if folder is not None:
        _verify_originals(conn, folder, report)
        leftovers = stale_files(folder)
        if leftovers:
            report.repairable.append(
                f"{len(leftovers)} leftover file(s) of killed work: "
                + ", ".join(str(p.relative_to(folder)) for p in leftovers[:3]))
    return report


def _verify_rows(conn: sqlite3.Connection, report: ContentReport) -> None:
    dirty = {(k, i) for k, i in conn.execute("SELECT kind, row_id FROM checksum_dirty")}
    report.unsealed = len(dirty)
    for table, columns in COVERED.items():
        stored = dict(conn.execute(
            "SELECT row_id, digest FROM row_checksums WHERE kind = ?", (table,)))
        bad: list[int] = []
        missing: list[int] = []
        cursor = conn.execute(f"SELECT id, {', '.join(columns)} FROM {table} ORDER BY id")
        for row in cursor:
            row_id = row[0]
            if (table, row_id) in dirty:
                continue
            expected = stored.get(row_id)
            if expected is None:
                missing.append(row_id)
            elif digest(*row[1:]) != expected:
                bad.append(row_id)
            else:
                report.rows_verified += 1
        noun = table[:-1]
        if bad:
            report.damage.append(
                f"{len(bad)} {noun}(s) changed on disk since Annotator wrote them "
                f"(checksum mismatch): {noun} {shown_ids(bad)}")
        if missing:
            report.repairable.append(f"{len(missing)} {noun}(s) have no checksum: {shown_ids(missing)}")
    if dirty:
        report.repairable.append(
            f"{len(dirty)} row(s) were changed outside Annotator since its last write "
            "(--repair accepts them as they are)")


def _verify_quotes(conn: sqlite3.Connection, report: ContentReport) -> None:
    outside: list[int] = []
    differs: list[int] = []
    highlights: dict[int, list[tuple[int, int, int, str]]] = {}
    for hid, doc, start, end, text in conn.execute(
        'SELECT id, document_id, start, "end", text FROM highlights ORDER BY document_id, id'
    ):
        highlights.setdefault(doc, []).append((hid, start, end, text))
    for doc, rows in highlights.items():
        found = conn.execute("SELECT text FROM documents WHERE id = ?", (doc,)).fetchone()
        if found is None:
            outside.extend(r[0] for r in rows)
            continue
        check_quotes(found[0], rows, report, outside, differs)
    describe_quote_problems(report, outside, differs)


def check_quotes(body: str, rows: Iterable[tuple[int, int, int, str]], report: ContentReport,
                 outside: list[int], differs: list[int]) -> None:
    """Each ``(id, start, end, quote)`` of one document against its text ``body``."""
    for hid, start, end, text in rows:
        if not (0 <= start < end <= len(body)):
            outside.append(hid)
        elif body[start:end] != text:
            differs.append(hid)
        else:
            report.quotes_verified += 1


def describe_quote_problems(report: ContentReport, outside: list[int], differs: list[int]) -> None:
    if outside:
        report.damage.append(
            f"{len(outside)} highlight(s) point outside their document: highlight {shown_ids(outside)}")
    if differs:
        report.damage.append(
            f"{len(differs)} highlight(s) quote text that is not at their offsets: "
            f"highlight {shown_ids(differs)}")


def _verify_originals(conn: sqlite3.Connection, folder: Path, report: ContentReport) -> None:
    recorded = dict(conn.execute(
        "SELECT row_id, digest FROM row_checksums WHERE kind = ?", (SOURCE_KIND,))) if \
        "row_checksums" in {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")} else {}
    missing: list[str] = []
    changed: list[str] = []
    for doc, stored in conn.execute(
        "SELECT id, stored_file FROM documents WHERE stored_file IS NOT NULL ORDER BY id"
    ):
        path = folder / stored
        if not path.is_file():
            missing.append(stored)
            continue
        expected = recorded.get(doc)
        if expected is not None and file_digest(path) != expected:
            changed.append(stored)
        else:
            report.originals_verified += 1
    if missing:
        report.damage.append(f"{len(missing)} original(s) missing from sources/: "
                             + ", ".join(missing[:3]) + (" …" if len(missing) > 3 else ""))
    if changed:
        report.damage.append(f"{len(changed)} original(s) in sources/ changed since import: "
                             + ", ".join(changed[:3]) + (" …" if len(changed) > 3 else ""))


def accept_outside_changes(conn: sqlite3.Connection, folder: Path) -> None:
    """--repair: checksum rows changed outside Annotator and rows without one, as they are."""
    row_digests.register(conn)
    for table in COVERED:
        conn.execute(f"INSERT OR IGNORE INTO checksum_dirty (kind, row_id) SELECT '{table}', id "
                     f"FROM {table} WHERE id NOT IN (SELECT row_id FROM row_checksums "
                     f"WHERE kind = '{table}')")
    row_digests.seal(conn, folder)


def newest_good_backup(folder: Path) -> Path | None:
    """The newest backup whose database passes every check of ``verify`` (without originals)."""
    from annotator.core.backups import list_backups

    for info in list_backups(folder):
        if not info.readable:
            continue
        try:
            conn = connect_for_check(info.path)
            try:
                report = verify(conn, None)
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        if not report.damage:
            return info.path
    return None
