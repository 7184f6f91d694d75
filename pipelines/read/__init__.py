"""Readers: one file in, one RawDocument out, whatever the format."""
from __future__ import annotations

from pathlib import Path

from .model import RawDocument


class UnsupportedFormat(ValueError):
    """A file in a format no reader handles (yet)."""


_ADVICE = {
    "empty": "the file is empty; re-download it",
    "xlsx-or-docx": "spreadsheets and Word files are not read yet; publish the PDF or a text extract",
    "ole": "legacy .xls/.doc files are not read; publish the PDF or a text extract",
    "unknown": "binary content that is neither PDF nor text",
}


def read_file(path: Path, fmt: str, name: str | None = None) -> RawDocument:
    """Read one raw file with the reader for its (sniffed) format."""
    if fmt == "text":
        from .text_reader import read_text_extract
        return read_text_extract(path)
    if fmt == "pdf":
        from .pdf_reader import read_pdf
        return read_pdf(path)
    raise UnsupportedFormat(f"{name or path.name}: {_ADVICE.get(fmt, f'format {fmt!r} is not supported')}")
