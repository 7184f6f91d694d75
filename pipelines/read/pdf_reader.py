"""Read a budget disclosure PDF into a RawDocument: its standard tables and its running text.

Pure (no Dagster). One pass over the pages. A page that cannot hold a table (no ruling, no table
title, unit line, table number or row of figures; see ``text_layer``) gives its text lines from
pdfium, without pdfminer's layout analysis. Every other page is parsed once by pdfplumber (its
objects built by ``quick_page``, the same as pdfplumber's; fake-bold duplicates removed, invisible
white "padding" rectangles dropped so they do not pose as rules), its ruled tables found with
pdfplumber's ``lines`` strategy (``text`` strategy as a fallback when a title is printed but no
ruling follows), and its remaining text kept as reading-order lines.

Tables are recognized by their printed titles (``catalogue.table_kind_of``), never by position.
A ruled table without a title directly below an open table continues it (page breaks, with or
without a repeated header). Header cells are turned into column paths from their geometry: a
header cell belongs to every column it covers, so merged cells become groups ("基本支出/小计").

Failures that would produce garbage figures raise ``PdfReadError`` naming the file and page:
no text layer (scanned), ``(cid:NN)`` text (fonts without a ToUnicode map), encrypted or
corrupt files.
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.utils.text import chars_to_textmap, extract_text

from pipelines.read.catalogue import (
    ECONOMIC_TABLES, SUBJECT_TABLES, TABLE_NAMES_ZH, UNIT_LINE, compact, kind_by_structure, table_kind_of, unit_of,
)
from pipelines.read.model import ExtractionIssue, RawDocument, RawTable, ReadingProblem, SourceRef, TextLine, table_place
from pipelines.read.numbers import is_amount
from pipelines.read.quick_page import quick_page
from pipelines.read.text_layer import open_document, scan_page


class PdfReadError(ReadingProblem):
    """A PDF that cannot be read faithfully (scanned, garbled, encrypted, corrupt)."""


# ----------------------------------------------------------------------------------------------
# Reading problems (读取问题), as the analyst reads them: the file (and page), the table as printed, what to do.


def _detail(exc: BaseException) -> str:
    """The library's own words for a failure, kept for whoever mends the reader."""
    return f"（错误信息：{type(exc).__name__}: {exc or repr(exc.__cause__)}）"


def _encrypted(name: str) -> str:
    return f"{name}：PDF已加密（要密码才能打开），无法读取：请下载未加密的版本"


def _corrupt(name: str, exc: BaseException) -> str:
    return f"{name}：无法打开PDF，文件已损坏或不完整{_detail(exc)}：请重新下载"


def _no_page_tree(name: str, exc: BaseException) -> str:
    return f"{name}：读不出PDF的页面结构，文件可能已损坏{_detail(exc)}：请重新下载"


def _no_pages(name: str) -> str:
    return f"{name}：PDF里没有任何页面：请重新下载"


def _too_many_pages(name: str, pages: int, cap: int) -> str:
    return f"{name}：共{pages}页，超过每个文件{cap}页的上限；如果文件确实这么长，请调高 BUDGET_MAX_PAGES"


def _page_unparsable(name: str, page: int, exc: BaseException) -> str:
    return f"{name}第{page}页：无法解析这一页{_detail(exc)}"


def _no_text_layer(name: str, image_pages: list[int]) -> str:
    if not image_pages:
        where = "全文找不到文字"
    elif len(image_pages) == 1:
        where = f"第{image_pages[0]}页是图片"
    else:
        where = f"第{image_pages[0]}–{image_pages[-1]}页都是图片"
    return f"{name}第1页没有文字层（扫描件或图片PDF，{where}）：暂不能识别，需要OCR"


def _glyph_codes(name: str, page: int, cid: int, chars: int) -> str:
    return (f"{name}第{page}页：文字是字形编码（{chars}个字符中有{cid}个是(cid:NN)），字体没有附带字符对照表，"
            "读不出数字：请找能复制出文字的PDF版本")


def _image_page(page: int) -> str:
    return f"第{page}页是图片，没有文字层（扫描页？），未读取：需要OCR"


def _read_by_header(title: str, ref: SourceRef, note: str) -> str:
    return f"{table_place(title, ref)}：{note}，请核对"


def _no_unit_line(title: str, ref: SourceRef) -> str:
    return f"{table_place(title, ref)}：未见单位行，按元读取"


def _figure_unreadable(title: str, page: int, column: str, text: str) -> str:
    return (f"{title}（第{page}页）“{column}”栏：读不出数字“{text}”（文字层把它拆开或弄乱了，从版面位置也看不出"
            "该怎么读），已从表中略去：请对照原文")


# Tolerances go into table_settings too: pdfplumber ignores page-level ones there.
TEXT_X_TOLERANCE = 2
TEXT_Y_TOLERANCE = 3
LINE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "text_x_tolerance": TEXT_X_TOLERANCE,
    "text_y_tolerance": TEXT_Y_TOLERANCE,
}

CID_SHARE_LIMIT = 0.3  # a page whose chars are mostly (cid:NN) is unreadable
MIN_DOC_CHARS = 20  # fewer chars than this in the whole file: no text layer

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WS = re.compile(r"\s+")
# a unit printed in a header cell: "金额（万元）", "预算数(元)"
_HEADER_UNIT = re.compile(r"[（(]\s*(万\s*元|元)\s*[)）]")
_NUMBER = re.compile(
    r"公开\s*\d+\s*表|公开\s*表\s*[一二三四五六七八九十]+|预算\s*\d+\s*表"
    r"|附\s*表\s*\d+(?:\s*[-－—]\s*\d+)?|(?<![\u4e00-\u9fff])表\s*\d+(?:\s*[-－—]\s*\d+)?"
)
_DEPT = re.compile(r"^(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]|^预算(?:主管)?(?:部门|单位)\s*[:：]")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\s*[.．、]\s*(?!\d)|[（(][一二三四五六七八九十\d]+[)）])")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$|^\d{2}$")
_PAGE_NO = re.compile(r"^[-─—–\s]*\d(?:\s?\d){0,2}[-─—–\s]*$|^第\s*\d+\s*页")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[:：]|^(?:此表|本表)|无.{0,20}(?:预算|收入|支出|数据)|故本表")
_TOTAL = re.compile(r"^(?:合计|总计)$")
_SUMMARY_LABEL = re.compile(r"合计|总计|小计")
_FIGURE_CHARS = re.compile(r"^[\d,，.\s()（）\-−－]+$")
_JOINED_CODE = re.compile(r"^[\[【［(（]?\d{3}(?:\d{2}){1,3}[\]】］)）]?\s*[-－—–:：.、]?\s*[\u3400-\u9fff]")
_QUOTES_ONLY = re.compile(r"^[\s“”‘’\"'「」『』]+$")


def clean_text(text: str | None) -> str | None:
    """Cell text as one line: wrapped lines joined (no space between CJK), spaces collapsed."""
    if text is None:
        return None
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    out = _WS.sub(" ", out).strip()
    return _CJK_GAP.sub("", out)


# ----------------------------------------------------------------------------------------------
# Per-page reading


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass
class _Cell:
    text: str | None  # None: no cell starts here (merged)
    bbox: Box | None
    printed: tuple[float, float, float] | None = None  # x0, x1 and char size of its printed text


