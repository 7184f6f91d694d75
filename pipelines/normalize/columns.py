"""What a printed column means: a label, or a figure with its expense type and fund source.

Column paths come from the readers ("基本支出/人员经费", "本年收入/一般公共预算"); the meaning is read
from the words in them, so the same rules serve every template family. Two rules keep one concept
under one name whatever the template calls it:

- The row total of a table is ``total``: 合计, 小计, 总计, 金额, 预算数, 支出总计, "本年一般公共预算基本支出/合计"
  (a group printed over every figure column names the table, not a part of it, so it is set aside
  before the words are read).
- A label no rule knows is ``other`` (its printed label stays in the line's column_name) and the
  reader warns; it is never taken for a total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

# The row total, whatever the template calls it (the whole leaf, after a year and 其中： are dropped).
TOTAL_WORDS = frozenset({
    "合计", "小计", "总计", "金额", "预算数", "预算", "预算金额", "本年预算", "本年预算数", "年度预算", "全年预算",
    "支出总计", "支出合计", "本年支出合计", "本年支出", "收入总计", "收入合计", "本年收入合计", "决算数", "总额",
    "预算总额", "编制预算", "预算安排", "金额合计", "年初预算数",
})

# Checked in order; the first word found in the column's leaf (then its group) decides.
EXPENSE_TYPES: list[tuple[str, str]] = [
    ("人员经费", "personnel"),
    ("人员支出", "personnel"),
    ("工资福利支出", "personnel"),
    ("日常公用支出", "public"),
    ("日常公用经费", "public"),
    ("公用经费", "public"),
    ("公用支出", "public"),
    ("基本支出", "basic"),
    ("扣除基建", "project_excluding_capital_construction"),
    ("项目支出", "project"),
    ("专项业务经费", "project"),
    ("专项支出", "project"),
    ("事业单位经营支出", "business_operation"),
    ("经营支出", "business_operation"),
    ("上缴上级支出", "remit_to_superior"),
    ("对附属单位补助支出", "subsidy_to_affiliates"),
    ("因公出国", "three_public_overseas"),
    ("公务用车购置费", "three_public_vehicle_purchase"),
    ("公务用车运行", "three_public_vehicle_operation"),
    ("公务用车购置及运行", "three_public_vehicle"),
    ("公务接待费", "three_public_reception"),
    ("中小企业", "sme_reserved"),
    ("小型、微型企业", "micro_small_reserved"),
    ("微小企业", "micro_small_reserved"),
    ("政府采购", "procurement"),
    ("单位预留机动经费", "unit_reserve"),
    ("结转下年", "carry_forward"),
    ("年初结转", "opening_balance"),
    ("年末结转", "closing_balance"),
]

FUND_SOURCES: list[tuple[str, str]] = [
    ("一般公共预算", "general_public_budget"),
    ("政府性基金", "government_fund"),
    ("国有资本经营", "state_capital"),
    ("财政专户管理资金", "special_account"),
    ("财政专户", "special_account"),
    ("事业单位经营收入", "business_operation_income"),
    ("事业收入", "business_income"),
    ("上级补助收入", "superior_subsidy"),
    ("附属单位上缴收入", "affiliate_remittance"),
    ("其他收入", "other_income"),
    ("单位资金", "unit_funds"),
    ("经营收入", "business_operation_income"),
    ("其他资金", "other_funds"),
    ("财政拨款", "fiscal_appropriation"),  # after the three budgets it is made of
]

CARRYOVER_GROUPS = ("上年结转", "结转结余", "年初结转", "上年结余")

# Columns whose figures are not money.
QUANTITY_COLUMNS = ("数量",)
UNIT_PRICE_COLUMNS = ("单价",)
NON_FIGURE_COLUMNS = ("计量单位",)

# Columns that name the row (codes, names, categories) or number it, never figures.
_LABEL_LEAF = re.compile(
    r"编码|代码|名称|目录|行次|栏次|序号|^(?:类|款|项|项目|科目|年度|备注|说明|单位|预算单位|项目单位|资金来源|资金性质|"
    r"政府采购品目|功能科目|经济科目|部门支出经济分类|支出功能分类科目|政府支出经济分类科目|部门支出经济分类科目|"
    r"部门预算支出经济科目|是否包含政府采购|政府购买服务内容|资产分类|采购组织形式|采购方式|列\d+|[一二三四五]级|"
    r"绩效目标|采购品目大类|项目编号)$"
    r"|类别|^支出项目|^(?:支出)?功能分类科目$|经济分类科目$")
_YEAR = re.compile(r"^20\d\d年(?:度)?")
_WHEREOF = re.compile(r"^其中[:：]?")


@dataclass(frozen=True)
class ColumnMeaning:
    role: str  # label | amount | quantity | unit_price | other
    expense_type: str | None
    fund_source: str | None
    known: bool = True  # False: no rule knows the label (expense_type "other")


def is_label_column(path: str) -> bool:
    """A column that names or numbers the rows (科目编码, 科目名称, 类/款/项, 预算单位, 行次 …)."""
    return bool(_LABEL_LEAF.search(_leaf(path)))


_UNIT_NOTE = re.compile(r"[（(](?:万?元|个|人|%)[)）]$|#\d+$")


def _leaf(path: str) -> str:
    """The last part of a column path, without a year, 其中：, a unit "（元）" or a repeat mark "#2"."""
    return _clean_part(path.rsplit("/", 1)[-1])


def _clean_part(part: str) -> str:
    """One part of a column path without a year, 其中： or a unit note."""
    return _UNIT_NOTE.sub("", _WHEREOF.sub("", _YEAR.sub("", part)))


def _plain(path: str) -> list[str]:
    """The path's parts with years and 其中： dropped ("其中：/基本支出" → ["基本支出"])."""
    return [p for p in map(_clean_part, path.split("/")) if p]


