"""Stable REFI-QDA GUIDs: UUIDv5 of the project's identity and our own ids.

Exporting the same project twice gives every user, code, source, selection, coding and note
the same GUID, so another tool re-importing a newer export can recognise what it already has.
Ids that SQLite may hand out again after a delete are qualified by something the new owner
would not share (the document's text hash, the highlight's creation time).
"""

from __future__ import annotations

import hashlib
import uuid

from annotator.core.models import Document, Highlight, Tag


def uuid5_text(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))`` without building UUID objects: an export of
    25,000 highlights asks for over 100,000 of these."""
    raw = bytearray(hashlib.sha1(namespace + name.encode("utf-8")).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class RefiIds:
    def __init__(self, namespace: uuid.UUID) -> None:
        self.namespace = namespace
        self._ns = namespace.bytes

    def _guid(self, name: str) -> str:
        return uuid5_text(self._ns, name)

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

    def variable(self, name: str) -> str:
        return self._guid(f"variable:{name.casefold()}")

    def case(self, document: Document) -> str:
        return self._guid(f"case:{document.id}:{document.sha256}")

    def document_note(self, document: Document) -> str:
        return self._guid(f"document-note:{document.id}:{document.sha256}")

    @staticmethod
    def highlight_key(highlight: Highlight) -> str:
        """What the highlight's own GUIDs derive from: its id and creation time."""
        return f"{highlight.id}:{highlight.created.isoformat()}"

    def highlight(self, key: str) -> str:
        return self._guid(f"highlight:{key}")

    def highlight_note(self, key: str) -> str:
        return self._guid(f"highlight-note:{key}")

    def coding(self, key: str, tag_id: int) -> str:
        return self._guid(f"coding:{key}:{tag_id}")
