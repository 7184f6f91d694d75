"""One Excel workbook per document: its tables as printed, its findings, how well it was read.

Everything here reads a (read-only) DuckDB connection to the warehouse and returns or writes
openpyxl workbooks; nothing is written to the warehouse.

A sheet holds one table as read (``fact_table_cell``: every printed cell, in print order) with its
figures (``fact_budget_line``) put back as numbers in the cells they were read from. A figure is
written in the table's own unit as printed, exactly (``stated_amount``, with all its printed
decimals: 北京 prints 万元 with 6). Its number format shows the decimals the cell was printed with.
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..read.numbers import EMPTY_MARKS, decimals_of, is_amount

FINDINGS_SHEET = "发现"
QUALITY_SHEET = "读取质量"

# The order findings are listed in: contradictions first, then what follows from them, then the rest.
ROLE_ORDER = ("contradiction", "consequence", "reading_doubt", "doubted", "warning", "unverifiable")
# (key, header) of the findings sheet, in order; the review columns only when v_check_result has them
FINDING_COLUMNS = (("finding_id", "发现标识"), ("finding_role", "类别"), ("group_id", "归属的矛盾或存疑"),
                   ("check_kind", "检查"), ("table_kind", "表格"), ("text", "内容"), ("actual", "文件印出"),
                   ("expected", "按其他数字应为"), ("difference", "差额"), ("tolerance", "四舍五入容差"),
                   ("unit", "单位"), ("culprit", "被认为有误的数字"), ("confidence", "为何可信"),
                   ("source_ref", "出处"), ("page", "页码"), ("evidence", "证据图"))
REVIEW_COLUMNS = (("review_verdict", "复核结论"), ("review_status", "复核状态"), ("review_note", "复核说明"))
FINDING_NUMBERS = frozenset({"expected", "actual", "difference", "tolerance"})
QUALITY_LABELS = {
    "document_id": "文档标识",
    "department": "部门",
    "year": "年度",
    "kind": "预算/决算",
    "scope": "部门/单位",
    "source_files": "来源文件",
    "tables_expected": "目录列出的表格数",
    "tables_found": "读到的表格数",
    "tables_missing": "未读到的表格",
    "rows_read": "读取行数",
    "tie_outs": "表内加总个数",
    "tie_out_share": "表内加总成立比例",
    "unknown_columns": "未识别的列",
    "unit_doubts": "单位存疑的表格数",
    "reading_doubts": "读数存疑",
    "contradictions": "矛盾",
    "warnings": "警告",
    "rounding_residues": "尾差",
    "reading": "读取评价",
}
REVIEW_STATUS_NAMES = {"current": "有效", "stale": "已失效（复核后数字有变）"}

_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_FILE_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_REPEAT_MARK = re.compile(r"#\d+$")
_PAGE = re.compile(r":p(\d+)\b")
_UNIT_IN_LABEL = re.compile(r"[（(][^（）()]*元[)）]")
_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=12)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


class UnknownDocument(LookupError):
    """A document id the warehouse does not hold."""

    def __init__(self, document_id: str) -> None:
        super().__init__(f"unknown document id {document_id!r}: no such document in the warehouse "
                         f"(`budget sql \"select document_id, department, year, kind, scope from dim_document\"` "
                         f"lists them)")
        self.document_id = document_id


@dataclass
class Figure:
    """One figure of ``fact_budget_line`` in the table's own unit."""

    row_no: int
    column_name: str
    value: Decimal  # exact, in the table's unit, with the decimals printed (at least the cents)
    stated_unit: str


