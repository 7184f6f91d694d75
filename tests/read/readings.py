"""The real development PDFs (../shared/real-docs), each read once per session per text layer."""
from __future__ import annotations

import pytest

from pipelines.read.model import RawDocument
from pipelines.read.pdf_reader import read_pdf
from tests.conftest import REAL_DOCS

needs_real = pytest.mark.skipif(
    not REAL_DOCS.is_dir(), reason=f"real documents not available ({REAL_DOCS} is absent)"
)

_READINGS: dict[tuple[str, str], RawDocument] = {}


def real_pdfs() -> list[str]:
    """Every real PDF, relative to REAL_DOCS; none when they are absent."""
    return sorted(p.relative_to(REAL_DOCS).as_posix() for p in REAL_DOCS.rglob("*.pdf")) if REAL_DOCS.is_dir() else []


def reading(rel: str, text_layer: str = "fast") -> RawDocument:
    """``read_pdf`` of one real PDF with the given text layer (fast: the default), cached."""
    key = (rel, text_layer)
    if key not in _READINGS:
        _READINGS[key] = read_pdf(REAL_DOCS / rel, text_layer=text_layer)
    return _READINGS[key]
