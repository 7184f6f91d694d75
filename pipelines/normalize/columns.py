"""What a printed column means: its expense type and fund source.

Column paths come from the readers ("基本支出/人员经费", "本年收入/一般公共预算"); the meaning is
read from the words in them, so the same rules serve every template family.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

# Checked in order; the first word found in the column's leaf (then its group) decides.
EXPENSE_TYPES: list[tuple[str, str]] = [
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("事业单位经营支出", "business_operation"),
    ("经营支出", "business_operation"),
    ("上缴上级支出", "remit_to_superior"),
    ("对附属单位补助支出", "subsidy_to_affiliates"),
    ("因公出国", "three_public_overseas"),
    ("公务用车购置费", "three_public_vehicle_purchase"),
    ("公务用车运行", "three_public_vehicle_operation"),
    ("公务用车购置及运行", "three_public_vehicle"),
    ("公务接待费", "three_public_reception"),
    ("其中面向中小企业", "sme_reserved"),
    ("其中面向微小企业", "micro_small_reserved"),
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
    ("事业单位经营收入", "business_operation_income"),
    ("事业收入", "business_income"),
    ("上级补助收入", "superior_subsidy"),
    ("附属单位上缴收入", "affiliate_remittance"),
    ("其他收入", "other_income"),
    ("单位资金", "unit_funds"),
    ("经营收入", "business_operation_income"),
    ("财政拨款", "fiscal_appropriation"),  # after the three budgets it is made of
]

CARRYOVER_GROUPS = ("上年结转", "结转结余", "年初结转")

# Columns whose figures are not money.
QUANTITY_COLUMNS = ("数量",)
UNIT_PRICE_COLUMNS = ("单价",)
NON_FIGURE_COLUMNS = ("计量单位",)


@dataclass(frozen=True)
class ColumnMeaning:
    role: str  # amount | quantity | unit_price | other
    expense_type: str | None
    fund_source: str | None


def column_meaning(path: str, table_kind: str) -> ColumnMeaning:
    leaf = path.rsplit("/", 1)[-1]
    if any(w in leaf for w in NON_FIGURE_COLUMNS):
        return ColumnMeaning("other", None, None)
    if any(w in leaf for w in QUANTITY_COLUMNS):
        return ColumnMeaning("quantity", None, None)
    if any(w in leaf for w in UNIT_PRICE_COLUMNS):
        return ColumnMeaning("unit_price", None, None)
    carryover = any(g in path for g in CARRYOVER_GROUPS) and "年末" not in path
    fund = next((code for word, code in FUND_SOURCES if word in leaf), None)
    if fund is None and leaf in ("小计", "合计"):
        group = path.rsplit("/", 1)[0] if "/" in path else ""
        fund = next((code for word, code in FUND_SOURCES if word in group), None)
        if fund is None and table_kind in ("income_summary", "project_expenditure") and group:
            fund = "carryover" if carryover else "current_year"
    elif fund is not None and carryover:
        fund = f"carryover.{fund}"
    expense = next((code for word, code in EXPENSE_TYPES if word in leaf), None)
    if expense is None and leaf in ("小计", "合计"):
        group = path.rsplit("/", 1)[0] if "/" in path else ""
        expense = next((code for word, code in EXPENSE_TYPES if word in group), None)
    if expense is None and leaf in ("小计", "合计") and "/" not in path:
        expense = "total"
    if table_kind == "three_public":
        expense = _three_public_expense(path, leaf, expense)
    if table_kind == "procurement" and leaf in ("合计", "总计"):
        expense = "procurement_total"  # Jiangsu prints the amount column as 总计
    if expense is None:
        expense = "total"
    return ColumnMeaning("amount", expense, fund)


# Columns printed beside the 三公 figures in the same table (Jiangsu: “三公”经费、会议费、培训费支出预算表;
# Shanghai: 部门“三公”经费和机关运行经费预算表).
THREE_PUBLIC_EXTRAS: list[tuple[str, str]] = [
    ("会议费", "meeting"),
    ("培训费", "training"),
    ("机关运行经费", "operating_cost"),
]


def _three_public_expense(path: str, leaf: str, expense: str | None) -> str | None:
    if leaf == "合计":
        return "three_public_total"
    vehicle_group = "公务用车" in path.rsplit("/", 1)[0] if "/" in path else False
    if vehicle_group and leaf.startswith("购置"):
        return "three_public_vehicle_purchase"  # 公务用车购置及运行费/购置费 (Shanghai)
    if vehicle_group and leaf.startswith("运行"):
        return "three_public_vehicle_operation"  # 公务用车购置及运行费/运行费
    if expense in (None, "total"):
        extra = next((code for word, code in THREE_PUBLIC_EXTRAS if word in leaf), None)
        if extra:
            return extra
    return expense


def table_meanings(columns: list[str], table_kind: str) -> list[ColumnMeaning]:
    """The meaning of every column of one table: some columns are only understood beside their siblings.

    A 三公 table that also prints 会议费 and 培训费 (Jiangsu) has “三公”经费/小计 for the 三公 total and a
    first 合计 over all of them: the 小计 is the 三公 total, the 合计 the total of the table.
    """
    meanings = [column_meaning(c, table_kind) for c in columns]
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
    return meanings
