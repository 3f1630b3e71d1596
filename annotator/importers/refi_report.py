"""What a REFI-QDA import did, assumed, tolerated and could not keep: shown to the user and
written into the project's ``import-reports/`` folder. Nothing is dropped without a line here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPORTS_DIR = "import-reports"


@dataclass
class RefiImportReport:
    file: str
    origin: str = ""
    # Counts of what was written.
    documents: int = 0
    existing_documents: int = 0
    highlights: int = 0
    highlights_already_present: int = 0
    codings: int = 0
    tags_created: int = 0
    tags_merged: int = 0
    categories_created: int = 0
    notes: int = 0
    variables_created: int = 0
    variable_values: int = 0
    # Elements we have no place for, by element type ("PictureSource": 1, …).
    not_representable: Counter[str] = field(default_factory=Counter)
    assumptions: list[str] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)
    path: Path | None = None  # where the report was written

    def lost(self) -> int:
        return sum(self.not_representable.values())

    def summary(self) -> str:
        parts = [f"{self.documents} new document(s)"]
        if self.existing_documents:
            parts.append(f"{self.existing_documents} already in the project")
        parts.append(f"{self.highlights} highlight(s)")
        parts.append(f"{self.tags_created} new tag(s)")
        if self.tags_merged:
            parts.append(f"{self.tags_merged} code(s) merged into existing tags")
        if self.lost():
            parts.append(f"{self.lost()} element(s) not representable (see the report)")
        return ", ".join(parts)

    def text(self) -> str:
        lines = [f"REFI-QDA import of {self.file}",
                 f"at {datetime.now().replace(microsecond=0).isoformat(sep=' ')}"]
        if self.origin:
            lines.append(f"written by: {self.origin}")
        lines += ["", "Imported:",
                  f"  documents: {self.documents} new, {self.existing_documents} already present",
                  (f"  highlights: {self.highlights} ({self.codings} codings); "
                   f"{self.highlights_already_present} already present"),
                  (f"  tags: {self.tags_created} created, {self.tags_merged} merged by name; "
                   f"categories created: {self.categories_created}"),
                  f"  notes: {self.notes}",
                  (f"  document variables: {self.variables_created} created, "
                   f"{self.variable_values} value(s) set")]
        lines += ["", "Not representable (left out, by element):"]
        if self.not_representable:
            lines += [f"  {kind}: {count}" for kind, count in sorted(self.not_representable.items())]
        else:
            lines.append("  nothing")
        if self.assumptions:
            lines += ["", "Assumed:"] + [f"  - {a}" for a in self.assumptions]
        if self.tolerated:
            lines += ["", "Tolerated (not as the standard says):"] + [f"  - {t}" for t in self.tolerated]
        return "\n".join(lines) + "\n"

    def write(self, project_folder: Path) -> Path:
        folder = project_folder / REPORTS_DIR
        folder.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{stamp} {Path(self.file).name}.txt"
        number = 2
        while target.exists():
            target = folder / f"{stamp} {Path(self.file).name} ({number}).txt"
            number += 1
        target.write_text(self.text(), encoding="utf-8")
        self.path = target
        return target
