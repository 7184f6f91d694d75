"""Reader for plain-text extracts of budget PDFs (the seed's format).

What the extract looks like: a table's grid is gone; a row is its code, its name (wrapped over
lines) and its figures, with empty cells vanished; hierarchy shows as ideographic-space
indentation; headers are heaps of words. Tables are found by their titles
(``catalogue.table_kind_of``), their columns come from ``text_layouts``, and rows with missing
figures are placed by ``alignment.place_figures``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .alignment import place_figures
from .catalogue import compact, table_kind_of, unit_of
from .model import ExtractionIssue, RawDocument, RawTable, ReadingProblem, SourceRef, TextLine, quoted, table_place
from .numbers import is_amount, parse_amount
from .text_layouts import LAYOUTS, TWO_SIDED_COLUMNS, TWO_SIDED_KINDS, Layout

_NUMBER_LINE = re.compile(r"^\s*(附表\s*\d+\s*[-－]\s*\d+|预算\s*\d+\s*表|公开\s*\d+\s*表)\s*$")
_LIST_ENTRY = re.compile(r"^\s*表\s*\d+")  # 第二部分's list of tables: 表 1.…收支总表
_CODE = re.compile(r"^(?:\d{2,9}|\d{6,}[A-Z]\d{6,})$")
_TOTAL_LABELS = ("合计", "总计")
_ENUMERATOR = re.compile(r"^[（(]?[一二三四五六七八九十廿]+[)）、]")
_EXPENDITURE_SIDE = re.compile(r"支出|年终结转|年末结转|结转下年")
_NOTE = re.compile(r"^(注|备注)\s*[:：]")
_SPACES = " \t\u3000\u00a0"


class TextReadError(ReadingProblem):
    """A text extract that cannot be read at all (wrong encoding, not text)."""


# ---------------------------------------------------------------- reading problems (读取问题), as the analyst reads them

def _not_decodable(name: str, at: int) -> str:
    """``at``: the offset of the first byte neither encoding reads (0 is the first byte)."""
    return f"{name}：从第{at + 1}个字节起既不是UTF-8也不是GB18030编码，无法读取：请把文本另存为UTF-8"


def _no_layout(title: str, ref: SourceRef) -> str:
    return f"{table_place(title, ref)}：还不会从.txt文本读取这种表格，表中各行未读取"


def _header_lacks(table: RawTable, missing: list[str]) -> str:
    return f"{table_place(table.title, table.ref)}：表头里没有{quoted(missing)}，各栏按标准表样排列"


def _lines_of(lines: list[int]) -> str:
    return "文本第" + "、".join(map(str, lines)) + "行"


def _rows_not_adding_up(table: RawTable, rows: list[tuple[int, str]]) -> str:
    listed = "；".join(f"{_lines_of([line])}（{note}）" for line, note in rows)
    return (f"{table_place(table.title, table.ref)}：{len(rows)}行印出的数字少于栏数，怎样排列都加不平：{listed}；"
            "行内加总检查会报告差额，请对照原文")


def _rows_assumed(table: RawTable, rows: list[tuple[int, str]]) -> str:
    return (f"{table_place(table.title, table.ref)}：{len(rows)}行印出的数字少于栏数，{rows[0][1]}"
            f"（{_lines_of([line for line, _ in rows])}），请对照原文")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a text extract and the encoding it was in (UTF-8 with/without BOM, GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise TextReadError(_not_decodable(name, exc.start)) from exc


@dataclass
class _Line:
    no: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip(_SPACES)

    @property
    def tokens(self) -> list[str]:
        return self.stripped.replace("\u3000", " ").split()


def read_text_extract(path: Path) -> RawDocument:
    """Read a text extract into tables and running text."""
    text, _ = decode_text(path.read_bytes(), path.name)
    return read_text(text, path.name)


def read_text(text: str, file_name: str) -> RawDocument:
    lines = [_Line(i, t) for i, t in enumerate(text.splitlines(), start=1)]
    doc = RawDocument(source_files=[file_name])
    doc.text_lines = [TextLine(l.text, SourceRef(file_name, line=l.no)) for l in lines]
    starts = _table_starts(lines)
    for n, (title_at, kind) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        block = lines[_number_line_before(lines, title_at):_number_line_before(lines, end)]
        table, issues = _read_table(kind, block, lines[title_at], file_name)
        doc.tables.append(table)
        doc.issues.extend(issues)
    _split_project_units(doc)
    return doc


def _split_project_units(doc: RawDocument) -> None:
    """Project rows print 项目名称 and 项目单位 wrapped together; 收入总表 names the units."""
    units = [row[1] for t in doc.tables if t.table_kind == "income_summary" for row in t.rows
             if row[0] and row[1] and row[0] not in _TOTAL_LABELS]
    for table in doc.tables:
        if table.table_kind != "project_expenditure":
            continue
        name_col, unit_col = table.columns.index("项目名称"), table.columns.index("项目单位")
        for row in table.rows:
            if row[name_col] and row[unit_col] is None:
                row[name_col], row[unit_col] = split_known_suffix(row[name_col], units)


def _number_line_before(lines: list[_Line], at: int) -> int:
    """Where a table begins: its number line (附表4-5) when one stands just above the title."""
    for back in range(1, 4):
        if at - back < 0 or (lines[at - back].stripped and not _NUMBER_LINE.match(lines[at - back].text)):
            break
        if _NUMBER_LINE.match(lines[at - back].text):
            return at - back
    return at


def _table_starts(lines: list[_Line]) -> list[tuple[int, str]]:
    """Indexes of table title lines, with their table_kind."""
    starts = []
    for i, line in enumerate(lines):
        s = line.stripped
        if not s or len(s) > 60 or _LIST_ENTRY.match(s):
            continue
        kind = table_kind_of(s)
        if kind is None:
            continue
        # A real table has its 单位 line within the next few lines.
        if any(unit_of(l.text) for l in lines[i + 1 : i + 8]):
            starts.append((i, kind))
    return starts


def _read_table(kind: str, block: list[_Line], title: _Line, file_name: str):
    ref = SourceRef(file_name, line=title.no)
    number = next((compact(l.text) for l in block if _NUMBER_LINE.match(l.text)), None)
    unit_at = next((i for i, l in enumerate(block) if unit_of(l.text)), None)
    unit = unit_of(block[unit_at].text) if unit_at is not None else "元"
    body = [l for l in block[(unit_at or 0) + 1 :] if not _NUMBER_LINE.match(l.text)]
    table = RawTable(table_kind=kind, title=compact(title.text), unit=unit, columns=[], rows=[],
                     row_refs=[], ref=ref, number=number)
    issues: list[ExtractionIssue] = []
    notes = [l for l in body if _NOTE.match(l.stripped)]
    table.notes = [l.stripped for l in notes]
    body = [l for l in body if l not in notes]
    if kind in TWO_SIDED_KINDS:
        _read_two_sided(table, body, file_name)
    elif kind in LAYOUTS:
        _read_coded(table, LAYOUTS[kind], body, file_name, issues)
    else:
        issues.append(ExtractionIssue("warning", "read", _no_layout(table.title, ref), ref))
    return table, issues


# ---------------------------------------------------------------- two-sided summaries

def _merge_tokens(tokens: list[str]) -> list[tuple[str, Decimal | None]]:
    """Group a two-sided row's tokens into (label, figure) pairs."""
    pairs: list[list] = []
    for tok in tokens:
        if is_amount(tok):
            if pairs and pairs[-1][1] is None:
                pairs[-1][1] = parse_amount(tok)
            else:
                pairs.append(["", parse_amount(tok)])
        elif pairs and pairs[-1][1] is None and not _ENUMERATOR.match(tok) and (
            len(tok) == 1 or len(pairs[-1][0]) == 1 or not _starts_label(tok)
        ):
            pairs[-1][0] += tok  # "收 入 总 计" and other spaced-out words
        else:
            pairs.append([tok, None])
    return [(label, fig) for label, fig in pairs]


