"""The mentions service: finding mentions, where a tag's name or aliases occur in the project's texts and no highlight
with that tag covers them yet (tagging the chosen ones is ``Highlights.tag_mentions``)."""

from __future__ import annotations

from sqlalchemy import select

from annotator.core._db.dialect import utf8_bytes
from annotator.core._db.schema import DocumentRow
from annotator.core.codebook import Codebook
from annotator.core.errors import Cancelled
from annotator.core.excerpts import Excerpts
from annotator.core.mention_matcher import MentionMatcher
from annotator.core.models import Mention
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.core.store import Store

_MENTION_BATCH = 500  # documents whose texts are read at once when looking for mentions


class Mentions:
    def __init__(self, store: Store, codebook: Codebook, excerpts: Excerpts) -> None:
        self._store, self._codebook, self._excerpts = store, codebook, excerpts

    def find_mentions(
        self,
        tag_id: int,
        *,
        context: int = 60,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Mention]:
        """Every occurrence (whole words, any case) of the tag's name and aliases that is not
        already inside a highlight carrying this tag, across the project, by document and
        position. Texts are read a batch at a time and skipped unless a name occurs in them
        at all, so 20,000 articles take a second or two, not the twenty one query each took."""
        tag = self._codebook.tag(tag_id)
        matcher = MentionMatcher([tag.name, *tag.aliases])
        covered: dict[int, list[tuple[int, int]]] = {}
        for batch in self._excerpts.excerpt_batches(tag_ids=[tag_id]):
            for h in batch:
                covered.setdefault(h.document_id, []).append((h.start, h.end))
        with self._store.read() as s:
            titles = dict(s.execute(select(DocumentRow.id, DocumentRow.title)).all())
        ids = sorted(titles)
        found: list[Mention] = []
        for at in range(0, len(ids), _MENTION_BATCH):
            if cancel is not None and cancel.cancelled:
                raise Cancelled("finding mentions was cancelled")
            if progress is not None:
                progress(Progress(at, len(ids), "Looking for mentions…"))
            with self._store.read() as s:
                # As UTF-8 bytes: most texts are only searched, never decoded.
                texts = s.execute(
                    select(DocumentRow.id, utf8_bytes(DocumentRow.text))
                    .where(DocumentRow.id.in_(ids[at : at + _MENTION_BATCH]))
                ).all()
            for doc_id, data in texts:
                text, matches = matcher.find(data)
                spans = covered.get(doc_id, [])
                for m in matches:
                    if any(s <= m.start() and m.end() <= e for s, e in spans):
                        continue
                    found.append(
                        Mention(doc_id, titles[doc_id], m.start(), m.end(), m.group(0),
                                text[max(0, m.start() - context):m.start()],
                                text[m.end():m.end() + context])
                    )
        if progress is not None:
            progress(Progress(len(ids), len(ids), "Looking for mentions…"))
        found.sort(key=lambda m: (m.document_id, m.start))
        return found
