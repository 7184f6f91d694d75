"""Every text an analyst reads, in plain Chinese: one set of templates for the report, `budget findings` and the
workbook, filled from a finding's structured fields (its check kind and place, the figures it compares as the
document prints them, the numbers) rather than from the SQL's descriptions. Internal names (check kinds,
measures, table kinds) stay in the warehouse's views for analysts who query; what a person reads names things in
the document's own words: the table's number and title, the row's code and name, the column as printed, the
narrative's phrase, figures in the unit and decimals the document prints with the unit written.

The glossary fixes each term once; every page that uses a term links to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Iterable

from .read.catalogue import TABLE_NAMES_ZH

GLOSSARY: dict[str, str] = {
    "矛盾": "文件自己印出的数字互相矛盾：差额超出印刷精度允许的四舍五入，我们试过的各种读错的可能（漏读一行、重复计入、"
            "读错栏或单位、句子说的是另一个数）都解释不了。每个矛盾都可以对照原文页核实。",
    "后果": "同一个错数字连带使其他关系也不成立：列在它的矛盾之下，不另算。",
    "读数存疑": "我们没有把握读对的表格或数字（如漏读、错栏、单位不明）：用到它们的关系不作判定，不算文件的错误，请对照原文。",
    "尾差": "在四舍五入允许范围内的差额：各数分别四舍五入后相加，与印出的合计差一两个末位单位是常事，仅作提示。",
    "警告": "提示性检查未通过（如经济分类与功能分类的对应关系）：值得一看，但不能证明文件有错。",
    "无法核对": "文件说了一个数，但表格中没有唯一可与之对照的数字（表格未印出、未读到，或印有几个不同的数）。",
    "未能读全": "文件目录列出的表格有没读到的：其中的数字无法核对，没有发现矛盾不等于没有问题。",
}

ROLE_NAMES = {
    "contradiction": "矛盾",
    "consequence": "后果",
    "reading_doubt": "读数存疑",
    "doubted": "未判定",
    "warning": "警告",
    "unverifiable": "无法核对",
    "rounding_residue": "尾差",
}
STATUS_NAMES = {"pass": "成立", "fail": "不成立", "doubt": "未判定", "unverified": "无法核对"}
READING_NAMES = {"good": "良好", "check": "需复核", "poor": "较差"}
VERDICT_NAMES = {"confirmed": "已确认", "not_an_error": "不是错误"}
# reading problems (v_ingest_issue): at which step, and how grave
STAGE_NAMES = {"discover": "识别文件", "read": "读取", "normalize": "整理数字"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "说明"}
CHECK_KIND_NAMES = {
    "row_arithmetic": "行内加总",
    "hierarchy": "类款项层级加总",
    "balance": "收支平衡",
    "cross_table": "表间一致",
    "cross_classification": "功能分类与经济分类对应",
    "narrative_vs_table": "文字说明与表格",
    "shares": "占比",
    "year_over_year": "比上年增减",
    "year_over_year_across_documents": "与上年文件比较",
    "counts": "数量",
    "procurement": "政府采购",
    "purchase_of_services": "政府购买服务",
    "performance_targets_twice": "绩效目标与项目表",
    "reading_doubt": "读数存疑",
}
TABLE_KIND_NAMES = {**TABLE_NAMES_ZH, "narrative": "文字说明"}  # the tables by the names the templates print

TEN_THOUSAND = Decimal(10000)

# ------------------------------------------------------------------------------------------ numbers


def decimal(value: Any) -> Decimal | None:
    """An exact number from a value of the warehouse (Decimal, text, int; a float by its shortest spelling)."""
    try:
        if value is None or bool(value != value):  # None and NaN
            return None
    except TypeError:  # pandas' NA
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value).replace(",", ""))
    except (InvalidOperation, TypeError):
        return None


def number(value: Any, places: int = 2) -> str:
    """Exact, with thousands separators, to ``places`` decimals (rounded half-up), or more when it has them."""
    n = decimal(value)
    if n is None:
        return "—"
    if not n.is_finite():
        return str(n)
    exponent = n.normalize().as_tuple().exponent
    shown = max(places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return f"{n:,.{shown}f}"


def amount(value: Any, unit: str, places: int = 2) -> str:
    """A figure with its unit written: 1,234.56万元, 26.84%, 12人."""
    return f"{number(value, places)}{unit}"


@dataclass(frozen=True)
class Printed:
    """How a finding's figures are printed: the unit and decimals of the figure it checks."""

    unit: str
    places: int
    per_unit: Decimal  # the check's numbers (in 元 for table figures) per printed unit

    def show(self, value: Any) -> str:
        n = decimal(value)
        return "—" if n is None else amount(n / self.per_unit, self.unit, self.places)


