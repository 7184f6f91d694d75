"""The standard tables, recognized by their titles (never by their position).

One ordered list of (table_kind, pattern); the first pattern that matches a title wins, so the
more specific titles come first (财政拨款收支总表 before 收支总表). Titles are matched after
``compact`` removes white space, so "收 支 总 表" and wrapped titles match too.
"""
from __future__ import annotations

import re

# English names are the analyst contract's table_kind values. Budget offices word the same table
# many ways (收支总表, 收支预算总表, 收支总体情况表, 部门财务收支预算总表; 一般公共预算支出表, 一般公共预算拨款支出
# 预算表, 一般公共预算支出情况表（按功能分类科目）): each pattern names the words that make the table what it is.
TABLE_KINDS: list[tuple[str, str]] = [
    # 决算 (final accounts) titles first: they contain the budget words too.
    ("fiscal_appropriation_summary", r"财政拨款收入支出决算总表"),
    ("income_expenditure_summary", r"收入支出决算总表"),
    ("income_summary", r"收入决算表"),
    ("general_budget_basic_expenditure", r"一般公共预算财政拨款基本支出决算表"),
    ("general_budget_expenditure", r"一般公共预算财政拨款(?:支出)?决算表"),
    ("three_public", r"三公.{0,12}决算表"),
    ("government_fund_expenditure", r"政府性基金预算财政拨款.{0,8}决算表"),
    ("state_capital_expenditure", r"国有资本经营预算财政拨款.{0,8}决算表"),
    ("expenditure_summary", r"支出决算表"),
    # Budgets. Summaries by fund source first (财政拨款收支总表 before 收支总表).
    ("fiscal_appropriation_summary", r"财政拨款收支(?:预算)?(?:总表|总体情况表)"),
    ("income_expenditure_summary", r"收支(?:预算)?(?:总表|总体情况表)"),
    ("income_summary", r"收入(?:预算)?(?:总表|总体情况表)"),
    ("basic_expenditure_summary", r"(?<!公共预算)(?<!拨款)基本支出(?:预算)?(?:总表|预算表)"),
    ("project_expenditure", r"项目支出(?:预算)?总表|项目支出及其他支出(?:预算)?表"),
    ("expenditure_summary", r"支出(?:预算)?(?:总表|总体情况表)"),
    # Shanghai prints 三公 and 机关运行经费 in one table ("“三公”经费和机关运行经费预算表"):
    # it is the 三公 table (with one more column), not the operating-cost table.
    ("three_public", r"三公.{0,12}机关运行经费"),
    ("operating_cost", r"机关运行经费(?:支出)?(?:预算)?表"),
    ("three_public", r"三公"),
    ("general_budget_basic_expenditure", r"一般公共预算(?:财政)?(?:拨款)?基本支出"),
    ("general_budget_project_economic", r"一般公共预算(?:财政)?(?:拨款)?项目支出.{0,12}经济分类"),
    ("general_budget_economic", r"一般公共预算(?:财政)?(?:拨款)?支出.{0,6}经济分类"),
    ("general_budget_expenditure", r"一般公共预算(?:财政)?(?:拨款)?支出"),
    ("government_fund_expenditure", r"政府性基金.{0,8}支出"),
    ("state_capital_expenditure", r"国有资本经营预算.{0,6}支出"),
    ("fiscal_appropriation_basic_expenditure", r"财政拨款基本支出(?:预算)?表"),
    ("fiscal_appropriation_expenditure", r"财政拨款支出(?:预算)?表"),
    ("project_expenditure", r"项目支出(?:预算)?(?:明细)?表"),
    ("procurement", r"政府采购(?:支出)?(?:预算)?(?:明细)?表"),
    ("purchase_of_services", r"购买服务(?:预算)?(?:明细)?表"),
    ("asset_allocation", r"资产配置(?:预算)?(?:明细)?表"),
]

_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in TABLE_KINDS]

# A title that mentions these is a form or an explanation, not a standard table.
_NOT_A_TABLE = re.compile(r"绩效|情况说明|名词解释|目录|……")

_SPACE = re.compile(r"[\s\u3000]+")


def compact(text: str) -> str:
    """Drop every kind of white space (ASCII, ideographic U+3000, NBSP)."""
    return _SPACE.sub("", text)


# "单位：万元", "金额单位:元", and "单位：万" whose 元 wrapped to the next line
UNIT_LINE = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|元|万(?=\s*$))")


