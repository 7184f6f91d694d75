"""Read a budget disclosure PDF into a RawDocument: its standard tables and its running text.

Pure (no Dagster). One pass over the pages: each page is parsed once (fake-bold duplicates
removed, invisible white "padding" rectangles dropped so they do not pose as rules), its ruled
tables found with pdfplumber's ``lines`` strategy (``text`` strategy as a fallback when a title
is printed but no ruling follows), and its remaining text kept as reading-order lines.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber

from pipelines.read.catalogue import compact, table_kind_of
from pipelines.read.model import ExtractionIssue, RawDocument, RawTable, SourceRef, TextLine
from pipelines.read.numbers import is_amount


class PdfReadError(ValueError):
    """A PDF that cannot be read faithfully (scanned, garbled, encrypted, corrupt)."""


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
TEXT_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "text",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "min_words_vertical": 2,
    "text_x_tolerance": TEXT_X_TOLERANCE,
    "text_y_tolerance": TEXT_Y_TOLERANCE,
}

CID_SHARE_LIMIT = 0.3  # a page whose chars are mostly (cid:NN) is unreadable
MIN_DOC_CHARS = 20  # fewer chars than this in the whole file: no text layer

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|元)")
_NUMBER = re.compile(
    r"公开\s*\d+\s*表|公开\s*表\s*[一二三四五六七八九十]+|预算\s*\d+\s*表"
    r"|附\s*表\s*\d+(?:\s*[-－—]\s*\d+)?|(?<![\u4e00-\u9fff])表\s*\d+(?:\s*[-－—]\s*\d+)?"
)
_DEPT = re.compile(r"^(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]|^预算(?:主管)?(?:部门|单位)\s*[:：]")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\s*[.．、]\s*(?!\d)|[（(][一二三四五六七八九十\d]+[)）])")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$|^\d{2}$")
_PAGE_NO = re.compile(r"^[-─—–\s]*\d{1,3}[-─—–\s]*$|^第\s*\d+\s*页")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[:：]|^(?:此表|本表)|无.{0,20}(?:预算|收入|支出|数据)|故本表")
_TOTAL = re.compile(r"^(?:合计|总计)$")
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


@dataclass
class _Cell:
    text: str | None  # None: no cell starts here (merged)
    bbox: tuple[float, float, float, float] | None


@dataclass
class _Segment:
    """One ruled table as found on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    rows: list[list[_Cell]]
    xs: list[float]  # grid column boundaries, len(cols)+1


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


def _segment_of(table: Any, page_no: int) -> _Segment | None:
    texts = table.extract(x_tolerance=TEXT_X_TOLERANCE, y_tolerance=TEXT_Y_TOLERANCE)
    if not texts or len(texts[0]) < 2:
        return None
    xs0 = sorted({round(c[0], 1) for c in table.cells})
    xs = xs0 + [round(table.bbox[2], 1)]
    rows: list[list[_Cell]] = []
    for row, row_texts in zip(table.rows, texts):
        rows.append([_Cell(t, b) for t, b in zip(row_texts, row.cells)])
    if len(xs) != len(rows[0]) + 1:
        return None
    return _Segment(page_no, tuple(table.bbox), rows, xs)


def _text_lines(page: Any, boxes: list[tuple]) -> list[_Line]:
    def outside(obj: dict) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    src = page.filter(lambda o: o.get("object_type") != "char" or outside(o)) if boxes else page
    raw = src.extract_text_lines(x_tolerance=TEXT_X_TOLERANCE, y_tolerance=TEXT_Y_TOLERANCE, return_chars=True)
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


_FIGURE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2})$")