@dataclass
class SheetTable:
    """One table as read, ready to be written: the printed grid and its figures by printed cell."""

    table_id: str
    table_kind: str
    number: str | None
    title: str
    unit: str | None
    unit_assumed: bool
    columns: list[str]  # column paths as read, in print order (col_no 1..n)
    rows: list[list[str | None]]  # the printed cells, row_no 1..n
    figures: dict[tuple[int, int], Figure] = field(default_factory=dict)  # (row index, column index) → figure
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)
    unplaced: list[Figure] = field(default_factory=list)  # figures no printed cell holds (none expected)
    notes: str = ""  # printed around the table (注：…, 本表无数据)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def figure_columns(self) -> list[bool]:
        """Columns that hold money: a figure in any row, or nothing but blanks and dashes in a column the
        reader takes for an amount column (a fund no row uses)."""
        from ..normalize.columns import table_meanings

        meanings = table_meanings([_REPEAT_MARK.sub("", c) for c in self.columns], self.table_kind)
        held = {c for _, c in self.figures}
        out = []
        for c in range(len(self.columns)):
            blank = all(_blank(row[c]) for row in self.rows)
            out.append(c in held or (blank and meanings[c].role == "amount"))
        return out


def _blank(text: str | None) -> bool:
    return text is None or text.strip().replace("\u3000", "") in EMPTY_MARKS


def document_row(con: duckdb.DuckDBPyConnection, document_id: str) -> dict:
    """The document's row of ``dim_document``; ``UnknownDocument`` when there is none."""
    cur = con.execute("select document_id, department, year, kind, scope from dim_document where document_id = ?",
                      [document_id])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        raise UnknownDocument(document_id)
    return dict(zip(names, row))


def document_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "select document_id from dim_document order by department, year, kind, scope, document_id").fetchall()]


def _as_printed(value: Decimal) -> Decimal:
    """``stated_amount`` (6 decimals in the warehouse) with the decimals the print can have had: the cents,
    or more where the figure has them (122136.821152)."""
    trimmed = value.normalize()
    return value.quantize(Decimal("0.01")) if trimmed.as_tuple().exponent >= -2 else trimmed


