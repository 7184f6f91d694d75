"""Which disclosure a document is: department, year, kind (预算/决算) and scope (部门/单位).

Read from the document itself, never from the file name: one disclosure may arrive as several
files, and files are named anyhow (a scraper names the 北京 宣传部's tables after a 深圳 office).

Every candidate name must look like the name of a budget unit (``department_name``: ends with what
such names end with, 局, 委员会, 办公厅, 中心, 街道办事处 …, and is no heading, enumerator or field
label), so "第二部分", "五、" or "国家信访局金额" never become a department. Candidates, in order of trust:
the cover (the lines above 目录: "2026年度 / 泉州市公安局 / 部门预算", "江苏省人大常委会办公厅 / 2019年度
部门预算公开", "东川市教育委员会部门 / 2026年度部门预算信息公开": what precedes or follows the year and the kind of
disclosure, a trailing 部门/单位 word dropped); a printed field ("部门名称：X", "预算单位：X", "部门： X 单位：万元", in the text, in a
table's notes, in the 部门整体支出绩效目标表's "部门名称 X" row); the department row of 收入总表; a
"X2019年度部门预算" heading; a "第一部分 X 概况" heading; the first sentence of the duties ("X主要职责包括：").

Year, kind and scope come from the cover first (a narrative compares with earlier years, so the
most frequent year in the text is not always the budget year), then from the most frequent
"2019年度部门预算" heading, then from table titles ("2019年政府采购预算表"), then from a form's
"（2026年度）" or "2026（年度）". A file of performance-target forms alone (绩效目标申报表, 项目支出绩效目标表) is
part of a budget (预算, 部门): its year is its title's ("东川市生态环境局2026年部门整体预算绩效目标申报表"), else the
year its targets name most (a form titled without a year).

One department printed several ways (中共江苏省委办公厅 / 江苏省委办公厅 / 中国共产党江苏省委员会办公厅)
has one ``department_key``, so its narrative and tables files become one document; the name shown
is the fullest form printed.
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
_NAME_BEFORE_YEAR = re.compile(rf"^(?:第[一二三四五六]部分)?(.{{2,40}}?)(20\d\d)年(?:度)?{_LEVEL}(部门|单位)?(预算|决算)")
_FIELD = re.compile(
    r"^(?:预算主管部门|主管部门|编制部门|编制单位|部门（单位）名称|部门名称|单位名称|预算单位|预算部门|部门|单位)"
    r"(?:[:：]|(?<=名称))(.{3,40}?)(?:(?:金额)?单位[:：].*)?$")
_INTRO = re.compile(r"^第一部分(.{2,40}?)概况")
_TITLE_YEAR = re.compile(r"(20\d\d)年(?:度)?")
_FORM_YEAR = re.compile(r"^[（(]?(20\d\d)[（(]?年度?[)）]$")
# The title of a performance-target form: "部门整体支出绩效目标表", "东川市生态环境局2026年部门整体预算绩效目标申报表",
# "项目支出绩效目标表（含转移支付项目）".
_TARGET_FORM_TITLE = re.compile(r"^.{0,60}?绩效目标(?:申报)?表(?:[（(][^（）()]{1,12}[)）])?$")
# A year of its own, not one end of a range ("2025—2026年运维项目") nor a standard's ("GB/T 12345—2021").
_LONE_YEAR = re.compile(r"(?<![\d—\-－~至])(20\d\d)年(?![\d—\-－~至])")
# The first sentence of the duties: "东川市人民政府办公厅主要职责包括：", "东川市民政局（简称市民政局）主要职责是".
_DUTIES = re.compile(r"^(.{3,40}?)(?:[（(](?:以下)?简称[^（）()]*[)）])?的?主要职[责能]")
# A name's trailing word on a cover: "东川市医疗保障局部门 / 2026年度部门预算", "X单位 2026年单位预算".
_SUFFIX_WORD = re.compile(r"(?:部门|单位)$")
# A second name in brackets (one body, two names): "东川市财务会计管理中心（东川市财政科学研究所）".
_ALIAS = re.compile(r"[（(]([^（）()]{2,30})[)）]$")
_COVER_STOP = ("目录", "第一部分", "一、", "第一章")
_DECORATION = re.compile(r"[（(](?:部门|单位|本级|汇总|部门汇总|机关本级)[)）]$")

# What the name of a budget-funded department or unit ends with.
_ORGANIZATION = re.compile(
    r"(?:部|局|厅|委|委员会|办公室|办公厅|办|院|中心|站|所|处|队|馆|校|学院|大学|学校|会|社|台|团|署|室|园|场|司|"
    r"公司|政府|办事处|管委会|监狱|医院|幼儿园|宫|科|组|厂|库|基地|旅|支队|大队|总队|分局|协会|联合会|集团|报社|出版社)$")
_NOT_A_NAME = re.compile(r"\d|[，。：:；;、,.…\-—_|/]|^第[一二三四五六七八九十]+部分|金额|单位[:：]|预算|决算|概况|表$"
                         r"|^(?:部门|单位|本部门|本单位|所属|下属|各)")


@dataclass(frozen=True)
class Identity:
    department: str | None
    year: int | None
    kind: str | None
    scope: str | None
    source: str | None = None  # where the department was read (cover, field, …); None when not found
    anchor: str | None = None  # the file, for a document whose department or year is not known

    @property
    def complete(self) -> bool:
        return bool(self.department and self.year and self.kind and self.scope)

    @property
    def document_id(self) -> str:
        """A stable, UI-safe key: the same disclosure always gets the same id, whichever way its
        department's name is printed. A document not fully identified is a document of its own
        (keyed by its file): it is never merged with, nor taken for a revision of, another."""
        key = f"{department_key(self.department)}|{self.year}|{self.kind}|{self.scope}"
        if self.anchor:
            key += f"|{self.anchor}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def normalize_department(name: str | None) -> str | None:
    if not name:
        return None
    name = compact(name).strip("：:")
    name = _DECORATION.sub("", name)
    return name or None


def department_name(text: str | None) -> str | None:
    """``text`` as a department's name when it reads as one (a second name in brackets may follow), else None."""
    name = normalize_department(text)
    if not name or not 3 <= len(name) <= 40 or _NOT_A_NAME.search(name):
        return None
    alias = _ALIAS.search(name)
    names = [name[:alias.start()], alias.group(1)] if alias else [name]
    return name if all(_ORGANIZATION.search(n) for n in names) else None