@dataclass
class _Segment:
    """One ruled table as found on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    rows: list[list[_Cell]]
    xs: list[float]  # grid column boundaries, len(cols)+1
    taken: frozenset[int] = frozenset()  # ids of chars outside its box its cells hold (a name run on below it)


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.99
    values = tuple(color)
    if len(values) in (1, 3):
        return all(isinstance(v, (int, float)) and v >= 0.99 for v in values)
    if len(values) == 4:  # CMYK
        return all(isinstance(v, (int, float)) and v <= 0.01 for v in values)
    return False


def _visible(obj: dict) -> bool:
    """Drop white, unstroked filled rectangles: cell padding and page backgrounds, not rules."""
    if obj.get("object_type") == "rect" and obj.get("width", 0) >= 2 and obj.get("height", 0) >= 2:
        stroked = obj.get("stroke") and not _is_white(obj.get("stroking_color"))
        if obj.get("fill") and _is_white(obj.get("non_stroking_color")) and not stroked:
            return False
    return True


def _cell_texts(rows: list[Any], chars: list[dict]
                ) -> tuple[list[list[tuple[str | None, tuple[float, float, float] | None]]], set[int]]:
    """What pdfplumber's ``Table.extract`` gives (the text of each cell's chars, those whose centre
    lies in it, in page order), with where each text is printed (``_extent``); a row's chars and then a cell's
    are found by bisection on their centres instead of a scan of every char of the page for every row and
    cell. A wrapped line run on over its cell's bottom rule goes back to its cell (``_lift_overflow``); the
    ids of the chars so taken from below the table's last rule come with the texts."""
    mids = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    keys = [m for m, _ in mids]
    picked_cells: list[list[list[dict] | None]] = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        picked = sorted(i for _, i in mids[bisect_left(keys, top):bisect_left(keys, bottom)])
        row_chars = [chars[i] for i in picked if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 < x1]
        across = sorted(((c["x0"] + c["x1"]) / 2, k) for k, c in enumerate(row_chars))
        xkeys = [x for x, _ in across]
        cells: list[list[dict] | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            ks = sorted(k for _, k in across[bisect_left(xkeys, cell[0]):bisect_left(xkeys, cell[2])])
            cells.append([row_chars[k] for k in ks
                          if cell[1] <= (row_chars[k]["top"] + row_chars[k]["bottom"]) / 2 < cell[3]])
        picked_cells.append(cells)
    bottom = rows[-1].bbox[3] if rows else 0.0
    below = [chars[i] for _, i in mids[bisect_left(keys, bottom):bisect_left(keys, bottom + 30)]
             if chars[i]["top"] < bottom - 0.5]
    taken = _lift_overflow(rows, picked_cells, below)
    texts = [[(None, None) if inside is None else (_text_of(inside), _extent(inside)) if inside else ("", None)
              for inside in cells] for cells in picked_cells]
    return texts, taken


def _text_of(chars: list[dict]) -> str:
    """A cell's text; a figure the text layer printed in pieces is joined where its geometry says so."""
    text = extract_text(chars, x_tolerance=TEXT_X_TOLERANCE, y_tolerance=TEXT_Y_TOLERANCE)
    pieces = text.split()
    if len(pieces) < 2 or not _FIGURE_CHARS.match(text) or not is_amount("".join(pieces)):
        return text
    printed = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
    one_line = max(c["top"] for c in printed) - min(c["top"] for c in printed) < 0.5 * printed[0]["size"]
    gaps = [b["x0"] - a["x1"] for a, b in zip(printed, printed[1:])]
    # letter-spaced digits ("2 5 1 8 . 3 3": every char apart, evenly) or a piece that is no figure by
    # itself ("25180591 .33": decimals or a separator set apart): one figure; pieces that are figures each
    # ("123 456") may be two, and stay as printed (not a figure: a reading gap, never a guess)
    spaced = all(len(p) == 1 for p in pieces) and max(gaps) - min(gaps) < 0.25 * printed[0]["size"]
    if one_line and (spaced or not all(is_amount(p) for p in pieces)):
        return "".join(pieces)
    return text


def _extent(chars: list[dict]) -> tuple[float, float, float] | None:
    """Where a cell's text is printed: the x0 of its leftmost printed char (typed spaces are none), the x1 of
    its rightmost, and the size of the first."""
    printed = [c for c in chars if c["text"].strip()]
    if not printed:
        return None
    first = min(printed, key=lambda c: c["x0"])
    return first["x0"], max(c["x1"] for c in printed), first.get("size") or first["bottom"] - first["top"]


def _lift_overflow(rows: list[Any], picked: list[list[list[dict] | None]], below: list[dict]) -> set[int]:
    """Give a wrapped line printed across the rule below its cell back to that cell, in place; return the ids
    of the chars of ``below`` (those across the table's last rule, centred under it) so given.

    A spreadsheet that wraps a long name without heightening the row prints its last line over the
    cell's bottom rule ("30108-机关事业单位基本养老保险" / "缴费"): the line's centre falls in the cell
    below, which would begin with it ("缴费30109-职业年金缴费"), or, under the last row, outside the table,
    where it would end the table as a line of text. A line that crosses a cell's bottom rule and runs on
    from the text of that cell (no gap of half a line between them) is that cell's.
    """
    taken: set[int] = set()
    for r in range(1, len(rows) + 1):
        under = [(j, picked[r][j]) for j in range(len(rows[r].cells))] if r < len(rows) else [(None, below)]
        rule = rows[r - 1].bbox[3]
        for j, inside in under:
            over = [c for c in inside or [] if c["top"] < rule - 0.5 and c["bottom"] > rule]
            if not over:
                continue
            for k, above in enumerate(rows[r - 1].cells):
                host = picked[r - 1][k]
                mine = [c for c in over if above is not None and above[0] <= (c["x0"] + c["x1"]) / 2 < above[2]]
                if not mine or not host:
                    continue
                size = mine[0]["bottom"] - mine[0]["top"]
                if max(c["bottom"] for c in host) < min(c["top"] for c in mine) - 0.5 * size:
                    continue
                moved = {id(c) for c in mine}
                picked[r - 1][k] = host + mine
                if j is None:
                    taken |= moved
                else:
                    picked[r][j] = [c for c in picked[r][j] if id(c) not in moved]
    return taken


def _segment_of(table: Any, page_no: int) -> _Segment | None:
    table_rows = table.rows
    texts, taken = _cell_texts(table_rows, table.page.chars)
    if not texts or len(texts[0]) < 2:
        return None
    xs0 = sorted({round(c[0], 1) for c in table.cells})
    xs = xs0 + [round(table.bbox[2], 1)]
    rows: list[list[_Cell]] = []
    for row, row_texts in zip(table_rows, texts):
        rows.append([_Cell(t, b, extent) for (t, extent), b in zip(row_texts, row.cells)])
    if len(xs) != len(rows[0]) + 1:
        return None
    bbox = tuple(table.bbox)
    # A table starts at its first row with text: empty ruled bands above it (a spreadsheet's grid drawn
    # around its title) are no part of it, and what is printed there outside any cell (the title,
    # "预算02表 收入总表") is read as the lines above the table, not lost inside its box.
    first = next((i for i, r in enumerate(rows) if any(clean_text(c.text) for c in r)), 0)
    if first:
        rows = rows[first:]
        bbox = (bbox[0], table_rows[first].bbox[1], bbox[2], bbox[3])
    return _Segment(page_no, bbox, rows, xs, frozenset(taken))


def _text_lines(chars: list[dict], boxes: list[tuple]) -> list[_Line]:
    """The lines of the chars outside the table boxes, as pdfplumber's ``extract_text_lines`` gives
    them (chars clustered by top, words split at gaps over the x tolerance, in content order)."""
    def outside(obj: dict) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    if boxes:
        chars = [c for c in chars if outside(c)]
    if not chars:
        return []
    raw = chars_to_textmap(chars, x_tolerance=TEXT_X_TOLERANCE, y_tolerance=TEXT_Y_TOLERANCE
                           ).extract_text_lines(strip=True, return_chars=True)
    lines: list[_Line] = []
    for item in raw:
        text = item["text"].strip()
        if not text:
            continue
        if _QUOTES_ONLY.match(text) and lines:
            # Quotes set on their own baseline ("三公" titles): put them back into the line
            # they overlap vertically, at their x positions.
            host = min(lines[-2:], key=lambda ln: abs(ln.top - item["top"]))
            if host.bottom > item["top"] - 2:
                host.text = _insert_quotes(host, item)
                continue
        lines.append(_Line(text, item["top"], item["bottom"], item["x0"]))
    return lines


def _insert_quotes(host: _Line, item: dict) -> str:
    # Without host char positions, a pair of quotes is placed around the text they bracket
    # when it is a known phrase; otherwise they are appended.
    text = host.text
    quotes = [c["text"] for c in item.get("chars", []) if c["text"].strip()]
    if quotes == ["“", "”"] and "三公" in text and "“三公”" not in text:
        return text.replace("三公", "“三公”", 1)
    return text + "".join(quotes)


# ----------------------------------------------------------------------------------------------
# Tables printed without rules


@dataclass
class _Frag:
    """A run of text printed as one piece (no gap wider than the x tolerance; typed spaces kept)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def h(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class _Block:
    """One printed cell: fragments stacked in one column (a wrapped label or name)."""

    frags: list[_Frag]
    span: tuple[int, int] | None = None  # header blocks: first and last column covered

    @property
    def x0(self) -> float:
        return min(f.x0 for f in self.frags)

    @property
    def x1(self) -> float:
        return max(f.x1 for f in self.frags)

    @property
    def top(self) -> float:
        return self.frags[0].top

    @property
    def bottom(self) -> float:
        return self.frags[-1].bottom

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def h(self) -> float:
        return self.frags[0].h

    @property
    def text(self) -> str:
        return "\n".join(f.text for f in self.frags)

    @property
    def amount(self) -> bool:
        return len(self.frags) == 1 and is_amount(self.frags[0].text)


def _fragments(page: Any) -> list[_Frag]:
    words = page.extract_words(x_tolerance=TEXT_X_TOLERANCE, y_tolerance=TEXT_Y_TOLERANCE,
                               keep_blank_chars=True)
    out = []
    for w in words:
        text = w["text"].strip()
        if text:
            out.append(_Frag(text, w["x0"], w["x1"], w["top"], w["bottom"]))
    return out


def _bands(items: list, overlap: float = 0.3) -> list[list]:
    """Items (anything with top/bottom/h) grouped into horizontal bands of vertical overlap."""
    bands: list[list] = []
    bottom = None
    for it in sorted(items, key=lambda i: (i.top, i.x0)):
        if bands and it.top < bottom - overlap * it.h:
            bands[-1].append(it)
            bottom = max(bottom, it.bottom)
        else:
            bands.append([it])
            bottom = it.bottom
    return bands


def _starts_row(text: str) -> bool:
    return bool(is_amount(text) or _CODE.match(text) or _ENUM.match(text))


def _stack(frags: list[_Frag]) -> list[_Block]:
    """Join fragments set one below the other at line spacing and on one alignment (left,
    centre or right) into blocks: "事业单位经" + "营支出" is one label."""
    blocks: list[_Block] = []
    for f in sorted(frags, key=lambda f: (f.top, f.x0)):
        host = None
        if not is_amount(f.text) and not _starts_row(f.text):
            for b in reversed(blocks):
                last = b.frags[-1]
                gap = f.top - last.bottom
                if b.amount or gap < -0.2 * f.h or gap > 0.5 * f.h:
                    continue
                if abs(f.cx - last.cx) <= 2 or abs(f.x0 - last.x0) <= 2 or abs(f.x1 - last.x1) <= 2:
                    host = b
                    break
        if host is None:
            blocks.append(_Block([f]))
        else:
            host.frags.append(f)
    return blocks


def _column_of(x0: float, x1: float, xs: list[float]) -> int:
    cx = (x0 + x1) / 2
    for k in range(len(xs) - 1):
        if cx < xs[k + 1]:
            return k
    return len(xs) - 2


def _aligned(a: _Block, b: _Block, tol: float = 1.5) -> bool:
    return abs(a.cy - b.cy) <= tol or abs(a.top - b.top) <= tol or abs(a.bottom - b.bottom) <= tol


def _resolve_groups(header: list[_Block], xs: list[float]) -> None:
    """Give every header block the run of leaf columns it covers (``span``).

    A label with other labels below it is a group. It covers the run of columns below it that
    its printed position centres on: first the columns whose labels line up with the label right
    below it (its siblings), shared out between the groups of one level so that each group stays
    centred over its part; then further columns (labels spanning down) only if that centres it
    better (a group label is printed centred over its merged cell).
    """
    n = len(xs) - 1

    def centre(lo: int, hi: int) -> float:
        return (xs[lo] + xs[hi + 1]) / 2

    def core(b: _Block) -> tuple[int, int]:
        cols = [k for k in range(n)
                if min(b.x1, xs[k + 1]) - max(b.x0, xs[k]) > 0.4 * max(b.x1 - b.x0, 0.1)]
        k = _column_of(b.x0, b.x1, xs)
        cols.append(k)
        return min(cols), max(cols)

    def below(b: _Block, g: _Block) -> bool:
        return b is not g and b.top >= g.bottom - 0.25 * g.h

    def under(g: _Block, k: int) -> _Block | None:
        cands = [b for b in header if b.span and b.span[0] <= k <= b.span[1] and below(b, g)]
        return min(cands, key=lambda b: b.top) if cands else None

    groups = []
    for b in header:
        k = _column_of(b.x0, b.x1, xs)
        if any(o is not b and o.top >= b.bottom - 0.25 * b.h
               and min(o.x1, xs[k + 1]) > max(o.x0, xs[k]) for o in header):
            groups.append(b)
        else:
            b.span = (k, k)
    for level in reversed(_bands(groups)):
        level.sort(key=lambda g: g.cx)
        cores = {id(g): core(g) for g in level}
        claimed = {k for g in level for k in range(cores[id(g)][0], cores[id(g)][1] + 1)}
        runs: dict[tuple[int, int], list[_Block]] = {}
        for g in level:
            lo, hi = cores[id(g)]
            ref = under(g, _column_of(g.x0, g.x1, xs)) or under(g, lo)
            strict = (lambda k, g=g, ref=ref: (u := under(g, k)) is not None and ref is not None
                      and _aligned(u, ref))
            a, b = lo, hi
            while a > 0 and strict(a - 1):
                a -= 1
            while b < n - 1 and strict(b + 1):
                b += 1
            runs.setdefault((a, b), []).append(g)
        for (a, b), members in runs.items():
            left = a
            for i, g in enumerate(members):
                lo, hi = cores[id(g)]
                if i == len(members) - 1:
                    right = max(b, hi)
                else:
                    nxt = cores[id(members[i + 1])][0]
                    options = range(max(hi, left), max(hi, nxt - 1) + 1)
                    right = min(options, key=lambda r: abs(centre(left, r) - g.cx))
                g.span = (min(left, lo), right)
                left = right + 1
        for g in level:
            lo, hi = g.span
            best, off = (lo, hi), abs(centre(lo, hi) - g.cx)
            a = lo
            while a > 0 and a - 1 not in claimed and under(g, a - 1) is not None:
                a -= 1
            b = hi
            while b < n - 1 and b + 1 not in claimed and under(g, b + 1) is not None:
                b += 1
            # boundaries between unruled columns are estimates: only a label clearly off the
            # centre of its siblings spans further
            if off > 0.25 * (xs[hi + 1] - xs[lo]):
                for x in range(a, lo + 1):
                    for y in range(hi, b + 1):
                        o = abs(centre(x, y) - g.cx)
                        if o < off / 2 and o < abs(centre(*best) - g.cx):
                            best = (x, y)
            g.span = best
            claimed.update(range(best[0], best[1] + 1))


def _unruled_table(frags: list[_Frag], page_no: int) -> _Segment | None:
    """One unruled table from the fragments below its title (title and unit lines excluded)."""
    blocks = _stack(frags)
    bands = _bands(blocks)
    first_body = next((i for i, band in enumerate(bands) if any(b.amount for b in band)), len(bands))
    header = [b for band in bands[:first_body] for b in band]
    body_bands = bands[first_body:]
    # columns: where body text and figures are printed, and header labels no body cell is under
    spans: list[list[float]] = []
    for x0, x1 in sorted((f.x0, f.x1) for band in body_bands for b in band for f in b.frags):
        if spans and x0 < spans[-1][1] - 0.5:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    leaves = [b for b in header
              if not any(o is not b and o.top >= b.bottom - 0.25 * b.h and min(o.x1, b.x1) > max(o.x0, b.x0)
                         for o in header)]
    # A label over no body cell belongs to the nearest body column that has no label of its
    # own (narrow figures under a wide label); otherwise it heads an empty column.
    labelled = [any(min(s[1], b.x1) > max(s[0], b.x0) for b in leaves) for s in spans]
    orphans = [b for b in leaves if not any(min(s[1], b.x1) > max(s[0], b.x0) for s in spans)]
    extra = []
    for b in sorted(orphans, key=lambda b: min((max(s[0] - b.x1, b.x0 - s[1]) for s in spans), default=0)):
        free = [k for k, s in enumerate(spans) if not labelled[k]]
        k = min(free, key=lambda k: max(spans[k][0] - b.x1, b.x0 - spans[k][1]), default=None)
        if k is not None and max(spans[k][0] - b.x1, b.x0 - spans[k][1]) < 3 * b.h:
            labelled[k] = True
            spans[k] = [min(spans[k][0], b.x0), max(spans[k][1], b.x1)]
        else:
            extra.append([b.x0, b.x1])
    spans += extra
    spans.sort()
    merged: list[list[float]] = []
    for s in spans:
        if merged and s[0] < merged[-1][1] - 0.5:
            merged[-1][1] = max(merged[-1][1], s[1])
        else:
            merged.append(list(s))
    if len(merged) < 2:
        return None
    for b in leaves:  # a column reaches as far as its centred label
        for s in merged:
            if s[0] <= b.cx <= s[1]:
                s[0], s[1] = min(s[0], b.x0), max(s[1], b.x1)
    gaps = [merged[k + 1][0] - merged[k][1] for k in range(len(merged) - 1)]
    pad = max(0.0, min(3.0, min(gaps) / 2))
    xs = [merged[0][0] - pad]
    xs += [(merged[k][1] + merged[k + 1][0]) / 2 for k in range(len(merged) - 1)]
    xs.append(merged[-1][1] + pad)
    n = len(xs) - 1
    _resolve_groups(header, xs)

    def slot(k: int, top: float, bottom: float) -> _Cell:
        return _Cell(None, (xs[k], top, xs[k + 1], bottom))

    # header rows: each label in the first row where the columns it covers are still free
    rows: list[list[_Cell]] = []
    used: list[set[int]] = []
    for b in sorted(header, key=lambda b: (b.top, b.x0)):
        lo, hi = b.span or (0, 0)
        cols = set(range(lo, hi + 1))
        r = next((i for i, u in enumerate(used) if not u & cols), None)
        if r is None:
            rows.append([slot(k, b.top, b.bottom) for k in range(n)])
            used.append(set())
            r = len(rows) - 1
        used[r] |= cols
        rows[r][lo] = _Cell(b.text, (xs[lo], b.top, xs[hi + 1], b.bottom))
    for band in body_bands:
        top, bottom = min(b.top for b in band), max(b.bottom for b in band)
        texts: list[list[_Block]] = [[] for _ in range(n)]
        for b in sorted(band, key=lambda b: (b.top, b.x0)):
            texts[_column_of(b.x0, b.x1, xs)].append(b)
        rows.append([_Cell("\n".join(b.text for b in t), (xs[k], top, xs[k + 1], bottom),
                           (min(b.x0 for b in t), max(b.x1 for b in t), t[0].h))
                     if t else _Cell(None, (xs[k], top, xs[k + 1], bottom))
                     for k, t in enumerate(texts)])
    if not rows:
        return None
    bbox = (min(f.x0 for f in frags), min(f.top for f in frags), max(f.x1 for f in frags),
            max(f.bottom for f in frags))
    return _Segment(page_no, bbox, rows, xs)


def _unruled_segments(page: Any, page_no: int) -> list[_Segment]:
    """Tables printed without any ruling, below their titles: columns and cells from where the
    text is printed.

    Only used on pages without any ruled table. A region runs from below a table title (and
    its unit/department lines) to the next title, a note, or the page end; it is a table when its
    lines are set as separate pieces (cells) and it has figures, or a header of three or more
    labels side by side (an empty table). Lines typed as text with spaces between figures (a
    text extract of a table printed as running text) are no table.
    """
    if not any("表" in c["text"] for c in page.chars):
        return []  # every title ends in 表
    frags = _fragments(page)
    lines = _bands(frags, overlap=0.5)
    titles = [ln for ln in lines if table_kind_of("".join(f.text for f in sorted(ln, key=lambda f: f.x0)))]
    if len(titles) != 1 or sum(1 for f in frags if table_kind_of(f.text)) > 1:
        # Several titles on one page without rules: summaries set as running text are common
        # there (real 2017 Jiangsu documents); not read as tables yet.
        return []
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = "".join(f.text for f in sorted(line, key=lambda f: f.x0))
        if not table_kind_of(text):
            i += 1
            continue
        title = line
        has_unit = False  # a printed table has its 单位 line; a heading in running text has not
        j = i + 1
        while j < len(lines):
            t = "".join(f.text for f in sorted(lines[j], key=lambda f: f.x0))
            centred = (len(lines[j]) == 1 and abs(lines[j][0].cx - title[0].cx) < 5
                       and lines[j][0].top - title[-1].bottom < 2 * lines[j][0].h)
            if _is_meta_line(t) and not table_kind_of(t) or centred:
                has_unit = has_unit or bool(UNIT_LINE.search(compact(t)))
                if centred:
                    title = lines[j]
                j += 1
            else:
                break
        k = j
        region: list[_Frag] = []
        while k < len(lines):
            t = "".join(f.text for f in sorted(lines[k], key=lambda f: f.x0))
            if table_kind_of(t) or _NOTE.search(compact(t)) or _PAGE_NO.match(t):
                break
            if region and lines[k][0].top - max(f.bottom for f in region) > 4 * lines[k][0].h:
                break
            region += lines[k]
            k += 1
        i = max(k, i + 1)
        if not region or not has_unit:
            continue
        typed = sum(1 for f in region if sum(1 for w in f.text.split() if is_amount(w)) >= 2)
        figures = sum(1 for f in region if is_amount(f.text))
        if typed * 2 > max(figures, 1) or typed and not figures:
            continue
        seg = _unruled_table(region, page_no)
        if seg is None:
            continue
        widest = max(sum(1 for c in r if c.text) for r in seg.rows)
        header = [r for r in seg.rows if not any(c.text and is_amount(c.text) for c in r)]
        labelled = all(any(c.text and c.bbox and c.bbox[0] <= (a + b) / 2 <= c.bbox[2] for r in header for c in r)
                       for a, b in zip(seg.xs, seg.xs[1:]))
        head_widest = max((sum(1 for c in r if c.text) for r in header), default=0)
        if labelled and head_widest >= 3 and widest >= 3:
            out.append(seg)
    return out


@dataclass
class _PageItems:
    number: int
    items: list[tuple[float, str, Any]]  # (top, "line"|"table", payload) in reading order


def _within(page: Any) -> bool:
    x0, top, x1, bottom = page.bbox
    return all(o["x0"] >= x0 and o["x1"] <= x1 and o["top"] >= top and o["bottom"] <= bottom
               for objects in page.objects.values() for o in objects)


ASCENT, DESCENT = 0.88, 0.12  # share of the font size above and below the baseline


def _level_glyph_boxes(chars: list[dict]) -> None:
    """Give glyphs whose font reports broken metrics the box of an ordinary glyph on their baseline.

    pdfminer places a glyph's box by its font's ascent and descent. Fonts embedded by some Chinese
    producers report them wildly (方正 fonts beside an "E-BZ" font for digits and punctuation): the
    colon of "单位：万元" or the year of "2026年…情况表" then sits half a line below its own words and
    is read as a line of its own. The baseline (the text matrix) is what the printer used; boxes are
    rebuilt from it, in place, for upright glyphs whose box is off by more than a quarter of their size.
    """
    for c in chars:
        matrix = c.get("matrix")
        size = c.get("size") or 0
        if not matrix or not size or matrix[1] or matrix[2] or not c.get("upright", True):
            continue
        above = c["y1"] - matrix[5]  # the font's ascent as placed, in points
        if abs(above - ASCENT * size) <= 0.25 * size:
            continue
        shift = above - ASCENT * size
        c["top"] += shift
        c["doctop"] += shift
        c["y1"] -= shift
        bottom = c["top"] + size
        c["y0"] -= bottom - c["bottom"]
        c["bottom"] = bottom
        c["height"] = size


def _read_page(page: Any, page_no: int, name: str) -> _PageItems:
    chars = page.chars
    if chars:
        cid = sum(1 for c in chars if c.get("text", "").startswith("(cid:"))
        if cid / len(chars) > CID_SHARE_LIMIT:
            raise PdfReadError(_glyph_codes(name, page_no, cid, len(chars)))
    _level_glyph_boxes(chars)
    # Content drawn outside the visible page (left over from the producing application) is
    # not part of the document; cropping is skipped on the usual page that has none.
    p = page if _within(page) else page.crop(page.bbox, strict=False)
    # dedupe_chars is costly; only pages with fake-bold (overprinted) characters need it
    if len({(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in chars}) < len(chars):
        p = p.dedupe_chars()
    if not all(_visible(r) for r in p.rects):  # _visible drops rects only; most pages have none to drop
        p = p.filter(_visible)
    segments = []
    for table in p.find_tables(LINE_SETTINGS):
        seg = _segment_of(table, page_no)
        if seg is not None and len(seg.rows) >= 1:
            segments.append(seg)
    if not segments:
        segments = _unruled_segments(p, page_no)
    taken = {i for s in segments for i in s.taken}
    lines = _text_lines([c for c in p.chars if id(c) not in taken] if taken else p.chars, [s.bbox for s in segments])
    items: list[tuple[float, str, Any]] = [(ln.top, "line", ln) for ln in lines]
    items += [(s.bbox[1], "table", s) for s in segments]
    items.sort(key=lambda it: (it[0], 0 if it[1] == "line" else 1))
    return _PageItems(page_no, items)


# ----------------------------------------------------------------------------------------------
# Table assembly


def _is_meta_line(text: str) -> bool:
    t = compact(text)
    if not t:
        return True
    return bool(
        table_kind_of(t) or UNIT_LINE.search(t) or _DEPT.search(t) or _NUMBER.fullmatch(t)
        or (_NUMBER.match(t) and table_kind_of(_NUMBER.sub("", t).lstrip(":：")))
    )


def _other_title(text: str) -> bool:
    """The title of a table that is no standard table (预算表12 项目支出绩效目标表, 部门整体支出绩效目标表)."""
    t = _NUMBER.sub("", compact(text))
    return len(t) >= 5 and bool(re.search(r"表(?:[（(].{1,12}[)）])?$", t)) and table_kind_of(t) is None and (
        "绩效" in t or "目标" in t or "情况" in t or "明细" in t or "清单" in t)


def _meta_row_lines(row: list[_Cell]) -> list[str] | None:
    """The lines of a title/unit row printed inside the ruling, or None for a real row."""
    texts = [c.text for c in row if c.text]
    if not texts:
        return None
    lines = [ln for t in texts for ln in t.splitlines() if ln.strip()]
    # A title cell may swallow text of the cells below it; only its leading meta lines count.
    meta: list[str] = []
    for ln in lines:
        if _is_meta_line(ln):
            meta.append(ln.strip())
        elif not meta:
            return None
        else:
            break
    if not any(table_kind_of(m) or UNIT_LINE.search(compact(m)) or _DEPT.search(compact(m)) for m in meta):
        return None
    return meta


def _title_from(lines: list[str]) -> tuple[str, str, str | None] | None:
    """(kind, title, number) from candidate lines (closest to the table last)."""
    best = None
    n = len(lines)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, min(n, i + 3) + 1):  # a title may wrap over up to 3 lines
            joined = "".join(compact(x) for x in lines[i:j])
            stripped = _NUMBER.sub("", joined)
            kind = table_kind_of(UNIT_LINE.split(stripped)[0]) if stripped else None
            if kind:
                best = (kind, joined, i, j)
                break
        if best is not None:
            break
    if best is None:
        return None
    kind, joined, i, j = best
    number = None
    for x in lines[max(0, i - 1): min(n, j + 1)]:
        m = _NUMBER.search(x)
        if m:
            number = compact(m.group(0)).replace("－", "-").replace("—", "-")
            break
    title = _NUMBER.sub("", joined)
    title = UNIT_LINE.split(title)[0]
    title = re.sub(r"^[:：\s]+", "", title)
    title = _ENUM.sub("", title)
    title = re.sub(r"^[:：\s]+", "", title)
    return kind, title, number


def _unit_from(lines: list[str]) -> str | None:
    return next((unit for unit in map(unit_of, lines) if unit), None)


def _unit_from_header(paths: list[str]) -> str | None:
    """The unit the header cells print ("单位：万元" in a cell, "金额（万元）"), when they agree on one."""
    found = {_unit_from([p]) or (compact(m.group(1)) if (m := _HEADER_UNIT.search(p)) else None) for p in paths}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _department_from(lines: list[str]) -> str | None:
    """The printed department field above a table ("部门： 江苏省人大常委会办公厅 单位：万元"), as
    "部门：江苏省人大常委会办公厅" (the unit part dropped), or None."""
    for x in lines:
        t = compact(x)
        m = _DEPT.search(t)
        if not m:
            continue
        name = UNIT_LINE.split(t[m.end():])[0].rstrip("：:")
        if len(name) >= 2 and not unit_of(t[:m.end()] + name) and not re.fullmatch(r"万?元", name):
            return t[:m.end()] + name
    return None


def _nonempty(text: str | None) -> bool:
    return text is not None and text != ""


_COLUMN_NUMBER_MARK = re.compile(r"^(?:栏次|行次|列次|序号|\*+|[甲乙丙丁]|[-—]+)$")


def _kind_by_structure(rows: list[list[_Cell]]) -> str | None:
    """The standard table a ruled box with figures is, by the words of its cells (titles aside)."""
    texts = [c.text for row in rows for c in row if c.text and not is_amount(clean_text(c.text) or "")]
    has_figures = any(c.text and is_amount(clean_text(c.text) or "") for row in rows for c in row)
    return kind_by_structure(texts) if has_figures else None


def _is_column_number_row(cells: list[str | None]) -> bool:
    """A row that numbers the columns (栏次 | 1 | 2 | 3, or ** ** 1 2 3, 甲 乙 1 2): header, not figures."""
    vals = [compact(c) for c in cells if _nonempty(c) and compact(c)]
    numbers = [int(v) for v in vals if re.fullmatch(r"\d{1,2}", v)]
    marks = [v for v in vals if _COLUMN_NUMBER_MARK.match(v)]
    return (len(numbers) >= 2 and len(numbers) + len(marks) == len(vals)
            and numbers == list(range(numbers[0], numbers[0] + len(numbers))))


def _is_body_row(cells: list[str | None]) -> bool:
    vals = [c for c in cells if _nonempty(c)]
    if not vals or _is_column_number_row(cells):
        return False
    if any(is_amount(c) and not _CODE.match(c) for c in vals):
        return True
    if any(is_amount(c) for c in vals[1:]):
        return True
    return bool(_CODE.match(vals[0]) and len(vals) > 1)


def _is_empty_total(cells: list[str | None]) -> bool:
    vals = [c for c in cells if _nonempty(c)]
    return bool(vals) and bool(_TOTAL.match(compact(vals[0]))) and len(vals) == 1


@dataclass
class _Column:
    x0: float
    x1: float


@dataclass
class _TableAcc:
    kind: str
    title: str
    number: str | None
    unit: str | None
    page: int
    columns: list[_Column] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    header_rows: list[list[str]] = field(default_factory=list)
    header_texts: set[str] = field(default_factory=set)
    rows: list[list[str | None]] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)
    row_boxes: list[list[Box | None]] = field(default_factory=list)
    row_starts: list[list[float | None]] = field(default_factory=list)  # indentation of each cell's text
    notes: list[str] = field(default_factory=list)
    department: str | None = None  # the 部门： line printed with the title, if any


def _merge_groups(rows: list[list[_Cell]]) -> list[list[int]]:
    """The printed columns as groups of pdfplumber grid columns.

    Two adjacent grid columns are one printed column when the rule between them is drawn in
    only a few rows (grids of misaligned cells, common in spreadsheet exports) and no row
    fills both. Grid columns without any text (slivers, title-row overhangs) are dropped.
    """
    grid = [[clean_text(c.text) for c in r] for r in rows]
    ncols = len(rows[0]) if rows else 0
    nrows = len(rows)
    groups: list[list[int]] = [[0]] if ncols else []
    for j in range(1, ncols):
        group = groups[-1]
        starts = sum(1 for r in rows if r[j].bbox is not None)
        weak = starts * 3 < nrows
        clash = any(_nonempty(row[j]) and any(_nonempty(row[g]) for g in group) for row in grid)
        if weak and not clash:
            group.append(j)
        else:
            groups.append([j])
    kept = [g for g in groups if any(_nonempty(row[j]) for row in grid for j in g)]
    return kept or groups


def _project(seg: _Segment, rows: list[list[_Cell]], columns: list[_Column]
             ) -> tuple[list[list[str | None]], list[list[Box | None]], list[list[float | None]]]:
    """Place each grid cell's text in the printed column it overlaps most; with each placed text, the box
    (x0, top, x1, bottom in PDF points) of the cells it came from, and how far into that box the text starts
    (in its own char sizes: its indentation)."""
    ncols = len(seg.xs) - 1
    target: list[int] = []
    for j in range(ncols):
        a, b = seg.xs[j], seg.xs[j + 1]
        overlaps = [max(0.0, min(b, c.x1) - max(a, c.x0)) for c in columns]
        best = max(range(len(columns)), key=lambda k: overlaps[k])
        if overlaps[best] <= 0:
            mid = (a + b) / 2
            best = min(range(len(columns)), key=lambda k: min(abs(columns[k].x0 - mid), abs(columns[k].x1 - mid)))
        target.append(best)

    def place(j: int, cell: _Cell, text: str) -> int:
        # a figure in a cell merged over several printed columns is in the column it is printed in (the
        # 合计 row's cell over 部门支出经济分类科目 and 合计, its figure right-aligned under 合计)
        if cell.printed is None or cell.bbox is None or not is_amount(text):
            return target[j]
        covered = [k for k, c in enumerate(columns)
                   if min(cell.bbox[2], c.x1) - max(cell.bbox[0], c.x0) > 0.5 * (c.x1 - c.x0)]
        if len(covered) < 2:
            return target[j]
        x0, x1, _ = cell.printed
        return max(covered, key=lambda k: min(x1, columns[k].x1) - max(x0, columns[k].x0))

    out, boxes, starts = [], [], []
    for row in rows:
        vals: list[list[str]] = [[] for _ in columns]
        spans: list[list[Box]] = [[] for _ in columns]
        printed: list[list[tuple[float, float, float]]] = [[] for _ in columns]
        for j, cell in enumerate(row):
            t = clean_text(cell.text)
            if t:
                k = place(j, cell, t)
                vals[k].append(t)
                if cell.bbox is not None:
                    spans[k].append(cell.bbox)
                if cell.printed is not None:
                    printed[k].append(cell.printed)
        out.append([("".join(v) if v else None) for v in vals])
        boxes.append([_union(b) for b in spans])
        starts.append([(min(printed[k])[0] - min(b[0] for b in spans[k])) / max(min(printed[k])[2], 1.0)
                       if printed[k] and spans[k] else None for k in range(len(columns))])
    return out, boxes, starts


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    return (round(min(b[0] for b in boxes), 1), round(min(b[1] for b in boxes), 1),
            round(max(b[2] for b in boxes), 1), round(max(b[3] for b in boxes), 1))


def _header_paths(header: list[list[_Cell]], columns: list[_Column]) -> list[str]:
    cells = [c for row in header for c in row if c.bbox is not None and clean_text(c.text)]
    paths = []
    for col in columns:
        width = max(col.x1 - col.x0, 0.1)
        parts: list[str] = []
        for c in sorted(cells, key=lambda c: c.bbox[1]):
            ov = min(col.x1, c.bbox[2]) - max(col.x0, c.bbox[0])
            if ov > 0.5 * width:
                text = compact(clean_text(c.text) or "")
                if text and (not parts or parts[-1] != text):
                    parts.append(text)
        paths.append("/".join(parts))
    return _unique_paths(paths)


def _unique_paths(paths: list[str]) -> list[str]:
    """Column paths made unique: an empty one named by its place (列3), a repeated one numbered (合计#2)."""
    seen: dict[str, int] = {}
    unique = []
    for i, p in enumerate(paths):
        p = p or f"列{i + 1}"
        seen[p] = seen.get(p, 0) + 1
        unique.append(p if seen[p] == 1 else f"{p}#{seen[p]}")
    return unique


def _unreadable(rows: list[list[str | None]]) -> list[tuple[int, int]]:
    """Cells (row, column) the text layer garbled: glyph codes without a Unicode map ((cid:17)), or, in a column of
    figures, digits in pieces that may be one figure or several ("123 456")."""
    width = len(rows[0]) if rows else 0
    figures = [sum(1 for row in rows if is_amount(row[j])) * 2 > sum(1 for row in rows if row[j]) for j in range(width)]
    return [(r, j) for r, row in enumerate(rows) for j, c in enumerate(row) if c
            and ("(cid:" in c or figures[j] and _FIGURE_CHARS.match(c) and " " in c.strip() and not is_amount(c))]


def _indented(rows: list[list[str | None]], starts: list[list[float | None]]) -> list[list[str | None]]:
    """The rows of a hierarchy printed without codes, each label's indentation written as leading ideographic
    spaces (as text extracts print it): there the level of a row shows only so. A column's labels are indented when,
    totals aside, they start at whole steps of a char from the leftmost one (left-aligned text, shifted).
    Tables that print codes keep their cells as read."""
    texts = [compact(c) for r in rows for c in r if c]
    if any(_CODE.match(t) or _JOINED_CODE.match(t) for t in texts):
        return rows
    out = [list(r) for r in rows]
    for j in range(len(rows[0]) if rows else 0):
        cells = [(r, starts[r][j]) for r in range(len(rows)) if rows[r][j] and starts[r][j] is not None
                 and not is_amount(rows[r][j]) and not _SUMMARY_LABEL.search(compact(rows[r][j]))]
        if len(cells) < 2:
            continue
        base = min(offset for _, offset in cells)
        steps = {r: offset - base for r, offset in cells}
        if max(steps.values()) < 0.8 or any(abs(v - round(v)) > 0.25 for v in steps.values()):
            continue
        for r, step in steps.items():
            out[r][j] = "\u3000" * round(step) + out[r][j]
    return out


@dataclass
class _Layout:
    """A ruled segment read as the first part of a table: its printed columns, its cells placed under them, where
    its body starts, and its header."""

    columns: list[_Column]
    projected: list[list[str | None]]
    boxes: list[list[Box | None]]
    starts: list[list[float | None]]
    split: int
    paths: list[str]
    header_rows: list[list[str]]
    header_texts: set[str]


def _layout(seg: _Segment, rows: list[list[_Cell]]) -> _Layout:
    groups = _merge_groups(rows)
    columns = [_Column(seg.xs[g[0]], seg.xs[g[-1] + 1]) for g in groups]
    projected, boxes, starts = _project(seg, rows, columns)
    split = next((i for i, r in enumerate(projected) if _is_body_row(r)), None)
    if split is None:
        split = next((i for i, r in enumerate(projected) if _is_empty_total(r)), len(projected))
    header = [r for r, p in zip(rows[:split], projected) if not _is_column_number_row(p)]
    return _Layout(columns, projected, boxes, starts, split, _header_paths(header, columns),
                   [[c or "" for c in r] for r in projected[:split]],
                   {compact(c) for r in projected[:split] for c in r if c})


class _Assembler:
    def __init__(self, name: str) -> None:
        self.name = name
        self.tables: list[RawTable] = []
        self.text: list[TextLine] = []
        self.issues: list[ExtractionIssue] = []
        self.current: _TableAcc | None = None
        self.can_continue = False
        self.pending: list[tuple[int, _Line, TextLine]] = []  # text lines on this page since the last table
        self.carried: list[tuple[int, _Line, TextLine]] = []  # the previous page's last lines
        self.page_lines: set[tuple[str, int]] = set()  # (text, top) of this page's lines
        self.previous_page_lines: set[tuple[str, int]] = set()

    # -- text ---------------------------------------------------------------------------------
    def line(self, page: int, ln: _Line) -> None:
        text = ln.text
        place = (compact(text), round(ln.top))
        self.page_lines.add(place)
        if not _is_meta_line(text) and any((place[0], place[1] + d) in self.previous_page_lines for d in range(-2, 3)):
            return  # a running header or footer, printed on every page at the same place
        if self.current is not None and self.can_continue:
            if _PAGE_NO.match(text):
                return
            if _NOTE.search(compact(text)) and not self.pending:
                self.current.notes.append(compact(text))
                return
            if not _is_meta_line(text):
                # title, number, unit and department lines repeated on the next page of a long
                # table do not end it (``_repeats_current`` decides once its ruling follows)
                self.can_continue = False
        tl = TextLine(text, SourceRef(self.name, page=page))
        self.pending.append((page, ln, tl))
        self.text.append(tl)

    def new_page(self) -> None:
        # A title (or table number) printed at the foot of a page may head a table on the next.
        self.carried = self.pending[-3:]
        self.pending = []
        self.previous_page_lines, self.page_lines = self.page_lines, set()

    # -- tables -------------------------------------------------------------------------------
    def segment(self, seg: _Segment) -> None:
        rows = seg.rows
        meta: list[str] = []
        while rows:
            if not any(clean_text(c.text) for c in rows[0]):
                rows = rows[1:]  # a blank band above a title printed inside the ruling
                continue
            m = _meta_row_lines(rows[0])
            if m is None:
                break
            meta += m
            rows = rows[1:]
        if self.current is not None and rows and any(
                _other_title(ln) for c in rows[0] if c.text for ln in c.text.splitlines()):
            self._close()  # a form or other table titled inside its ruling (绩效目标表) ends the open one
        above = [ln.text for _, ln, _ in self.pending]
        found = _title_from(above[-6:] + meta)
        if found is None and self.carried and not self._significant_pending():
            self.pending = self.carried + self.pending
            above = [ln.text for _, ln, _ in self.pending]
            found = _title_from(above[-6:] + meta)
        elif found is not None and found[2] is None and self.carried:
            number = _title_from([ln.text for _, ln, _ in self.carried[-1:]] + above[-6:] + meta)
            if number is not None and number[2]:
                found = (found[0], found[1], number[2])
        self.carried = []
        if found is not None and self._repeats_current(found, above[-6:] + meta):
            # The title (and header) printed again on every page of a long table: one table.
            self._consume()
            self._continue(seg, rows, above[-6:] + meta)
        elif found is not None:
            self._close()
            kind, title, number = found
            unit = _unit_from(above[-6:] + meta)
            department = _department_from(above[-6:] + meta)
            self._consume()
            self._start(seg, rows, kind, title, number, unit)
            if department and self.current is not None:
                # The department line is consumed with the title; keep it (identity reads it).
                self.current.notes.append(department)
                self.current.department = department
        elif self.current is not None and self.can_continue and not self._significant_pending():
            self._consume()
            self._continue(seg, rows, above[-6:] + meta)
        elif (kind := _kind_by_structure(rows)) is not None:
            # A known table under a title no pattern knows: recognized by its header and first column.
            self._close()
            lines = [ln.text for _, ln, _ in self.pending[-3:] if not _PAGE_NO.match(ln.text)]
            title = next((compact(t) for t in reversed(lines) if not unit_of(t) and not _DEPT.search(compact(t))),
                         TABLE_NAMES_ZH[kind])
            unit = _unit_from(above[-6:] + meta)
            self._consume()
            self._start(seg, rows, kind, title, None, unit)
            note = f"表名未识别，按表头结构识别为{TABLE_NAMES_ZH[kind]}"
            if self.current is not None:
                self.current.notes.append(note)
                ref = SourceRef(self.name, page=seg.page)
                self.issues.append(ExtractionIssue("warning", "read", _read_by_header(title, ref, note), ref))
        else:
            # A ruled box that is no standard table (a list of units, a contents page): text.
            for row in rows:
                texts = [clean_text(c.text) for c in row if clean_text(c.text)]
                if texts:
                    self.text.append(TextLine(" ".join(texts), SourceRef(self.name, page=seg.page)))
            return
        self.can_continue = True
        self.pending = []

    def _repeats_current(self, found: tuple[str, str, str | None], lines: list[str]) -> bool:
        acc = self.current
        if acc is None or not self.can_continue:
            return False
        kind, title, number = found
        return (kind == acc.kind and compact(title) == compact(acc.title) and number == acc.number
                and _department_from(lines) in (None, acc.department))

    def _significant_pending(self) -> bool:
        return any(not _PAGE_NO.match(ln.text) and not _is_meta_line(ln.text) for _, ln, _ in self.pending)

    def _consume(self) -> None:
        """Title, number, unit and department lines above a table are not running text."""
        drop = [tl for _, ln, tl in self.pending[-6:] if _is_meta_line(ln.text) or _PAGE_NO.match(ln.text)]
        for tl in drop:
            for k in range(len(self.text) - 1, -1, -1):
                if self.text[k] is tl:
                    del self.text[k]
                    break

    def _start(self, seg: _Segment, rows: list[list[_Cell]], kind: str, title: str,
               number: str | None, unit: str | None) -> None:
        lay = _layout(seg, rows)
        acc = _TableAcc(kind, title, number, unit, seg.page, columns=lay.columns)
        acc.paths = lay.paths
        acc.header_rows = lay.header_rows
        acc.header_texts = lay.header_texts
        self.current = acc
        self._add_body(lay.projected[lay.split:], lay.boxes[lay.split:], lay.starts[lay.split:], seg.page,
                       first=True)

    def _continue(self, seg: _Segment, rows: list[list[_Cell]], above: list[str]) -> None:
        acc = self.current
        assert acc is not None
        # a 单位 line printed over a later part of the table (the 收入总表 whose columns run on) is its unit when
        # its first part printed none
        acc.unit = acc.unit or _unit_from(above)
        if self._add_columns(seg, rows):
            return
        projected, boxes, starts = _project(seg, rows, acc.columns)
        # A repeated header is dropped.
        i = 0
        while i < len(projected) and not _is_body_row(projected[i]):
            vals = [compact(c) for c in projected[i] if c]
            if vals and all(v in acc.header_texts for v in vals) or _is_column_number_row(projected[i]):
                i += 1
            else:
                break
        self._add_body(projected[i:], boxes[i:], starts[i:], seg.page, first=False)

    def _add_columns(self, seg: _Segment, rows: list[list[_Cell]]) -> bool:
        """Take a segment for the open table's further columns when it is one: a table too wide for its page
        prints the rest of its columns on the next page, under a header of their own (其他收入 | 上年结转结余 …)
        and beside as many rows, of figures alone. Its columns are appended to the rows in order; their cells
        keep no box (the row's page is the first one) and the table's notes say where they are printed."""
        acc = self.current
        assert acc is not None
        if not rows or not acc.rows or set(acc.row_pages) != {seg.page - 1}:
            return False
        lay = _layout(seg, rows)
        body = [r for r in lay.projected[lay.split:] if any(_nonempty(c) for c in r)]
        if (not lay.split or lay.header_texts <= acc.header_texts or len(body) != len(acc.rows)
                or not all(is_amount(c) for r in body for c in r if _nonempty(c))):
            return False
        for row, boxes, starts, more in zip(acc.rows, acc.row_boxes, acc.row_starts, body):
            row.extend(more)
            boxes.extend([None] * len(more))
            starts.extend([None] * len(more))
        acc.paths = _unique_paths(acc.paths + lay.paths)
        width = len(acc.header_rows[0]) if acc.header_rows else 0
        depth = max(len(acc.header_rows), len(lay.header_rows))
        acc.header_rows = [(acc.header_rows[k] if k < len(acc.header_rows) else [""] * width)
                           + (lay.header_rows[k] if k < len(lay.header_rows) else [""] * len(lay.paths))
                           for k in range(depth)]
        acc.header_texts |= lay.header_texts
        acc.notes.append(f"第{seg.page}页续印{'、'.join(lay.paths)}列")
        return True

    def _add_body(self, body: list[list[str | None]], boxes: list[list[Box | None]],
                  starts: list[list[float | None]], page: int, first: bool) -> None:
        acc = self.current
        assert acc is not None
        for k, row in enumerate(body):
            if not any(_nonempty(c) for c in row):
                continue
            if (not first and k == 0 and acc.rows and not _is_body_row(row)
                    and self._is_page_split_fragment(row, acc.rows[-1])):
                prev = acc.rows[-1]
                for j, c in enumerate(row):
                    if _nonempty(c):
                        prev[j] = (prev[j] or "") + c
                continue
            acc.rows.append(row)
            acc.row_boxes.append(boxes[k])
            acc.row_starts.append(starts[k])
            acc.row_pages.append(page)
            first = False

    @staticmethod
    def _is_page_split_fragment(row: list[str | None], prev: list[str | None]) -> bool:
        filled = [j for j, c in enumerate(row) if _nonempty(c)]
        # Only a short tail ("业支出", "小计") is taken for the rest of a wrapped cell; a longer
        # label without figures is a row of its own.
        return bool(filled) and all(len(row[j] or "") <= 4 for j in filled) and all(
            not is_amount(row[j]) and not _ENUM.match(row[j] or "") and not _CODE.match(row[j] or "")
            and _nonempty(prev[j]) and not is_amount(prev[j])
            for j in filled
        )

    def _close(self) -> None:
        acc = self.current
        if acc is None:
            return
        self.current = None
        self.can_continue = False
        ref = SourceRef(self.name, page=acc.page)
        notes = list(acc.notes)
        unit = acc.unit or _unit_from_header(acc.paths)
        if unit is None:
            unit = "元"
            notes.append("未见单位行，按元处理")
            self.issues.append(ExtractionIssue("warning", "read", _no_unit_line(acc.title, ref), ref))
        rows, pages, boxes = acc.rows, acc.row_pages, acc.row_boxes
        if acc.kind in SUBJECT_TABLES | ECONOMIC_TABLES:
            rows = _indented(rows, acc.row_starts)
        for r, j in _unreadable(rows):
            # a figure the text layer garbled beyond repair is a gap in the table, never a figure (nor a zero)
            gap = f"读数缺口：第{pages[r]}页“{rows[r][j]}”"
            notes.append(gap)
            self.issues.append(ExtractionIssue(
                "error", "read", _figure_unreadable(acc.title, pages[r], acc.paths[j], rows[r][j]),
                SourceRef(self.name, page=pages[r])))
            rows[r][j] = None
        has_figures = any(is_amount(c) for r in rows for c in r[1:] if c)
        if not has_figures:
            stray = [compact(c) for r in rows for c in r if c and not _TOTAL.match(compact(c))]
            notes = [n for n in stray if n not in notes] + notes
            if not any(re.search(r"无|空", n) for n in notes):
                notes.append("本表无数据")
            rows, pages, boxes = [], [], []
        self.tables.append(RawTable(
            table_kind=acc.kind,
            title=acc.title,
            unit=unit,
            columns=acc.paths,
            rows=rows,
            row_refs=[SourceRef(self.name, page=p) for p in pages],
            ref=ref,
            number=acc.number,
            header_rows=acc.header_rows,
            notes=notes,
            cell_boxes=boxes,
        ))

    def finish(self) -> None:
        self._close()


# ----------------------------------------------------------------------------------------------
# Entry point


def _is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65536))
        return b"/Encrypt" in handle.read()