def side_by_side_width(columns: list[str]) -> int | None:
    """The width of one block of a table printed as blocks side by side (编码 | 名称 | 决算数 | 编码#2 |
    名称#2 | 决算数#2), as the normalizer splits it; None for an ordinary table."""
    bases = [_REPEAT_MARK.sub("", c) for c in columns]
    n = len(bases)
    for k in range(1, n // 2 + 1):
        if n % k == 0 and all(bases[i] == bases[i % k] for i in range(n)) and columns[k] != columns[0]:
            return k
    return None


def figure_positions(columns: list[str], rows: list[list[str | None]], table_kind: str
                     ) -> dict[tuple[int, str], tuple[int, int]]:
    """Where each (row_no, column_name) of ``fact_budget_line`` is printed: (row index, column index).

    A table printed as blocks side by side is read block by block: block b's rows that print anything
    are numbered after the rows of the blocks before it (b × printed rows + place among them), under
    the block's first column names (the normalizer's numbering, pipelines/normalize/budget_lines.py).
    """
    from ..normalize.budget_lines import TWO_SIDED

    width = None if table_kind in TWO_SIDED else side_by_side_width(columns)
    if width is None:
        return {(r + 1, name): (r, c) for r in range(len(rows)) for c, name in enumerate(columns)}
    out: dict[tuple[int, str], tuple[int, int]] = {}
    bases = [_REPEAT_MARK.sub("", c) for c in columns[:width]]
    for b in range(len(columns) // width):
        cols = range(b * width, (b + 1) * width)
        kept = [r for r, row in enumerate(rows) if any(row[c] for c in cols)]
        for place, r in enumerate(kept):
            row_no = b * len(rows) + place + 1
            for i, c in enumerate(cols):
                out[(row_no, bases[i])] = (r, c)
    return out


def document_tables(con: duckdb.DuckDBPyConnection, document_id: str) -> list[SheetTable]:
    """Every table of the document as read, in print order (by file, then place in the file)."""
    tables = con.execute("""
        select table_id, table_kind, table_number, table_title, unit, coalesce(table_notes, ''), columns
        from dim_table where document_id = ?
        order by source_file, try_cast(split_part(table_id, ':', 3) as integer), table_id
    """, [document_id]).fetchall()
    cells: dict[str, list[tuple]] = {}
    for table_id, row_no, col_no, column_name, text in con.execute("""
        select c.table_id, c.row_no, c.col_no, c.column_name, c.cell_text
        from fact_table_cell as c where c.document_id = ? and c.row_no > 0
        order by c.table_id, c.row_no, c.col_no
    """, [document_id]).fetchall():
        cells.setdefault(table_id, []).append((row_no, col_no, column_name, text))
    lines: dict[str, list[Figure]] = {}
    for table_id, row_no, column_name, stated, unit in con.execute("""
        select table_id, row_no, column_name, stated_amount, stated_unit
        from fact_budget_line where document_id = ?
        order by table_id, row_no, column_name
    """, [document_id]).fetchall():
        lines.setdefault(table_id, []).append(
            Figure(row_no, column_name, _as_printed(stated), unit))
    out = []
    for table_id, kind, number, title, unit, notes, columns_text in tables:
        table_cells = cells.get(table_id, [])
        names: dict[int, str] = {}
        for _, col_no, name, _ in table_cells:
            names.setdefault(col_no, name)
        if names:
            columns = [names.get(c, "") for c in range(1, max(names) + 1)]
        else:  # 本表无数据: the header as read, no rows
            columns = [c for c in (columns_text or "").split("; ") if c]
        n_rows = max((r for r, _, _, _ in table_cells), default=0)
        rows: list[list[str | None]] = [[None] * len(columns) for _ in range(n_rows)]
        for row_no, col_no, _, text in table_cells:
            rows[row_no - 1][col_no - 1] = text
        table = SheetTable(table_id, kind, number, title or table_id, unit, "未见单位行" in notes, columns, rows,
                           notes=notes)
        positions = figure_positions(columns, rows, kind)
        for figure in lines.get(table_id, []):
            place = positions.get((figure.row_no, figure.column_name))
            if place is None or place in table.figures:
                table.unplaced.append(figure)
                continue
            table.figures[place] = figure
            text = rows[place[0]][place[1]]
            printed = text.strip().replace("\u3000", "") if text else ""
            table.decimals[place] = (decimals_of(printed) if is_amount(printed)
                                     else max(0, -figure.value.as_tuple().exponent))
        out.append(table)
    return out


def _value(figure: Figure, decimals: int) -> Decimal:
    """The figure with exactly its printed decimals when that loses nothing (1209.4700 → 1209.47)."""
    step = Decimal(1).scaleb(-decimals)
    shown = figure.value.quantize(step)
    return shown if shown == figure.value else figure.value


def number_format(decimals: int) -> str:
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _set_text(ws, row: int, column: int, value: str | None):
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    cell.value = _text(value)
    if cell.value.startswith("="):  # printed text, never a formula
        cell.data_type = "s"
    return cell


def _display_width(value) -> int:
    text = value if isinstance(value, str) else str(value)
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.splitlines() or [""]), default=0)


def _set_widths(ws, widths: dict[int, int], low: int = 6, high: int = 48) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(low, min(high, width + 2))


def header_rows(table: SheetTable, money: list[bool]) -> list[list[str | None]]:
    """The column paths as header rows (一般公共预算/基本支出 → two rows); the unit in each money
    column's last part ("合计（万元）"), unless the print already names it."""
    paths = [[p for p in _REPEAT_MARK.sub("", c).split("/")] for c in table.columns]
    depth = max((len(p) for p in paths), default=1) or 1
    rows: list[list[str | None]] = [[None] * len(paths) for _ in range(depth)]
    for c, parts in enumerate(paths):
        parts = list(parts)
        if money[c] and table.unit and not _UNIT_IN_LABEL.search(parts[-1]):
            parts[-1] = f"{parts[-1]}（{table.unit}）"
        for level, part in enumerate(parts):
            rows[level][c] = part
    return rows


def merge_header_cells(ws, headers: list[list[str | None]], first_row: int) -> None:
    """Merge the header cells the print merges: a heading over all its columns (基本支出 over 人员经费 and 公用经费),
    and a column whose path ends above the last header row down to it (科目编码 over both rows)."""
    depth = len(headers)
    width = len(headers[0]) if headers else 0
    leaf = [max((level for level in range(depth) if headers[level][c]), default=-1) for c in range(width)]
    for level in range(depth - 1):
        c = 0
        while c < width:
            end = c
            while (end + 1 < width and headers[level][c] and level < leaf[c] and level < leaf[end + 1]
                   and all(headers[k][end + 1] == headers[k][c] for k in range(level + 1))):
                end += 1
            if end > c:
                ws.merge_cells(start_row=first_row + level, start_column=c + 1, end_row=first_row + level,
                               end_column=end + 1)
            c = end + 1
    for c in range(width):
        if 0 <= leaf[c] < depth - 1:
            ws.merge_cells(start_row=first_row + leaf[c], start_column=c + 1, end_row=first_row + depth - 1,
                           end_column=c + 1)


