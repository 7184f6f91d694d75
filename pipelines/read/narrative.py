"""Figures stated in running text, and the indicators of the 绩效目标 forms.

Pure functions over a document's text lines (reading order, every line of the file, tables
included). The reader finds the sections itself:

* 第一部分 概况 (or a "…主要职能" / "…机构设置" page): headcounts and unit counts;
* 第三部分 …情况说明 (or a "…编制说明" / "其他相关情况说明" page): every 万元 figure, share,
  stated change and count of the narrative;
* the 绩效目标 forms (项目专项 申报表 and 部门整体支出绩效目标申报表): project funding,
  the department's current and prior-year totals, and every indicator row.

Table bodies (附表4-1 …, 公开01表 …, 预算10表 …, titled tables such as 2025年部门财务收支预算总表)
are skipped. Nothing here raises on odd text: a line that cannot be read is left out.

Measure names are English snake_case with dots. The vocabulary is in ``VOCABULARY`` (context-free
phrases), ``RELATIVE_VOCABULARY`` (phrases whose meaning depends on the sub-section: prefixed
with ``CONTEXT_PREFIX``), ``CONTEXT_VOCABULARY`` (sub-section specific, checked first) and
``COUNT_VOCABULARY``. Suffixes: ``.share`` (占 x%), ``.change`` (stated change in the figure's
unit, ``direction`` 增加/减少 …), ``.change_pct`` (stated change in %), ``.completion_pct``
(完成目标/预算的 x%), ``.above_target_pp`` (超过…值 x 个百分点), ``.carryover`` (上年结转 of a fund).
Fall-backs, always specific: ``function:<类>/<款>/<项>`` for functional-classification items,
``project:<name>`` for the projects listed under 项目支出, ``item:<label>`` (or
``performance_review:<label>`` / ``performance_targets:<label>``) for anything else, named by the
phrase printed before the number.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from .model import NarrativeFigure, PerformanceTarget, SourceRef, TextLine
from .numbers import parse_amount

__all__ = [
    "NarrativeResult",
    "extract_narrative",
    "detect_year",
    "VOCABULARY",
    "RELATIVE_VOCABULARY",
    "CONTEXT_VOCABULARY",
    "CONTEXT_PREFIX",
    "COUNT_VOCABULARY",
    "UNKNOWN_MEASURE",
]

SECTION_OVERVIEW = "第一部分"
SECTION_NOTES = "第三部分"
SECTION_FORMS = "绩效目标"
DEPARTMENT_FORM = "部门整体"

_HEAD_UNIT_RE = re.compile(r"[(（](?:本部|本级|机关本级)[)）]|(?:本部|本级)[。；;]?$")
# 年初预算为 0 万元，全年预算为 321.02 万元 (决算): budget figures of a line, not the line's figure itself
_BUDGET_KIND_RE = re.compile(r"(年初预算|全年预算|调整预算|调整后预算)数?(?:为|是)?$")
_BUDGET_KIND_SUFFIX = {"年初预算": "initial_budget", "全年预算": "full_year_budget", "调整预算": "adjusted_budget",
                       "调整后预算": "adjusted_budget"}
UNKNOWN_MEASURE = "unknown"  # only when a figure has no label and nothing precedes it

# --------------------------------------------------------------------------------------------
# Vocabulary. Phrases are matched on a normalised label (no spaces, quotes, 、; ASCII brackets).
# The phrase printed nearest before the number wins (longest on a tie).
# --------------------------------------------------------------------------------------------

VOCABULARY: dict[str, str] = {
    # totals
    "部门收支总预算": "total_budget",
    "收支总预算": "total_budget",
    "收支预算总计": "total_budget",
    "收入支出预算总计": "total_budget",
    "收入支出总计": "total_budget",
    "收支总计": "total_budget",
    "部门收入预算": "income_total",
    "收入预算总计": "income_total",
    "收入预算合计": "income_total",
    "本年收入合计": "income_total",
    "收入预算": "income_total",
    "部门支出预算": "expenditure_total",
    "支出预算总计": "expenditure_total",
    "支出预算合计": "expenditure_total",
    "本年支出合计": "expenditure_total",
    "支出预算": "expenditure_total",
    # fiscal appropriations
    "财政拨款收支总预算": "fiscal_appropriation_total",
    "财政拨款收支总计": "fiscal_appropriation_total",
    "财政拨款收入支出总计": "fiscal_appropriation_total",
    "财政拨款收入": "income.fiscal_appropriation",
    "财政拨款收入预算总计": "income.fiscal_appropriation",
    "财政拨款支出": "fiscal.expenditure_total",
    "财政拨款预算支出": "fiscal.expenditure_total",
    "财政拨款支出预算": "fiscal.expenditure_total",
    "财政拨款基本支出": "fiscal.expenditure.basic",
    "一般公共预算收入": "income.general_public_budget",
    "一般公共预算收入预算": "income.general_public_budget",
    "政府性基金收入": "income.government_fund",
    "政府性基金收入预算": "income.government_fund",
    "财政专户管理资金收入": "income.special_account",
    "其他资金收入": "income.other_funds",
    "上年结转资金": "income.carryover",
    "财政专户管理资金收入预算总计": "income.special_account",
    "其他资金收入预算总计": "income.other_funds",
    # general public budget expenditure
    "一般公共预算支出预算": "general_budget_expenditure_total",
    "一般公共预算支出": "general_budget_expenditure_total",
    "一般公共预算拨款支出预算": "general_budget_expenditure_total",
    "一般公共预算财政拨款支出": "general_budget_expenditure_total",
    "一般公共预算财政拨款支出预算": "general_budget_expenditure_total",
    "一般公共预算基本支出": "general_budget_basic_total",
    "一般公共预算财政拨款基本支出": "general_budget_basic_total",
    "政府性基金拨款支出预算": "gov_fund.expenditure_total",
    "政府性基金支出预算": "gov_fund.expenditure_total",
    "国有资本经营预算拨款支出预算": "state_capital.expenditure_total",
    # basic expenditure by kind
    "人员经费": "personnel",
    "公用经费": "public",
    "工资福利支出": "economic.301",
    "商品和服务支出": "economic.302",
    "对个人和家庭的补助": "economic.303",
    "资本性支出": "economic.310",
    # 三公
    "三公经费": "three_public.total",
    "因公出国(境)": "three_public.overseas",
    "公务用车购置及运行维护费": "three_public.vehicle",
    "公务用车购置及运行费": "three_public.vehicle",
    "公务用车购置及运行维": "three_public.vehicle",
    "公务用车购置费": "three_public.vehicle_purchase",
    "公务用车购置": "three_public.vehicle_purchase",
    "公务用车运行维护费": "three_public.vehicle_operation",
    "公务用车运行费": "three_public.vehicle_operation",
    "公务接待费": "three_public.reception",
    "会议费": "meeting_fee",
    "培训费": "training_fee",
    # other notes
    "机关运行经费": "operating_cost",
    "政府采购": "procurement.total",
    "政府购买服务": "purchase_of_services.total",
}

# Meaning depends on the sub-section: the measure gets CONTEXT_PREFIX[context] in front.
RELATIVE_VOCABULARY: dict[str, str] = {
    "一般公共预算": "income.general_public_budget",
    "一般公共预算财政拨款": "income.general_public_budget",
    "政府性基金预算": "income.government_fund",
    "政府性基金预算财政拨款": "income.government_fund",
    "国有资本经营预算": "income.state_capital",
    "国有资本经营预算财政拨款": "income.state_capital",
    "财政专户管理资金": "income.special_account",
    "事业收入": "income.business",
    "事业单位经营收入": "income.operating",
    "上级补助收入": "income.higher_level_subsidy",
    "附属单位上缴收入": "income.subordinate_remittance",
    "其他收入": "income.other",
    "其他资金": "income.other_funds",
    "上年结转": "income.carryover",
    "上年结转结余": "income.carryover",
    "年终结转结余": "expenditure.carry_forward",
    "基本支出": "expenditure.basic",
    "项目支出": "expenditure.project",
    "事业单位经营支出": "expenditure.operating",
    "上缴上级支出": "expenditure.remit_to_higher",
    "对附属单位补助支出": "expenditure.subordinate_subsidy",
    "单位预留机动经费": "expenditure.reserve",
    "结转下年资金": "expenditure.carry_forward",
    "结转下年": "expenditure.carry_forward",
}


def _expand(vocab: dict[str, str]) -> None:
    """"基本支出预算数为 …" means 基本支出: register every …支出/…收入 phrase with 预算 appended."""
    for phrase, measure in list(vocab.items()):
        if phrase.endswith(("支出", "收入")) and phrase + "预算" not in vocab:
            vocab[phrase + "预算"] = measure


_expand(VOCABULARY)
_expand(RELATIVE_VOCABULARY)

CONTEXT_PREFIX: dict[str, str] = {
    "fiscal": "fiscal.",
    "general_budget": "general_budget.",
    "general_basic": "general_budget.",
    "gov_fund": "gov_fund.",
    "performance_targets": "performance_targets.",
}

# What a bare "比上年减少 x 万元" speaks of when nothing precedes it in the paragraph.
CONTEXT_DEFAULT: dict[str, str] = {
    "gov_fund": "gov_fund.expenditure_total",
    "state_capital": "state_capital.expenditure_total",
    "three_public": "three_public.total",
    "operating_cost": "operating_cost",
    "procurement": "procurement.total",
    "purchase_of_services": "purchase_of_services.total",
}

# Sub-section specific phrases, checked first and in order (first phrase found wins).
CONTEXT_VOCABULARY: dict[str, list[tuple[str, str]]] = {
    "three_public": [
        ("公务用车购置费", "three_public.vehicle_purchase"),
        ("公务用车运行维护费", "three_public.vehicle_operation"),
        ("公务用车运行费", "three_public.vehicle_operation"),
        ("公务用车购置及运行", "three_public.vehicle"),
        ("公务用车购置", "three_public.vehicle_purchase"),
        ("因公出国(境)", "three_public.overseas"),
        ("公务接待", "three_public.reception"),
        ("会议费", "meeting_fee"),
        ("培训费", "training_fee"),
        ("三公", "three_public.total"),
    ],
    "procurement": [
        ("小型和微型企业", "procurement.small_micro_reserved"),
        ("小微企业", "procurement.small_micro_reserved"),
        ("中小企业", "procurement.sme_reserved"),
        ("货物", "procurement.goods"),
        ("工程", "procurement.works"),
        ("服务", "procurement.services"),
        ("采购", "procurement.total"),
    ],
}

# Counts (人/名, 个/家, 辆, 台(套)): phrase → measure, first found wins.
COUNT_VOCABULARY: dict[str, list[tuple[str, str]]] = {
    "vehicles": [
        ("部级领导干部用车", "vehicles.ministerial"),
        ("主要领导干部用车", "vehicles.principal_leader"),
        ("机要通信用车", "vehicles.confidential_comm"),
        ("应急保障用车", "vehicles.emergency"),
        ("一般执法执勤用车", "vehicles.law_enforcement"),
        ("执法执勤用车", "vehicles.law_enforcement"),
        ("特种专业技术用车", "vehicles.special_technical"),
        ("离退休干部用车", "vehicles.retired_cadres"),
        ("一般公务用车", "vehicles.general_official"),
        ("其他用车", "vehicles.other"),
        ("车辆", "vehicles.total"),
    ],
    "units": [
        ("参照公务员法管理", "units.civil_service_managed"),
        ("参公", "units.civil_service_managed"),
        ("行政单位", "units.admin"),
        ("机关", "units.admin"),
        ("二级", "units.count"),
        ("事业单位", "units.institution"),
        ("预算单位", "units.count"),
        ("单位", "units.count"),
    ],
}

# 万 元 with a space: letter-spaced justified text (江苏省人民检察院 2018: 拟采购货物支出 268 万 元)
UNIT_PATTERN = r"万 ?元|亿 ?元|个百分点|%|元|人|名|个|家|辆|台\(套\)|台（套）|项|件|次|场|户|台|套"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE_RE = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})\s*(?P<unit>{UNIT_PATTERN})")
_CLAUSE_DELIMS = "，,。；;：:"
_SENTENCE_END = "。；;！？!?"
_COMPARE_RE = re.compile(
    r"(?:比|较|与)\s*(?:(?P<y>\d{4})\s*年度?|上年度?|上一年度?)(?:预算|决算)?(?:数)?(?:相比)?|同比"
)
_CHANGE_END_RE = re.compile(
    r"(?P<w>增加|减少|增长|下降|降低|上升|提高|压减|减|增)\s*(?:[(（][^)）]*[)）])?$"
)
_CN_NUM = "一二三四五六七八九十"
_MAJOR_MARK_RE = re.compile(rf"^[{_CN_NUM}]+[、.．]")
_MINOR_MARK_RE = re.compile(rf"^(?:[(（][{_CN_NUM}\d]+[)）]|\d{{1,2}}(?:[.．](?!\d)|、))")
_LEAD_MARK_RE = re.compile(
    rf"^(?:[(（][{_CN_NUM}\d]+[)）]|[{_CN_NUM}]+[、.．]|\d{{1,2}}(?:[.．](?!\d)|、))\s*"
)
_FUND_RE = re.compile(r"一般公共预算|政府性基金|国有资本经营|财政专户")
# A clause that lists what the sentence's subject is made of or spent on: its figures are that subject's parts.
_PART_OF_RE = re.compile(r"^[，,、；;：:\s]*(?:主要用于|用于|主要包括|包括|其中|含)")
_SUB_ENTITY = ("function:", "project:", "item:")  # measures of something below the department
_GENERIC_ITEM = re.compile(r"(预算|决算|预算数|决算数|金额|资金|支出|合计|总计|小计)$")


def _names_a_subject(measure: str) -> bool:
    """A sentence's first amount names something below the department: a functional item, a project, or an item
    named in words ("信访大厅运行"), not a bare word that takes its subject from the heading ("2026年预算数")."""
    if measure.startswith(("function:", "project:")):
        return True
    label = measure[5:] if measure.startswith("item:") else ""
    return len(label) >= 4 and not _GENERIC_ITEM.fullmatch(label) and not re.fullmatch(r".{0,2}(预算|决算)数?", label)
_PAGE_FOOTER_RE = re.compile(r"^[─—\-－]+\s*\d+\s*[─—\-－]+$")
_PUNCT = "，。；：,;:！？"


@dataclass
class NarrativeResult:
    """What the narrative of one document states."""

    figures: list[NarrativeFigure] = field(default_factory=list)
    targets: list[PerformanceTarget] = field(default_factory=list)
    year: int | None = None


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """A label for vocabulary matching: no spaces, quotes or 、; ASCII brackets."""
    out = text.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s“”\"'‘’《》「」、]", "", out)


def _dec(text: str) -> Decimal | None:
    try:
        return parse_amount(text.replace(" ", ""))
    except (ValueError, ArithmeticError):
        return None


def detect_year(lines: Sequence[TextLine]) -> int | None:
    """The budget year a document speaks of (2022 年部门预算 → 2022)."""
    pat = re.compile(r"(20\d{2})\s*年\s*度?\s*(?:区级|省级|市级)?\s*(?:部门|单位)?\s*(?:预算|决算)")
    for line in lines[:400]:
        m = pat.search(line.text or "")
        if m:
            return int(m.group(1))
    for line in lines:
        m = re.search(r"(20\d{2})\s*年", line.text or "")
        if m:
            return int(m.group(1))
    return None


def _is_heading_text(text: str) -> bool:
    """A sub-section title: short, no sentence punctuation, no figure."""
    body = _LEAD_MARK_RE.sub("", text)
    return (
        len(text) <= 40
        and not any(p in body for p in "，。；,;")
        and not FIGURE_RE.search(body)
    )


def _context_of(heading: str, current: str) -> str:
    h = _norm(heading)
    if "三公" in h:
        return "three_public"
    if "机关运行经费" in h:
        return "operating_cost"
    if "政府采购" in h:
        return "procurement"
    if "政府购买服务" in h:
        return "purchase_of_services"
    if "资产" in h:
        return "assets"
    if "绩效" in h and ("开展" in h or "完成" in h or "评价" in h and "目标设置" not in h):
        return "performance_review"
    if "绩效" in h:
        return "performance_targets"
    if "人员构成" in h or "人员情况" in h or "编制" in h and "预算编制" not in h:
        return "headcount"
    if "单位构成" in h or "机构设置" in h:
        return "units"
    if "政府性基金" in h:
        return "gov_fund"
    if "国有资本经营" in h:
        return "state_capital"
    if "财政拨款" in h and "基本支出" in h and "一般公共预算" not in h:
        return "fiscal_basic"
    if "一般公共预算" in h and "基本支出" in h:
        return "general_basic"
    if "一般公共预算" in h and "支出" in h:
        return "general_budget"
    if "财政拨款" in h:
        return "fiscal"
    if "总体" in h or "收支" in h or "收入支出" in h or "编制说明" in h:
        return "overall"
    if "收入" in h:
        return "income"
    if "支出" in h:
        return "expenditure"
    return current


# --------------------------------------------------------------------------------------------
# section detection
# --------------------------------------------------------------------------------------------


def _classify(lines: Sequence[TextLine]) -> list[tuple[str, str, SourceRef]]:
    """Each useful line as (state, stripped text, ref); states: 第一部分, 第三部分,
    form_project, form_dept, skip."""
    out: list[tuple[str, str, SourceRef]] = []
    state = "skip"
    n = len(lines)
    for i, line in enumerate(lines):
        raw = line.text or ""
        s = raw.strip().replace("\u3000", " ").strip()
        if not s:
            continue
        if "……" in s or "…" * 3 in s or "．．．" in s:  # table of contents
            continue
        if _PAGE_FOOTER_RE.match(s) or re.fullmatch(r"附件\s*\d*\s*[:：]?", s):
            continue
        if re.fullmatch(r"\d{1,3}", s):  # a page number at a page end
            nxt = next((lines[j] for j in range(i + 1, n) if (lines[j].text or "").strip()), None)
            if nxt is None or nxt.ref.page != line.ref.page or (nxt.text or "").startswith(" "):
                continue
        compact = re.sub(r"\s", "", s)
        m = re.match(rf"^第([{_CN_NUM}]+)部分", compact)
        if m:
            state = {"一": SECTION_OVERVIEW, "三": SECTION_NOTES}.get(m.group(1), "skip")
            continue
        if "部门专项" in compact or re.search(r"[(（]绩效目标[)）]申报表", compact):
            if state != "form_project" or "部门专项" in compact:
                state = "form_project"
                out.append((state, "<<NEW FORM>>", line.ref))
            continue
        if "整体支出绩效目标" in compact and compact.endswith("表"):
            state = "form_dept"
            continue
        if re.match(r"^(附表\d|预算\d+表|公开\d+表)", compact):
            state = "skip"
            continue
        if not _MAJOR_MARK_RE.match(compact) and not any(p in compact for p in _PUNCT):
            if re.match(r"^\d{4}年.{0,20}编制说明$", compact) or compact in (
                "其他相关情况说明",
                "部门预算情况说明",
                "单位预算情况说明",
            ):
                state = SECTION_NOTES
                continue
            if len(compact) <= 40 and (compact.endswith("主要职能") or compact.endswith("机构设置")):
                state = SECTION_OVERVIEW
                out.append((state, "\x00" + compact, line.ref))
                continue
            if compact.endswith("项目经费情况说明") or compact == "名词解释":
                state = "skip"
                continue
            if (
                state not in ("form_project", "form_dept")
                and compact.endswith("表")
                and ("预算" in compact or "决算" in compact)
                and len(compact) <= 60
                and not compact.startswith("表")
            ):
                state = "skip"
                continue
        if state != "skip":
            out.append((state, s, line.ref))
    return out


# --------------------------------------------------------------------------------------------
# paragraphs and sentences of the running text
# --------------------------------------------------------------------------------------------


@dataclass
class _Para:
    text: str
    offsets: list[int]
    refs: list[SourceRef]
    heading: bool = False

    def ref_at(self, pos: int) -> SourceRef:
        k = bisect.bisect_right(self.offsets, pos) - 1
        return self.refs[max(k, 0)]


def _paragraphs(rows: list[tuple[str, SourceRef]]) -> list[_Para]:
    paras: list[_Para] = []
    cur: _Para | None = None
    lengths = sorted(len(t) for t, _ in rows if len(t) >= 10) or [0]
    width = lengths[len(lengths) // 2]  # a full line of running text
    i = 0
    while i < len(rows):
        text, ref = rows[i]
        if text.startswith("\x00"):
            paras.append(_Para(text[1:], [0], [ref], heading=True))
            cur = None
            i += 1
            continue
        starts = bool(_MAJOR_MARK_RE.match(text) or _MINOR_MARK_RE.match(text))
        nxt_text = rows[i + 1][0] if i + 1 < len(rows) else ""
        heading_like = (
            starts
            and _is_heading_text(text)
            and not re.search(r"\d\s*[万亿]?$", text)
            and not re.match(r"^[，。；、,;%）)元]", nxt_text)
            and (len(text) < 0.85 * width or width < 20 or (
                len(nxt_text) <= 8 and (nxt_text.endswith("说明") or nxt_text.endswith("情况"))))
        )
        if heading_like:
            # a title, possibly wrapped onto a short second line ("情况说明")
            if i + 1 < len(rows):
                nxt = rows[i + 1][0]
                if len(nxt) <= 8 and _is_heading_text(nxt) and not _LEAD_MARK_RE.match(nxt) and (
                    nxt.endswith("说明") or nxt.endswith("情况")
                ):
                    text = text + nxt
                    i += 1
            paras.append(_Para(text, [0], [ref], heading=True))
            cur = None
            i += 1
            continue
        if starts or cur is None:
            cur = _Para("", [], [])
            paras.append(cur)
        if cur.text and cur.text[-1].isdigit() and text[:1].isdigit():
            cur.text += " "
        cur.offsets.append(len(cur.text))
        cur.refs.append(ref)
        cur.text += text
        i += 1
    return paras


def _sentences(para: _Para) -> Iterable[tuple[str, SourceRef]]:
    start = 0
    text = para.text
    for k, ch in enumerate(text):
        if ch in _SENTENCE_END:
            yield from _emit_sentence(para, start, k + 1)
            start = k + 1
    if start < len(text):
        yield from _emit_sentence(para, start, len(text))


def _emit_sentence(para: _Para, a: int, b: int) -> Iterable[tuple[str, SourceRef]]:
    seg = para.text[a:b]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg:
        yield seg, para.ref_at(a + lead)


# --------------------------------------------------------------------------------------------
# measures of running-text figures
# --------------------------------------------------------------------------------------------


def _clean_label(label: str) -> str:
    s = label.strip()
    s = re.sub(r"^[，,、；;：:。)）\s]+", "", s)
    for _ in range(3):
        s = _LEAD_MARK_RE.sub("", s).strip()
        s = re.sub(r"^(其中|包括|主要原因是|主要原因|原因是|主要是|主要用于|此外|另外|含|共有|共|合计)[:：]?", "",
                   s).strip()
    s = re.sub(r"\d{4}\s*年度?", "", s)
    s = re.sub(r"^[，,、；;：:。(（\s]+", "", s)
    s = re.sub(r"(为|是|达到|约)$", "", s)
    return s.strip()


# What may follow a vocabulary phrase and still leave the figure the phrase's ("一般公共预算拨款 X 万元"); any
# other word after it names the figure's real subject ("一般公共预算安排委托业务费 X 万元" is 委托业务费).
_TRAILING_FILLER_RE = re.compile(r"^(?:收入|支出|预算|预算数|拨款|财政拨款|资金|经费|金额|总额|总计|合计|共计|安排|"
                                 r"为|是|约|达到|达|数|部分|本年|当年|各|均|分别|共)*$")


def _vocab_match(label: str, context: str) -> str | None:
    n = _norm(label)
    if not n:
        return None
    for phrase, measure in CONTEXT_VOCABULARY.get(context, []):
        if phrase in n:
            if measure == "procurement.total" and _FUND_RE.search(n):
                return None  # 其中一般公共预算拨款政府采购 0万元: the part of one fund, not the procurement total
            return measure
    best: tuple[int, int, str] | None = None
    prefix = CONTEXT_PREFIX.get(context, "")
    candidates = [(p, m) for p, m in VOCABULARY.items()]
    candidates += [(p, prefix + m) for p, m in RELATIVE_VOCABULARY.items()]
    for phrase, measure in candidates:
        pos = n.rfind(_norm(phrase))
        if pos < 0:
            continue
        key = (pos + len(_norm(phrase)), len(phrase), measure)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or not _TRAILING_FILLER_RE.match(n[best[0]:]):
        return None
    measure = best[2]
    if "上年结转" in n[: best[0] - best[1]] and not measure.endswith(".carryover") and measure.startswith(
            ("income.", "fiscal.income.")):
        measure += ".carryover"  # 上年结转结余的一般公共预算收入: last year's money of that fund
    return measure


def _function_measure(label: str) -> str | None:
    label = re.sub(r"\s+", "", label)  # letter-spaced text: 职业年金缴费支出 （ 项 ）
    m = re.search(r"“([^”]+)”\s*科目", label)
    if m:
        parts = [p.strip() for p in re.split(r"[-－—]", _norm(m.group(1))) if p.strip()]
        return "function:" + "/".join(parts)
    parts = re.findall(r"([^()（）]+?)\s*[(（](类|款|项)[)）]", label)
    if parts:
        names = [_norm(_clean_label(p[0])) for p in parts]
        names = [re.sub(r"^(支出|其中)", "", x) for x in names if x]
        return "function:" + "/".join(x for x in names if x)
    return None


def _item(label: str, context: str) -> str:
    prefix = {
        "performance_review": "performance_review:",
        "performance_targets": "performance_targets:",
    }.get(context, "item:")
    return prefix + _norm(label)


class _NotesReader:
    """Reads the running text of one section (第一部分 or 第三部分)."""

    def __init__(self, section: str, year: int | None):
        self.section = section
        self.year = year
        self.figures: list[NarrativeFigure] = []

    def read(self, rows: list[tuple[str, SourceRef]]) -> None:
        context = "overall" if self.section == SECTION_NOTES else "overview"
        review_year: int | None = None
        list_intro: tuple[str, SourceRef] | None = None
        listed = 0
        listed_head = 0  # listed items that are the department itself: 1. …办事处（本部）
        for para in _paragraphs(rows):
            if para.heading:
                if list_intro is not None:
                    self._emit_listed(list_intro, listed, listed_head)
                    list_intro, listed, listed_head = None, 0, 0
                major = bool(_MAJOR_MARK_RE.match(para.text))
                new = _context_of(para.text, "other" if major else context)
                context = new
                if context == "performance_review":
                    ym = re.search(r"(\d{4})\s*年", para.text)
                    review_year = int(ym.group(1)) if ym else (self.year - 1 if self.year else None)
                continue
            if list_intro is not None:
                if re.match(r"^\d{1,2}[.．、](?!\d)", para.text):
                    listed += 1
                    if listed == 1 and _HEAD_UNIT_RE.search(_norm(para.text)):  # the first item only
                        listed_head += 1
                    continue
                self._emit_listed(list_intro, listed, listed_head)
                list_intro, listed, listed_head = None, 0, 0
            state = {"last_plain": None, "last_change_base": None, "last_was_change": False,
                     "list_mode": False, "hc_group": None, "hc_sub": None, "as_of": None}
            for sentence, ref in _sentences(para):
                try:
                    self._sentence(sentence, ref, context, state, review_year)
                except Exception:  # never crash on odd text
                    continue
                if (state["last_plain"] or "").endswith("expenditure.project") and not state["last_was_change"]:
                    state["list_mode"] = True
                if (context in ("units", "overview") and "单位" in sentence
                        and re.search(r"(包括|如下)(?:[(（][^)）]*[)）])?[:：]?\s*$", sentence)):
                    list_intro, listed, listed_head = (sentence, ref), 0, 0
        if list_intro is not None:
            self._emit_listed(list_intro, listed, listed_head)

    def _emit_listed(self, intro: tuple[str, SourceRef], count: int, head: int = 0) -> None:
        if count:
            self.figures.append(NarrativeFigure(
                measure="units.listed", value=Decimal(count), unit="个", sentence=intro[0],
                ref=intro[1], section=self.section, year=self.year))
        if count and head:
            # the list names the department itself (本部/本级) beside its units: "包括本部以及下属 5 家预算单位"
            # counts only the units below it, so the checks need the listed units without it
            self.figures.append(NarrativeFigure(
                measure="units.listed_subordinate", value=Decimal(count - head), unit="个", sentence=intro[0],
                ref=intro[1], section=self.section, year=self.year))

    def _sentence(self, sentence: str, ref: SourceRef, context: str, st: dict,
                  review_year: int | None) -> None:
        year = review_year if context == "performance_review" else self.year
        asof = re.search(r"截[至止]\s*(\d{4})\s*年", sentence)
        if asof:
            st["as_of"] = int(asof.group(1))
        elif re.match(r"^\d{4}\s*年", sentence):
            st["as_of"] = None
        if context == "assets" and st["as_of"]:
            year = st["as_of"]
        matches = list(FIGURE_RE.finditer(sentence))
        prev_end = 0
        subject = None  # the sentence's first amount, when it names something below the department
        parts = False  # in a clause listing what that subject is made of or used for
        for idx, m in enumerate(matches):
            start = prev_end
            for d in _CLAUSE_DELIMS:
                p = sentence.rfind(d, prev_end, m.start())
                if p >= 0:
                    start = max(start, p + 1)
            raw_label = sentence[start:m.start()]
            if start > prev_end or idx == 0:
                parts = bool(subject and _PART_OF_RE.match(raw_label.strip()))
            nxt_start = matches[idx + 1].start() if idx + 1 < len(matches) else len(sentence)
            trailing = re.split(rf"[{_CLAUSE_DELIMS}、(（的]", sentence[m.end():nxt_start])[0]
            prev_end = m.end()
            unit = m.group("unit").replace("台（套）", "台(套)").replace(" ", "")
            value = _dec(m.group("num"))
            if value is None:
                continue
            cmp_m = None
            for cm in _COMPARE_RE.finditer(sentence, 0, m.start()):
                cmp_m = cm
            compared = None
            if cmp_m is not None and year is not None:
                compared = int(cmp_m.group("y")) if cmp_m.group("y") else year - 1
            measure, direction, kind = self._measure(raw_label, trailing, unit, context, st, sentence)
            if unit in ("万元", "亿元", "元") and kind == "plain":
                if idx == 0 and _names_a_subject(measure):
                    subject = measure
                elif parts and not measure.startswith(_SUB_ENTITY):
                    # “农林水支出”科目83万元，主要用于人员经费18万元: the class's 人员经费, not the department's
                    measure = f"part:{subject}/{measure}"
            fig_compared = compared if kind == "change" else None
            fig_year = compared if kind == "prior" and compared is not None else year
            self.figures.append(NarrativeFigure(
                measure=measure, value=value, unit=unit, sentence=sentence, ref=ref,
                section=self.section, year=fig_year, direction=direction,
                compared_to_year=fig_compared))

    def _measure(self, raw_label: str, trailing: str, unit: str, context: str, st: dict,
                 sentence: str) -> tuple[str, str | None, str]:
        # 《财政拨款支出预算表（功能科目）》增加了“事业运行”项级科目分流315万元: a table named in the text is not
        # the figure's subject
        label = _clean_label(re.sub(r"《[^》]*》", "", raw_label))
        n = _norm(label)
        # counts
        if unit in ("人", "名") and context in ("overview", "headcount", "units"):
            return self._headcount(n, st), None, "plain"
        if unit in ("个", "家") and (context in ("units", "overview", "operating_cost")
                                     or "单位" in trailing or "机关" in trailing):
            noun = _norm(trailing) if ("单位" in trailing or "机关" in trailing) else n
            if "绩效目标" in sentence and ("开展" in sentence or "编报" in sentence):
                # 本部门1个预算单位开展了2025年项目预算绩效目标编报工作: the units reporting targets, not the
                # units of the department
                return self._plain("performance_targets.units_reporting", st), None, "plain"
            if (context in ("units", "overview") and n.endswith("下属") and "包括" in n
                    and "单位" in noun):
                # 部门预算包括…本部以及下属1家事业单位: the number of units below the department, whatever their kind
                return self._plain("units.count", st), None, "plain"
            for phrase, measure in COUNT_VOCABULARY["units"]:
                if phrase in noun:
                    return self._plain(measure, st), None, "plain"
        if unit == "辆":
            prefix = "vehicle_purchase_plan." if "购置" in sentence and "安排" in sentence else ""
            for phrase, measure in COUNT_VOCABULARY["vehicles"]:
                if phrase in n:
                    return self._plain(prefix + measure, st), None, "plain"
        if unit == "台(套)" or (unit in ("台", "套") and "设备" in n):
            return self._plain("equipment_over_threshold.count", st), None, "plain"
        if unit == "万元" and n.endswith("单价"):
            return self._plain("equipment_over_threshold.unit_price_floor", st), None, "plain"
        if unit == "个百分点" and re.match(r"^(超过|高于|超出|低于)", n):
            base = st["last_plain"] or _item(label, context)
            return base + (".below_target_pp" if n.startswith("低于") else ".above_target_pp"), None, "plain"
        change = _CHANGE_END_RE.search(n)
        if unit == "%":
            if "占" in n:
                before = _clean_label(n[: n.index("占")])
                if before:
                    base = self._lookup(before, context, st) or _item(before, context)
                else:
                    base = st["last_plain"] or (_item(label, context) if label else UNKNOWN_MEASURE)
                st["last_was_change"] = False
                return base + ".share", None, "share"
            if change:
                stripped = _norm(_clean_label(_COMPARE_RE.sub("", n[: change.start()])))
                stripped = "" if stripped.startswith(("比", "较", "与")) else stripped
                base = self._lookup(stripped, context, st) if stripped and not re.fullmatch(
                    r"(预算|决算|预算数|决算数|各|均)+", stripped) else None
                if base is None and len(stripped) >= 4:
                    base = _item(stripped, context)
                if base is None:
                    base = st["last_change_base"] if st["last_was_change"] else st["last_plain"]
                if base is None:
                    base = CONTEXT_DEFAULT.get(context)
                if base is None:
                    base = _item(label, context) if label else UNKNOWN_MEASURE
                st["last_was_change"] = False
                return base + ".change_pct", change.group("w"), "change"
            if n.startswith("完成") and ("目标" in n or "预算" in n):
                base = st["last_plain"] or UNKNOWN_MEASURE
                st["last_was_change"] = False
                return base + ".completion_pct", None, "plain"
        if change and unit not in ("%", "万元", "亿元", "元") and len(_norm(trailing)) >= 2:
            change = None  # 新增 85 家科技型中小企业: a count, not a change
        if change and unit != "%":
            stripped = _norm(_clean_label(_COMPARE_RE.sub("", n[: change.start()])))
            stripped = "" if stripped.startswith(("比", "较", "与")) else stripped
            base = None
            if stripped and not re.fullmatch(r"(预算|决算|预算数|决算数|各|均)+", stripped):
                base = self._lookup(stripped, context, st)
                if base is None and len(stripped) >= 4:
                    base = _item(stripped, context)
            if base is None:
                base = st["last_plain"] or CONTEXT_DEFAULT.get(context)
            if base is None:
                base = _item(label, context) if label else UNKNOWN_MEASURE
            st["last_change_base"] = base
            st["last_was_change"] = True
            return base + ".change", change.group("w"), "change"
        lead = re.match(r"^(增加|减少)(.{2,})$", n) if unit in ("万元", "亿元", "元") and not change else None
        if lead:
            # 主要原因是政策性增资…，增加基本支出 844.15 万元: the verb before its noun, a change all the same
            base = self._lookup(lead.group(2), context, st)
            if base is not None:
                st["last_change_base"] = base
                st["last_was_change"] = True
                return base + ".change", lead.group(1), "change"
        if (unit in ("万元", "亿元", "元") and st["last_plain"] and re.match(r"^(?:比|较|与|同)", n)
                and re.search(r"(?:预算|决算|预算数|决算数|执行数|数)$", n)):
            # 收入预算 1448787.35 万元，比 2025 年年初预算数 1506121.45 万元减少…: the figure compared with
            return "prior_year." + st["last_plain"], None, "prior"
        budget_kind = _BUDGET_KIND_RE.search(n) if unit in ("万元", "亿元", "元") else None
        if budget_kind and budget_kind.start() > 0:
            base = self._lookup(n[: budget_kind.start()], context, st)
            if base is not None:
                st["last_was_change"] = False
                return f"{base}.{_BUDGET_KIND_SUFFIX[budget_kind.group(1)]}", None, "plain"
        # 涉及…: the funds a sentence says are concerned (evaluated, covered), not the figure itself; 上级下达资金——
        # 政府性基金预算: the part of a fund that a qualifier before a dash names
        qualified = "涉及" in n or re.search(r".[—－-]{1,2}.", n) is not None
        measure = self._lookup(label, context, st) if not qualified else _function_measure(label)
        if measure is None:
            if not label or len(n) < 2:
                noun = _norm(trailing)
                if noun and unit not in ("万元", "亿元", "元", "%"):
                    measure = _item(n + noun, context)
                elif st["last_plain"] and unit == "%":
                    measure = st["last_plain"] + ".rate"
                else:
                    measure = _item(n, context) if n else UNKNOWN_MEASURE
            elif st["list_mode"] and unit == "万元":
                measure = "project:" + n
            else:
                noun = _norm(trailing)
                if unit not in ("万元", "亿元", "元", "%") and noun and len(n) < 4:
                    n = n + noun
                measure = _item(n, context)
        # 上年结转 of one fund (财政拨款收支总体: 一般公共预算财政拨款本年收入 …、上年结转 …)
        if n == "上年结转" and context == "fiscal" and st["last_plain"] and ".income." in "." + st["last_plain"]:
            base = st["last_plain"].removesuffix(".carryover")
            measure = base + ".carryover"
            st["last_was_change"] = False
            return measure, None, "plain"
        return self._plain(measure, st), None, "plain"

    def _lookup(self, label: str, context: str, st: dict) -> str | None:
        if not label:
            return None
        return _function_measure(label) or _vocab_match(label, context)

    @staticmethod
    def _plain(measure: str, st: dict) -> str:
        st["last_plain"] = measure
        st["last_was_change"] = False
        return measure

    def _headcount(self, n: str, st: dict) -> str:
        group = st["hc_group"] or "authorized"
        if "离退休" in n:
            st["hc_group"], st["hc_sub"] = "retired", None
            return self._plain("headcount.retired_total", st)
        if "实有" in n or "在职" in n:
            st["hc_group"], st["hc_sub"] = "actual", None
            return self._plain("headcount.actual_total", st)
        if "编制人数" in n or "编制总数" in n or "总编制" in n or n == "编制":
            st["hc_group"], st["hc_sub"] = "authorized", None
            return self._plain("headcount.authorized_total", st)
        if "行政附属编制" in n:
            return self._plain(f"headcount.{group}_admin_auxiliary", st)
        if "参照公务员法" in n or "参公" in n:
            return self._plain(f"headcount.{group}_civil_service_managed", st)
        if group == "retired":
            if n.startswith("行政"):
                st["hc_sub"] = "admin"
            elif n.startswith("事业"):
                st["hc_sub"] = "institution"
            sub = st["hc_sub"]
            kind = "veteran" if "离休" in n else ("regular" if "退休" in n else None)
            if kind:
                return self._plain(
                    f"headcount.retired_{sub}_{kind}" if sub else f"headcount.retired_{kind}", st)
        if "行政编制" in n or n == "行政":
            return self._plain(f"headcount.{group}_admin", st)
        if "事业编制" in n or n == "事业":
            return self._plain(f"headcount.{group}_institution", st)
        if "工勤" in n:
            return self._plain(f"headcount.{group}_worker", st)
        return self._plain("headcount:" + (n or "unnamed"), st)


# --------------------------------------------------------------------------------------------
# 绩效目标 forms
# --------------------------------------------------------------------------------------------

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标", "影响指标")
LEVEL2 = (
    "服务对象满意度指标", "服务对象满意度", "社会效益指标", "经济效益指标", "生态效益指标",
    "可持续影响指标", "可持续发展影响指标", "数量指标", "质量指标", "时效指标", "成本指标",
    "经济指标", "社会指标", "满意度指标", "经济成本指标", "社会成本指标",
)
_VAL = (
    r"(?:[≥≤>＞<＜=≧≦]\s*)?\d+(?:\.\d+)?\s*"
    r"(?:%|％|个百分点|亿元|万元|元|名|家|件|场|次|个|项|人|户|天|分|篇|期|台|套|小时|日|月)?"
)
_VAL_RE = re.compile(rf"^(?P<ind>.*?)\s*(?P<val>{_VAL})\s*$")
_VAL_TOKEN_RE = re.compile(rf"^(?P<pre>[^\d≥≤>＞<＜=≧≦]*)(?P<val>{_VAL})$")
_HEADER_WORDS = ("一级指标", "二级指标", "指标名称", "指标内容", "指标值", "绩效标准", "三级指标")


def _value_parts(value_text: str) -> tuple[Decimal | None, str | None]:
    m = re.search(r"(\d+(?:\.\d+)?)\s*(\S+)?$", value_text.strip())
    if not m:
        return None, None
    unit = m.group(2) or None
    if unit == "％":
        unit = "%"
    return _dec(m.group(1)), unit


def _merge_wrapped(rows: list[tuple[str, SourceRef]]) -> list[tuple[str, SourceRef]]:
    known = set(LEVEL1) | set(LEVEL2) | {"一级指标"}
    out: list[tuple[str, SourceRef]] = []
    for text, ref in rows:
        t = text.strip()
        if out:
            prev, pref = out[-1]
            last_tok = prev.split()[-1] if prev.split() else prev
            if (last_tok + t) in known or (prev + t) in known:
                out[-1] = (prev + t, pref)
                continue
            if (len(t) <= 2 and not re.search(r"\d", t)
                    and t not in ("收入", "支出", "构成", "占比", "收支", "合计")
                    and not any(k.startswith(t) for k in known)):
                out[-1] = (prev + t, pref)
                continue
        out.append((t, ref))
    return out


def _strip_levels(text: str) -> tuple[str | None, str | None, str]:
    l1 = l2 = None
    rest = text.strip()
    for tok in LEVEL1:
        if rest.startswith(tok):
            l1, rest = tok, rest[len(tok):].strip()
            break
    for tok in LEVEL2:
        if rest.startswith(tok):
            l2, rest = tok, rest[len(tok):].strip()
            break
    return l1, l2, rest


def _cells(segments: list[str]) -> list[str]:
    cells: list[str] = []
    cur: list[str] = []
    for seg in segments:
        cur.append(seg)
        if len(cur) >= 2 and len(seg) < len(cur[0]):
            cells.append("".join(cur))
            cur = []
    if cur:
        cells.append("".join(cur))
    return cells


class _FormReader:
    def __init__(self, year: int | None):
        self.year = year
        self.figures: list[NarrativeFigure] = []
        self.targets: list[PerformanceTarget] = []

    # ---- project forms --------------------------------------------------------------------
    def project_forms(self, rows: list[tuple[str, SourceRef]]) -> None:
        forms: list[list[tuple[str, SourceRef]]] = []
        for text, ref in rows:
            if text == "<<NEW FORM>>":
                forms.append([])
            elif forms:
                forms[-1].append((text, ref))
            else:
                forms.append([(text, ref)])
        for form in forms:
            try:
                self._project_form(form)
            except Exception:
                continue

    def _project_form(self, rows: list[tuple[str, SourceRef]]) -> None:
        name: str | None = None
        in_table = False
        level1 = level2 = None
        pending: list[tuple[str, SourceRef]] = []
        seen: set[str] = set()

        def flush() -> None:
            if not pending or name is None:
                pending.clear()
                return
            cells = _cells([p[0] for p in pending])
            indicator = cells[0]
            value_text = "".join(cells[1:])
            val, unit = _value_parts(value_text) if value_text else (None, None)
            self.targets.append(PerformanceTarget(
                form=name, level1=level1, level2=level2, indicator=indicator,
                value_text=value_text, value=val, unit=unit, ref=pending[0][1]))
            pending.clear()

        for text, ref in _merge_wrapped(rows):
            compact = re.sub(r"\s", "", text)
            m = re.match(r"^申报项目名称[:：](.+)$", compact) or re.match(r"^项目名称[:：]?(.+)$", compact)
            if m and name is None:
                name = m.group(1).strip()
                continue
            if not in_table:
                if name:
                    for label, key in (("(?<!当年)资金总额", "funds_total"),
                                       ("当年资金总额", "funds_current_year"),
                                       ("^其中[:：]财政拨款", "funds_fiscal")):
                        fm = re.search(rf"{label}[:：]?({_NUM})万元", compact)
                        if fm and key not in seen:
                            seen.add(key)
                            value = _dec(fm.group(1))
                            if value is not None:
                                self.figures.append(NarrativeFigure(
                                    measure=f"project_form:{name}.{key}", value=value, unit="万元",
                                    sentence=text, ref=ref, section=SECTION_FORMS, year=self.year))
                if "一级指标" in compact and "二级指标" in compact:
                    in_table = True
                continue
            if sum(w in compact for w in _HEADER_WORDS) >= 2:
                continue
            l1, l2, rest = _strip_levels(text)
            if l1 or l2:
                flush()
                if l1:
                    level1, level2 = l1, None
                if l2:
                    level2 = l2
            if not rest:
                continue
            vm = _VAL_RE.match(rest)
            if vm and re.search(r"\d", vm.group("val")):
                ind = re.sub(r"\s+", "", vm.group("ind"))
                if pending:
                    ind = "".join(p[0] for p in pending) + ind
                    first_ref = pending[0][1]
                    pending.clear()
                else:
                    first_ref = ref
                if not ind or name is None:
                    continue
                value_text = vm.group("val").strip()
                val, unit = _value_parts(value_text)
                self.targets.append(PerformanceTarget(
                    form=name, level1=level1, level2=level2, indicator=ind,
                    value_text=value_text, value=val, unit=unit, ref=first_ref))
            else:
                pending.append((re.sub(r"\s+", "", rest), ref))
        flush()

    # ---- department form --------------------------------------------------------------------
    def department_form(self, rows: list[tuple[str, SourceRef]]) -> None:
        try:
            self._department(rows)
        except Exception:
            return

    def _department(self, rows: list[tuple[str, SourceRef]]) -> None:
        prior_years: list[int] = []
        group: str | None = None
        totals_done = False
        mode: str | None = None
        level1 = level2 = None
        pending: list[str] = []
        pending_ref: SourceRef | None = None
        totals_map = {
            "income": {"财政拨款": "income.fiscal", "其他资金": "income.other", "合计": "income_total"},
            "expenditure": {"基本支出": "expenditure.basic", "项目支出": "expenditure.project",
                            "合计": "expenditure_total"},
        }
        for text, ref in _merge_wrapped(rows):
            compact = re.sub(r"\s", "", text)
            if not totals_done:
                ym = re.fullmatch(r"(\d{4})年\s*(\d{4})年", compact)
                if ym and "近两年" not in compact:
                    prior_years = [int(ym.group(1)), int(ym.group(2))]
                    continue
                if compact.startswith("收入"):
                    group = "income"
                    continue
                if compact.startswith("支出"):
                    group = "expenditure"
                    continue
                if "部门职能" in compact or "年度工作任务" in compact:
                    totals_done = True
                    continue
                tm = re.match(r"^([^\d\s]+)\s+(.*)$", text)
                if tm and group:
                    label = tm.group(1)
                    measure = totals_map.get(group, {}).get(label)
                    if label == "财政拨款" or label == "其他资金":
                        measure = totals_map["income"][label]
                    if label in ("基本支出", "项目支出"):
                        measure = totals_map["expenditure"][label]
                    if measure is None:
                        continue
                    tokens = tm.group(2).split()
                    money = [t for t in tokens if not t.endswith("%")]
                    shares = [t for t in tokens if t.endswith("%")]
                    fig = lambda m, v, u, y: self.figures.append(NarrativeFigure(  # noqa: E731
                        measure=m, value=v, unit=u, sentence=text, ref=ref,
                        section=SECTION_FORMS, year=y))
                    if money:
                        v = _dec(money[0])
                        if v is not None:
                            fig(f"form.{measure}", v, "万元", self.year)
                    if shares:
                        v = _dec(shares[0].rstrip("%"))
                        if v is not None:
                            fig(f"form.{measure}.share", v, "%", self.year)
                    for py, tok in zip(prior_years, money[1:]):
                        v = _dec(tok)
                        if v is not None:
                            fig(f"prior_year.{measure}", v, "万元", py)
                continue
            if compact.startswith("年度绩效指标"):
                mode, level1, level2, pending = "annual", None, None, []
                continue
            if compact.startswith("长期绩效指标"):
                mode, level1, level2, pending = "long", None, None, []
                continue
            if compact.startswith("备注"):
                break
            if mode is None or re.match(r"^(年度|长期)目标\d*[:：]", compact):
                continue
            if compact in ("一级指标", "指标值", "一级") or sum(w in compact for w in _HEADER_WORDS) >= 1 \
                    or re.match(r"^值?\d{4}年", compact):
                continue
            l1, l2, rest = _strip_levels(text)
            if l1:
                level1, level2 = l1, None
            if l2:
                level2 = l2
            if not rest:
                continue
            tokens = rest.split()
            vidx = [k for k, t in enumerate(tokens) if _VAL_TOKEN_RE.match(t) and re.search(r"\d", t)]
            if not vidx:
                if not pending:
                    pending_ref = ref
                pending.append("".join(tokens))
                continue
            first, last = vidx[0], vidx[-1]
            ind = "".join(pending) + "".join(tokens[:first])
            ref0 = pending_ref if pending else ref
            pending = []
            if not ind:
                ind = "".join(tokens[:first]) or "(unnamed)"
            value_text = tokens[last]
            val, unit = _value_parts(_VAL_TOKEN_RE.match(value_text).group("val"))
            form = DEPARTMENT_FORM if mode == "annual" else DEPARTMENT_FORM + ":长期"
            self.targets.append(PerformanceTarget(
                form=form, level1=level1, level2=level2, indicator=ind, value_text=value_text,
                value=val, unit=unit, ref=ref0 or ref))


# --------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------


def extract_narrative(lines: Sequence[TextLine]) -> NarrativeResult:
    """Every figure stated in the narrative and every 绩效目标 indicator of one document."""
    lines = list(lines or [])
    result = NarrativeResult()
    try:
        year = detect_year(lines)
    except Exception:
        year = None
    result.year = year
    try:
        classified = _classify(lines)
    except Exception:
        return result
    # consecutive runs of one state
    runs: list[tuple[str, list[tuple[str, SourceRef]]]] = []
    for state, text, ref in classified:
        if runs and runs[-1][0] == state:
            runs[-1][1].append((text, ref))
        else:
            runs.append((state, [(text, ref)]))
    forms = _FormReader(year)
    for state, rows in runs:
        try:
            if state in (SECTION_OVERVIEW, SECTION_NOTES):
                reader = _NotesReader(state, year)
                reader.read(rows)
                result.figures.extend(reader.figures)
            elif state == "form_project":
                forms.project_forms(rows)
            elif state == "form_dept":
                forms.department_form(rows)
        except Exception:
            continue
    result.figures.extend(forms.figures)
    result.targets.extend(forms.targets)
    return result