def _unruled_segments(page: Any, page_no: int) -> list[_Segment]:
    """Fallback for tables printed without ruling: below a table title, columns from text.

    Only used on pages without any ruled table, and only kept when the region holds rows of
    printed figures (a contents page lists titles too, but no figures).
    """
    lines = page.extract_text_lines(x_tolerance=TEXT_X_TOLERANCE, y_tolerance=TEXT_Y_TOLERANCE)
    titles = [ln for ln in lines if table_kind_of(ln["text"])]
    if not titles:
        return []
    top = titles[0]["bottom"] + 1
    region = page.crop((page.bbox[0], top, page.bbox[2], page.bbox[3]), strict=False)
    settings = dict(TEXT_SETTINGS, horizontal_strategy="text")
    out = []
    for table in region.find_tables(settings):
        seg = _segment_of(table, page_no)
        if seg is None:
            continue
        figure_rows = sum(
            1 for r in seg.rows if any(c.text and _FIGURE.match(c.text.strip()) for c in r))
        if figure_rows >= 3 and not _typed_as_text(region, seg):
            out.append(seg)
    return out


_SPACED_FIGURE = re.compile(r"(?:^| )-?[\d,]+\.\d{2}(?: |$)")


def _typed_as_text(page: Any, seg: _Segment) -> bool:
    """A table copied into running text ("206 科学技术支出 14,395,329.71 4,301,329.71" set as
    one line with space characters, as a text extract of a table reads): the text strategy
    finds columns in it by coincidence. A printed table sets each cell on its own; its figures
    are never separated from their neighbours by typed spaces.
    """
    x0, top, x1, bottom = seg.bbox
    lines: dict[int, list[dict]] = {}
    for c in page.chars:
        if x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1 and top - 1 <= c["top"] and c["bottom"] <= bottom + 1:
            lines.setdefault(round(c["top"]), []).append(c)
    figure_lines = spaced = 0
    for chars in lines.values():
        text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
        if not any(_FIGURE.match(w) for w in text.split()):
            continue
        figure_lines += 1
        if _SPACED_FIGURE.search(text):
            spaced += 1
    return figure_lines > 0 and spaced * 2 > figure_lines


@dataclass
class _PageItems:
    number: int
    items: list[tuple[float, str, Any]]  # (top, "line"|"table", payload) in reading order


def _read_page(page: Any, page_no: int, name: str) -> _PageItems:
    chars = page.chars
    if chars:
        cid = sum(1 for c in chars if c.get("text", "").startswith("(cid:"))
        if cid / len(chars) > CID_SHARE_LIMIT:
            raise PdfReadError(
                f"{name}, page {page_no}: text is (cid:NN) glyph codes ({cid} of {len(chars)} chars); "
                "the font has no ToUnicode map, figures cannot be read"
            )
    # Content drawn outside the visible page (left over from the producing application) is
    # not part of the document.
    p = page.crop(page.bbox, strict=False).dedupe_chars().filter(_visible)
    segments = []
    for table in p.find_tables(LINE_SETTINGS):
        seg = _segment_of(table, page_no)
        if seg is not None and len(seg.rows) >= 1:
            segments.append(seg)
    if not segments:
        segments = _unruled_segments(p, page_no)
    lines = _text_lines(p, [s.bbox for s in segments])
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
        table_kind_of(t) or _UNIT.search(t) or _DEPT.search(t) or _NUMBER.fullmatch(t)
        or (_NUMBER.match(t) and table_kind_of(_NUMBER.sub("", t).lstrip(":：")))
    )


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
    if not any(table_kind_of(m) or _UNIT.search(compact(m)) or _DEPT.search(compact(m)) for m in meta):
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
            kind = table_kind_of(_UNIT.split(stripped)[0]) if stripped else None
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
    title = _UNIT.split(title)[0]
    title = re.sub(r"^[:：\s]+", "", title)
    title = _ENUM.sub("", title)
    title = re.sub(r"^[:：\s]+", "", title)
    return kind, title, number


def _unit_from(lines: list[str]) -> str | None:
    for x in lines:
        m = _UNIT.search(compact(x))
        if m:
            return compact(m.group(1))
    return None


