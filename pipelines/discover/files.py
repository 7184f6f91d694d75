"""What sits in the raw folder: every file, its content hash, format and encoding."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from dataclasses import dataclass
from pathlib import Path

# Text files under these names are notes beside the documents (a README, SOURCES.md, a listing),
# never budget disclosures: only PDFs and plain-text extracts (.txt or no extension) are read.
TEXT_EXTRACT_SUFFIXES = frozenset({"", ".txt", ".text"})


@dataclass(frozen=True)
class RawFile:
    path: Path
    name: str  # relative to the raw folder, "/"-separated
    sha256: str
    size: int
    format: str  # pdf | text | html | xlsx-or-docx | ole | empty | unknown (sniff_format)
    encoding: str | None  # for text: utf-8, utf-8-sig, gb18030 …
    modified: str = ""  # modification time (UTC, ISO 8601): the newer of two revisions wins


def file_key(name: str) -> str:
    """A stable, UI-safe key for a raw file (its name may hold CJK, spaces or slashes)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]


_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>])", re.IGNORECASE)
_PDF_DATE = re.compile(r"^D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([+\-])(\d\d)'?(\d\d)?)?")


def sniff_format(head: bytes, size: int) -> str:
    """The format a file really is, from its first bytes (never from its name alone)."""
    if size == 0:
        return "empty"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if _HTML.match(head):
        return "html"  # a web page saved under the name of the document it links to
    if head.startswith(b"PK\x03\x04"):
        return "xlsx-or-docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .xls/.doc
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "text"


def text_encoding(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def pdf_date(path: Path) -> str | None:
    """When the PDF says it was last written (its ModDate, else CreationDate), UTC ISO 8601; None when it
    does not say. A scraper saves every file in the same second, so their file times cannot tell which of
    two revisions is the newer; the documents' own dates can."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return None
    try:
        meta = pdf.get_metadata_dict()
    finally:
        pdf.close()
    for key in ("ModDate", "CreationDate"):
        if m := _PDF_DATE.match(meta.get(key) or ""):
            year, month, day, hour, minute, second, sign, tz_h, tz_m = m.groups()
            try:
                local = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                                 int(second or 0), tzinfo=timezone.utc)
            except ValueError:
                continue
            offset = timedelta(hours=int(tz_h or 0), minutes=int(tz_m or 0)) * (-1 if sign == "-" else 1)
            return (local - offset).isoformat(timespec="seconds")
    return None


# Reading problems (读取问题) of the raw folder, as the analyst reads them: the file, why it is not read, what to do.

def _skipped(name: str, suffix: str) -> str:
    return f"{name}：已跳过，{suffix} 文件不是预算文件（只读取PDF和.txt文本）"


def _web_page(name: str, suffix: str, title: str | None) -> str:
    saved_as = f"另存为{suffix}的网页" if suffix else "存成文件的网页"
    titled = f"（标题为“{title}”）" if title else ""
    return f"{name}：是{saved_as}{titled}，不是预算公开文件本身：请下载网页所链接的PDF（网页不读取）"


def _text_named_pdf(name: str) -> str:
    return f"{name}：是纯文本，不是PDF，只是文件名以.pdf结尾：如果它是预算公开文件的文本，请改名为.txt"


_LINK_OUTSIDE = "是指向原始文件夹以外的链接，不读取：请把文件本身复制进来"


def skip_reason(raw_file: RawFile) -> str | None:
    """Why a file in the raw folder is no document to read (None: it is one, or may be one): a note
    beside the documents (README.md, SOURCES.tsv, a saved index.html)."""
    suffix = Path(raw_file.name).suffix.lower()
    if raw_file.format in ("text", "html") and suffix not in TEXT_EXTRACT_SUFFIXES | {".pdf"}:
        return _skipped(raw_file.name, suffix)
    return None


def format_refusal(raw_file: RawFile) -> str | None:
    """Why a file named as a document is none by its content (None: it may be one): a web page saved
    under the name of the disclosure it links to, or plain text under a .pdf name."""
    suffix = Path(raw_file.name).suffix.lower()
    if raw_file.format == "html":
        return _web_page(raw_file.name, suffix, html_title(raw_file.path))
    if raw_file.format == "text" and suffix == ".pdf":
        return _text_named_pdf(raw_file.name)
    return None


def html_title(path: Path) -> str | None:
    """A web page's <title>, white space collapsed."""
    data = path.read_bytes()[:65536]
    m = re.search(rb"<title[^>]*>(.*?)</title>", data, re.IGNORECASE | re.DOTALL)
    if not m:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return " ".join(m.group(1).decode(encoding).split()) or None
        except UnicodeDecodeError:
            continue
    return None


def refused_paths(raw_dir: Path) -> list[tuple[str, str]]:
    """Entries of the raw folder that are never read, with why (links leaving the folder)."""
    root = raw_dir.resolve()
    refused = []
    for path in sorted(raw_dir.rglob("*")):
        if path.is_symlink() and root not in path.resolve().parents:
            refused.append((path.relative_to(raw_dir).as_posix(), _LINK_OUTSIDE))
    return refused


def raw_paths(raw_dir: Path) -> list[tuple[str, Path]]:
    """(name relative to the folder, real path) of every regular file that is read; hidden files
    and links leaving the folder are skipped (``refused_paths`` lists the latter)."""
    root = raw_dir.resolve()
    found = []
    for path in sorted(raw_dir.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        real = path.resolve()
        if root in real.parents:
            found.append((path.relative_to(raw_dir).as_posix(), real))
    return found


def scan_raw_folder(raw_dir: Path) -> list[RawFile]:
    """Every file ``raw_paths`` lists, read: content hash, format, encoding."""
    found = []
    for name, real in raw_paths(raw_dir):
        data = real.read_bytes()
        fmt = sniff_format(data[:8192], len(data))
        found.append(RawFile(
            path=real,
            name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            format=fmt,
            encoding=text_encoding(data) if fmt == "text" else None,
            modified=datetime.fromtimestamp(real.stat().st_mtime, timezone.utc).isoformat(timespec="seconds"),
        ))
    return found


FileStamp = tuple[str, int, int]  # (sha256, size, modification time in ns)


def content_hashes(raw_dir: Path, known: Mapping[str, FileStamp] | None = None) -> dict[str, FileStamp]:
    """name → (sha256, size, mtime_ns) of every file ``raw_paths`` lists. A file whose size and
    modification time are the ones in ``known`` keeps its known hash without being read: a
    sensor polling thousands of files reads only those that were touched."""
    known = known or {}
    stamps: dict[str, FileStamp] = {}
    for name, real in raw_paths(raw_dir):
        stat = real.stat()
        previous = known.get(name)
        if previous is not None and tuple(previous[1:]) == (stat.st_size, stat.st_mtime_ns):
            stamps[name] = (previous[0], stat.st_size, stat.st_mtime_ns)
        else:
            stamps[name] = (hashlib.sha256(real.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns)
    return stamps
