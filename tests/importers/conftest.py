"""Fixtures for importer tests: builders for generated PDFs/DOCX files and the shared data."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

PdfBuilder = Callable[..., bytes]


@pytest.fixture
def shared_data() -> Path:
    """../shared/data beside the repository; tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DATA}")
    return SHARED_DATA


def build_pdf(
    pages: Sequence[str],
    *,
    title: str | None = None,
    author: str | None = None,
    created: datetime | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A text PDF with one entry of ``pages`` per page ("" gives a page with no text at all);
    encrypted with AES-256 through pypdf when a password is given."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creation_date(created or datetime(2025, 1, 2, tzinfo=UTC))
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    if user_password is None and owner_password is None:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        user_password=user_password or "",
        owner_password=owner_password,
        algorithm="AES-256",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def make_pdf() -> PdfBuilder:
    return build_pdf


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return write