def write_table_sheet(ws, table: SheetTable) -> None:
    """Title and number, the unit line, the header rows, then every body row as printed."""
    money = table.figure_columns()
    widths: dict[int, int] = {}
    ws.cell(row=1, column=1, value=_text(table.heading)).font = _TITLE_FONT
    unit_line = f"单位：{table.unit}" if table.unit else "单位：（表上未印）"
    ws.cell(row=2, column=1, value=unit_line)
    if table.unit_assumed:
        ws.cell(row=2, column=2, value="表上未见单位行，按元读取")
    headers = header_rows(table, money)
    for level, labels in enumerate(headers):
        for c, label in enumerate(labels, start=1):
            cell = _set_text(ws, 3 + level, c, label)
            cell.font = _BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if label:
                widths[c] = max(widths.get(c, 0), min(_display_width(label), 24))
    merge_header_cells(ws, headers, first_row=3)
    first_body = 3 + len(headers)
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            figure = table.figures.get((r, c))
            if figure is not None:
                decimals = table.decimals[(r, c)]
                cell = ws.cell(row=first_body + r, column=c + 1, value=_value(figure, decimals))
                cell.number_format = number_format(decimals)
                shown = f"{figure.value:,.{decimals}f}"
            elif text is None or text == "":
                continue
            else:
                _set_text(ws, first_body + r, c + 1, text)
                shown = text
            widths[c + 1] = max(widths.get(c + 1, 0), _display_width(shown))
    if not table.rows:  # 本表无数据: what the print says instead
        lines = [n for n in table.notes.splitlines() if n.strip()] or ["本表无数据"]
        for k, line in enumerate(lines):
            _set_text(ws, first_body + k, 1, line)
    if table.unplaced:
        # Figures read but placed at no printed cell (none expected): kept below, never dropped.
        row = first_body + len(table.rows) + 1
        ws.cell(row=row, column=1, value="未能放回原表位置的数字（行号 / 列）").font = _BOLD
        for figure in table.unplaced:
            row += 1
            ws.cell(row=row, column=1, value=f"第{figure.row_no}行 {figure.column_name}")
            cell = ws.cell(row=row, column=2, value=figure.value)
            cell.number_format = number_format(max(0, -figure.value.as_tuple().exponent))
    labels = 0
    for c, is_money in enumerate(money):
        if is_money:
            break
        labels = c + 1
    freeze_column = labels + 1 if 0 < labels <= 4 else 1
    ws.freeze_panes = ws.cell(row=first_body, column=freeze_column)
    _set_widths(ws, widths)


