"""Column layouts of the standard tables as the Hubei/Wuhan template prints them.

A text extract loses the table grid: a multi-row header comes out as a heap of words and empty
cells vanish. The text reader therefore needs to know each table's columns; this module holds
that knowledge. Each layout lists its label columns, its amount columns (canonical paths) and
the row arithmetic that ties those columns, which the reader uses to put a row with missing
figures back in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layout:
    kind: str
    labels: tuple[str, ...]
    amounts: tuple[str, ...]
    # (total column, part columns): total == sum(parts) on every row.
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Columns that are usually empty; a row missing figures most likely misses these.
    optional: frozenset[str] = field(default_factory=frozenset)
    # Words the printed header must contain for this layout to apply.
    header_words: tuple[str, ...] = ()
    # Label columns printed after the figures.
    trailing: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [*self.labels, *self.amounts, *self.trailing]


_INCOME_SOURCES = (
    "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "事业收入",
    "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入",
)
_CARRY_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金")

INCOME_SUMMARY = Layout(
    kind="income_summary",
    labels=("部门（单位）代码", "部门（单位）名称"),
    amounts=(
        "合计",
        "本年收入/小计", *(f"本年收入/{s}" for s in _INCOME_SOURCES),
        "上年结转结余/小计", *(f"上年结转结余/{s}" for s in _CARRY_SOURCES),
    ),
    sums=(
        ("合计", ("本年收入/小计", "上年结转结余/小计")),
        ("本年收入/小计", tuple(f"本年收入/{s}" for s in _INCOME_SOURCES)),
        ("上年结转结余/小计", tuple(f"上年结转结余/{s}" for s in _CARRY_SOURCES)),
    ),
    header_words=("本年收入", "上年结转结余", "事业收入"),
)

EXPENDITURE_SUMMARY = Layout(
    kind="expenditure_summary",
    labels=("科目编码", "科目名称"),
    amounts=("合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"),
    sums=(("合计", ("基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出")),),
    optional=frozenset({"事业单位经营支出", "上缴上级支出", "对附属单位补助支出"}),
    header_words=("基本支出", "项目支出"),
)

GENERAL_BUDGET_EXPENDITURE = Layout(
    kind="general_budget_expenditure",
    labels=("科目编码", "科目名称"),
    amounts=("合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"),
    sums=(
        ("合计", ("基本支出/小计", "项目支出")),
        ("基本支出/小计", ("基本支出/人员经费", "基本支出/公用经费")),
    ),
    header_words=("人员经费", "公用经费", "项目支出"),
)

GENERAL_BUDGET_BASIC = Layout(
    kind="general_budget_basic_expenditure",
    labels=("科目编码", "科目名称"),
    amounts=("合计", "人员经费", "公用经费"),
    sums=(("合计", ("人员经费", "公用经费")),),
    header_words=("人员经费", "公用经费"),
)

THREE_PUBLIC = Layout(
    kind="three_public",
    labels=(),
    amounts=(
        "合计", "因公出国（境）费", "公务用车购置及运行费/小计",
        "公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费", "公务接待费",
    ),
    sums=(
        ("合计", ("因公出国（境）费", "公务用车购置及运行费/小计", "公务接待费")),
        ("公务用车购置及运行费/小计",
         ("公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费")),
    ),
    header_words=("公务接待费",),
)

GOVERNMENT_FUND = Layout(
    kind="government_fund_expenditure",
    labels=("科目编码", "科目名称"),
    amounts=("合计", "基本支出", "项目支出"),
    sums=(("合计", ("基本支出", "项目支出")),),
    header_words=("基本支出", "项目支出"),
)

_APPROPRIATION = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
PROJECT_EXPENDITURE = Layout(
    kind="project_expenditure",
    labels=("项目编码", "项目名称", "项目单位"),
    amounts=(
        "合计",
        *(f"本年拨款/{s}" for s in _APPROPRIATION),
        *(f"财政拨款结转结余/{s}" for s in _APPROPRIATION),
        "财政专户管理资金", "单位资金",
    ),
    sums=(("合计", (
        *(f"本年拨款/{s}" for s in _APPROPRIATION),
        *(f"财政拨款结转结余/{s}" for s in _APPROPRIATION),
        "财政专户管理资金", "单位资金",
    )),),
    header_words=("项目编码", "本年拨款"),
)

PROCUREMENT = Layout(
    kind="procurement",
    labels=("单位代码", "单位名称", "项目", "政府采购品目", "功能科目", "部门支出经济分类", "资金来源", "资金性质"),
    amounts=(
        "采购数量", "单价（元）", "计量单位",
        "采购金额/合计", "采购金额/其中面向中小企业", "采购金额/其中面向微小企业",
    ),
    optional=frozenset({"计量单位"}),
    header_words=("采购", "单价"),
)

PURCHASE_OF_SERVICES = Layout(
    kind="purchase_of_services",
    labels=(
        "单位代码", "单位名称", "是否包含政府采购", "项目", "政府购买服务内容",
    ),
    amounts=("购买数量", "购买金额"),
    trailing=(
        "资金来源", "资金性质", "支出功能分类科目", "部门支出经济分类",
        "政府购买服务指导目录/一级目录", "政府购买服务指导目录/二级目录", "政府购买服务指导目录/三级目录",
    ),
    header_words=("购买", "服务"),
)

ASSET_ALLOCATION = Layout(
    kind="asset_allocation",
    labels=("单位代码", "单位名称", "项目", "支出功能分类科目", "资产分类", "资产名称"),
    amounts=("资产数量", "单价（元）", "总金额（元）"),
    header_words=("资产",),
)

# Two-sided summaries: income items left, expenditure items right.
TWO_SIDED_COLUMNS = ("收入/项目", "收入/预算数", "支出/项目", "支出/预算数")
TWO_SIDED_KINDS = frozenset({"income_expenditure_summary", "fiscal_appropriation_summary"})

LAYOUTS: dict[str, Layout] = {
    layout.kind: layout
    for layout in (
        INCOME_SUMMARY, EXPENDITURE_SUMMARY, GENERAL_BUDGET_EXPENDITURE, GENERAL_BUDGET_BASIC,
        THREE_PUBLIC, GOVERNMENT_FUND, PROJECT_EXPENDITURE, PROCUREMENT, PURCHASE_OF_SERVICES,
        ASSET_ALLOCATION,
    )
}