_STATED = re.compile(r"^(?P<value>-?[\d,]*\.?\d+)\s*(?P<unit>.*)$")


def printed_as(stated: str | None, in_yuan: bool) -> Printed:
    """The unit and decimals of a figure as v_finding_cell states it ("25530.51万元", "94995790.00元", "21.95%")."""
    m = _STATED.match(stated or "")
    unit = (m.group("unit") if m else "") or ("元" if in_yuan else "")
    if m is None:
        return Printed(unit, 2, Decimal(1))  # not known: to the 分, as most tables print
    places = len(m.group("value").split(".", 1)[1]) if "." in m.group("value") else 0
    per_unit = TEN_THOUSAND if in_yuan and unit == "万元" else Decimal(1)
    return Printed(unit, places, per_unit)


# ------------------------------------------------------------------------------------------ narrative measures

_MEASURE_WORDS = {
    # what a stated figure speaks of, where the narrative's own vocabulary has no single phrase for it
    "total_budget": "收支总预算", "income_total": "收入预算", "expenditure_total": "支出预算",
    "personnel": "人员经费", "public": "公用经费", "operating_cost": "机关运行经费",
    "three_public.total": "“三公”经费", "procurement.total": "政府采购预算", "purchase_of_services.total": "政府购买服务预算",
    "general_budget_expenditure_total": "一般公共预算支出", "general_budget_basic_total": "一般公共预算基本支出",
    "fiscal.expenditure_total": "财政拨款支出", "fiscal_appropriation_total": "财政拨款收支总预算",
    "expenditure.basic": "基本支出", "expenditure.project": "项目支出", "income.carryover": "上年结转",
    "procurement.goods": "政府采购货物预算", "procurement.works": "政府采购工程预算",
    "procurement.services": "政府采购服务预算", "units.count": "所属预算单位数", "units.listed": "列出的单位数",
    "equipment_over_threshold.unit_price_floor": "设备购置的单价界限",
    "equipment_over_threshold.count": "单价超过界限的设备数",
    "headcount.authorized_total": "编制人数", "headcount.actual_total": "实有人数",
    "headcount.retired_total": "离退休人数", "income.fiscal": "财政拨款收入", "form.income.fiscal": "财政拨款收入",
    "expenditure.personnel": "人员经费", "expenditure.public": "公用经费",
    "procurement.sme_reserved": "面向中小企业预留的采购预算", "procurement.small_micro_reserved": "预留给小微企业的采购预算",
    "units.listed_subordinate": "列出的下属单位数",
}
_PREFIX_WORDS = {"fiscal.": "财政拨款", "general_budget.": "一般公共预算", "gov_fund.": "政府性基金",
                 "prior_year.": "上年", "form.": "绩效表中的", "performance_targets.": "绩效目标中的",
                 "vehicle_purchase_plan.": "拟购置的"}
_SUFFIX_WORDS = {".change_pct": "增减幅度", ".change": "增减额", ".share": "占比", ".carryover": "上年结转",
                 ".completion_pct": "完成比例", ".rate": "比率", ".initial_budget": "年初预算",
                 ".full_year_budget": "全年预算", ".adjusted_budget": "调整预算", ".above_target_pp": "超出目标的百分点",
                 ".below_target_pp": "低于目标的百分点"}