def _open_pdfium(path: Path) -> Any:
    """pdfium's view of the file, or None (then every page is read in full: pdfplumber opened it)."""
    try:
        return open_document(path)
    except Exception:
        return None


def max_pages() -> int:
    """Page cap per PDF: one pathological file must not stall a nightly run."""
    return int(os.environ.get("BUDGET_MAX_PAGES", "400"))


TEXT_LAYERS = ("fast", "full")


def text_layer_mode(mode: str | None = None) -> str:
    """The text layer to read with: the argument, else BUDGET_PDF_TEXT_LAYER, else ``fast``."""
    mode = (mode or os.environ.get("BUDGET_PDF_TEXT_LAYER") or "fast").strip().lower()
    if mode not in TEXT_LAYERS:
        # the setting, not the file, is wrong: every PDF of the run says so
        raise ReadingProblem(f"文本层设置“{mode}”无效：BUDGET_PDF_TEXT_LAYER 只能是 {' 或 '.join(TEXT_LAYERS)}，"
                             "请改正设置后重新运行")
    return mode


def _may_hold_table(text: str) -> bool:
    """A line that may belong to a table: a title (also inside running text, "…见收支总表。"), a 单位
    line, a table number, or figures side by side (cells of a row: "135,200 0 135,200"; a page
    number printed "1 7" is none)."""
    t = compact(text)
    if table_kind_of(t) or UNIT_LINE.search(t) or _NUMBER.match(t):
        return True
    if any(table_kind_of(t[:m.end()]) for m in re.finditer(r"表[)）]?", t)):
        return True
    figures = [is_amount(word) for word in text.split()]
    return any(a and b for a, b in zip(figures, figures[1:])) and not _PAGE_NO.match(text)


