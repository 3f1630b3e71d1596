"""Backup commands: ``backup [--to PATH]``, ``backups [--json]``, ``restore BACKUP``.

``backups`` and ``restore`` do not open the database first, so they work on a project whose
database is damaged, which is when they are needed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import (
    LOCK_WAIT_S,
    command,
    one_line,
    open_library,
    print_json,
    project_dir,
    tell_waiting,
)

if TYPE_CHECKING:
    from annotator.core.backups import BackupInfo
    from annotator.core.library import Library


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def backup_line(info: BackupInfo) -> str:
    counts = (f"{info.documents} documents, {info.highlights} highlights" if info.readable
              else "UNREADABLE (damaged)")
    return (f"{info.created:%Y-%m-%d %H:%M:%S}  {_size(info.size):>10}  {counts:<34}  "
            f"{one_line(info.name)}")


def cmd_backup(args: argparse.Namespace, library: Library) -> int:
    target = Path(args.to).expanduser() if args.to else None
    info = library.backup(target)
    print(f"backed up to {one_line(info.path)} ({info.documents} documents, "
          f"{info.highlights} highlights)")
    return 0


def cmd_backups(args: argparse.Namespace, _library: None) -> int:
    from annotator.core.backups import list_backups

    folder = project_dir(args)[0]
    found = list_backups(folder)
    if args.json:
        print_json([info.to_json() for info in found])
        return 0
    for info in found:
        print(backup_line(info))
    if not found:
        print(f"no backups yet in {folder / 'backups'} (make one with `annotator backup`)",
              file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace, _library: None) -> int:
    from annotator.core.library import Library

    folder = project_dir(args)[0]
    restored, safety = Library.restore_backup(folder, args.backup, lock_wait=LOCK_WAIT_S,
                                              on_lock_wait=tell_waiting)
    print(f"restored {one_line(restored.name)} ({restored.documents} documents, "
          f"{restored.highlights} highlights, from {restored.created:%Y-%m-%d %H:%M})")
    print(f"annotator: the database it replaced is kept as {one_line(safety.path)}",
          file=sys.stderr)
    args.write = True
    with open_library(args, write=True) as library:  # brings the index up to the restore
        from annotator.cli import _index_upkeep

        if library.open_note:
            print(f"annotator: note: {library.open_note}", file=sys.stderr)
        _index_upkeep.refresh(library)
    return 0


def register(sub: Any) -> None:
    p = command(sub, "backup", cmd_backup, write=False, index="leave",
                help="copy the project's database into its backups/ folder (or --to PATH)")
    p.add_argument("--to", metavar="PATH", help="write the copy here (a file or a folder)")

    p = command(sub, "backups", cmd_backups, write=False, index="leave",
                help="list the project's backups, newest first")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(no_library=True)

    p = command(sub, "restore", cmd_restore, write=True, index="leave",
                help="put a backup back as the project's database (the current one is "
                     "backed up first)")
    p.add_argument("backup", metavar="BACKUP", help="a path, or a name `annotator backups` lists")
    p.set_defaults(no_library=True)