def column_meaning(path: str, table_kind: str, group: str = "") -> ColumnMeaning:
    """The meaning of one column; ``group`` is the heading printed over every figure column of the
    table (本年一般公共预算基本支出, 预算数): it names the table, so the rest of the path decides."""
    if is_label_column(path):
        return ColumnMeaning("label", None, None)
    leaf = _leaf(path)
    if any(w in leaf for w in NON_FIGURE_COLUMNS):
        return ColumnMeaning("other", None, None)
    if any(w in leaf for w in QUANTITY_COLUMNS):
        return ColumnMeaning("quantity", None, None)
    if any(w in leaf for w in UNIT_PRICE_COLUMNS):
        return ColumnMeaning("unit_price", None, None)
    own = path[len(group):].lstrip("/") if group and path.startswith(group) else path
    parts = _plain(own) or [leaf]
    leaf = parts[-1]
    upper = "/".join(parts[:-1])
    carryover = any(g in path for g in CARRYOVER_GROUPS) and "年末" not in path
    fund = next((code for word, code in FUND_SOURCES if word in leaf), None)
    if fund is None and leaf in TOTAL_WORDS:
        fund = next((code for word, code in FUND_SOURCES if word in upper), None)
        if fund is None and table_kind in ("income_summary", "project_expenditure") and upper:
            fund = "carryover" if carryover else "current_year"
    elif fund is not None and carryover:
        fund = f"carryover.{fund}"
    elif fund is None and any(g in leaf for g in CARRYOVER_GROUPS):
        fund = "carryover"  # 上年结转结余 printed as one column
    elif fund is None and upper:
        # a fund's parts (财政专户拨款收入/教育收费, …/其他专户收入拨款) are that fund's money
        fund = next((code for word, code in FUND_SOURCES if word in upper), None)
    expense = next((code for word, code in EXPENSE_TYPES if word in leaf), None)
    if leaf == "本年收入":
        expense = "current_income"  # 决算 fund tables: 年初结转和结余 | 本年收入 | 本年支出 | 年末结转和结余
    elif table_kind == "operating_cost" and "机关运行经费" in leaf:
        expense = "total"
    if expense is None and (leaf in TOTAL_WORDS or leaf.endswith(("金额", "总额"))):
        expense = next((code for word, code in EXPENSE_TYPES if word in upper), "total")
    if table_kind == "three_public":
        if "/" in path and (_leaf(path) in TOTAL_WORDS or fund is not None):
            # …/公务接待费/决算数, 因公出国(境)费/一般公共预算: the item is the group, the leaf its measure or fund
            path = path.rsplit("/", 1)[0]
            expense = next((code for word, code in EXPENSE_TYPES if word in _leaf(path)), expense)
            if _leaf(path) in TOTAL_WORDS:
                expense = "three_public_total"
        expense = _three_public_expense(path, _leaf(path), expense)
    if table_kind == "procurement" and fund is None and (leaf in ("合计", "总计") or expense == "total"):
        expense = "procurement_total"  # the purchase amount: 采购金额, its 合计 (总计 in Jiangsu)
    if expense is None and fund is not None:
        expense = "total"  # a fund's column: the total of that fund (fund_source says which)
    if expense is None:
        return ColumnMeaning("amount", "other", None, known=False)
    return ColumnMeaning("amount", expense, fund)