def _fast_lines(doc: Any, index: int) -> tuple[list[_Line], int] | None:
    """The page's text lines from pdfium and its char count, or None when the page needs the full
    reading (it may hold a table, or pdfium cannot stand in for pdfminer on it)."""
    try:
        scan = scan_page(doc, index)
    except Exception:  # pdfium failed where pdfminer may not: read the page in full
        return None
    if scan.full is not None:
        return None
    _level_glyph_boxes(scan.chars)
    lines = _text_lines(scan.chars, [])
    if any(_may_hold_table(ln.text) for ln in lines):
        return None
    return lines, len(scan.chars)


def _page_items(page: Any, pdfium_doc: Any, number: int, name: str) -> tuple[list[tuple[float, str, Any]], int, bool]:
    """A page's lines and tables in reading order, its char count, and whether it is an image
    without text: from pdfium when it cannot hold a table, else from pdfplumber."""
    quick = _fast_lines(pdfium_doc, number - 1) if pdfium_doc is not None else None
    if quick is not None:
        lines, n_chars = quick
        return [(ln.top, "line", ln) for ln in lines], n_chars, False
    full = quick_page(page)
    try:
        n_chars = len(full.chars)
        image = n_chars < 5 and bool(full.images)
        return _read_page(full, number, name).items, n_chars, image
    finally:
        full.close()