def _starts_label(tok: str) -> bool:
    return bool(_ENUMERATOR.match(tok)) or tok.startswith(("本年", "上年", "年终", "年末", "收入", "支出"))


def _read_two_sided(table: RawTable, body: list[_Line], file_name: str) -> None:
    table.columns = list(TWO_SIDED_COLUMNS)
    header_end = next((i for i, l in enumerate(body) if "预算数" in l.text or "决算数" in l.text), None)
    if header_end is not None:
        table.header_rows = [l.tokens for l in body[: header_end + 1] if l.stripped]
        body = body[header_end + 1 :]
    for line in body:
        if not line.stripped:
            continue
        pairs = _merge_tokens(line.tokens)
        left: tuple[str, Decimal | None] | None = None
        right: tuple[str, Decimal | None] | None = None
        if len(pairs) >= 2:
            left, right = pairs[0], pairs[1]
        elif pairs:
            (left, right) = (None, pairs[0]) if _EXPENDITURE_SIDE.search(pairs[0][0]) else (pairs[0], None)
        row = [
            left[0] if left else None, _fmt(left[1]) if left else None,
            right[0] if right else None, _fmt(right[1]) if right else None,
        ]
        table.rows.append(row)
        table.row_refs.append(SourceRef(file_name, line=line.no))


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------- coded tables

def _row_start(line: _Line) -> bool:
    toks = line.tokens
    if not toks:
        return False
    first = toks[0]
    if first in _TOTAL_LABELS or first.startswith(_TOTAL_LABELS) and not is_amount(first):
        return True
    if _CODE.match(first):
        return len(toks) == 1 or not is_amount(toks[1])
    return False