@cache
def _vocabulary() -> dict[str, str]:
    """measure → the narrative phrase that names it (the shortest of the reader's vocabulary)."""
    from .read import narrative

    names: dict[str, str] = {}
    counted = [pair for pairs in narrative.COUNT_VOCABULARY.values() for pair in pairs]
    for phrase, measure in [*narrative.VOCABULARY.items(), *narrative.RELATIVE_VOCABULARY.items(), *counted]:
        if measure not in names or len(phrase) < len(names[measure]):
            names[measure] = phrase
    groups = {"authorized": "编制", "actual": "实有", "retired": "离退休"}
    kinds = {"admin": "行政", "institution": "事业", "worker": "工勤", "civil_service_managed": "参照公务员法管理",
             "admin_auxiliary": "行政附属", "regular": "退休", "veteran": "离休"}
    for group, group_word in groups.items():
        for kind, kind_word in kinds.items():
            names[f"headcount.{group}_{kind}"] = f"{group_word}{kind_word}人数"
    return {**names, **_MEASURE_WORDS}


def measure_name(measure: str | None) -> str:
    """What a narrative measure speaks of, in the document's words: 住房改革支出/住房公积金, 基本支出的增减额 …"""
    if not measure or measure == "unknown":
        return "文中的数字"
    words = _vocabulary()
    if measure in words:
        return words[measure]
    for suffix, word in _SUFFIX_WORDS.items():
        if measure.endswith(suffix) and measure != suffix:
            return f"{measure_name(measure[: -len(suffix)])}的{word}"
    for prefix in ("function:", "project:", "item:", "performance_review:", "performance_targets:", "project_form:",
                   "headcount:"):
        if measure.startswith(prefix):
            return measure[len(prefix):].split(".funds_")[0] or "文中的数字"
    if measure.startswith("part:"):
        whole, _, part = measure[5:].rpartition("/")
        return f"{measure_name(whole)}中的{measure_name(part)}"
    for prefix, word in _PREFIX_WORDS.items():
        if measure.startswith(prefix):
            return word + measure_name(measure[len(prefix):])
    return words.get(measure) or (measure if not re.search(r"[A-Za-z]", measure) else "文中的数字")


# ------------------------------------------------------------------------------------------ findings

_PARTS = {"类 = Σ款": "它的各款", "款 = Σ项": "它的各项", "合计 = Σ类": "各类", "单位合计 = Σ类": "本单位各类",
          "合计 = Σ最上级科目": "各科目", "合计 = Σ单位": "各单位", "合计 = Σ项目": "各项目"}


_TABLE_KINDS = frozenset({"row_arithmetic", "hierarchy", "balance", "cross_table", "cross_classification"})


def finding_printed(finding: dict, figures: list[dict]) -> Printed:
    """How a finding's numbers (expected, actual, difference, tolerance) are shown: in the unit and decimals of the
    figure it checks as the document prints it (a table's in 元 or 万元; a sentence's in 万元 or %)."""
    kind = str(finding.get("check_kind"))
    if kind in _TABLE_KINDS or (kind in ("procurement", "purchase_of_services") and not _narrative_measure(finding)):
        return printed_as(figures[0].get("stated") if figures else None, in_yuan=True)
    claim = _stated_claim(figures)
    printed = printed_as(claim.get("stated") if claim else None, in_yuan=False)
    if claim is None or not printed.unit:
        unit = "人" if _place(finding)[0] == "headcount" else "个" if kind == "counts" else \
            "%" if (_narrative_measure(finding) or "").endswith((".change_pct", ".share")) else "万元"
        places = 0 if kind == "counts" else 2
        return Printed(unit, places, Decimal(1))
    return printed


def _place(finding: dict) -> list[str]:
    return str(finding.get("place_key") or "").split("|")


def _narrative_measure(finding: dict) -> str | None:
    place = _place(finding)
    return place[1] if len(place) > 1 and place[0] in ("narrative", "across") else None


def figure_label(figure: dict) -> str:
    """A figure as the document prints it and where: 表5 一般公共预算支出表 20101 人大事务 [合计] 1,234.56万元, or
    what a sentence's figure speaks of and its value."""
    stated = stated_text(figure.get("stated"))
    if figure.get("measure"):
        return f"文中的{measure_name(figure['measure'])}{stated}"
    return f"{figure.get('what') or ''} {stated}".strip()


