"""Which disclosure a document is: department, year, kind (预算/决算) and scope (部门/单位).

Read from the document itself, never from the file name: one disclosure may arrive as several
files, and files are named anyhow.

The department is taken, in order of trust, from: what the reader recorded
(``RawDocument.department``); a printed field line ("预算主管部门：…", "预算单位：…", "部门：…",
"部门名称：…", in the text or in a table's notes); the department row of 收入总表; the cover
(the lines above 目录, "江苏省人大常委会办公厅 / 2019年度部门预算公开"); a "X 2019年度部门预算"
heading; a "第一部分 X 概况" heading. Names are compacted (no spaces) and stripped of brackets
such as "（部门）" so both files of one disclosure get the same key.

Year, kind and scope come from the cover first (a narrative compares with earlier years, so the
most frequent year in the text is not always the budget year), then from the most frequent
"2019年度部门预算" heading in text and table titles, then from table titles alone
("2019年政府采购预算表"; a tables-only file names its kind in every title: 收支预算总表).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from ..read.catalogue import compact
from ..read.model import RawDocument

_LEVEL = r"(?:省级|市级|区级|县级|本级)?"
_HEADING = re.compile(rf"(20\d\d)年(?:度)?{_LEVEL}(部门|单位|预算单位)?(预算|决算)")
_NAME_BEFORE_YEAR = re.compile(
    rf"^(?:第[一二三四五六]部分)?(.{{2,40}}?)(20\d\d)年(?:度)?{_LEVEL}(部门|单位)?(预算|决算)")
_DEPT_FIELD = re.compile(
    r"^(?:预算主管部门|预算单位|主管部门|编制部门|编制单位|部门(?:（单位）)?名称|单位名称|部门|单位)[:：](.{4,40}?)"
    r"(?:单位[:：].*)?$")
_INTRO = re.compile(r"^第一部分(.{2,40}?)概况")
_TITLE_YEAR = re.compile(r"(20\d\d)年(?:度)?")
_COVER_STOP = ("目录", "第一部分")
_DECORATION = re.compile(r"[（(](?:部门|单位|本级|汇总|部门汇总)[)）]$")


@dataclass(frozen=True)
class Identity:
    department: str | None
    year: int | None
    kind: str | None
    scope: str | None

    @property
    def document_id(self) -> str:
        """A stable, UI-safe key: the same disclosure always gets the same id."""
        key = f"{self.department}|{self.year}|{self.kind}|{self.scope}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def identify(doc: RawDocument) -> Identity:
    lines = [compact(l.text) for l in doc.text_lines[:400]]
    titles = [compact(t.title) for t in doc.tables]
    cover = _cover(lines)
    year = kind = scope = None
    m = _HEADING.search(cover) if cover else None
    if m is None and cover:
        # "江苏省人民检察院 / 年部门预算 / 2017": the year printed on a line of its own
        digits = re.search(r"(20\d\d)", cover)
        m2 = re.search(rf"年(?:度)?{_LEVEL}(部门|单位)?(预算|决算)", cover)
        if digits and m2:
            year, scope, kind = int(digits.group(1)), _scope(m2.group(1)), m2.group(2)
    elif m:
        year, scope, kind = int(m.group(1)), _scope(m.group(2)), m.group(3)
    if year is None:
        headings: Counter = Counter()
        for text in lines + titles:
            for h in _HEADING.finditer(text):
                headings[(int(h.group(1)), _scope(h.group(2)), h.group(3))] += 1
        if headings:
            (year, scope, kind), _ = headings.most_common(1)[0]
    if year is None:
        years = Counter(int(y.group(1)) for t in titles for y in _TITLE_YEAR.finditer(t))
        if years:
            year = years.most_common(1)[0][0]
    if kind is None and titles:
        kinds = Counter("决算" if "决算" in t else "预算" for t in titles if "预算" in t or "决算" in t)
        if kinds:
            kind = kinds.most_common(1)[0][0]
            scope = scope or "部门"
    if doc.year and year is None:
        year = doc.year
    kind = doc.kind or kind
    scope = doc.scope or scope
    return Identity(_department(doc, lines, cover), year, kind, scope)


def _scope(word: str | None) -> str:
    return "单位" if word in ("单位", "预算单位") else "部门"


def _cover(lines: list[str]) -> str | None:
    """The cover: the lines printed above 目录 (or 第一部分) at the very start."""
    for i, text in enumerate(lines[:8]):
        if text.startswith(_COVER_STOP):
            joined = "".join(t for t in lines[:i] if not re.fullmatch(r"\d{1,3}", t))
            return joined or None
    return None


def normalize_department(name: str | None) -> str | None:
    if not name:
        return None
    name = compact(name).strip("：:")
    name = _DECORATION.sub("", name)
    return name or None


def _cover_name(cover: str | None) -> str | None:
    if not cover:
        return None
    m = re.match(rf"^(.{{2,40}}?)(?:20\d\d)?年(?:度)?{_LEVEL}(?:部门|单位)?(?:预算|决算)", cover)
    if m and not re.search(r"\d", m.group(1)):
        return normalize_department(m.group(1))
    return None


def _department(doc: RawDocument, lines: list[str], cover: str | None) -> str | None:
    if doc.department:
        return normalize_department(doc.department)
    notes = [compact(n) for t in doc.tables for n in t.notes]
    on_cover = _cover_name(cover)
    for text in lines[:60] + notes:
        m = _DEPT_FIELD.match(text)
        if m:
            name = normalize_department(m.group(1))
            # a field cut short by a line wrap (部门名称：江苏省人大 | 常委会办公厅): the cover's is whole
            if name and on_cover and on_cover.startswith(name) and len(on_cover) > len(name):
                return on_cover
            return name
    # The department row of 收入总表 (a 3-digit code with units below it) names it in full.
    for table in doc.tables:
        if table.table_kind == "income_summary" and table.columns[:2] == ["部门（单位）代码", "部门（单位）名称"]:
            for row in table.rows:
                if row[0] and row[1] and re.fullmatch(r"\d{3}", row[0]):
                    return normalize_department(row[1])
    if on_cover:
        return on_cover
    for text in lines:
        m = _NAME_BEFORE_YEAR.match(text)
        if m and not m.group(1).startswith(("20", "表")) and not re.search(r"[\d，。,]", m.group(1)):
            return normalize_department(m.group(1).strip("：:()（）"))
    for text in lines:
        m = _INTRO.match(text)
        if m:
            return normalize_department(m.group(1))
    return None
