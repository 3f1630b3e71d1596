"""``annotator check`` on a team project: what can be verified over a connection.

Row checksums are a local project's defence against its file changing on disk (a flipped bit,
a damaged sync); a server database has its own (page checksums, WAL, the server's backups), and
every coder's writes go through the server, so a team project keeps none. What is checked
here: every highlight's quote against its document's text at its offsets, and every original
stored in the database against the hash recorded when it was imported.
"""

from __future__ import annotations

import hashlib
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core._db.schema import DocumentRow, HighlightRow, OriginalRow
from annotator.core.integrity import (
    ContentReport,
    check_quotes,
    describe_quote_problems,
    shown_ids,
)
from annotator.core.stale_files import stale_files
from annotator.core.store import Store

SERVER_NOTE = ("row checksums are not kept for a team project (the PostgreSQL server "
               "protects its own pages)")


def verify_team(store: Store) -> ContentReport:
    report = ContentReport()
    outside: list[int] = []
    differs: list[int] = []
    with store.read() as s:
        rows = s.execute(select(HighlightRow.id, HighlightRow.document_id, HighlightRow.start,
                                HighlightRow.end, HighlightRow.text)
                         .order_by(HighlightRow.document_id, HighlightRow.id)).all()
        for doc_id, group in groupby(rows, key=lambda r: r[1]):
            body = s.scalar(select(DocumentRow.text).where(DocumentRow.id == doc_id)) or ""
            check_quotes(body, [(h, a, b, t) for h, _d, a, b, t in group], report, outside,
                         differs)
        describe_quote_problems(report, outside, differs)
        _verify_originals(s, report)
    leftovers = stale_files(store.folder)
    if leftovers:
        report.repairable.append(f"{len(leftovers)} leftover file(s) of killed work in "
                                 f"{store.folder}")
    return report


def _verify_originals(s: Session, report: ContentReport) -> None:
    listed = s.execute(select(DocumentRow.id, DocumentRow.stored_file)
                       .where(DocumentRow.stored_file.isnot(None))).all()
    kept = dict(s.execute(select(OriginalRow.document_id, OriginalRow.sha256)).all())
    missing = [doc for doc, _stored in listed if doc not in kept]
    changed: list[int] = []
    for doc in sorted(kept):
        data = s.scalar(select(OriginalRow.data).where(OriginalRow.document_id == doc)) or b""
        if hashlib.sha256(data).hexdigest() != kept[doc]:
            changed.append(doc)
        else:
            report.originals_verified += 1
    if missing:
        report.damage.append(f"{len(missing)} document(s) list an original the database does "
                             f"not hold: document {shown_ids(missing)}")
    if changed:
        report.damage.append(f"{len(changed)} original(s) in the database changed since import: "
                             f"document {shown_ids(changed)}")
