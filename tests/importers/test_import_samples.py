"""The sample articles we ship import cleanly, with the metadata a user would expect."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from annotator.importers import read

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".md", ".html", ".pdf"})


def test_there_is_one_sample_of_each_format() -> None:
    assert sorted(p.suffix for p in SAMPLE_FILES) == [".html", ".md", ".pdf", ".txt"]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.suffix)
def test_sample_imports_with_names_and_length(path: Path) -> None:
    extracted = read(path)
    words = len(extracted.text.split())
    assert 250 <= words <= 450
    assert "Carney" in extracted.text
    assert extracted.title


def test_html_sample_metadata_and_no_boilerplate() -> None:
    [page] = [p for p in SAMPLE_FILES if p.suffix == ".html"]
    extracted = read(page)
    assert extracted.title == "New radar deal puts Arctic sovereignty at centre of NORAD upgrade"
    assert extracted.author == "Hannah Okafor"
    assert extracted.published == date(2025, 6, 2)
    assert extracted.site_name == "The Meridian Ledger"
    assert extracted.url.startswith("https://www.meridianledger.example/defence/2025/06/02/")
    for boilerplate in ("cookies", "Comments (12)", "Top of page", "Subscribe", "Share",
                        "Related stories", "NorthernObserver", "All rights reserved"):
        assert boilerplate not in extracted.text


def test_pdf_sample_has_two_pages_and_metadata() -> None:
    [pdf] = [p for p in SAMPLE_FILES if p.suffix == ".pdf"]
    extracted = read(pdf)
    assert len(extracted.pages) == 2
    assert extracted.author == "Northern Policy Review"
    assert extracted.published == date(2025, 10, 6)
    second_start, second_end = extracted.pages[1]
    assert extracted.text[second_start:second_end].startswith("Security spending")


def test_committed_pdf_matches_its_generator(tmp_path: Path) -> None:
    """The PDF must be what make_pdf.py produces, so edits to the text are not lost."""
    script = SAMPLES / "make_pdf.py"
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('make_pdf', {str(script)!r}); "
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module); "
        "sys.stdout.buffer.write(module.build())"
    )
    built = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True).stdout
    [pdf] = [p for p in SAMPLE_FILES if p.suffix == ".pdf"]
    assert built == pdf.read_bytes()