def stated_text(stated: str | None) -> str:
    """A figure as v_finding_cell states it, with thousands separators: 94995790元 → 94,995,790元."""
    m = _STATED.match(stated or "")
    if not m:
        return stated or ""
    value = m.group("value").replace(",", "")
    places = len(value.split(".", 1)[1]) if "." in value else 0
    return f"{number(value, places)}{m.group('unit')}"


def _figures_text(figures: Iterable[dict], limit: int = 4) -> str:
    shown = [figure_label(f) for f in figures]
    if len(shown) > limit:
        return "、".join(shown[:limit]) + f" 等{len(shown)}个数字"
    return "、".join(shown)


def _gap(finding: dict, printed: Printed) -> str:
    difference = decimal(finding.get("difference"))
    if not difference:
        return ""
    text = f"，相差{printed.show(abs(difference))}"
    tolerance = decimal(finding.get("tolerance"))
    if tolerance:
        text += f"（四舍五入最多可差{printed.show(tolerance)}）"
    return text


def _stated_claim(figures: list[dict]) -> dict | None:
    return next((f for f in figures if str(f.get("figure", "")).startswith("narrative#")), None)


def _table_figures(figures: list[dict]) -> list[dict]:
    return [f for f in figures if not str(f.get("figure", "")).startswith("narrative#")]


def finding_text(finding: dict, figures: list[dict]) -> str:
    """A finding in one or two plain sentences: what the document prints where, what its other figures give, and by
    how much they differ. ``finding``: a row of v_check_result; ``figures``: its rows of v_finding_cell, in order."""
    kind = str(finding.get("check_kind"))
    if kind == "reading_doubt":
        return str(finding.get("description") or "")
    if kind in ("cross_table", "cross_classification"):
        return _pair_text(finding, figures)
    if kind in ("row_arithmetic", "hierarchy", "balance") or (
            kind in ("procurement", "purchase_of_services") and not _narrative_measure(finding)):
        return _sum_text(finding, figures)
    return _claim_text(finding, figures)


def _sum_text(finding: dict, figures: list[dict]) -> str:
    """A printed total against the sum of its parts (a table's own arithmetic)."""
    if not figures:
        printed = printed_as(None, in_yuan=True)
        return (f"印出{printed.show(finding.get('actual'))}，各组成部分相加为{printed.show(finding.get('expected'))}"
                + _gap(finding, printed) + "。")
    checked, parts = figures[0], figures[1:]
    printed = finding_printed(finding, figures)
    place = _place(finding)
    relation = place[-1] if len(place) > 1 else ""
    if str(finding.get("check_kind")) == "hierarchy":
        whose = _PARTS.get(relation, "各组成部分")
    elif str(finding.get("check_kind")) == "row_arithmetic":
        whose = "同一行的" + "、".join(_column(f) for f in parts[:4]) + ("等各栏" if len(parts) > 4 else "")
    else:
        whose = "、".join(_label(f) for f in parts[:4]) + ("等" if len(parts) > 4 else "")
    counted = f"（{len(parts)}个数字）相加为" if len(parts) > 1 else "为"
    text = f"{checked.get('what')} 印出{printed.show(finding.get('actual'))}，{whose}{counted}{printed.show(finding.get('expected'))}"
    return text + _gap(finding, printed) + "。"


def _pair_text(finding: dict, figures: list[dict]) -> str:
    printed = finding_printed(finding, figures)
    if len(figures) >= 2:
        text = f"{figures[0].get('what')} 印出{printed.show(finding.get('actual'))}，" \
               f"{_figures_text(figures[1:], 3)} 给出{printed.show(finding.get('expected'))}"
    else:
        text = f"两处应当相同的数字：一处{printed.show(finding.get('actual'))}，另一处{printed.show(finding.get('expected'))}"
    return text + _gap(finding, printed) + "。"


