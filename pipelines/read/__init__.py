"""Readers: one file in, one RawDocument out, whatever the format."""
from __future__ import annotations

from pathlib import Path

from .model import RawDocument, ReadingProblem


class UnsupportedFormat(ReadingProblem):
    """A file in a format no reader handles (yet)."""


# Why a file of each (sniffed) format is not read, and what to get instead.
_ADVICE = {
    "empty": "文件是空的（0字节）：请重新下载",
    "xlsx-or-docx": "是Excel或Word文件，暂不读取：请下载同一文件的PDF版本或.txt文本",
    "ole": "是旧版.xls或.doc文件，不读取：请下载同一文件的PDF版本或.txt文本",
    "unknown": "内容既不是PDF也不是文本，无法读取",
}


def unsupported_format(name: str, fmt: str) -> str:
    """读取问题: a file no reader reads, with what to get instead."""
    return f"{name}：{_ADVICE.get(fmt, f'文件格式（{fmt}）不能读取')}"


def read_file(path: Path, fmt: str, name: str | None = None) -> RawDocument:
    """Read one raw file with the reader for its (sniffed) format."""
    if fmt == "text":
        from .text_reader import read_text_extract
        return read_text_extract(path)
    if fmt == "pdf":
        from .pdf_reader import read_pdf
        return read_pdf(path)
    raise UnsupportedFormat(unsupported_format(name or path.name, fmt))