# Columns printed beside the 三公 figures in the same table (Jiangsu: “三公”经费、会议费、培训费支出预算表;
# Shanghai: 部门“三公”经费和机关运行经费预算表).
THREE_PUBLIC_EXTRAS: list[tuple[str, str]] = [
    ("会议费", "meeting"),
    ("培训费", "training"),
    ("机关运行经费", "operating_cost"),
]


def _three_public_expense(path: str, leaf: str, expense: str | None) -> str | None:
    if leaf in ("合计", "总计") or "三公" in leaf and ("合计" in leaf or "总额" in leaf):
        return "three_public_total"
    vehicle_group = "公务用车" in path.rsplit("/", 1)[0] if "/" in path else False
    if vehicle_group and leaf.startswith(("购置", "公务用车购置")):
        return "three_public_vehicle_purchase"  # 公务用车购置及运行费/购置费 (Shanghai)
    if vehicle_group and leaf.startswith(("运行", "公务用车运行")):
        return "three_public_vehicle_operation"  # 公务用车购置及运行费/运行费
    if vehicle_group and leaf == "小计":
        return "three_public_vehicle"
    if expense in (None, "total"):
        extra = next((code for word, code in THREE_PUBLIC_EXTRAS if word in leaf), None)
        if extra:
            return extra
    return expense


def _common_group(paths: list[str]) -> str:
    """The heading printed over every one of ``paths`` (all figure columns of a table), or ""."""
    if len(paths) < 2:
        return ""
    heads = [p.split("/") for p in paths]
    common: list[str] = []
    for parts in zip(*heads):
        if len(set(parts)) == 1 and all(len(h) > len(common) + 1 for h in heads):
            common.append(parts[0])
        else:
            break
    return "/".join(common)