def _count_text(finding: dict) -> str:
    """A stated count (编制人数, 单位数) against the counts it is made of or the units listed."""
    place = _place(finding)
    unit = "人" if place[0] == "headcount" else "个"
    name = {"headcount": "人数", "units": "单位数"}.get(place[0], "数量")
    if finding.get("expected") is None:
        return f"文中说的{name}（{amount(finding.get('actual'), unit, 0)}）没有可对照的数字。"
    return (f"文中说的{name}是{amount(finding.get('actual'), unit, 0)}，"
            f"按它的各组成部分（或列出的单位）应为{amount(finding.get('expected'), unit, 0)}。")


def _claim_text(finding: dict, figures: list[dict]) -> str:
    """A figure stated in the text (or a 绩效 form) against what the tables or its own sentence give."""
    if str(finding.get("check_kind")) == "counts":
        return _count_text(finding)
    measure = _narrative_measure(finding)
    claim = _stated_claim(figures)
    printed = finding_printed(finding, figures)
    place = _place(finding)
    name = measure_name(measure)
    stated = printed.show(finding.get("actual"))
    if place[-1:] == ["direction"]:
        sign = decimal(finding.get("expected"))
        word = {1: "增加", -1: "减少", 0: "持平"}.get(int(sign) if sign is not None else 2)
        if word is None:
            return f"文中说{name}比上年“{_direction(finding)}”，但文件没有印出可对照的上年数字。"
        return f"文中说{name}比上年“{_direction(finding)}”，但按上年和本年的数字是{word}。"
    if finding.get("expected") is None:
        return f"文中说{name}{stated}，表格中没有唯一可与之对照的数字。"
    if finding.get("finding_role") == "unverifiable":  # what the sentence speaks of is uncertain (its confidence)
        return f"文中说{name}{stated}，不能确定它说的就是表中对照的那个数，无法核对。"
    tables = _table_figures(figures)
    expected, tolerance = decimal(finding.get("expected")), decimal(finding.get("tolerance")) or Decimal(0)
    allowed = (printed.show(expected) if not tolerance else
               f"{number(expected - tolerance, printed.places)}～{printed.show(expected + tolerance)}")
    if place[-1:] == ["in_sentence"]:
        source = "按同一句中的金额算得"
    elif tables:
        source = f"按{_figures_text(tables, 3)}，按文中的精度应为"
    elif claim is not None and len(figures) > 1:
        source = f"按{_figures_text([f for f in figures if f is not claim], 3)}算得"
    else:
        source = "按文件的其他数字应为"
    actual = decimal(finding.get("actual"))
    beyond = abs(actual - expected) - tolerance if actual is not None else Decimal(0)
    gap = f"，相差{printed.show(beyond)}" if beyond > 0 else ""
    return f"文中说{name}{stated}；{source}{allowed}{gap}。"


def _direction(finding: dict) -> str:
    actual = decimal(finding.get("actual"))
    return {1: "增加", -1: "减少"}.get(int(actual) if actual is not None else 0, "持平")


def _column(figure: dict) -> str:
    m = re.search(r"\[([^\]]*)\]$", str(figure.get("what") or ""))
    return m.group(1) if m else str(figure.get("what") or "")


def _label(figure: dict) -> str:
    what = str(figure.get("what") or "")
    return re.sub(r"\s*\[[^\]]*\]$", "", what)


def confidence_label(finding: dict) -> str:
    """What a finding's ``confidence`` says: why a contradiction is trusted, or why a claim could not be checked."""
    return "为何无法核对" if finding.get("finding_role") == "unverifiable" else "为何可信"


def evidence_caption(source_file: str, page: int, named: bool) -> str:
    """What an evidence crop shows: the figure named as off in red, or, where none is named, that the relation does
    not tell which."""
    if named:
        return f"{source_file} 第{page}页：红框是被认为有误的数字，蓝框是与它相关的数字"
    return f"{source_file} 第{page}页：蓝框是这一关系中的数字；未能确定哪个数字有误"


def change_text(change: str | None) -> str:
    return {"new": "本次新发现", "still_open": "仍未解决", "resolved": "已解决"}.get(change or "", "")
