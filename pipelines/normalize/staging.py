"""Per-file staging: each raw file read and normalized once, its outputs kept as Parquet.

A file's outputs live in ``<warehouse>/staging/<file_key>/``: one Parquet file per output plus a
manifest recording the content hash and the code version that produced them. An unchanged file
with an unchanged reader is never read again; a changed one replaces its folder whole; a removed
one has its folder dropped when the warehouse is rebuilt. Every figure travels as text (exact).
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..discover.content import part_of, refusal
from ..discover.documents import Document
from ..discover.files import RawFile, file_key, format_refusal, pdf_date, skip_reason
from ..discover.identity import identify
from ..read import read_file
from ..read.catalogue import CORE_TABLES, TABLE_NAMES_ZH
from ..read.model import ExtractionIssue, ReadingProblem, SourceRef
from ..versioning import files_hash
from . import frames

OUTPUTS: dict[str, list[str]] = {
    "documents": frames.DOCUMENT_COLUMNS,
    "table_cells": [*frames.CELL_COLUMNS, "source_file"],
    "budget_lines": [*frames.LINE_COLUMNS, "source_file"],
    "narrative_figures": [*frames.FIGURE_COLUMNS, "source_file"],
    "performance_targets": [*frames.TARGET_COLUMNS, "source_file"],
    "ingest_issues": frames.ISSUE_COLUMNS,
}
_CODE_DIRS = ("discover", "read", "normalize")


def _code_version() -> str:
    """A hash of the code that reads and normalizes: changing it re-extracts every file."""
    root = Path(__file__).resolve().parents[1]
    return files_hash([p for folder in _CODE_DIRS for p in sorted((root / folder).glob("*.py"))], root)


CODE_VERSION = _code_version()


@dataclass(frozen=True)
class StagedFile:
    key: str
    name: str
    sha256: str
    document_id: str | None
    reused: bool
    error: str | None = None


class DocumentRejected(ReadingProblem):
    """A file that reads but is no budget disclosure, or breaks a cap."""


# Reading problems (读取问题) of a whole file, as the analyst reads them: the file, what became of it, what to do.

def _refused(name: str, why: str) -> str:
    return f"{name}：{why}"


def _over_time(name: str, seconds: float) -> str:
    return (f"{name}：读了{seconds:g}秒还没读完，超过每个文件的读取时限（BUDGET_DOC_SECONDS），文件可能有异常；"
            "如果文件确实很大，请调高 BUDGET_DOC_SECONDS")


def _mb(size: float) -> str:
    mb = size / 1048576
    return f"{mb:.1f} MB" if mb >= 1 else f"{mb:.3g} MB"


def _over_size(name: str, size: int, cap: int) -> str:
    return (f"{name}：文件有{_mb(size)}，超过每个文件{_mb(cap)}的上限（BUDGET_MAX_MB），未读取；"
            "如果文件确实这么大，请调高 BUDGET_MAX_MB")


def _failed_unexpectedly(name: str, exc: BaseException) -> str:
    return f"{name}：读取时程序出错，未读取（错误信息：{type(exc).__name__}: {exc}）：请把这个文件报告给开发人员"


_TARGETS_ONLY = "只有绩效目标表：属于部门预算的一部分，读到该部门的其他文件时并入其预算公开文件"


def _tables_not_found(names: list[str]) -> str:
    return f"没有找到这些标准表格：{'、'.join(names)}；用到它们的核对无法进行"


def _identity_not_found(missing: list[str]) -> str:
    return (f"文件里没有找到{'、'.join(missing)}（封面、标题和“部门名称”一项都没有写明）：按单独一份文件载入，"
            "不与其他文件合并")




def limits() -> tuple[int, float]:
    """(size cap in bytes, time budget in seconds) per file; BUDGET_MAX_MB, BUDGET_DOC_SECONDS."""
    return (int(float(os.environ.get("BUDGET_MAX_MB", "50")) * 1024 * 1024),
            float(os.environ.get("BUDGET_DOC_SECONDS", "120")))


@contextmanager
def time_budget(seconds: float, name: str):
    """Abort the work of one file after ``seconds`` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(signum, frame):
        raise DocumentRejected(_over_time(name, seconds))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failed(raw_file: RawFile, reason: str, stage: str = "read", severity: str = "error"):
    issue = ExtractionIssue(severity, stage, reason, SourceRef(raw_file.name))
    empty = {name: pd.DataFrame(columns=cols, dtype=object) for name, cols in OUTPUTS.items()}
    empty["ingest_issues"] = frames.ingest_issues_frame([], [(raw_file, issue)])
    return empty, None, reason


def extract_frames(raw_file: RawFile) -> tuple[dict[str, pd.DataFrame], str | None, str | None]:
    """All outputs of one file; a file that cannot be read yields only its ingest issue."""
    skipped = skip_reason(raw_file)
    if skipped:
        return _failed(raw_file, skipped, stage="discover", severity="info")
    refused = format_refusal(raw_file)
    if refused:
        return _failed(raw_file, refused, stage="discover")
    size_cap, seconds = limits()
    if raw_file.size > size_cap:
        return _failed(raw_file, _over_size(raw_file.name, raw_file.size, size_cap))
    try:
        with time_budget(seconds, raw_file.name):
            return _extract(raw_file)
    except ReadingProblem as exc:  # the readers' own words: the file, the page, what to do
        return _failed(raw_file, str(exc))
    except Exception as exc:  # any failure of one file is recorded, never raised
        return _failed(raw_file, _failed_unexpectedly(raw_file.name, exc))