def _department_from(lines: list[str]) -> str | None:
    """The printed department field above a table ("部门： 江苏省人大常委会办公厅 单位：万元"), as
    "部门：江苏省人大常委会办公厅" (the unit part dropped), or None."""
    for x in lines:
        t = compact(x)
        m = _DEPT.search(t)
        if not m:
            continue
        name = _UNIT.split(t[m.end():])[0].rstrip("：:")
        if len(name) >= 2:
            return t[:m.end()] + name
    return None


def _nonempty(text: str | None) -> bool:
    return text is not None and text != ""


def _is_body_row(cells: list[str | None]) -> bool:
    vals = [c for c in cells if _nonempty(c)]
    if not vals:
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
    notes: list[str] = field(default_factory=list)


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


def _project(seg: _Segment, rows: list[list[_Cell]], columns: list[_Column]) -> list[list[str | None]]:
    """Place each grid cell's text in the printed column it overlaps most."""
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
    out = []
    for row in rows:
        vals: list[list[str]] = [[] for _ in columns]
        for j, cell in enumerate(row):
            t = clean_text(cell.text)
            if t:
                vals[target[j]].append(t)
        out.append([("".join(v) if v else None) for v in vals])
    return out


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
    seen: dict[str, int] = {}
    unique = []
    for i, p in enumerate(paths):
        p = p or f"列{i + 1}"
        seen[p] = seen.get(p, 0) + 1
        unique.append(p if seen[p] == 1 else f"{p}#{seen[p]}")
    return unique


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

    # -- text ---------------------------------------------------------------------------------
    def line(self, page: int, ln: _Line) -> None:
        text = ln.text
        if self.current is not None and self.can_continue:
            if _PAGE_NO.match(text):
                return
            if _NOTE.search(compact(text)) and not self.pending:
                self.current.notes.append(compact(text))
                return
            self.can_continue = False
        tl = TextLine(text, SourceRef(self.name, page=page))
        self.pending.append((page, ln, tl))
        self.text.append(tl)

    def new_page(self) -> None:
        # A title (or table number) printed at the foot of a page may head a table on the next.
        self.carried = self.pending[-3:]
        self.pending = []

    # -- tables -------------------------------------------------------------------------------
    def segment(self, seg: _Segment) -> None:
        rows = seg.rows
        meta: list[str] = []
        while rows:
            m = _meta_row_lines(rows[0])
            if m is None:
                break
            meta += m
            rows = rows[1:]
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
        if found is not None:
            self._close()
            kind, title, number = found
            unit = _unit_from(above[-6:] + meta)
            department = _department_from(above[-6:] + meta)
            self._consume()
            self._start(seg, rows, kind, title, number, unit)
            if department and self.current is not None:
                # The department line is consumed with the title; keep it (identity reads it).
                self.current.notes.append(department)
        elif self.current is not None and self.can_continue and not self._significant_pending():
            self._consume()
            self._continue(seg, rows)
        else:
            # A ruled box that is no standard table (a list of units, a contents page): text.
            for row in rows:
                texts = [clean_text(c.text) for c in row if clean_text(c.text)]
                if texts:
                    self.text.append(TextLine(" ".join(texts), SourceRef(self.name, page=seg.page)))
            return
        self.can_continue = True
        self.pending = []

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
        groups = _merge_groups(rows)
        columns = [_Column(seg.xs[g[0]], seg.xs[g[-1] + 1]) for g in groups]
        acc = _TableAcc(kind, title, number, unit, seg.page, columns=columns)
        projected = _project(seg, rows, columns)
        split = next((i for i, r in enumerate(projected) if _is_body_row(r)), None)
        if split is None:
            split = next((i for i, r in enumerate(projected) if _is_empty_total(r)), len(projected))
        header = rows[:split]
        acc.paths = _header_paths(header, columns)
        acc.header_rows = [[c or "" for c in r] for r in projected[:split]]
        acc.header_texts = {compact(c) for r in projected[:split] for c in r if c}
        self.current = acc
        self._add_body(projected[split:], seg.page, first=True)

    def _continue(self, seg: _Segment, rows: list[list[_Cell]]) -> None:
        acc = self.current
        assert acc is not None
        projected = _project(seg, rows, acc.columns)
        # A repeated header is dropped.
        i = 0
        while i < len(projected) and not _is_body_row(projected[i]):
            vals = [compact(c) for c in projected[i] if c]
            if vals and all(v in acc.header_texts for v in vals):
                i += 1
            else:
                break
        self._add_body(projected[i:], seg.page, first=False)

    def _add_body(self, body: list[list[str | None]], page: int, first: bool) -> None:
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
        unit = acc.unit
        if unit is None:
            unit = "元"
            notes.append("未见单位行，按元处理")
            self.issues.append(ExtractionIssue("warning", "read", f"{acc.title}: no 单位 line, assumed 元", ref))
        rows, pages = acc.rows, acc.row_pages
        has_figures = any(is_amount(c) for r in rows for c in r[1:] if c)
        if not has_figures:
            stray = [compact(c) for r in rows for c in r if c and not _TOTAL.match(compact(c))]
            notes = [n for n in stray if n not in notes] + notes
            if not any(re.search(r"无|空", n) for n in notes):
                notes.append("本表无数据")
            rows, pages = [], []
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