def finding_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(key, header) of the findings sheet: the review columns only when ``v_check_result`` has them."""
    have = {r[0] for r in con.execute(
        "select column_name from duckdb_columns() where table_name = 'v_check_result'").fetchall()}
    return [*FINDING_COLUMNS, *((key, header) for key, header in REVIEW_COLUMNS if key in have)]


def document_findings(con: duckdb.DuckDBPyConnection, document_id: str,
                      evidence_dir: Path | None = None) -> tuple[list[tuple[str, str]], list[dict]]:
    """Every finding of the document but the passes, contradictions first, in the report's words: the finding
    in plain Chinese, its numbers in the unit and decimals the document prints them with, the figure named as
    off, where it is printed and the evidence crops the report drew of it (``evidence_dir``)."""
    from ..review_commands import finding_figures
    from ..wording import (CHECK_KIND_NAMES, ROLE_NAMES, TABLE_KIND_NAMES, VERDICT_NAMES, figure_label,
                           finding_printed, finding_text)

    columns = finding_columns(con)
    order = " ".join(f"when '{role}' then {i}" for i, role in enumerate(ROLE_ORDER))
    cur = con.execute(f"""
        select * from v_check_result
        where document_id = ? and status is distinct from 'pass'
        order by case finding_role {order} else {len(ROLE_ORDER)} end, check_kind, finding_id
    """, [document_id])
    names = [d[0] for d in cur.description]
    found = [dict(zip(names, values)) for values in cur.fetchall()]
    figures = finding_figures(con, [f["finding_id"] for f in found])
    rows = []
    for f in found:
        mine = figures.get(f["finding_id"], [])
        printed = finding_printed(f, mine)
        culprit = next((x for x in mine if x.get("is_culprit")), None)
        pages = _PAGE.findall(f.get("source_ref") or "")
        crops = sorted(evidence_dir.glob(f"{f['finding_id']}-*.png")) if evidence_dir and f["finding_role"] == \
            "contradiction" else []
        row = {
            "finding_id": f["finding_id"], "finding_role": ROLE_NAMES.get(f["finding_role"], f["finding_role"]),
            "group_id": f["group_id"] if f["group_id"] != f["finding_id"] else None,
            "check_kind": CHECK_KIND_NAMES.get(f["check_kind"], f["check_kind"]),
            "table_kind": TABLE_KIND_NAMES.get(f["table_kind"], f["table_kind"]),
            "text": finding_text(f, mine), "unit": printed.unit,
            "culprit": f"{figure_label(culprit)}（{culprit.get('source_ref') or ''}）" if culprit else None,
            "confidence": f.get("confidence"), "source_ref": f.get("source_ref"),
            "page": int(pages[0]) if pages else None,
            "evidence": "；".join(f"evidence/{c.name}" for c in crops) or None,
            "review_verdict": VERDICT_NAMES.get(f.get("review_verdict")),
            "review_status": REVIEW_STATUS_NAMES.get(f.get("review_status")),
            "review_note": f.get("review_note") if f.get("review_status") is not None else None,
        }
        for key in FINDING_NUMBERS:
            value = f.get(key)
            row[key] = None if value is None else Decimal(value) / printed.per_unit
        rows.append(row)
    return columns, rows


def write_findings_sheet(ws, columns: list[tuple[str, str]], rows: list[dict]) -> None:
    widths: dict[int, int] = {}
    for c, (_, header) in enumerate(columns, start=1):
        ws.cell(row=1, column=c, value=header).font = _BOLD
        widths[c] = _display_width(header)
    for r, row in enumerate(rows, start=2):
        for c, (name, _) in enumerate(columns, start=1):
            value = row.get(name)
            if value is None or value == "":
                continue
            if name in FINDING_NUMBERS:
                cell = ws.cell(row=r, column=c, value=_plain_decimal(Decimal(value)))
                cell.number_format = "#,##0.00##"
            elif isinstance(value, str):
                cell = _set_text(ws, r, c, value)
                if name in ("text", "confidence", "culprit"):
                    cell.alignment = _WRAP_TOP
            else:
                cell = ws.cell(row=r, column=c, value=value)
            widths[c] = max(widths[c], _display_width(cell.value))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    _set_widths(ws, {c: min(w, 60) for c, w in widths.items()}, high=60)


def _plain_decimal(value: Decimal) -> Decimal:
    """A Decimal in positional notation (1E+3 → 1000), as Excel reads it."""
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def document_quality(con: duckdb.DuckDBPyConnection, document_id: str) -> list[tuple[str, object]]:
    """The document's row of ``v_document_quality`` as (label, value) pairs."""
    cur = con.execute("select * from v_document_quality where document_id = ?", [document_id])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        return []
    from ..wording import READING_NAMES

    return [(QUALITY_LABELS.get(name, name), READING_NAMES.get(value, value) if name == "reading" else value)
            for name, value in zip(names, row)]


