"""Tabular outputs of the Python stages, as the warehouse loads them.

Exact decimals travel as text and are cast to DECIMAL by the staging models, so no figure ever
passes through a float.
"""
from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import datetime, timezone
from decimal import Decimal

import pandas as pd

from ..discover.documents import Document
from ..discover.files import RawFile, file_key
from ..read.catalogue import expected_table_kinds
from ..read.model import ExtractionIssue, NarrativeFigure, PerformanceTarget
from .budget_lines import BudgetLine, bbox_text, cell_box, normalize_table


def _text(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(obj) -> dict:
    """A dataclass's fields, shallow: ``dataclasses.asdict`` deep-copies every value, which costs
    more than the rest of building the frames."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([{k: _text(r.get(k)) for k in columns} for r in rows], columns=columns, dtype=object)
    return frame


DOCUMENT_COLUMNS = ["document_id", "department", "year", "kind", "scope", "source_files", "sha256",
                    "formats", "encodings", "table_count", "text_line_count", "modified", "rounding_note",
                    "expected_tables", "part", "produced"]

# "本套报表金额单位转换时可能存在尾数误差", "由于四舍五入因素，部分分项加和与合计可能略有差异": the document says
# its figures are rounded, so its sums are judged within their rounding intervals, never as exact.
_ROUNDING_NOTE = re.compile(r"尾差|尾数|四舍五入")


def prints_rounding_note(document: Document) -> bool:
    texts = [line.text for line in document.raw.text_lines] + [n for t in document.raw.tables for n in t.notes]
    return any(_ROUNDING_NOTE.search(text) for text in texts)


def documents_frame(documents: list[Document]) -> pd.DataFrame:
    return _frame([{
        "document_id": d.document_id, "department": d.identity.department, "year": d.identity.year,
        "kind": d.identity.kind, "scope": d.identity.scope,
        "source_files": "; ".join(f.name for f in d.files),
        "sha256": "; ".join(f.sha256 for f in d.files),
        "formats": "; ".join(f.format for f in d.files),
        "encodings": "; ".join(f.encoding or "" for f in d.files),
        "table_count": len(d.raw.tables), "text_line_count": len(d.raw.text_lines),
        "modified": max(f.modified for f in d.files),
        "rounding_note": prints_rounding_note(d),
        "expected_tables": ",".join(sorted(expected_table_kinds([line.text for line in d.raw.text_lines],
                                                                bool(d.raw.tables)))),
        "part": d.part, "produced": d.produced,
    } for d in documents], DOCUMENT_COLUMNS)


def _table_id(document: Document, table, t_no: int) -> str:
    """Unique across the files of one disclosure: the file's key, then the table's place in it."""
    return f"{document.document_id}:{file_key(table.ref.file)[:6]}:{t_no:02d}"


CELL_COLUMNS = ["document_id", "table_id", "table_kind", "table_number", "table_title", "unit", "row_no",
                "col_no", "column_name", "cell_text", "source_ref", "table_ref", "table_notes", "source_page",
                "source_bbox"]


def table_cells_frame(documents: list[Document]) -> pd.DataFrame:
    rows = []
    for d in documents:
        for t_no, table in enumerate(d.raw.tables, start=1):
            table_id = _table_id(d, table, t_no)
            base = {"document_id": d.document_id, "table_id": table_id, "table_kind": table.table_kind,
                    "table_number": table.number, "table_title": table.title, "unit": table.unit,
                    "table_ref": str(table.ref), "table_notes": "\n".join(table.notes)}
            if not table.rows:  # empty tables stay visible (本表无数据)
                rows.append({**base, "row_no": 0, "col_no": 0, "column_name": None, "cell_text": None,
                             "source_ref": str(table.ref)})
            for r, (row, ref) in enumerate(zip(table.rows, table.row_refs), start=1):
                for c, (column, text) in enumerate(zip(table.columns, row), start=1):
                    box = cell_box(table, r - 1, c - 1)
                    rows.append({**base, "row_no": r, "col_no": c, "column_name": column,
                                 "cell_text": text, "source_ref": str(ref), "source_page": ref.page,
                                 "source_bbox": bbox_text(box)})
    return _frame(rows, CELL_COLUMNS)


LINE_COLUMNS = ["document_id", "table_id", *BudgetLine.__dataclass_fields__.keys()]


def budget_lines(documents: list[Document]) -> tuple[pd.DataFrame, list[tuple[str, ExtractionIssue]]]:
    rows, issues = [], []
    for d in documents:
        for t_no, table in enumerate(d.raw.tables, start=1):
            lines, table_issues = normalize_table(table)
            issues.extend((d.document_id, i) for i in table_issues)
            for line in lines:
                record = _fields(line)
                record["attributes"] = json.dumps(line.attributes, ensure_ascii=False, sort_keys=True)
                rows.append({"document_id": d.document_id, "table_id": _table_id(d, table, t_no), **record})
    return _frame(rows, LINE_COLUMNS), issues


FIGURE_COLUMNS = ["document_id", "figure_no", *NarrativeFigure.__dataclass_fields__.keys()]
TARGET_COLUMNS = ["document_id", "target_no", *PerformanceTarget.__dataclass_fields__.keys()]


def narrative_frames(documents: list[Document]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from ..read.narrative import extract_narrative

    figures, targets = [], []
    for d in documents:
        result = extract_narrative(d.raw.text_lines)
        for n, f in enumerate(result.figures, start=1):
            figures.append({"document_id": d.document_id, "figure_no": n, **_fields(f), "ref": str(f.ref)})
        for n, t in enumerate(result.targets, start=1):
            targets.append({"document_id": d.document_id, "target_no": n, **_fields(t), "ref": str(t.ref)})
    return _frame(figures, FIGURE_COLUMNS), _frame(targets, TARGET_COLUMNS)


ISSUE_COLUMNS = ["document_id", "source_file", "stage", "severity", "reason", "source_ref", "detected_at"]


def ingest_issues_frame(
    documents: list[Document],
    failures: list[tuple[RawFile, ExtractionIssue]],
    extra: list[tuple[str, ExtractionIssue]] = (),
) -> pd.DataFrame:
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    files_of = {d.document_id: "; ".join(f.name for f in d.files) for d in documents}
    rows = []
    for d in documents:
        for issue in d.issues:
            rows.append(_issue_row(d.document_id, files_of[d.document_id], issue, now))
    for document_id, issue in extra:
        rows.append(_issue_row(document_id, files_of.get(document_id), issue, now))
    for raw_file, issue in failures:
        rows.append(_issue_row(None, raw_file.name, issue, now))
    return _frame(rows, ISSUE_COLUMNS)


def _issue_row(document_id, source_file, issue: ExtractionIssue, now: str) -> dict:
    return {"document_id": document_id, "source_file": source_file, "stage": issue.stage,
            "severity": issue.severity, "reason": issue.reason,
            "source_ref": str(issue.ref) if issue.ref else source_file, "detected_at": now}