def max_pages() -> int:
    """Page cap per PDF: one pathological file must not stall a nightly run."""
    return int(os.environ.get("BUDGET_MAX_PAGES", "400"))


def read_pdf(path: Path) -> RawDocument:
    """Read one PDF: its standard tables (RawTable) and running text (TextLine), in order."""
    path = Path(path)
    name = path.name
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for encrypted/corrupt files
        if _is_encrypted(path):
            raise PdfReadError(f"{name}: the PDF is encrypted (password-protected); "
                               f"publish or download an unprotected copy") from exc
        raise PdfReadError(f"{name}: cannot open PDF, the file is corrupt or truncated "
                           f"({type(exc).__name__}: {exc or repr(exc.__cause__)}); re-download it") from exc
    asm = _Assembler(name)
    total_chars = 0
    image_pages: list[int] = []
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise PdfReadError(f"{name}: cannot read page tree ({type(exc).__name__}: {exc})") from exc
        if not pages:
            raise PdfReadError(f"{name}: the PDF has no pages")
        cap = max_pages()
        if len(pages) > cap:
            raise PdfReadError(f"{name}: {len(pages)} pages, over the cap of {cap} pages per document "
                               f"(raise BUDGET_MAX_PAGES if this document is genuine)")
        for number, page in enumerate(pages, 1):
            try:
                n_chars = len(page.chars)
                total_chars += n_chars
                if n_chars < 5 and page.images:
                    image_pages.append(number)
                items = _read_page(page, number, name)
            except PdfReadError:
                raise
            except Exception as exc:
                raise PdfReadError(f"{name}, page {number}: cannot parse ({type(exc).__name__}: {exc})") from exc
            finally:
                page.close()
            asm.new_page()
            for _, what, payload in items.items:
                if what == "line":
                    asm.line(number, payload)
                else:
                    asm.segment(payload)
        if total_chars < MIN_DOC_CHARS:
            where = f"pages {image_pages[0]}–{image_pages[-1]} are images" if image_pages else "no text found"
            raise PdfReadError(f"{name}, page 1: no text layer (scanned or image-only PDF; {where})")
    asm.finish()
    doc = RawDocument(source_files=[name], tables=asm.tables, text_lines=asm.text, issues=asm.issues)
    for number in image_pages:
        doc.issues.append(ExtractionIssue(
            "warning", "read", "page is an image without text (scanned?); not read",
            SourceRef(name, page=number)))
    return doc
