"""REFI-QDA import: a ``.qdpx`` project, a bare ``.qde`` or a ``.qdc`` codebook into a project.

Mapping (the export's, read back, and what other tools write):
- top-level codes that are not codable become categories ("Actors"/"Topics" are ours); so does
  a codable top-level code that has sub-codes and codes nothing (MAXQDA marks parents codable);
  other top-level codes become tags of a "Codes" category; nested codes become nested tags;
- text sources (and PDF sources with a text representation) become documents, their text
  stored exactly (BOM dropped, CRLF as LF) with positions mapped per source (``refi_positions``);
- plain-text selections become highlights with a tag per coding, their notes and description
  as the highlight's note, their creating user as its author; PDF selections carrying a text
  representation become highlights where that text is found;
- whatever has no place here (pictures, audio, video, transcripts, variables, cases, sets,
  graphs, links, project notes…) is counted by element in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from lxml import etree

from annotator.core.bundle import (
    Bundle,
    BundleCategory,
    BundleDocument,
    BundleHighlight,
    BundleResult,
    BundleTag,
    BundleVariable,
)
from annotator.core.errors import AnnotatorError, ImportFailed
from annotator.core.extracted import Extracted
from annotator.core.models import ACTOR, TOPIC
from annotator.importers.refi_archive import (
    RefiLimits,
    RefiPackage,
    open_package,
    parse_qde,
)
from annotator.importers.refi_positions import (
    STANDARD,
    detect,
    is_plain,
    position_map,
    stored_text,
)
from annotator.importers.refi_report import RefiImportReport
from annotator.refi_format import parse_date, split_aliases, split_details


class BundleTarget(Protocol):
    """What an exchange import writes into: the Library (named by its part, so importers do
    not depend on the facade and, through it, the database)."""

    folder: Path

    def import_bundle(self, bundle: Bundle) -> BundleResult: ...

REFI_SUFFIXES = frozenset({".qdpx", ".qdc", ".qde"})
DEFAULT_CATEGORY = BundleCategory("codes", "Codes")
_BUILTIN = {"actors": ACTOR, "actor": ACTOR, "topics": TOPIC, "topic": TOPIC}
_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_MEDIA = ("PictureSource", "AudioSource", "VideoSource")


@dataclass
class RefiReading:
    bundle: Bundle
    report: RefiImportReport


def guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    return (child for child in element if child.tag == tag)


def _child(element: etree._Element, tag: str) -> etree._Element | None:
    return next(_children(element, tag), None)


def _text_of(element: etree._Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone().replace(tzinfo=None)
    return stamp.replace(microsecond=0)


def _colour(value: str | None) -> str | None:
    match = _COLOUR.match((value or "").strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits.lower()}"


def _category_key(name: str) -> str:
    key = " ".join(name.replace(":", "-").replace('"', "'").split()).lower()
    return _BUILTIN.get(key, key) or "codes"


@dataclass
class _Reader:
    package: RefiPackage
    limits: RefiLimits
    merge_codes: bool
    report: RefiImportReport
    users: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    used_notes: set[str] = field(default_factory=set)
    categories: dict[str, BundleCategory] = field(default_factory=dict)
    tags: list[BundleTag] = field(default_factory=list)
    tag_keys: set[str] = field(default_factory=set)
    category_codes: set[str] = field(default_factory=set)
    coded: set[str] = field(default_factory=set)
    documents: list[BundleDocument] = field(default_factory=list)
    names: set[tuple[str, str]] = field(default_factory=set)  # (category, folded tag name)
    renamed: list[str] = field(default_factory=list)
    nested_groups: list[str] = field(default_factory=list)
    variables: dict[str, BundleVariable] = field(default_factory=dict)  # GUID -> variable
    case_values: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # source GUID

    # ------------------------------------------------------------- variables
    def read_variables(self, holder: etree._Element | None) -> None:
        """``Variables``: the document variables (their values are read with each source)."""
        for variable in _children(holder, "Variable") if holder is not None else ():
            name = (variable.get("name") or "").strip()
            if not name:
                self.report.not_representable["Variable without a name"] += 1
                continue
            kind = _VARIABLE_KINDS.get(variable.get("typeOfVariable") or "", "text")
            described = _text_of(_child(variable, "Description")).strip()
            choices: tuple[str, ...] = ()
            if described.startswith("Choices:"):
                choices = tuple(c.strip() for c in described[len("Choices:"):].split(";") if c.strip())
                kind = "choice" if choices else kind
            if variable.get("typeOfVariable") == "Boolean":
                self.report.assumptions.append(f"variable {name!r}: yes/no values kept as text")
            self.variables[guid(variable.get("guid"))] = BundleVariable(name, kind, choices)

    def values_of(self, element: etree._Element) -> list[tuple[str, str]]:
        out = []
        for value in _children(element, "VariableValue"):
            ref = _child(value, "VariableRef")
            variable = self.variables.get(guid(ref.get("targetGUID") if ref is not None else None))
            text = "".join(t for child in value if child is not ref for t in child.itertext()).strip()
            if variable is None:
                self.report.not_representable["VariableValue of no known Variable"] += 1
            elif text:
                out.append((variable.name, text))
        return out

    def read_cases(self, holder: etree._Element | None) -> None:
        """A ``Case`` naming sources gives them its values (NVivo keeps attributes on cases);
        a case of no source, or of several, has no document to hold its values."""
        for case in _children(holder, "Case") if holder is not None else ():
            refs = [guid(r.get("targetGUID")) for r in _children(case, "SourceRef")]
            values = self.values_of(case)
            counts = self.report.not_representable
            if _text_of(_child(case, "Description")).strip():
                counts["Case Description"] += 1
            for kind in ("CodeRef", "SelectionRef"):
                found = len(list(_children(case, kind)))
                if found:
                    counts[f"{kind} of a Case"] += found
            if len(refs) != 1:
                self.report.not_representable["Case not about exactly one source"] += 1
                continue
            self.case_values.setdefault(refs[0], []).extend(values)

    # ------------------------------------------------------------- codes
    def codebook(self, codes: etree._Element | None) -> None:
        if codes is None:
            return
        made_categories = []
        for code in _children(codes, "Code"):
            codable = (code.get("isCodable") or "true").strip().lower() not in ("false", "0")
            has_children = _child(code, "Code") is not None
            key = guid(code.get("guid"))
            if not codable or (has_children and key not in self.coded):
                name = (code.get("name") or "").strip() or "Codes"
                category = BundleCategory(_category_key(name), name)
                self.categories.setdefault(category.key, category)
                self.category_codes.add(key)
                if codable:
                    made_categories.append(name)
                if _text_of(_child(code, "Description")).strip() or self.referenced_notes(code):
                    self.report.not_representable[
                        "Description or note of a code that became a category"] += 1
                for child in _children(code, "Code"):
                    self.code(child, self.categories[category.key].key, None)
            else:
                self.categories.setdefault(DEFAULT_CATEGORY.key, DEFAULT_CATEGORY)
                self.code(code, DEFAULT_CATEGORY.key, None)
        if made_categories:
            self.report.assumptions.append(
                f"{len(made_categories)} top-level code(s) marked codable but coding nothing and "
                f"holding sub-codes became categories: {', '.join(made_categories[:8])}"
                + (" …" if len(made_categories) > 8 else ""))
        if self.nested_groups:
            self.report.tolerated.append(
                f"{len(self.nested_groups)} non-codable code(s) below the top level became "
                f"ordinary tags: {', '.join(self.nested_groups[:8])}"
                + (" …" if len(self.nested_groups) > 8 else ""))
        if self.renamed:
            self.report.assumptions.append(
                f"{len(self.renamed)} code(s) share a name with another code of their category "
                f"(names are unique per category here) and got their parent's name added: "
                f"{', '.join(self.renamed[:8])}" + (" …" if len(self.renamed) > 8 else ""))

    def code(self, code: etree._Element, category: str, parent: str | None,
             parent_name: str = "") -> None:
        key = guid(code.get("guid"))
        name = " ".join((code.get("name") or "").split())
        if not key or not name or key in self.tag_keys:
            self.report.not_representable["Code without a GUID or name, or repeated"] += 1
            return
        if (code.get("isCodable") or "true").strip().lower() in ("false", "0"):
            self.nested_groups.append(name)
        if (category, name.casefold()) in self.names:
            unique = f"{name} ({parent_name})" if parent_name else f"{name} (2)"
            number = 2
            while (category, unique.casefold()) in self.names:
                number += 1
                unique = f"{name} ({number})"
            self.renamed.append(f"{name} → {unique}")
            name = unique
        self.names.add((category, name.casefold()))
        description, aliases = split_aliases(_text_of(_child(code, "Description")).strip())
        memo = self.referenced_notes(code)
        if memo:
            description = f"{description}\n\n{memo}".strip()
        self.tags.append(BundleTag(key, category, name, _colour(code.get("color")), description,
                                   aliases, parent))
        self.tag_keys.add(key)
        for child in _children(code, "Code"):
            self.code(child, category, key, name)

    # ------------------------------------------------------------- notes
    def read_notes(self, notes: etree._Element | None) -> None:
        if notes is None:
            return
        for note in _children(notes, "Note"):
            text = self.source_text(note)
            self.notes[guid(note.get("guid"))] = stored_text(text or "").strip()

    def referenced_notes(self, element: etree._Element) -> str:
        return "\n\n".join(t for ref in _children(element, "NoteRef") if (t := self.note_of(ref)))

    def note_of(self, ref: etree._Element) -> str:
        key = guid(ref.get("targetGUID"))
        if key not in self.notes:
            return ""
        self.used_notes.add(key)
        return self.notes[key]

    # ------------------------------------------------------------- sources
    def source_text(self, source: etree._Element) -> str | None:
        inline = _child(source, "PlainTextContent")
        if inline is not None:
            return _text_of(inline)
        path = (source.get("plainTextPath") or "").strip()
        if not path:
            return None
        if not path.lower().startswith("internal://"):
            self.report.tolerated.append(f"a text outside the package ({path}) was not read")
            return None
        data = self.package.internal(path, self.limits)
        if data is None:
            return None
        return self.decode(data, path)

    def decode(self, data: bytes, path: str) -> str:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
            self.report.tolerated.append(f"{path} is UTF-16, not UTF-8")
            return data.decode(codec, errors="replace")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.report.tolerated.append(f"{path} is not UTF-8; read as Windows-1252")
            return data.decode("cp1252", errors="replace")

    def sources(self, sources: etree._Element | None) -> None:
        if sources is None:
            return
        for source in sources:
            if source.tag == "TextSource":
                self.text_source(source, source, "txt")
            elif source.tag == "PDFSource":
                self.pdf_source(source)
            elif source.tag in _MEDIA:
                self.media(source)
            else:
                self.report.not_representable[source.tag] += 1

    def media(self, source: etree._Element) -> None:
        counts = self.report.not_representable
        counts[source.tag] += 1
        for element in source.iter():
            if element is not source and element.tag in (
                    "PictureSelection", "AudioSelection", "VideoSelection", "Transcript",
                    "TranscriptSelection", "Coding"):
                counts[element.tag if element.tag != "Coding" else "Coding (on media)"] += 1

    def pdf_source(self, source: etree._Element) -> None:
        representation = _child(source, "Representation")
        if representation is not None and self.source_text(representation) is not None:
            self.text_source(source, representation, "pdf")
            return
        extracted = self.pdf_text(source)
        if extracted is None:
            self.report.not_representable["PDFSource without a text representation"] += 1
            selections = len(list(_children(source, "PDFSelection")))
            if selections:
                self.report.not_representable["PDFSelection (its source has no text)"] += selections
            return
        name = (source.get("name") or "").strip() or "Untitled PDF"
        self.report.assumptions.append(f"{name!r}: no text representation; the text was read "
                                       "from the embedded PDF")
        self.text_source(source, source, "pdf", text_given=extracted)

    def pdf_text(self, source: etree._Element) -> Extracted | None:
        """The embedded PDF's own text, read as our PDF import reads it."""
        path = source.get("path") or ""
        data = self.package.internal(path, self.limits) if path.lower().startswith(
            "internal://") else None
        if not data:
            return None
        from annotator.importers.pdf import extract_pdf

        try:
            extracted = extract_pdf(data)
        except ImportFailed as exc:
            self.report.tolerated.append(f"the embedded PDF {path} could not be read: {exc}")
            return None
        return extracted if extracted.text.strip() else None

    def text_source(self, source: etree._Element, holder: etree._Element, fmt: str, *,
                    text_given: Extracted | None = None) -> None:
        counts = self.report.not_representable
        name = (source.get("name") or "").strip() or "Untitled source"
        raw = text_given.text if text_given is not None else self.source_text(holder)
        if raw is None:
            counts[f"{source.tag} whose text is missing from the package"] += 1
            return
        if _child(holder, "PlainTextContent") is not None:
            self.report.tolerated.append(f"{name!r}: text given inline (PlainTextContent)")
        text = stored_text(raw)
        if not text.strip():
            counts[f"{source.tag} with an empty text"] += 1
            return
        selections = [] if text_given is not None else list(_children(holder, "PlainTextSelection"))
        if holder is not source:
            selections += list(_children(source, "PlainTextSelection"))
        convert = self.convention(name, raw, selections)
        highlights = [h for sel in selections if (h := self.selection(sel, text, convert))]
        for pdf in _children(source, "PDFSelection"):
            highlight = self.pdf_selection(pdf, text)
            if highlight is not None:
                highlights.append(highlight)
        for coding in _children(source, "Coding"):  # a code on the whole source
            tags = self.coding_tags([coding])
            if tags:
                highlights.append(BundleHighlight(0, len(text), tags, author=self.user_of(coding)))
                self.report.assumptions.append(
                    f"{name!r}: a coding of the whole source became a highlight over all its text")
        details, rest = split_details(_text_of(_child(source, "Description")))
        note = "\n\n".join(t for t in (rest, self.referenced_notes(source)) if t) or None
        key = guid(source.get("guid")) or f"source-{len(self.documents)}"
        values = dict(self.case_values.get(key, ()))
        values.update(self.values_of(source))  # the source's own values win over its case's
        original_name, original = self.original(source, name)
        self.documents.append(BundleDocument(
            key=key, text=text,
            title=name, format=details.get("format") or fmt, author=details.get("author", ""),
            published=parse_date(details.get("published", "")),
            source=details.get("source", ""), url=details.get("url", ""), note=note,
            highlights=tuple(highlights), original_name=details.get("original_name")
            or original_name, original_bytes=original,
            pages=text_given.pages if text_given is not None else (),
            variables=tuple(values.items())))

    def original(self, source: etree._Element, name: str) -> tuple[str, bytes]:
        path = source.get("richTextPath") if source.tag == "TextSource" else source.get("path")
        if not path or not path.lower().startswith("internal://"):
            return "", b""
        data = self.package.internal(path, self.limits)
        if data is None:
            return "", b""
        suffix = Path(path).suffix.lower()
        return (name if name.lower().endswith(suffix) else f"{name}{suffix}"), data

    def convention(self, name: str, raw: str,
                   selections: list[etree._Element]) -> Callable[[int], int | None]:
        if is_plain(raw):
            return lambda p: p if 0 <= p <= len(raw) else None
        named = [(s, e, sel.get("name") or "") for sel in selections
                 if (s := _int(sel.get("startPosition"))) is not None
                 and (e := _int(sel.get("endPosition"))) is not None]
        chosen, matches, checked = detect(raw, named)
        how = chosen.describe(raw)
        if checked:
            self.report.assumptions.append(
                f"{name!r}: positions counted in {how} ({matches} of {checked} named "
                "selections quote their text that way)")
        else:
            self.report.assumptions.append(
                f"{name!r}: positions taken as {STANDARD.describe(raw)} (no selection names to "
                "check them against)")
        return position_map(raw, chosen)

    def selection(self, sel: etree._Element, text: str,
                  convert: Callable[[int], int | None]) -> BundleHighlight | None:
        start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
        if start is not None and end is not None and start > end:
            start, end = end, start
        s = convert(start) if start is not None else None
        e = convert(end) if end is not None else None
        if s is None or e is None or not 0 <= s < e <= len(text):
            self.report.not_representable["PlainTextSelection outside its text or empty"] += 1
            return None
        return self.highlight(sel, s, e)

    def highlight(self, sel: etree._Element, start: int, end: int) -> BundleHighlight:
        codings = []
        notes = []
        for child in sel:  # one pass: 25,000 selections each look for four kinds of child
            tag = child.tag
            if tag == "Coding":
                codings.append(child)
                if len(child) > 1:
                    notes.append(self.referenced_notes(child))
            elif tag == "Description":
                notes.append(_text_of(child).strip())
            elif tag == "NoteRef":
                notes.append(self.note_of(child))
        note = "\n\n".join(n for n in notes if n) or None
        created = _when(sel.get("creationDateTime"))
        return BundleHighlight(start, end, self.coding_tags(codings), note,
                               self.user_of(sel) or next(
                                   (u for c in codings if (u := self.user_of(c))), ""),
                               created, _when(sel.get("modifiedDateTime")) or created)

    def pdf_selection(self, pdf: etree._Element, text: str) -> BundleHighlight | None:
        representation = _child(pdf, "Representation")
        quote = _text_of(_child(representation, "PlainTextContent")
                         if representation is not None else None).strip()
        at = text.find(quote) if quote else -1
        if at < 0:
            self.report.not_representable["PDFSelection without a text found in its source"] += 1
            return None
        self.report.assumptions.append(
            f"a PDF selection ({quote[:40]!r}) was placed where its text first occurs")
        return self.highlight(pdf, at, at + len(quote))

    def coding_tags(self, codings: list[etree._Element]) -> tuple[str, ...]:
        keys = []
        for coding in codings:
            ref = _child(coding, "CodeRef")
            key = guid(ref.get("targetGUID")) if ref is not None else ""
            if key in self.tag_keys:
                keys.append(key)
            elif key in self.category_codes:
                self.report.not_representable["Coding with a category (non-codable) code"] += 1
            else:
                self.report.not_representable["Coding whose code does not exist"] += 1
        return tuple(dict.fromkeys(keys))

    def user_of(self, element: etree._Element) -> str:
        return self.users.get(guid(element.get("creatingUser")), "")


