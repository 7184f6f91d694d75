"""What sits in the raw folder: every file, its content hash, format and encoding."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_FORMATS = frozenset({"pdf", "text"})


@dataclass(frozen=True)
class RawFile:
    path: Path
    name: str  # relative to the raw folder, "/"-separated
    sha256: str
    size: int
    format: str  # pdf | text | docx | xlsx | xls | empty | unknown
    encoding: str | None  # for text: utf-8, utf-8-sig, gb18030 …
    modified: str = ""  # modification time (UTC, ISO 8601): the newer of two revisions wins


def file_key(name: str) -> str:
    """A stable, UI-safe key for a raw file (its name may hold CJK, spaces or slashes)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]


def sniff_format(head: bytes, size: int) -> str:
    """The format a file really is, from its first bytes (never from its name alone)."""
    if size == 0:
        return "empty"
    if head.startswith(b"%PDF-"):
        return "pdf"
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


def refused_paths(raw_dir: Path) -> list[tuple[str, str]]:
    """Entries of the raw folder that are never read, with why (links leaving the folder)."""
    root = raw_dir.resolve()
    refused = []
    for path in sorted(raw_dir.rglob("*")):
        if path.is_symlink() and root not in path.resolve().parents:
            refused.append((path.relative_to(raw_dir).as_posix(),
                            "a link pointing outside the raw folder; not read (copy the file in instead)"))
    return refused


def scan_raw_folder(raw_dir: Path) -> list[RawFile]:
    """Every regular file under ``raw_dir``; hidden files and links leaving the folder are skipped
    (``refused_paths`` lists the latter)."""
    root = raw_dir.resolve()
    found = []
    for path in sorted(raw_dir.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        real = path.resolve()
        if root not in real.parents:
            continue
        data = real.read_bytes()
        fmt = sniff_format(data[:8192], len(data))
        found.append(RawFile(
            path=real,
            name=path.relative_to(raw_dir).as_posix(),
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            format=fmt,
            encoding=text_encoding(data) if fmt == "text" else None,
            modified=datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds"),
        ))
    return found