def _heading_name(text: str) -> str | None:
    """The name a heading prints before (or after) its year and kind, with or without a trailing 部门/单位 word:
    "东川市医疗保障局部门" is 东川市医疗保障局."""
    return department_name(text) or department_name(_SUFFIX_WORD.sub("", text))


def department_key(name: str | None) -> str | None:
    """One spelling for the names one department is printed under: 中国共产党X委员会 and X委 of a
    party committee become 中共X委, 人民代表大会常务委员会 becomes 人大常委会."""
    if not name:
        return name
    key = compact(name).replace("中国共产党", "中共")
    if key.startswith("中共"):
        key = key.replace("委员会", "委")
    elif re.match(r"^[^委]{2,12}?(?:省|市|区|县|州|盟|旗)委(?!员)", key):
        key = "中共" + key
    key = key.replace("人民代表大会常务委员会", "人大常委会")
    return key


def identify(doc: RawDocument) -> Identity:
    lines = [compact(line.text) for line in doc.text_lines]
    head = lines[:400]
    titles = [compact(t.title) for t in doc.tables]
    cover = _cover(head)
    year, kind, scope = _cover_terms(cover) if cover else (None, None, None)
    if year is None:
        headings: Counter = Counter()
        for text in head + titles:
            for h in _HEADING.finditer(text):
                headings[(int(h.group(1)), _scope(h.group(2)), h.group(3))] += 1
        if headings:
            (year, scope_h, kind_h), _ = headings.most_common(1)[0]
            scope, kind = scope or scope_h, kind or kind_h
    if year is None:
        years = Counter(int(y.group(1)) for t in titles for y in _TITLE_YEAR.finditer(t))
        if years:
            year = years.most_common(1)[0][0]
    if year is None:
        # a tables-only file: the 部门整体支出绩效目标表 prints its year as "（2026年度）" or "2026（年度）"
        years = Counter(int(m.group(1)) for text in lines if (m := _FORM_YEAR.match(text)))
        if years:
            year = years.most_common(1)[0][0]
    if kind is None and not titles and (form := target_form_title(head)):
        year = year or _target_year(form, head)
        kind = "预算"
    if kind is None and titles:
        kinds = Counter("决算" if "决算" in t else "预算" for t in titles if "预算" in t or "决算" in t)
        if kinds:
            kind = kinds.most_common(1)[0][0]
    if kind is not None and scope is None:
        scope = "部门"
    year = year or doc.year
    kind = doc.kind or kind
    scope = doc.scope or scope
    department, source = _department(doc, lines, cover)
    return Identity(department, year, kind, scope, source)