def fast_pages(path: Path) -> list[int]:
    """The pages (1-based) the fast text layer reads from pdfium: what ``read_pdf`` spares pdfminer."""
    doc = _open_pdfium(Path(path))
    if doc is None:
        return []
    try:
        return [i + 1 for i in range(len(doc)) if _fast_lines(doc, i) is not None]
    finally:
        doc.close()


def read_pdf(path: Path, text_layer: str | None = None) -> RawDocument:
    """Read one PDF: its standard tables (RawTable) and running text (TextLine), in order.

    ``text_layer`` (else the environment's BUDGET_PDF_TEXT_LAYER): ``fast`` (the default) takes the
    text lines of pages that cannot hold a table from pdfium; ``full`` runs every page through
    pdfplumber's layout analysis, the reference to compare with. Both give the same tables and
    figures (tests/read/test_text_layer.py).
    """
    path = Path(path)
    name = path.name
    fast = text_layer_mode(text_layer) == "fast"
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for encrypted/corrupt files
        if _is_encrypted(path):
            raise PdfReadError(_encrypted(name)) from exc
        raise PdfReadError(_corrupt(name, exc)) from exc
    asm = _Assembler(name)
    total_chars = 0
    image_pages: list[int] = []
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise PdfReadError(_no_page_tree(name, exc)) from exc
        if not pages:
            raise PdfReadError(_no_pages(name))
        cap = max_pages()
        if len(pages) > cap:
            raise PdfReadError(_too_many_pages(name, len(pages), cap))
        pdfium_doc = _open_pdfium(path) if fast else None
        try:
            for number, page in enumerate(pages, 1):
                try:
                    items, n_chars, image = _page_items(page, pdfium_doc, number, name)
                except ReadingProblem:  # this file's own words (a page of glyph codes; over the time budget)
                    raise
                except Exception as exc:
                    raise PdfReadError(_page_unparsable(name, number, exc)) from exc
                finally:
                    page.close()
                total_chars += n_chars
                if image:
                    image_pages.append(number)
                asm.new_page()
                for _, what, payload in items:
                    if what == "line":
                        asm.line(number, payload)
                    else:
                        asm.segment(payload)
        finally:
            if pdfium_doc is not None:
                pdfium_doc.close()
        if total_chars < MIN_DOC_CHARS:
            raise PdfReadError(_no_text_layer(name, image_pages))
    asm.finish()
    doc = RawDocument(source_files=[name], tables=asm.tables, text_lines=asm.text, issues=asm.issues)
    for number in image_pages:
        doc.issues.append(ExtractionIssue("warning", "read", _image_page(number), SourceRef(name, page=number)))
    return doc