def _coded_codes(root: etree._Element) -> set[str]:
    return {guid(ref.get("targetGUID")) for coding in root.iter("Coding")
            for ref in _children(coding, "CodeRef")}


_UNREPRESENTABLE_TOP = ("Links", "Sets", "Graphs")
_VARIABLE_KINDS = {"Text": "text", "Boolean": "text", "Integer": "number", "Float": "number",
                   "Date": "date", "DateTime": "date"}


def read_refi(path: Path, *, merge_codes: bool = True,
              limits: RefiLimits = RefiLimits()) -> RefiReading:  # noqa: B008
    """Read a REFI-QDA file into a ``Bundle`` and a report; writes nothing. Every failure is an
    ``ImportFailed`` whose message names the problem."""
    path = Path(path)
    try:
        return _read(path, merge_codes, limits)
    except AnnotatorError:
        raise
    except MemoryError as exc:
        raise ImportFailed("not enough memory to read this file") from exc
    except RecursionError as exc:
        raise ImportFailed("the codebook is nested too deeply to read") from exc
    except Exception as exc:
        raise ImportFailed(f"could not be read: {type(exc).__name__}: {exc}") from exc


def _read(path: Path, merge_codes: bool, limits: RefiLimits) -> RefiReading:
    package = open_package(path, limits)
    root = parse_qde(package.qde, package.qde_name)
    report = RefiImportReport(path.name, origin=root.get("origin") or "")
    report.tolerated += package.tolerated
    reader = _Reader(package, limits, merge_codes, report)
    if root.tag == "CodeBook":
        reader.codebook(_child(root, "Codes"))
        if _child(root, "Sets") is not None:
            report.not_representable["Set"] += len(list(_children(_child(root, "Sets"), "Set")))
    elif root.tag == "Project":
        if any("{" in (e.get(a) or "") for e in root.iter() for a in ("guid", "targetGUID")):
            report.tolerated.append("GUIDs written in braces")
        users = _child(root, "Users")
        for user in _children(users, "User") if users is not None else ():
            reader.users[guid(user.get("guid"))] = (user.get("name") or user.get("id") or "").strip()
        reader.read_notes(_child(root, "Notes"))
        reader.coded = _coded_codes(root)
        reader.read_variables(_child(root, "Variables"))
        reader.read_cases(_child(root, "Cases"))
        codebook = _child(root, "CodeBook")
        reader.codebook(_child(codebook, "Codes") if codebook is not None else None)
        reader.sources(_child(root, "Sources"))
        for section in _UNREPRESENTABLE_TOP:
            holder = _child(root, section)
            if holder is not None:
                for item in holder:
                    report.not_representable[item.tag] += 1
        project_notes = [ref for ref in _children(root, "NoteRef")]
        if project_notes:
            report.not_representable["Note on the whole project"] += len(project_notes)
            reader.used_notes.update(guid(r.get("targetGUID")) for r in project_notes)
        loose = set(reader.notes) - reader.used_notes
        if loose:
            report.not_representable["Note attached to nothing we keep"] += len(loose)
        if (_text_of(_child(root, "Description"))).strip():
            report.not_representable["Project Description"] += 1
    else:
        raise ImportFailed(f"not a REFI-QDA file: {package.qde_name} starts with <{root.tag}>, "
                           "not <Project> or <CodeBook>")
    categories = tuple(reader.categories.values())
    used = {t.category for t in reader.tags}
    categories = tuple(c for c in categories if c.key in used or c.key not in (ACTOR, TOPIC))
    bundle = Bundle(categories, tuple(reader.tags), tuple(reader.documents), merge_codes,
                    variables=tuple(reader.variables.values()))
    return RefiReading(bundle, report)


