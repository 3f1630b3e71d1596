"""REFI-QDA export: a whole project as ``.qdpx`` (ZIP of ``project.qde`` and ``sources/``) or
its codebook alone as ``.qdc``, valid against the official QDA-XML 1.0 schemas.

Mapping (the README's "Exchange with other QDA tools" says the same for users):
- each category is a top-level ``Code`` with ``isCodable="false"`` named by its label; its tags
  are codable codes nested under it as the tag tree nests them; aliases ride in the last line of
  the description (the schema has no place for them and no extension point);
- each document is a ``TextSource`` whose text is ``sources/<GUID>.txt`` (UTF-8, LF, no BOM,
  exactly the stored text, so offsets agree); a DOCX original rides along as ``richTextPath``;
  PDFs travel as text: a ``PDFSource`` would need rectangle selections we do not have;
  author, date and source URL are lines of its ``Description``;
- each user document variable is a ``Variable`` (number -> Float, date -> Date, text and
  choice -> Text, a choice's values listed in its description); a document's values are
  ``VariableValue`` elements of its ``TextSource`` (as MAXQDA keeps document variables) and of
  a ``Case`` per document that has any, referring to its source (as NVivo keeps attributes);
- each highlight is a ``PlainTextSelection`` (code points, end exclusive) with one ``Coding``
  per tag; notes are ``Note`` elements referenced by ``NoteRef``; authors are ``User`` elements.
GUIDs come from ``refi_ids`` (stable across exports). Elements are written in the order the
schema's sequences demand, and no container is written empty.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from annotator import __version__
from annotator.core.errors import Cancelled
from annotator.core.library import Library
from annotator.core.models import Category, Document, Highlight, Tag
from annotator.core.progress import CancelToken, Progress, ProgressCallback
from annotator.core.variables import CHOICE, DATE, NUMBER, Variable
from annotator.export.csv_export import write_binary_atomically
from annotator.export.errors import ExportFailed
from annotator.export.refi_ids import RefiIds
from annotator.refi_format import (
    CODEBOOK_NS,
    ORIGIN,
    PROJECT_NS,
    XML_UNSAFE,
    description_with_aliases,
    details_description,
)

_TEXT_BATCH = 200  # documents whose texts are read (and written) at a time


_VARIABLE_TYPES = {NUMBER: ("Float", "FloatValue"), DATE: ("Date", "DateValue")}


@dataclass
class RefiExportSummary:
    variables: int = 0
    documents: int = 0
    highlights: int = 0
    codings: int = 0
    codes: int = 0
    notes: int = 0
    users: int = 0
    originals: int = 0
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if not self.documents and not self.highlights:
            return f"{self.codes} codes"
        return (f"{self.documents} sources, {self.highlights} selections, {self.codings} codings, "
                f"{self.codes} codes, {self.notes} notes")


class _Xml:
    """Element making in one namespace, with characters XML cannot carry replaced (counted)."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace
        self.replaced = 0
        self._tags: dict[str, str] = {}

    def text(self, value: str) -> str:
        if XML_UNSAFE.search(value) is None:
            return value
        cleaned, count = XML_UNSAFE.subn("\ufffd", value)
        self.replaced += count
        return cleaned

    def sub(self, parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
        """A child element; attributes given None are left out. Only ``name`` can hold free
        text (the others are GUIDs, numbers, dates, colours and internal paths)."""
        qualified = self._tags.get(tag)
        if qualified is None:
            qualified = self._tags[tag] = f"{{{self.ns}}}{tag}"
        name = attrs.get("name")
        if name is not None:
            attrs["name"] = self.text(name)
        return etree.SubElement(parent, qualified,
                                {k: v for k, v in attrs.items() if v is not None})

    def text_child(self, parent: etree._Element, tag: str, value: str) -> etree._Element:
        element = self.sub(parent, tag)
        element.text = self.text(value)
        return element


# ----------------------------------------------------------------- codebook
def _code_tree(xml: _Xml, parent: etree._Element, categories: Sequence[Category],
               tags: Sequence[Tag], ids: RefiIds) -> dict[int, str]:
    """Codes under ``parent`` (a ``Codes`` element); returns each tag's GUID."""
    children: dict[int | None, list[Tag]] = {}
    known = {t.id for t in tags}
    for tag in sorted(tags, key=lambda t: (t.name.casefold(), t.id)):
        parent_id = tag.parent_id if tag.parent_id in known else None
        children.setdefault(parent_id, []).append(tag)
    guids: dict[int, str] = {}

    def add(element: etree._Element, tag: Tag) -> None:
        guids[tag.id] = ids.tag(tag)
        code = xml.sub(element, "Code", guid=guids[tag.id], name=tag.name, isCodable="true",
                       color=tag.colour.lower())
        description = description_with_aliases(tag.description, tag.aliases)
        if description:
            xml.text_child(code, "Description", description)
        for child in children.get(tag.id, []):
            add(code, child)

    roots = children.get(None, [])
    for category in categories:
        element = xml.sub(parent, "Code", guid=ids.category(category.name), name=category.label,
                          isCodable="false")
        for tag in roots:
            if tag.category == category.name:
                add(element, tag)
    return guids


def codebook_xml(library: Library) -> tuple[bytes, RefiExportSummary]:
    """The ``.qdc`` document: the codebook alone (Codebook.xsd)."""
    xml = _Xml(CODEBOOK_NS)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", f"{ORIGIN} {__version__}")
    tags = library.tags()
    guids = _code_tree(xml, xml.sub(root, "Codes"), library.categories(), tags,
                       RefiIds(library.project_uuid()))
    summary = RefiExportSummary(codes=len(guids))
    _warn_replaced(xml, summary)
    return _serialise(root), summary


# ----------------------------------------------------------------- project
@dataclass
class _Project:
    xml: _Xml
    ids: RefiIds
    root: etree._Element
    summary: RefiExportSummary
    users: dict[str, str] = field(default_factory=dict)  # name -> GUID
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # GUID, name, text
    variables: dict[str, tuple[Variable, str]] = field(default_factory=dict)  # name -> (it, GUID)
    values: dict[int, dict[str, str]] = field(default_factory=dict)  # document -> name -> value

    def variable_values(self, parent: etree._Element, document_id: int) -> None:
        """``VariableValue`` elements for the document's values, in the variables' order."""
        values = self.values.get(document_id, {})
        for name, (variable, guid) in self.variables.items():
            value = values.get(name)
            if value is None or value == "":
                continue
            element = self.xml.sub(parent, "VariableValue")
            self.xml.sub(element, "VariableRef", targetGUID=guid)
            kind = _VARIABLE_TYPES.get(variable.type, ("Text", "TextValue"))[1]
            self.xml.text_child(element, kind, value)

    def user(self, name: str) -> str | None:
        if not name:
            return None
        if name not in self.users:
            self.users[name] = self.ids.user(name)
        return self.users[name]

    def note(self, parent: etree._Element, guid: str, name: str, text: str | None) -> None:
        if text and text.strip():
            self.notes.append((guid, name, text))
            self.xml.sub(parent, "NoteRef", targetGUID=guid)


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _document_details(doc: Document) -> str:
    return details_description({
        "author": doc.author,
        "published": doc.published.isoformat() if doc.published else "",
        "source": doc.source,
        "url": doc.url if doc.url != doc.source else "",
        "format": doc.format,
        "original_name": doc.original_name,
    })


def _selection(project: _Project, source: etree._Element, highlight: Highlight,
               code_guids: dict[int, str]) -> None:
    xml, ids = project.xml, project.ids
    author = project.user(highlight.author)
    key = ids.highlight_key(highlight)
    created = _stamp(highlight.created)
    edited = highlight.modified != highlight.created
    element = xml.sub(
        source, "PlainTextSelection", guid=ids.highlight(key), name=highlight.text[:200],
        startPosition=str(highlight.start), endPosition=str(highlight.end),
        creatingUser=author, creationDateTime=created,
        modifyingUser=author if edited else None,
        modifiedDateTime=_stamp(highlight.modified) if edited else None,
    )
    for tag in highlight.tags:
        coding = xml.sub(element, "Coding", guid=ids.coding(key, tag.id), creatingUser=author,
                         creationDateTime=created)
        xml.sub(coding, "CodeRef", targetGUID=code_guids[tag.id])
        project.summary.codings += 1
    if highlight.note:
        project.note(element, ids.highlight_note(key), f"Note: {highlight.text[:60]}",
                     highlight.note)
    project.summary.highlights += 1


def _source(project: _Project, sources: etree._Element, doc: Document, text: str,
            highlights: Iterable[Highlight], code_guids: dict[int, str],
            original: str | None) -> None:
    xml, ids = project.xml, project.ids
    guid = ids.document(doc)
    element = xml.sub(sources, "TextSource", guid=guid, name=doc.title, richTextPath=original,
                      plainTextPath=f"internal://{guid}.txt",
                      creationDateTime=_stamp(doc.imported_at))
    details = _document_details(doc)
    if details:
        xml.text_child(element, "Description", details)
    for highlight in highlights:
        _selection(project, element, highlight, code_guids)
    project.note(element, ids.document_note(doc), f"Note: {doc.title}", doc.note)
    project.variable_values(element, doc.id)
    project.summary.documents += 1


def _variables_and_cases(project: _Project, library: Library, documents: list[Document]) -> None:
    """``Variables`` and ``Cases`` (between CodeBook and Sources, as the schema orders them);
    neither is written when the project has no document variables."""
    xml, ids = project.xml, project.ids
    own = [v for v in library.variables() if not v.builtin]
    if not own:
        return
    variables = xml.sub(project.root, "Variables")
    for variable in own:
        guid = ids.variable(variable.name)
        project.variables[variable.name] = (variable, guid)
        element = xml.sub(variables, "Variable", guid=guid, name=variable.name,
                          typeOfVariable=_VARIABLE_TYPES.get(variable.type, ("Text", ""))[0])
        if variable.type == CHOICE and variable.choices:
            xml.text_child(element, "Description", "Choices: " + "; ".join(variable.choices))
    project.summary.variables = len(own)
    project.values = library.all_document_variables()
    holding = [d for d in documents if any(project.values.get(d.id, {}).values())]
    if not holding:
        return
    cases = xml.sub(project.root, "Cases")
    for doc in holding:
        case = xml.sub(cases, "Case", guid=ids.case(doc), name=doc.title)
        project.variable_values(case, doc.id)
        xml.sub(case, "SourceRef", targetGUID=ids.document(doc))


def _docx_original(library: Library, doc: Document) -> bytes | None:
    """The kept DOCX original (the schema's ``richTextPath`` is for DOCX), if still there."""
    if doc.format != "docx" or not doc.stored_file:
        return None
    path = library.original_path(doc.id)  # a team project's comes from the database
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled("export cancelled; no file was written")


def write_qdpx(library: Library, target: Path, *, cancel: CancelToken | None = None,
               progress: ProgressCallback | None = None) -> RefiExportSummary:
    """Write the whole project to ``target`` (replaced atomically); cancel leaves no file.

    A project exchange carries every coder's highlights whatever the window's coder filter
    shows: a file that silently lacks some coders' work would lose it in the next tool. Under
    blind coding it is refused instead, since it would show the user the others' coding."""
    if library.blind_coding():
        raise ExportFailed(
            f"cannot export the project to {Path(target).name}: blind coding is on for "
            f"{library.user}, and a project exchange file holds every coder's highlights. "
            "Turn blind coding off (View › Blind Coding, or `annotator blind off`) to export "
            "the whole project, or export your own excerpts to CSV.")

    def write(out: BinaryIO) -> RefiExportSummary:
        # Level 1: a third of the time of the default for a file a few per cent larger.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            return _write_project(library, zf, cancel, progress or (lambda _p: None))

    return write_binary_atomically(Path(target), write)


def _write_project(library: Library, zf: zipfile.ZipFile, cancel: CancelToken | None,
                   report: Callable[[Progress], None]) -> RefiExportSummary:
    xml = _Xml(PROJECT_NS)
    ids = RefiIds(library.project_uuid())
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", xml.text(library.name))
    root.set("origin", f"{ORIGIN} {__version__}")
    root.set("modifiedDateTime", _stamp(datetime.now()))
    project = _Project(xml, ids, root, RefiExportSummary())
    users = xml.sub(root, "Users")  # placed first as the schema wants; removed if none
    codebook = xml.sub(root, "CodeBook")
    code_guids = _code_tree(xml, xml.sub(codebook, "Codes"), library.categories(),
                            library.tags(), ids)
    project.summary.codes = len(code_guids)
    documents = library.documents()
    _variables_and_cases(project, library, documents)
    by_document: dict[int, list[Highlight]] = {}
    for highlight in library.highlights(every_coder=True):
        by_document.setdefault(highlight.document_id, []).append(highlight)
    sources = xml.sub(root, "Sources") if documents else None
    total = len(documents)
    for start in range(0, total, _TEXT_BATCH):
        _check(cancel)
        report(Progress(start, total, "sources"))
        batch = documents[start : start + _TEXT_BATCH]
        texts = dict(library.document_texts(d.id for d in batch))
        for doc in batch:
            assert sources is not None
            guid = ids.document(doc)
            zf.writestr(f"sources/{guid}.txt", texts[doc.id].encode("utf-8", errors="replace"))
            original_bytes = _docx_original(library, doc)
            original = None
            if original_bytes is not None:
                original_guid = ids.original(doc)
                zf.writestr(f"sources/{original_guid}.docx", original_bytes)
                original = f"internal://{original_guid}.docx"
                project.summary.originals += 1
            _source(project, sources, doc, texts[doc.id], by_document.get(doc.id, ()),
                    code_guids, original)
    _check(cancel)
    if project.notes:
        notes = xml.sub(root, "Notes")
        for guid, name, text in project.notes:
            note = xml.sub(notes, "Note", guid=guid, name=name)
            xml.text_child(note, "PlainTextContent", text)
        project.summary.notes = len(project.notes)
    for name, guid in project.users.items():
        xml.sub(users, "User", guid=guid, name=name)
    if not project.users:
        root.remove(users)
    project.summary.users = len(project.users)
    _warn_replaced(xml, project.summary)
    zf.writestr("project.qde", _serialise(root))
    report(Progress(total, total))
    return project.summary


def write_qdc(library: Library, target: Path) -> RefiExportSummary:
    data, summary = codebook_xml(library)

    def write(out: BinaryIO) -> RefiExportSummary:
        out.write(data)
        return summary

    return write_binary_atomically(Path(target), write)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", standalone=True,
                          pretty_print=True)


def _warn_replaced(xml: _Xml, summary: RefiExportSummary) -> None:
    if xml.replaced:
        summary.warnings.append(
            f"{xml.replaced} control character(s) in names or notes cannot be written in XML "
            "and were replaced by \ufffd")
