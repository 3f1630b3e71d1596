"""Reading a whole index to find damage, and telling damage apart from a failed query.

Opening an index reads only its table of contents; a flipped byte in a postings or stored
fields file surfaces only when that block is read. ``verify`` decodes every block of every
segment (terms, postings, stored records) and checks what it decodes against the segment's
own counts; postings blocks are zlib-compressed, so their checksum catches flipped bytes.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from typing import Any

# What reading damaged files raises; anything else that a search raises is the query's fault
# until ``verify`` says otherwise.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
    UnicodeDecodeError,
    MemoryError,
)


class IndexDamaged(Exception):
    """The index files do not decode; the message says where."""


def verify(searcher: Any) -> None:
    """Decode every segment ``searcher`` reads; raise ``IndexDamaged`` on the first fault."""
    for number, (reader, _offset) in enumerate(searcher.reader().leaf_readers()):
        try:
            _verify_segment(reader)
        except IndexDamaged as exc:
            raise IndexDamaged(f"segment {number + 1}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - any fault while decoding is damage here
            raise IndexDamaged(
                f"segment {number + 1}: {exc.__class__.__name__}: {exc}"
            ) from None


def _verify_segment(reader: Any) -> None:
    count = reader.doc_count_all()
    for _fields in reader.all_stored_fields():
        pass
    for fieldname, btext in reader.all_terms():
        ids = list(reader.postings(fieldname, btext).all_ids())
        expected = reader.doc_frequency(fieldname, btext)  # deleted records included
        if len(ids) > expected or (len(ids) != expected and not reader.has_deletions()):
            raise IndexDamaged(f"postings of {fieldname}:{btext!r} have the wrong length")
        if any(b <= a for a, b in zip(ids, ids[1:])) or (ids and not 0 <= ids[0] <= ids[-1] < count):
            raise IndexDamaged(f"postings of {fieldname}:{btext!r} point outside the segment")