def target_form_title(lines: list[str]) -> str | None:
    """The performance-target form's title a file opens with (its first lines, compacted), if it does."""
    return next((text for text in lines[:3] if _TARGET_FORM_TITLE.match(text)), None)


def _target_year(title: str, lines: list[str]) -> int | None:
    """The year of target forms: their title's, else the year their targets name most."""
    if m := _TITLE_YEAR.search(title):
        return int(m.group(1))
    years = Counter(int(y) for text in lines for y in _LONE_YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


def _scope(word: str | None) -> str:
    return "单位" if word in ("单位", "预算单位") else "部门"


def _cover(lines: list[str]) -> str | None:
    """The cover: the lines printed above 目录 (or 第一部分) at the very start."""
    for i, text in enumerate(lines[:10]):
        if text.startswith(_COVER_STOP):
            joined = "".join(t for t in lines[:i] if not re.fullmatch(r"\d{1,3}", t))
            return joined or None
    return None


def _cover_terms(cover: str) -> tuple[int | None, str | None, str | None]:
    """Year, kind and scope of a cover: "2026年度泉州市公安局（本级）单位预算", "江苏省人民检察院年部门预算2017"."""
    m = _HEADING.search(cover)
    if m:
        return int(m.group(1)), m.group(3), _scope(m.group(2))
    kind = re.search(rf"年(?:度)?{_LEVEL}(部门|单位)?(预算|决算)", cover) or re.search(r"(部门|单位)?(预算|决算)", cover)
    year = re.search(r"(20\d\d)(?:年)?", cover)
    if kind is None:
        return (int(year.group(1)) if year else None), None, None
    return (int(year.group(1)) if year else None), kind.group(2), _scope(kind.group(1))


def _cover_name(cover: str | None) -> str | None:
    """The name on the cover: what remains once the year and the kind of disclosure are taken out."""
    if not cover:
        return None
    rest = re.sub(r"(20\d\d)\s*年?(?:度)?", "", cover)
    rest = re.sub(rf"{_LEVEL}(?:部门|单位)?(?:预算|决算)(?:公开|情况说明|报表|信息公开)?.*$", "", rest)
    rest = re.sub(r"^(?:年度?)", "", rest)
    return _heading_name(rest)


def _department(doc: RawDocument, lines: list[str], cover: str | None) -> tuple[str | None, str | None]:
    if doc.department:
        return normalize_department(doc.department), "reader"
    on_cover = _cover_name(cover)
    notes = [compact(n) for t in doc.tables for n in t.notes]
    fields = []
    for text in lines[:60] + notes + lines[60:]:
        m = _FIELD.match(text)
        name = department_name(m.group(1)) if m else None
        if name:
            fields.append(name)
    if on_cover:
        # the cover's name is whole; a field may be cut short by a line wrap (部门名称：江苏省人大 | 常委会办公厅)
        return on_cover, "cover"
    if fields:
        return Counter(fields).most_common(1)[0][0], "field"
    # The department row of 收入总表 (a 3-digit code with units below it) names it in full.
    for table in doc.tables:
        if table.table_kind == "income_summary" and table.columns[:2] == ["部门（单位）代码", "部门（单位）名称"]:
            for row in table.rows:
                if row[0] and row[1] and re.fullmatch(r"\d{3}", row[0]) and department_name(row[1]):
                    return department_name(row[1]), "income_summary"
    for text in lines[:400]:
        m = _NAME_BEFORE_YEAR.match(text)
        if m and (name := _heading_name(m.group(1).strip("：:()（）"))):
            return name, "heading"
    for text in lines[:400]:
        m = _INTRO.match(text)
        if m and (name := department_name(m.group(1))):
            return name, "heading"
    for text in lines[:400]:
        m = _DUTIES.match(text)
        if m and (name := department_name(m.group(1))):
            return name, "duties"
    return None, None