@dataclass
class RefiImport:
    result: BundleResult
    report: RefiImportReport


def import_refi(library: BundleTarget, path: Path, *, merge_codes: bool = True,
                limits: RefiLimits = RefiLimits()) -> RefiImport:  # noqa: B008
    """Read ``path`` and write it into ``library`` in one transaction; the report (also written
    to the project's ``import-reports/``) says what was imported, assumed and left out."""
    reading = read_refi(path, merge_codes=merge_codes, limits=limits)
    result = library.import_bundle(reading.bundle)
    report = reading.report
    report.documents = len(result.document_ids)
    report.existing_documents = len(result.existing_documents)
    report.highlights = len(result.highlight_ids)
    report.highlights_already_present = result.highlights_already_present
    report.codings = result.codings
    report.notes = result.notes
    report.tags_created = len(result.created_tag_ids)
    report.variables_created = len(result.variables_created)
    report.variable_values = result.variable_values
    for name, given in result.renamed_variables.items():
        report.assumptions.append(f"variable {name!r} is called {given!r} here (names searched as "
                                  "name:value take letters, digits, - and _)")
    if result.variable_values_left:
        report.assumptions.append(f"{result.variable_values_left} variable value(s) of documents "
                                  "already in the project were left as they were")
    for refused in result.variable_values_refused:
        report.not_representable[f"VariableValue that does not fit its type ({refused})"] += 1
    report.tags_merged = len(result.merged_tags)
    report.categories_created = len(result.created_categories)
    if result.highlights_not_placed:
        report.not_representable["PlainTextSelection on a document already present whose text "
                                 "differs in spacing"] += result.highlights_not_placed
    if result.renamed_tags:
        report.assumptions.append(
            f"{len(result.renamed_tags)} code(s) got a numbered name because a tag of that name "
            "exists and merging was off")
    report.write(library.folder)
    return RefiImport(result, report)
