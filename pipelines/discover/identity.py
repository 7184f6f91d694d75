"""Which disclosure a document is: department, year, kind (预算/决算) and scope (部门/单位).

Read from the document itself, never from the file name: one disclosure may arrive as several
files, and files are named anyhow.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from ..read.catalogue import compact
from ..read.model import RawDocument

_HEADING = re.compile(r"(20\d\d)年(?:度)?(部门|单位)?(预算|决算)")
_NAME_BEFORE_YEAR = re.compile(r"^(?:第[一二三四五六]部分)?(.{2,40}?)(20\d\d)年(?:度)?(部门|单位)?(预算|决算)")
_DEPT_FIELD = re.compile(r"部门(?:（单位）)?名称[:：]?(.{4,40})$")
_INTRO = re.compile(r"^第一部分(.{2,40}?)概况")


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
    lines = [compact(l.text) for l in doc.text_lines[:400]] + [t.title for t in doc.tables]
    headings = Counter()
    for text in lines:
        for m in _HEADING.finditer(text):
            headings[(int(m.group(1)), m.group(2) or "部门", m.group(3))] += 1
    year = kind = scope = None
    if headings:
        (year, scope, kind), _ = headings.most_common(1)[0]
    return Identity(_department(doc, lines), year, kind, scope)


def _department(doc: RawDocument, lines: list[str]) -> str | None:
    # The department row of 收入总表 (a 3-digit code with units below it) names it in full.
    for table in doc.tables:
        if table.table_kind == "income_summary" and table.columns[:2] == ["部门（单位）代码", "部门（单位）名称"]:
            for row in table.rows:
                if row[0] and row[1] and re.fullmatch(r"\d{3}", row[0]):
                    return row[1]
    for text in lines:
        m = _DEPT_FIELD.search(text)
        if m:
            return m.group(1)
    for text in lines:
        m = _NAME_BEFORE_YEAR.match(text)
        if m and not m.group(1).startswith(("20", "表")):
            return m.group(1).strip("：:()（）")
    for text in lines:
        m = _INTRO.match(text)
        if m:
            return m.group(1)
    return None
