"""Damaged files of every type end in a result or an ImportFailed, never another exception."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import ImportFailed
from annotator.importers import SUPPORTED_SUFFIXES, read

PdfBuilder = Callable[..., bytes]


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Heading", level=1)
    document.add_paragraph("A paragraph about tariffs and NORAD.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SEEDS = {
    ".docx": _docx(),
    ".html": b"<html><head><title>T</title></head><body><p>Article text here.</p></body></html>",
    ".txt": "Texte accentué — “quoted”.\n".encode("cp1252"),
}

damage = st.lists(
    st.tuples(st.integers(min_value=0, max_value=10**6), st.integers(0, 255)), max_size=8
)


def _read_or_refuse(path: Path) -> None:
    try:
        read(path)
    except ImportFailed as exc:
        assert str(exc)  # a message the user can read


_FIXTURE_OK = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FIXTURE_OK
@given(
    suffix=st.sampled_from([".pdf", *sorted(SEEDS)]), cut=st.floats(0.0, 1.0), flips=damage
)
def test_damaged_known_files(
    tmp_path: Path, make_pdf: PdfBuilder, suffix: str, cut: float, flips: list[tuple[int, int]]
) -> None:
    if ".pdf" not in SEEDS:
        SEEDS[".pdf"] = make_pdf(["Page one text.", "Page two text."])
    seed = SEEDS[suffix]
    data = bytearray(seed[: max(1, int(len(seed) * cut))])
    for position, value in flips:
        data[position % len(data)] = value
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


@_FIXTURE_OK
@given(
    suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)), data=st.binary(min_size=1, max_size=2048)
)
def test_random_bytes_of_every_type(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    _read_or_refuse(path)
