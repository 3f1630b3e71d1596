"""Stable REFI-QDA GUIDs: UUIDv5 of the project's identity and our own ids.

Exporting the same project twice gives every user, code, source, selection, coding and note
the same GUID, so another tool re-importing a newer export can recognise what it already has.
Ids that SQLite may hand out again after a delete are qualified by something the new owner
would not share (the document's text hash, the highlight's creation time).
"""

from __future__ import annotations

import uuid

from annotator.core.models import Document, Highlight, Tag


class RefiIds:
    def __init__(self, namespace: uuid.UUID) -> None:
        self.namespace = namespace

    def _guid(self, name: str) -> str:
        return str(uuid.uuid5(self.namespace, name))

    def project(self) -> str:
        return self._guid("project")

    def user(self, name: str) -> str:
        return self._guid(f"user:{name}")

    def category(self, key: str) -> str:
        return self._guid(f"category:{key}")

    def tag(self, tag: Tag) -> str:
        return self._guid(f"tag:{tag.id}")

    def document(self, document: Document) -> str:
        return self._guid(f"document:{document.id}:{document.sha256}")

    def original(self, document: Document) -> str:
        return self._guid(f"original:{document.id}:{document.sha256}")

    def document_note(self, document: Document) -> str:
        return self._guid(f"document-note:{document.id}:{document.sha256}")

    def highlight(self, highlight: Highlight) -> str:
        return self._guid(f"highlight:{highlight.id}:{highlight.created.isoformat()}")

    def highlight_note(self, highlight: Highlight) -> str:
        return self._guid(f"highlight-note:{highlight.id}:{highlight.created.isoformat()}")

    def coding(self, highlight: Highlight, tag_id: int) -> str:
        return self._guid(f"coding:{highlight.id}:{highlight.created.isoformat()}:{tag_id}")
