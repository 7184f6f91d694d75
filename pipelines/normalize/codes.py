"""The code and name that label each row of a table, however the template prints them.

Subject and economic-class codes are recognized by their structure, not by a column's position:
a code column (科目编码 2080501), a code split over 类 | 款 | 项 columns ("208 | 05 | 01", or "05"
printed alone under the row of its 类), a code and name joined in one cell ("2050803-培训支出",
"[2010501]行政运行", "2010501 行政运行"), or no code at all (the name alone). A code is only ever
read off the row's own cells, so a row's printed name always stays its own.
"""
from __future__ import annotations

import re

from ..read.catalogue import compact
from ..read.model import RawTable
from ..read.numbers import is_amount

_JOINED = re.compile(r"^[\[【［(（]?\s*(\d{3}(?:\d{2}){0,3})\s*[\]】］)）]?\s*[-－—–:：.、]?\s*([\u3400-\u9fffA-Za-z“（(].*)$")
_CODE = re.compile(r"^[0-9A-Za-z]+$")
_TOTAL = re.compile(r"^(合计|总计)$")
_SPLIT_LEVELS = ("类", "款", "项")


_CJK = r"\u3400-\u9fff"
_OPEN = re.compile(rf"(?<=[{_CJK}])\s*\(\s*|\s*\(\s*(?=[{_CJK}])")
_CLOSE = re.compile(rf"\s*\)\s*(?=[{_CJK}])|(?<=[{_CJK}])\s*\)")


def clean_name(text: str | None) -> str | None:
    """A name as one compact string, with the full-width brackets Chinese names are printed with
    (a font's ASCII "(" beside CJK text, "维修 (护)费", becomes 维修（护）费)."""
    if text is None:
        return None
    name = _CLOSE.sub("）", _OPEN.sub("（", text))
    return compact(name) or None


def leaf(column: str) -> str:
    return column.rsplit("/", 1)[-1]


def split_code_name(text: str | None) -> tuple[str | None, str | None]:
    """"[2010501]行政运行" / "2050803-培训支出" / "2010501 行政运行" → (code, name); anything else → (None, text)."""
    if text is None:
        return None, None
    cell = text.strip()
    m = _JOINED.match(cell)
    if m and m.group(2).strip():
        return m.group(1), m.group(2).strip()
    return None, cell or None


def code_columns(table: RawTable) -> list[int]:
    """Columns that hold a code: 科目编码, 功能分类科目编码, 单位代码 …"""
    return [i for i, c in enumerate(table.columns) if "编码" in leaf(c) or "代码" in leaf(c)]


def split_columns(table: RawTable) -> list[int]:
    """Columns of a code split over 类 | 款 | 项, in that order."""
    return [i for i, c in enumerate(table.columns) if leaf(c) in _SPLIT_LEVELS]


def name_columns(table: RawTable) -> list[int]:
    cols = table.columns
    named = [i for i, c in enumerate(cols) if "名称" in leaf(c)]
    if not named:
        named = [i for i, c in enumerate(cols) if "名称" in c]
    if named and not code_columns(table) and not split_columns(table):
        # 项目名称 | 列2 | 金额: a nameless column right after the name column names a sub-row
        extra = [i for i, c in enumerate(cols) if re.fullmatch(r"列\d+", leaf(c))]
        named = sorted(set(named) | set(extra))
    return named


def joined_columns(table: RawTable) -> list[int]:
    """Label columns whose cells print a code and a name together (北京: "30101-基本工资" under
    部门支出经济分类科目; 广州: "[2010101]行政运行" under 功能科目名称)."""
    out = []
    for i in range(len(table.columns)):
        cells = [row[i] for row in table.rows if row[i] and compact(row[i]) and not is_amount(row[i])]
        if cells and sum(1 for c in cells if split_code_name(c)[0]) * 2 > len(cells):
            out.append(i)
    return out


def has_codes(table: RawTable) -> bool:
    return bool(code_columns(table) or split_columns(table) or joined_columns(table))


def _split_part(text: str | None, position: int) -> str:
    """One part of a code split over 类 | 款 | 项: 款 and 项 are two digits each. A spreadsheet that
    stored the 款 as a number prints 30102 as "301 | 2" (万里街道 2024), so a lone digit is the part
    without its leading zero."""
    part = compact(text or "")
    if position > 0 and re.fullmatch(r"\d", part):
        return "0" + part
    return part


def row_labels(table: RawTable, prefer: str | None = None) -> list[tuple[str | None, str | None, dict[str, str]]]:
    """(code, name, other codes) of every row. ``prefer`` picks among several joined code columns the
    one whose header holds that word (部门: 部门支出经济分类科目 over 政府支出经济分类科目); the other
    columns' codes are returned by header, so they are kept too."""
    split = split_columns(table)
    codes = code_columns(table)
    joined = [i for i in joined_columns(table) if i not in split and i not in codes]
    names = [i for i in name_columns(table) if i not in joined]
    if prefer and len(joined) > 1:
        joined.sort(key=lambda i: prefer not in table.columns[i])
    parents: list[str] = ["", "", ""]
    out = []
    for row in table.rows:
        code: str | None = None
        name_parts = [compact(row[i]) for i in names if row[i] and compact(row[i])]
        name = "/".join(name_parts) if len(names) > 1 else (compact(row[names[0]]) or None if names and row[names[0]] else None)
        others: dict[str, str] = {}
        if split:
            parts = [_split_part(row[i], n) for n, i in enumerate(split)]
            if any(parts) and all(not p or p.isdigit() for p in parts):
                deepest = max(n for n, p in enumerate(parts) if p)
                # a 款 printed alone ("05") belongs to the 类 of the rows above it, a 项 to their 款
                for n in range(deepest):
                    if not parts[n]:
                        parts[n] = parents[n]
                if all(parts[: deepest + 1]):
                    code = "".join(parts[: deepest + 1])
                    parents[: deepest + 1] = parts[: deepest + 1]
                    parents[deepest + 1:] = [""] * (len(parents) - deepest - 1)
            elif any(parts):
                text = "".join(p for p in parts if p)
                name = text if not name else f"{text}/{name}"
        elif codes:
            cell = compact(row[codes[0]] or "")
            if cell and _CODE.match(cell):
                code = cell
            elif cell:
                # a label printed across the code column: 合计, 人员经费合计, 其中：…, [2010101]行政运行
                c, n = split_code_name(cell)
                if c:
                    code, name = c, name or n
                else:
                    name = cell if not name else f"{cell}/{name}"
        for k, i in enumerate(joined):
            c, n = split_code_name(row[i])
            if k == 0 and code is None:
                if c:
                    code, name = c, n
                elif n and not name:
                    name = n
            elif c:
                others[table.columns[i]] = c
        if code is None and name:
            c, n = split_code_name(name)
            if c:
                code, name = c, n
        name = clean_name(name)
        if code and _TOTAL.match(code):
            code, name = None, code
        out.append((code, name, others))
    return out