def _extract(raw_file: RawFile) -> tuple[dict[str, pd.DataFrame], str | None, str | None]:
    raw = read_file(raw_file.path, raw_file.format, raw_file.name)
    identity = identify(raw)
    part = part_of(raw)
    refused = refusal(raw, identity, part)
    if refused:
        raise DocumentRejected(_refused(raw_file.name, refused))
    issues = list(raw.issues)
    if part.endswith("_targets"):
        issues.append(ExtractionIssue("info", "discover", _TARGETS_ONLY, SourceRef(raw_file.name)))
    if raw.tables:
        missing = [k for k in CORE_TABLES if k not in {t.table_kind for t in raw.tables}]
        if missing:
            issues.append(ExtractionIssue("warning", "read", _tables_not_found(
                [TABLE_NAMES_ZH.get(k, k) for k in missing]), SourceRef(raw_file.name)))
    if not identity.complete:
        identity = replace(identity, anchor=raw_file.name)
        missing = [w for w, v in (("部门", identity.department), ("年度", identity.year),
                                  ("预算/决算", identity.kind)) if not v]
        issues.append(ExtractionIssue("warning", "discover", _identity_not_found(missing), SourceRef(raw_file.name)))
    produced = pdf_date(raw_file.path) if raw_file.format == "pdf" else None
    doc = Document(identity, [raw_file], raw, issues, part, produced)
    lines, normalize_issues = frames.budget_lines([doc])
    figures, targets = frames.narrative_frames([doc])
    out = {
        "documents": frames.documents_frame([doc]),
        "table_cells": frames.table_cells_frame([doc]),
        "budget_lines": lines,
        "narrative_figures": figures,
        "performance_targets": targets,
        "ingest_issues": frames.ingest_issues_frame([doc], [], normalize_issues),
    }
    return out, doc.document_id, None


def _write_parquet(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Every column as text or null (exact decimals stay exact), so files of any content union
    cleanly. Written with pyarrow: a few milliseconds per file, where a DuckDB connection and
    ``COPY`` cost four times as much for these small frames."""
    table = pa.table({c: pa.array([None if v is None or v != v else str(v) for v in frame[c]], type=pa.string())
                      for c in columns})
    pq.write_table(table, path)


_heap_frozen = False


def freeze_heap() -> None:
    """Take everything alive now (the imported libraries) out of the cyclic garbage collector's
    scans. Reading a PDF allocates millions of short-lived objects, and each full collection
    would walk pandas, DuckDB, pdfminer (and Dagster) again: about 5 % of staging time. Once per
    process (later calls do nothing), so what staging creates is always collected as usual."""
    global _heap_frozen
    if not _heap_frozen:
        gc.freeze()
        _heap_frozen = True


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _current(manifest: dict | None, raw_file: RawFile) -> bool:
    return bool(manifest) and manifest.get("sha256") == raw_file.sha256 and manifest.get("code_version") == CODE_VERSION


def is_staged(raw_file: RawFile, staging_dir: Path) -> bool:
    """The file is staged as it is now, by the code as it is now: staging it again reuses it."""
    return _current(read_manifest(staging_dir / file_key(raw_file.name)), raw_file)


def stage_file(raw_file: RawFile, staging_dir: Path) -> StagedFile:
    """Extract one file into its staging folder, unless it is already there, unchanged."""
    key = file_key(raw_file.name)
    target = staging_dir / key
    manifest = read_manifest(target)
    if _current(manifest, raw_file):
        return StagedFile(key, raw_file.name, raw_file.sha256, manifest.get("document_id"), True, manifest.get("error"))
    outputs, document_id, error = extract_frames(raw_file)
    staging_dir.mkdir(parents=True, exist_ok=True)
    building = staging_dir / f".{key}.{uuid.uuid4().hex}.building"
    building.mkdir()
    try:
        for name, columns in OUTPUTS.items():
            frame = outputs[name]
            if "source_file" in columns and "source_file" not in frame.columns:
                frame = frame.assign(source_file=raw_file.name)
            _write_parquet(frame, columns, building / f"{name}.parquet")
        (building / "manifest.json").write_text(json.dumps({
            "file": raw_file.name, "sha256": raw_file.sha256, "code_version": CODE_VERSION,
            "document_id": document_id, "error": error,
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        if target.exists():
            retired = staging_dir / f".{key}.{uuid.uuid4().hex}.retired"
            target.rename(retired)
            building.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            building.rename(target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return StagedFile(key, raw_file.name, raw_file.sha256, document_id, False, error)


def prune_staging(staging_dir: Path, keep: set[str]) -> list[str]:
    """Drop the folders of files no longer in the raw folder, and leftovers of killed runs."""
    removed = []
    if not staging_dir.exists():
        return removed
    for folder in staging_dir.iterdir():
        if folder.name.startswith(".") or folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def staged_sources(con: duckdb.DuckDBPyConnection, staging_dir: Path, keys: list[str], append: bool = False) -> None:
    """Create the warehouse's raw_* tables from the staged Parquet of the given files (``append``: add
    their rows to the raw_* tables there)."""
    for name, columns in OUTPUTS.items():
        files = [str(staging_dir / k / f"{name}.parquet") for k in keys if (staging_dir / k / f"{name}.parquet").exists()]
        table = "raw_table_cells" if name == "table_cells" else f"raw_{name}"
        select = ", ".join(chr(34) + c + chr(34) for c in columns)
        if files:
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            query = f"SELECT {select} FROM read_parquet([{listing}], union_by_name = true)"
            con.execute(f"INSERT INTO {table} ({select}) {query}" if append else f"CREATE TABLE {table} AS {query}")
        elif not append:
            con.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{c}" VARCHAR' for c in columns) + ")")


def staged_manifests(staging_dir: Path, keys: list[str]) -> dict[str, dict]:
    """Each staged file's manifest (file, sha256, code_version …), by staging key."""
    return {key: manifest for key in keys if (manifest := read_manifest(staging_dir / key)) is not None}
