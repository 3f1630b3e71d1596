"""REFI-QDA on the command line: ``annotator export qdpx OUT.qdpx``, ``annotator export qdc
OUT.qdc`` (registered into the ``export`` group), and the ``.qdpx``/``.qdc``/``.qde`` files
``annotator import`` hands over (one ``imported``/``duplicate`` line per source on stdout, as
for files; the report's summary and where it was written on stderr)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli._common import command

if TYPE_CHECKING:
    from annotator.core.library import Library
    from annotator.export.refi_export import RefiExportSummary


def cmd_export_qdpx(args: argparse.Namespace, library: Library) -> int:
    from annotator.export.refi_export import write_qdpx

    return _wrote(args.out, write_qdpx(library, args.out))


def cmd_export_qdc(args: argparse.Namespace, library: Library) -> int:
    from annotator.export.refi_export import write_qdc

    return _wrote(args.out, write_qdc(library, args.out))


def _wrote(out: Path, summary: RefiExportSummary) -> int:
    for warning in summary.warnings:
        print(f"annotator: note: {warning}", file=sys.stderr)
    print(f"wrote {summary.describe()} to {out}")
    return 0


def register_formats(formats: Any) -> None:
    p = command(formats, "qdpx", cmd_export_qdpx, write=False, index="leave",
                help="write the whole project as a REFI-QDA project (.qdpx) for ATLAS.ti, "
                     "NVivo, MAXQDA, QualCoder…")
    p.add_argument("out", type=Path, metavar="OUT.qdpx", help="file to write (replaced atomically)")
    p = command(formats, "qdc", cmd_export_qdc, write=False, index="leave",
                help="write the codebook (categories and tags) as a REFI-QDA codebook (.qdc)")
    p.add_argument("out", type=Path, metavar="OUT.qdc", help="file to write (replaced atomically)")


def import_refi_files(library: Library, paths: list[Path], *, merge_codes: bool) -> dict[str, int]:
    """Import each REFI-QDA file; returns counts of imported/duplicate/failed lines printed."""
    from annotator.core.errors import AnnotatorError
    from annotator.importers.refi_import import import_refi

    counts = {"imported": 0, "duplicate": 0, "failed": 0}
    for path in paths:
        try:
            outcome = import_refi(library, path, merge_codes=merge_codes)
        except AnnotatorError as exc:
            print(f"failed: {path}: {exc}", flush=True)
            counts["failed"] += 1
            continue
        except OSError as exc:
            print(f"failed: {path}: could not be stored in the project: {exc.strerror or exc}",
                  flush=True)
            counts["failed"] += 1
            continue
        new = set(outcome.result.document_ids)
        for document in library.documents():
            if document.id in new:
                print(f"imported {document.id} {document.title}", flush=True)
        for existing in sorted(set(outcome.result.existing_documents.values()) - new):
            print(f"duplicate of {existing}", flush=True)
        counts["imported"] += len(new)
        counts["duplicate"] += len(set(outcome.result.existing_documents.values()) - new)
        report = outcome.report
        print(f"{path}: {report.summary()}", file=sys.stderr)
        if report.path is not None:
            print(f"  report: {report.path}", file=sys.stderr)
    return counts