def unit_of(line: str) -> str | None:
    """The unit a 单位 line states (万元 or 元), or None."""
    m = UNIT_LINE.search(compact(line))
    return None if m is None else ("万元" if m.group(1).startswith("万") else "元")


def table_kind_of(title: str) -> str | None:
    """The table_kind a printed title names, or None if it names no standard table."""
    text = compact(title)
    if not text.endswith(("表", "表）", "表)")) and "表（" not in text and "表(" not in text:
        return None
    if _NOT_A_TABLE.search(text):
        return None
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return None


# A table whose title no pattern knows (a new wording) is still recognized by the words its header and
# first column must print; only tables whose structure no other standard table shares are recognized so.
# Each entry: (table_kind, words that must all be printed, words that must not be).
TABLE_STRUCTURES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("three_public", ("因公出国", "公务接待", "公务用车"), ()),
    ("income_expenditure_summary", ("事业收入", "本年收入合计", "本年支出合计"), ()),
    ("general_budget_basic_expenditure", ("经济分类", "人员经费", "公用经费"), ("项目支出", "财政拨款")),
    ("procurement", ("采购品目",), ()),
]


def kind_by_structure(texts: list[str]) -> str | None:
    """The table_kind the header and first-column cells of an untitled (or unknown-titled) table show, or None."""
    joined = compact("|".join(texts))
    for kind, required, excluded in TABLE_STRUCTURES:
        if all(w in joined for w in required) and not any(w in joined for w in excluded):
            return kind
    return None


# The tables every disclosure of the standard template carries: what a document that lists none is expected
# to print (one missing some is still loaded, with a warning naming them).
CORE_TABLES = ("income_expenditure_summary", "income_summary", "expenditure_summary",
               "fiscal_appropriation_summary", "general_budget_expenditure")

# A line of a document's list of its tables (目录, 第二部分 …报表): an enumerator or a table number, a title, and
# perhaps dot leaders and a page number ("五、一般公共预算拨款支出预算表……11", "公开05表 …", "附表4-5 …").
_LIST_ENTRY = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)"
                         r"|(?:公开|预算)\d+表|附?表\d+(?:-\d+)?|表[一二三四五六七八九十]+)")
_LEADERS = re.compile(r"[.…·．]{2,}\d*$")


def expected_table_kinds(lines: list[str], has_tables: bool) -> set[str]:
    """The standard tables a file says it prints (its list of tables), else, for a file of tables, the core ones."""
    listed = listed_table_kinds(lines)
    return listed or (set(CORE_TABLES) if has_tables else set())


def listed_table_kinds(lines: list[str]) -> set[str]:
    """The standard tables a document says it prints, read from the list of its tables."""
    kinds = set()
    for line in lines:
        text = _LEADERS.sub("", compact(line))
        if len(text) <= 50 and _LIST_ENTRY.match(text):
            kind = table_kind_of(_LIST_ENTRY.sub("", text))
            if kind:
                kinds.add(kind)
    return kinds


# The tables whose rows are a hierarchy of subjects (功能分类科目 类/款/项) or economic classes (经济分类科目 类/款).
SUBJECT_TABLES = frozenset({
    "expenditure_summary", "general_budget_expenditure", "government_fund_expenditure",
    "state_capital_expenditure", "fiscal_appropriation_expenditure",
})
ECONOMIC_TABLES = frozenset({
    "general_budget_basic_expenditure", "fiscal_appropriation_basic_expenditure", "general_budget_economic",
    "general_budget_project_economic", "basic_expenditure_summary",
})

TABLE_NAMES_ZH: dict[str, str] = {
    "income_expenditure_summary": "收支总表",
    "income_summary": "收入总表",
    "expenditure_summary": "支出总表",
    "fiscal_appropriation_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算支出表",
    "general_budget_basic_expenditure": "一般公共预算基本支出表",
    "three_public": "“三公”经费支出表",
    "government_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
    "fiscal_appropriation_expenditure": "财政拨款支出表",
    "fiscal_appropriation_basic_expenditure": "财政拨款基本支出表",
    "general_budget_economic": "一般公共预算支出表（按经济分类）",
    "general_budget_project_economic": "一般公共预算项目支出表（按经济分类）",
    "basic_expenditure_summary": "基本支出总表",
    "operating_cost": "机关运行经费表",
    "project_expenditure": "项目支出表",
    "procurement": "政府采购预算表",
    "purchase_of_services": "政府购买服务预算表",
    "asset_allocation": "资产配置预算表",
}