def _split_rows(body: list[_Line]) -> tuple[list[_Line], list[list[_Line]]]:
    header: list[_Line] = []
    rows: list[list[_Line]] = []
    for line in body:
        if _row_start(line):
            rows.append([line])
        elif rows:
            rows[-1].append(line)
        else:
            header.append(line)
    return header, rows


def _read_coded(table: RawTable, layout: Layout, body: list[_Line], file_name: str,
                issues: list[ExtractionIssue]) -> None:
    table.columns = layout.columns
    if layout.kind == "three_public":
        header = [l for l in body if l.stripped and not all(is_amount(t) for t in l.tokens)]
        rows = [[l] for l in body if l.tokens and all(is_amount(t) for t in l.tokens)]
    else:
        header, rows = _split_rows(body)
        # A header line that starts with 合计 (合计 基本支出 项目支出) is no row: it has no figures.
        while rows and not any(is_amount(t) for l in rows[0] for t in l.tokens[1:]) and rows[0][0].tokens[0] in _TOTAL_LABELS:
            header.extend(rows.pop(0))
    table.header_rows = [l.tokens for l in header if l.stripped]
    header_text = compact("".join(l.text for l in header))
    missing = [w for w in layout.header_words if w not in header_text]
    if missing:
        issues.append(ExtractionIssue("warning", "read", _header_lacks(table, missing), table.ref))
    unresolved, assumed = [], []
    for row_lines in rows:
        labels, figures, trailing = _row_parts(row_lines)
        label_cells = _label_cells(layout.labels, labels)
        trailing_cells = _label_cells(layout.trailing, trailing)
        placement = place_figures(figures, list(layout.amounts), layout.sums, layout.optional)
        ref = SourceRef(file_name, line=row_lines[0].no)
        if placement.certainty == "unresolved":
            unresolved.append((ref.line, placement.note))
        elif placement.certainty == "assumed":
            assumed.append((ref.line, placement.note))
        elif placement.certainty == "arithmetic":
            table.notes.append(f"{ref.place}：{placement.note}")
        table.rows.append([*label_cells, *(_fmt(c) for c in placement.cells), *trailing_cells])
        table.row_refs.append(ref)
    if unresolved:
        issues.append(ExtractionIssue("warning", "read", _rows_not_adding_up(table, unresolved), table.ref))
    if assumed:
        issues.append(ExtractionIssue("warning", "read", _rows_assumed(table, assumed), table.ref))


def _row_parts(row_lines: list[_Line]) -> tuple[list[str], list[Decimal], list[str]]:
    """Split a row into label chunks, its figures, and the text chunks after the figures.

    Within a row, spaces and blank lines separate cells and a line break inside a chunk is a
    wrapped cell, so consecutive non-blank text lines are joined without a separator.
    """
    chunks: list[str] = []
    figures: list[Decimal] = []
    trailing: list[str] = []
    joining = False
    for line in row_lines:
        if not line.stripped:
            joining = False
            continue
        target = trailing if figures else chunks
        for k, tok in enumerate(line.tokens):
            if is_amount(tok) and not (not figures and not chunks and _CODE.match(tok)):
                figures.append(parse_amount(tok))
                joining = False
                continue
            target = trailing if figures else chunks
            indented = line.text.startswith("\u3000")
            if (k == 0 and joining and target and not indented and not _CODE.match(tok)
                    and not _CODE.match(target[-1]) and not tok.startswith("[")):
                target[-1] += tok
            else:
                target.append(tok)
        joining = True
    return chunks, figures, trailing


def _label_cells(columns: tuple[str, ...], chunks: list[str]) -> list[str | None]:
    """Distribute a row's text chunks over label columns: one chunk each, surplus to the last."""
    n = len(columns)
    if n == 0:
        return []
    if chunks and chunks[0] in _TOTAL_LABELS:
        return [chunks[0], *([None] * (n - 1))]
    cells: list[str | None] = list(chunks[: n - 1]) + [join_wrapped(chunks[n - 1 :]) or None]
    return cells + [None] * (n - len(cells))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch in "（）“”、，"


def join_wrapped(parts: list[str]) -> str:
    """Join the pieces of a wrapped cell: no space between CJK characters, one elsewhere."""
    out = ""
    for part in parts:
        if out and not (_is_cjk(out[-1]) and _is_cjk(part[0])):
            out += " "
        out += part
    return out


def split_known_suffix(text: str, known: list[str]) -> tuple[str, str | None]:
    """Split "基层党建2022武汉市…局本级" into name and a known unit name it ends with."""
    for name in sorted(known, key=len, reverse=True):
        if text.endswith(name) and len(text) > len(name):
            return text[: -len(name)], name
    return text, None
