"""Opening a REFI-QDA package safely: a ``.qdpx`` (ZIP), a bare ``.qde`` with its ``sources/``
folder beside it, or a ``.qdc`` codebook.

Hostile archives are refused whole, before anything is written: members whose paths escape
the archive (``..``, absolute paths, drive letters), symbolic links, members or totals over the
size limits, members inflating far beyond their compressed size (zip bombs), too many members.
The XML parser resolves no entities, fetches nothing, and a document with a DTD is refused.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from annotator.core.errors import ImportFailed
from annotator.importers.limits import format_size
from annotator.importers.zip_package import open_zip, read_member

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RefiLimits:
    max_file_bytes: int = 1024 * _MB  # the .qdpx itself
    max_member_bytes: int = 256 * _MB  # any one member, inflated
    max_total_bytes: int = 2048 * _MB  # all members, inflated
    max_members: int = 200_000
    max_ratio: int = 200  # inflated / compressed, for members over ratio_floor bytes
    ratio_floor: int = 1 * _MB


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, remove_comments=True,
                          remove_pis=True)


def parse_qde(data: bytes, name: str) -> etree._Element:
    """The root element with namespaces dropped from tag names (tools disagree on them)."""
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"{name} is not well-formed XML ({exc})") from exc
    except ValueError as exc:
        raise ImportFailed(f"{name} cannot be read as XML ({exc})") from exc
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise ImportFailed(f"{name} declares a DTD; REFI-QDA files have none, and entities "
                           "are never expanded here")
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            raise ImportFailed(f"{name} holds entity references; refused")
        if tag[:1] == "{":
            element.tag = tag[tag.index("}") + 1:]
    etree.cleanup_namespaces(root)
    return root


@dataclass
class RefiPackage:
    """The project (or codebook) XML and the files it may point to with ``internal://``."""

    name: str  # the file as the user named it
    qde_name: str
    qde: bytes
    tolerated: list[str] = field(default_factory=list)
    _archive: zipfile.ZipFile | None = None
    _members: dict[str, str] = field(default_factory=dict)  # lower-case file name -> member
    _folder: Path | None = None  # a bare .qde's folder

    def internal(self, path: str, limits: RefiLimits) -> bytes | None:
        """The bytes behind ``internal://NAME`` (looked up in ``sources/`` in any case, with
        or without braces around the GUID), or None when the package lacks it."""
        key = _file_key(path.split("://", 1)[-1])
        if self._archive is not None:
            member = self._members.get(key)
            if member is None:
                return None
            return read_member(self._archive, member, "a REFI-QDA project",
                               max_member=limits.max_member_bytes, max_total=limits.max_total_bytes)
        if self._folder is not None:
            for folder_name in ("sources", "Sources"):
                folder = self._folder / folder_name
                if folder.is_dir():
                    for candidate in folder.iterdir():
                        if _file_key(candidate.name) == key and candidate.is_file() \
                                and not candidate.is_symlink():
                            if candidate.stat().st_size > limits.max_member_bytes:
                                raise ImportFailed(f"{candidate.name} is larger than the "
                                                   f"{format_size(limits.max_member_bytes)} limit")
                            return candidate.read_bytes()
        return None


def _file_key(name: str) -> str:
    return PurePosixPath(name.strip().lstrip("/")).name.replace("{", "").replace("}", "").lower()


def open_package(path: Path, limits: RefiLimits = RefiLimits()) -> RefiPackage:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImportFailed("no such file") from exc
    except OSError as exc:
        raise ImportFailed(f"cannot be read ({exc.strerror or exc})") from exc
    if size > limits.max_file_bytes:
        raise ImportFailed(f"file is larger than the {format_size(limits.max_file_bytes)} limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot be read ({exc.strerror or exc})") from exc
    if not data.startswith(b"PK"):
        if path.suffix.lower() in (".qdpx", ".zip"):
            raise ImportFailed("not a REFI-QDA project: the file is not a ZIP archive")
        # A bare .qde or .qdc: the XML itself; sources, if any, in a folder beside it.
        return RefiPackage(path.name, path.name, data, _folder=path.parent)
    archive = open_zip(data, "a REFI-QDA project")
    members = _checked_members(archive, limits)
    qde_name = _project_member(members, path.name)
    project = read_member(archive, qde_name, "a REFI-QDA project",
                          max_member=limits.max_member_bytes, max_total=limits.max_total_bytes)
    package = RefiPackage(path.name, qde_name, project, _archive=archive)
    if PurePosixPath(qde_name).name != "project.qde":
        package.tolerated.append(f"the project file is named {qde_name!r}, not 'project.qde'")
    capital = False
    for member in members:
        parts = PurePosixPath(member).parts
        if len(parts) >= 2 and parts[-2].lower() == "sources":
            package._members.setdefault(_file_key(parts[-1]), member)
            capital = capital or parts[-2] != "sources"
    for member in members:  # sources anywhere else in the archive, as a fallback
        package._members.setdefault(_file_key(member), member)
    if capital:
        package.tolerated.append("the sources folder is not named 'sources/' in lower case")
    return package


def _checked_members(archive: zipfile.ZipFile, limits: RefiLimits) -> list[str]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise ImportFailed(f"refused: the archive holds {len(infos):,} entries "
                           f"(limit {limits.max_members:,})")
    total = 0
    names = []
    for info in infos:
        name = info.filename
        _check_path(name)
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise ImportFailed(f"refused: {name} is a symbolic link")
        if info.is_dir():
            continue
        if info.file_size > limits.max_member_bytes:
            raise ImportFailed(f"refused: {name} inflates to {format_size(info.file_size)}, over "
                               f"the {format_size(limits.max_member_bytes)} limit")
        if info.file_size > limits.ratio_floor and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ImportFailed(f"refused: {name} inflates {info.file_size // max(info.compress_size, 1):,} "
                               f"times its compressed size (a zip bomb?)")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ImportFailed(f"refused: the archive inflates to more than "
                               f"{format_size(limits.max_total_bytes)}")
        names.append(name)
    return names


def _check_path(name: str) -> None:
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":") or "\x00" in unified:
        raise ImportFailed(f"refused: the archive entry {name!r} has an absolute path")
    if ".." in unified.split("/"):
        raise ImportFailed(f"refused: the archive entry {name!r} points outside the archive")


def _project_member(members: list[str], archive_name: str) -> str:
    qdes = [m for m in members if m.lower().endswith(".qde")]
    if not qdes:
        raise ImportFailed(f"not a REFI-QDA project: {archive_name} holds no .qde file")
    exact = [m for m in qdes if m == "project.qde"]
    if exact:
        return exact[0]
    return min(qdes, key=lambda m: (m.count("/"), m.lower() != "project.qde", m))
