"""Word (.docx) files through python-docx: body text in document order, tables as
tab-separated rows, and the core properties."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from annotator.core.errors import ImportFailed
from annotator.core.text import normalise_text
from annotator.importers.base import Extracted
from annotator.importers.metadata import clean_name, clean_title, first_line_title, parse_date

# Encrypted .docx files and old binary .doc files are OLE compound files, not zips.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extract_docx(data: bytes) -> Extracted:
    if data.startswith(_OLE_MAGIC):
        raise ImportFailed(
            "not a Word document (.docx): this is a password-protected or old-format (.doc) "
            "Word file; save it as an unprotected .docx first"
        )
    try:
        document = docx.Document(io.BytesIO(data))
        text = normalise_text("\n\n".join(_blocks(document)))
        properties = document.core_properties
        title = clean_title(properties.title)
        author = clean_name(properties.author)
        published = parse_date(properties.created)
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise ImportFailed(
            "not a Word document (.docx): the file is damaged or another format renamed .docx "
            f"({_reason(exc)})"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - malformed XML/zip parts surface as many types
        raise ImportFailed(
            f"not a Word document (.docx): {type(exc).__name__}: {_reason(exc)}"
        ) from exc
    if not text:
        raise ImportFailed("no text in the document")
    return Extracted(
        text=text,
        format="docx",
        title=title or first_line_title(text),
        author=author,
        published=published,
    )


def _blocks(document: DocxDocument) -> list[str]:
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                blocks.append(item.text.strip())
        elif isinstance(item, Table):
            table = _table_text(item)
            if table:
                blocks.append(table)
    return blocks


def _table_text(table: Table) -> str:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; show its text once.
            if previous is not None and cell._tc is previous:  # noqa: SLF001 - identity only
                continue
            previous = cell._tc  # noqa: SLF001
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__