def write_quality_sheet(ws, pairs: list[tuple[str, object]]) -> None:
    ws.cell(row=1, column=1, value="项目").font = _BOLD
    ws.cell(row=1, column=2, value="值").font = _BOLD
    widths = {1: 10, 2: 10}
    for r, (label, value) in enumerate(pairs, start=2):
        ws.cell(row=r, column=1, value=label)
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value)
        if isinstance(value, str):
            cell = _set_text(ws, r, 2, value)
        else:
            cell = ws.cell(row=r, column=2, value=value)
        if label == QUALITY_LABELS["tie_out_share"] and isinstance(value, (int, float, Decimal)):
            cell.number_format = "0.0%"
        widths[1] = max(widths[1], _display_width(label))
        if value is not None:
            widths[2] = max(widths[2], _display_width(cell.value))
    ws.freeze_panes = "A2"
    _set_widths(ws, widths, high=80)


def sheet_names(tables: list[SheetTable], reserved: tuple[str, ...] = (FINDINGS_SHEET, QUALITY_SHEET)) -> list[str]:
    """A sheet name per table from its number and title: Excel-legal, at most 31 characters, unique
    (Excel compares sheet names without case)."""
    taken = {r.casefold() for r in reserved} | {"history"}
    names = []
    for k, table in enumerate(tables, start=1):
        base = _sheet_base(table) or f"表{k}"
        name, n = base[:31], 1
        while name.casefold() in taken:
            n += 1
            suffix = f"({n})"
            name = base[:31 - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _sheet_base(table: SheetTable) -> str:
    """Number and title; a title too long keeps its end (the department comes first, the table's
    name last: "附表4-7 …一般公共预算“三公”经费支出表")."""
    def clean(text: str | None) -> str:
        return _SHEET_ILLEGAL.sub("_", _text(text or "")).strip().strip("'").strip()

    number, title = clean(table.number), clean(table.title)
    base = f"{number} {title}".strip()
    if len(base) <= 31 or not title:
        return base[:31]
    room = 31 - (len(number) + 2 if number else 1)
    return f"{number} …{title[-room:]}" if number else f"…{title[-room:]}"


def build_workbook(con: duckdb.DuckDBPyConnection, document_id: str, evidence_dir: Path | None = None) -> Workbook:
    """The analysts' workbook of one document: one sheet per table in print order, then the findings
    (with the names of the report's evidence crops under ``evidence_dir``) and the reading quality."""
    document_row(con, document_id)
    tables = document_tables(con, document_id)
    wb = Workbook()
    wb.remove(wb.active)
    for table, name in zip(tables, sheet_names(tables)):
        write_table_sheet(wb.create_sheet(name), table)
    columns, findings = document_findings(con, document_id, evidence_dir)
    write_findings_sheet(wb.create_sheet(FINDINGS_SHEET), columns, findings)
    write_quality_sheet(wb.create_sheet(QUALITY_SHEET), document_quality(con, document_id))
    return wb


def workbook_name(document: dict) -> str:
    """department_year_kind_scope_documentid.xlsx, safe on every filesystem."""
    parts = [str(document.get(k) or "") for k in ("department", "year", "kind", "scope")]
    department = parts[0][:60]
    stem = "_".join(p for p in [department, *parts[1:], document["document_id"]] if p)
    stem = _FILE_ILLEGAL.sub("_", unicodedata.normalize("NFC", stem)).strip(" .")
    return f"{stem or document['document_id']}.xlsx"


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Saved beside its place and renamed over it: a reader never sees half a workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".xlsx.tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_document(con: duckdb.DuckDBPyConnection, document_id: str, out: Path,
                   evidence_dir: Path | None = None) -> Path:
    """Write one document's workbook to ``out`` (a file path, or a folder that exists)."""
    document = document_row(con, document_id)
    path = out / workbook_name(document) if out.is_dir() else out
    return save_workbook(build_workbook(con, document_id, evidence_dir), path)


def write_all(con: duckdb.DuckDBPyConnection, folder: Path, evidence_dir: Path | None = None) -> list[Path]:
    """One workbook per document of the warehouse into ``folder``, named after the document."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} 是一个文件；--all 把每个文档的工作簿写进一个文件夹")
    folder.mkdir(parents=True, exist_ok=True)
    return [write_document(con, document_id, folder, evidence_dir) for document_id in document_ids(con)]