def table_meanings(columns: list[str], table_kind: str) -> list[ColumnMeaning]:
    """The meaning of every column of one table: some columns are only understood beside their siblings.

    A heading over every figure column (本年一般公共预算基本支出, 预算数) is set aside. A 三公 table that
    also prints 会议费 and 培训费 (Jiangsu) has “三公”经费/小计 for the 三公 total and a first 合计 over all
    of them: the 小计 is the 三公 total, the 合计 the total of the table.
    """
    figures = [c for c in columns if not is_label_column(c)]
    group = _common_group(figures)
    meanings = [column_meaning(c, table_kind, group) for c in columns]
    if table_kind == "three_public":
        subtotal = [i for i, c in enumerate(columns)
                    if "/" in c and c.rsplit("/", 1)[-1] in ("小计", "合计") and "三公" in c.rsplit("/", 1)[0]
                    and "公务用车" not in c]
        if subtotal:
            for i, m in enumerate(meanings):
                if i not in subtotal and m.expense_type == "three_public_total":
                    meanings[i] = replace(m, expense_type="total")
            for i in subtotal:
                meanings[i] = replace(meanings[i], expense_type="three_public_total")
    if table_kind in BASIC_TABLES and not any(m.expense_type == "total" for m in meanings):
        # every figure of a basic-expenditure table is basic: its row total (基本支出合计, 基本支出) is the total
        meanings = [replace(m, expense_type="total") if m.expense_type == "basic" else m for m in meanings]
    whereof = [i for i, c in enumerate(columns) if meanings[i].expense_type in ADDED_PARTS and _under_whereof(c)]
    outside = [i for i, m in enumerate(meanings) if m.expense_type in ADDED_PARTS and i not in whereof]
    if whereof and outside and max(outside) < min(whereof):
        # 合计 | 基本支出 | 项目支出 | 其中：事业单位经营支出 …: parts printed under 其中 after the parts of the total
        # are a breakdown of those, already in 合计 (of_which.<what they are>), never added to them; a 其中 that opens
        # the split (小计 | 其中：基本支出 | 项目支出) names the parts themselves
        for i in whereof:
            meanings[i] = replace(meanings[i], expense_type=f"of_which.{meanings[i].expense_type}")
    years = {y for c in figures if (y := _year_of(c))}
    if len(years) > 1:
        # 2025年预算数 beside 2026年预算数/总计 …: the earlier year's columns are the prior year's figures,
        # printed for comparison, kept apart as prior_year.<what they are>
        latest = max(years)
        for i, c in enumerate(columns):
            year = _year_of(c)
            if meanings[i].role == "amount" and year and year < latest:
                meanings[i] = replace(meanings[i], expense_type=f"prior_year.{meanings[i].expense_type}")
    if any("决算" in part for c in figures for part in c.split("/")):
        # 决算 tables print the budget beside the outturn: a column under or named 预算数 (年初预算数, 全年预算数) is
        # kept apart as budget.<what its 决算数 twin is> ("…/公务接待费/预算数", "预算数/公务接待费" →
        # budget.three_public_reception), so each figure is read once, as what it is
        for i, c in enumerate(columns):
            parts = c.split("/")
            k = next((k for k, part in enumerate(parts) if _BUDGET_FIGURE.match(_clean_part(part))), None)
            if meanings[i].role == "amount" and k is not None:
                twin = "/".join(parts[:k] + ["决算数"] + parts[k + 1:])
                what = column_meaning(twin, table_kind, group).expense_type
                meanings[i] = replace(meanings[i], expense_type=f"budget.{what or 'total'}")
    return meanings


# The parts row arithmetic adds up to a row's total (合计 = 基本支出 + 项目支出 + …; 基本支出 = 人员经费 + 公用经费).
ADDED_PARTS = frozenset({"basic", "project", "business_operation", "remit_to_superior", "subsidy_to_affiliates",
                         "unit_reserve", "carry_forward", "personnel", "public"})


def _under_whereof(path: str) -> bool:
    """A column printed under 其中 (a 其中 heading over it, or 其中：… in its own label)."""
    return any(_WHEREOF.match(part) for part in path.split("/"))


def _year_of(path: str) -> str | None:
    """The year a column's heading names (2025年预算数/合计 → 2025), or None."""
    return next((m.group(0)[:4] for part in path.split("/") if (m := _YEAR.match(part))), None)


BASIC_TABLES = ("general_budget_basic_expenditure", "fiscal_appropriation_basic_expenditure", "basic_expenditure_summary")
_BUDGET_FIGURE = re.compile(r"^(?:年初|全年|调整后?)?预算数?$")
