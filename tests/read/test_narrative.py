"""Narrative figures and 绩效目标 indicators, checked against values read by hand."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.read.model import SourceRef, TextLine
from pipelines.read.narrative import (
    UNKNOWN_MEASURE,
    NarrativeResult,
    extract_narrative,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "000_7846cf6649494c8d.txt"
REAL_DOCS = ROOT.parent / "shared" / "real-docs"
JIANGSU_2019 = REAL_DOCS / "jiangsu" / "江苏省人大办公厅" / "江苏省人大常委会2019年度部门预算公开.pdf"
SHANGHAI_ZFB = REAL_DOCS / "shanghai-putuo" / "ptq_zfb_2025_bumen_yusuan.pdf"


def _seed_lines() -> list[TextLine]:
    text = SEED.read_text(encoding="utf-8")
    return [TextLine(t, SourceRef(SEED.name, line=i)) for i, t in enumerate(text.split("\n"), 1)]


@pytest.fixture(scope="module")
def seed() -> NarrativeResult:
    if not SEED.exists():
        pytest.skip(f"seed document absent: {SEED}")
    return extract_narrative(_seed_lines())


def _one(result: NarrativeResult, measure: str, section: str | None = None):
    found = [f for f in result.figures if f.measure == measure and (section is None or f.section == section)]
    assert found, f"no figure {measure!r}; have {sorted({f.measure for f in result.figures})}"
    return found


def _value(result: NarrativeResult, measure: str, section: str | None = None) -> Decimal:
    found = _one(result, measure, section)
    assert len({f.value for f in found}) == 1, found
    return found[0].value


# ---- seed: 第三部分 ---------------------------------------------------------------------------


def test_seed_year(seed):
    assert seed.year == 2022


def test_seed_total_budget_and_stated_change(seed):
    total = _one(seed, "total_budget")[0]
    assert (total.value, total.unit, total.year, total.section) == (Decimal("2126.26"), "万元", 2022, "第三部分")
    assert total.ref == SourceRef(SEED.name, line=217)
    change = _one(seed, "total_budget.change")[0]
    assert (change.value, change.unit, change.direction, change.compared_to_year) == (
        Decimal("780.01"), "万元", "减少", 2021)
    pct = _one(seed, "total_budget.change_pct")[0]
    assert (pct.value, pct.unit, pct.direction, pct.compared_to_year) == (Decimal("26.84"), "%", "下降", 2021)
    basic = _one(seed, "expenditure.basic.change")[0]
    assert (basic.value, basic.direction) == (Decimal("155.03"), "增加")
    project = _one(seed, "expenditure.project.change")[0]
    assert (project.value, project.direction) == (Decimal("935.04"), "减少")


def test_seed_income_and_expenditure_sections(seed):
    assert _value(seed, "income_total") == Decimal("2126.26")
    assert _value(seed, "income.general_public_budget") == Decimal("2126.26")
    assert _value(seed, "income.general_public_budget.share") == Decimal("100")
    assert _value(seed, "income.government_fund") == Decimal("0")
    assert _value(seed, "expenditure_total") == Decimal("2126.26")
    assert _value(seed, "expenditure.basic", "第三部分") == Decimal("916.79")
    assert _value(seed, "expenditure.basic.share") == Decimal("43.12")
    assert _value(seed, "expenditure.project.share") == Decimal("56.88")


def test_seed_project_expenditure_contradiction_kept_as_printed(seed):
    # 三、部门支出预算 says 1209.74, 四、财政拨款 and 五、一般公共预算 say 1209.47: both as printed
    assert _value(seed, "expenditure.project") == Decimal("1209.74")
    assert _one(seed, "expenditure.project")[0].ref.line == 240
    assert _value(seed, "fiscal.expenditure.project") == Decimal("1209.47")
    assert _value(seed, "general_budget.expenditure.project") == Decimal("1209.47")


def test_seed_general_budget_section(seed):
    assert _value(seed, "fiscal_appropriation_total") == Decimal("2126.26")
    assert _value(seed, "general_budget_expenditure_total") == Decimal("2126.26")
    change = _one(seed, "general_budget_expenditure_total.change")[0]
    assert (change.value, change.direction, change.compared_to_year) == (Decimal("780.01"), "减少", 2021)
    assert _one(seed, "general_budget_expenditure_total.change_pct")[0].value == Decimal("26.84")
    assert _value(seed, "project:科学技术研究与开发资金") == Decimal("1009.40")
    assert _value(seed, "project:经济运行专项经费") == Decimal("140.05")
    assert _value(seed, "project:维稳经费") == Decimal("18")
    assert _value(seed, "project:基层党建经费") == Decimal("42.02")
    assert _value(seed, "general_budget_basic_total") == Decimal("916.79")
    assert _value(seed, "personnel") == Decimal("865.61")
    assert _value(seed, "public") == Decimal("51.18")
    assert _value(seed, "economic.301") == Decimal("770.94")
    assert _value(seed, "economic.303") == Decimal("94.67")


def test_seed_three_public_and_other_notes(seed):
    assert _value(seed, "three_public.total") == Decimal("0")
    for m in ("three_public.overseas", "three_public.vehicle", "three_public.vehicle_purchase",
              "three_public.vehicle_operation", "three_public.reception"):
        assert _value(seed, m) == Decimal("0")
    change = _one(seed, "three_public.total.change")[0]
    assert (change.value, change.direction, change.compared_to_year) == (Decimal("5"), "减少", 2021)
    assert _value(seed, "operating_cost") == Decimal("51.18")
    assert _value(seed, "procurement.total") == Decimal("54.30")
    assert _value(seed, "procurement.goods") == Decimal("3.01")
    assert _value(seed, "procurement.works") == Decimal("0")
    assert _value(seed, "procurement.services") == Decimal("51.29")
    assert _value(seed, "purchase_of_services.total") == Decimal("67.79")
    assert _value(seed, "units.institution", "第三部分") == Decimal("3")
    assert _one(seed, "units.institution", "第三部分")[0].unit == "家"
    vehicles = _one(seed, "vehicles.total")[0]
    assert (vehicles.value, vehicles.unit, vehicles.year) == (Decimal("0"), "辆", 2021)  # 截至2021年12月31日


def _section_text(start: str, end: str) -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    a = next(i for i, t in enumerate(lines) if t.strip().startswith(start))
    b = next(i for i, t in enumerate(lines) if i > a and t.strip().startswith(end))
    return re.sub(r"\s", "", "".join(lines[a:b]))


def test_seed_every_notes_figure_has_a_specific_measure(seed):
    text = _section_text("第三部分", "第四部分")
    wan = len(re.findall(r"\d+(?:\.\d+)?万元", text))
    pct = len(re.findall(r"\d+(?:\.\d+)?%", text))
    notes = [f for f in seed.figures if f.section == "第三部分"]
    assert len([f for f in notes if f.unit == "万元"]) == wan
    assert len([f for f in notes if f.unit == "%"]) == pct
    for f in notes:
        assert f.measure and f.measure != UNKNOWN_MEASURE and not f.measure.startswith("item:"), f
        assert f.year is not None
        if f.measure.endswith(".share"):
            assert f.unit == "%"


# ---- seed: 第一部分 ---------------------------------------------------------------------------


def test_seed_headcounts_and_units(seed):
    expected = {
        "headcount.authorized_total": 37, "headcount.authorized_admin": 14,
        "headcount.authorized_institution": 23, "headcount.authorized_civil_service_managed": 0,
        "headcount.actual_total": 30, "headcount.actual_admin": 13, "headcount.actual_institution": 17,
        "headcount.retired_total": 27, "headcount.retired_admin_veteran": 0,
        "headcount.retired_admin_regular": 13, "headcount.retired_institution_veteran": 0,
        "headcount.retired_institution_regular": 14,
    }
    for measure, value in expected.items():
        fig = _one(seed, measure, "第一部分")[0]
        assert (fig.value, fig.unit) == (Decimal(value), "人"), measure
    assert _value(seed, "units.count", "第一部分") == Decimal("3")
    assert _value(seed, "units.listed", "第一部分") == Decimal("3")


# ---- seed: 绩效目标 ---------------------------------------------------------------------------


def test_seed_department_form_totals(seed):
    prior = {(f.measure, f.year): f.value for f in seed.figures if f.measure.startswith("prior_year.")}
    assert prior == {
        ("prior_year.income.fiscal", 2021): Decimal("2906.27"),
        ("prior_year.income.fiscal", 2020): Decimal("3712.97"),
        ("prior_year.income_total", 2021): Decimal("2906.27"),
        ("prior_year.income_total", 2020): Decimal("3712.97"),
        ("prior_year.expenditure.basic", 2021): Decimal("761.76"),
        ("prior_year.expenditure.basic", 2020): Decimal("855.94"),
        ("prior_year.expenditure.project", 2021): Decimal("2144.51"),
        ("prior_year.expenditure.project", 2020): Decimal("2857.03"),
        ("prior_year.expenditure_total", 2021): Decimal("2906.27"),
        ("prior_year.expenditure_total", 2020): Decimal("3712.97"),
    }
    assert all(f.section == "绩效目标" and f.unit == "万元" for f in seed.figures if f.measure.startswith("prior_year."))
    current = {f.measure: f.value for f in seed.figures if f.measure.startswith("form.")}
    assert current["form.income_total"] == Decimal("2126.26")
    assert current["form.expenditure.basic"] == Decimal("916.79")
    assert current["form.expenditure.project"] == Decimal("1209.47")
    assert current["form.expenditure.basic.share"] == Decimal("43.12")
    assert current["form.expenditure.project.share"] == Decimal("56.88")
    assert {f.year for f in seed.figures if f.measure.startswith("form.")} == {2022}


def test_seed_project_forms(seed):
    funds = {f.measure: f.value for f in seed.figures if f.measure.endswith(".funds_total")}
    assert funds == {
        "project_form:基层党建经费.funds_total": Decimal("42.02"),
        "project_form:经济运行经费.funds_total": Decimal("140.05"),
        "project_form:科学技术研究与开发资金.funds_total": Decimal("1009.40"),
        "project_form:维稳经费.funds_total": Decimal("18"),
    }
    t = next(t for t in seed.targets if t.indicator == "发展预备党员")
    assert (t.form, t.level1, t.level2, t.value_text, t.value, t.unit) == (
        "基层党建经费", "产出指标", "数量指标", "25 名", Decimal("25"), "名")
    assert t.ref == SourceRef(SEED.name, line=582)
    sat = next(t for t in seed.targets if t.indicator == "基层党建满意度")
    assert (sat.level1, sat.value_text, sat.value, sat.unit) == ("满意度指标", "≥95%", Decimal("95"), "%")
    wrapped = next(t for t in seed.targets if t.indicator == "高新技术企业增加值同比增长")
    assert (wrapped.form, wrapped.value, wrapped.unit) == ("科学技术研究与开发资金", Decimal("8"), "%")
    assert len([t for t in seed.targets if t.form == "维稳经费"]) == 6
    assert not any("附件" in t.indicator for t in seed.targets)


def test_seed_department_form_indicators(seed):
    dept = {t.indicator: t for t in seed.targets if t.form == "部门整体"}
    assert dept["工业投资"].value == Decimal("80") and dept["工业投资"].unit == "亿元"
    assert dept["高新技术产业增加值"].value == Decimal("10")
    assert dept["净增高新技术企业"].value == Decimal("50")
    assert dept["小进规"].value == Decimal("10")


def test_seed_ignores_tables(seed):
    assert all(f.ref.line is None or f.ref.line < 1103 for f in seed.figures)
    assert all(t.ref.line is None or t.ref.line < 1103 for t in seed.targets)


# ---- robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize("texts", [
    [],
    [""],
    ["第三部分", "一、", "（一）", "占 %", "比 年减少 万元"],
    ["第三部分 说明", "一、部门收支预算总体安排情况", "收支总预算 12,345.6 万元，增长", "5%"],
    ["部门专项", "一级指标 二级指标", "产出指标", "≥", "数量指标 25 名 名 名"],
    ["部门整体支出绩效目标申报表", "收入", "合计 x y% z", "年度绩效指标", "产出指标 1 2 3"],
    ["\x00", "第一部分", "总编制人数 人", "1.", "包括："],
])
def test_never_crashes(texts):
    lines = [TextLine(t, SourceRef("x", line=i)) for i, t in enumerate(texts, 1)]
    result = extract_narrative(lines)
    assert isinstance(result, NarrativeResult)


def test_number_split_from_unit_and_page_start_space():
    texts = ["第三部分 说明", "", "三、部门支出预算安排情况", "", "2022 年部门支出预算 100.00 万元，其中：基本支出 60.00",
             "", " 万元，占 60%；项目支出 40.00 万元，占 40%。"]
    result = extract_narrative([TextLine(t, SourceRef("x", line=i)) for i, t in enumerate(texts, 1)])
    basic = _one(result, "expenditure.basic")[0]
    assert basic.value == Decimal("60.00") and basic.ref.line == 5
    assert _value(result, "expenditure.basic.share") == Decimal("60")
    assert _value(result, "expenditure.project") == Decimal("40.00")


# ---- real PDFs from other regions -------------------------------------------------------------


def _pdf_lines(path: Path, pages: list[int]) -> list[TextLine]:
    if not path.exists():
        pytest.skip(f"real document absent (scratch corpus, not in CI): {path}")
    pdfplumber = pytest.importorskip("pdfplumber")
    out: list[TextLine] = []
    with pdfplumber.open(path) as pdf:
        for n in pages:
            if n - 1 >= len(pdf.pages):
                continue
            text = pdf.pages[n - 1].extract_text() or ""
            out.extend(TextLine(t, SourceRef(path.name, page=n)) for t in text.split("\n"))
    return out


def test_jiangsu_2019_narrative():
    result = extract_narrative(_pdf_lines(JIANGSU_2019, list(range(9, 18))))
    assert result.year == 2019
    total = _one(result, "total_budget")[0]
    assert (total.value, total.ref.page) == (Decimal("18330.37"), 9)
    change = _one(result, "total_budget.change")[0]
    assert (change.value, change.direction, change.compared_to_year) == (Decimal("2432.93"), "增加", 2018)
    assert _one(result, "total_budget.change_pct")[0].value == Decimal("15.3")
    assert _value(result, "expenditure.basic.share") == Decimal("50.81")
    assert _value(result, "expenditure.reserve.share") == Decimal("13.95")
    assert _one(result, "three_public.overseas")[0].value == Decimal("199.25")
    assert _value(result, "three_public.overseas.share") == Decimal("25.96")
    assert _value(result, "procurement.total") == Decimal("2416.43")
    assert _value(result, "vehicles.total") == Decimal("54")
    assert _value(result, "function:人大事务/行政运行") == Decimal("7448.2")


def test_shanghai_2025_narrative():
    result = extract_narrative(_pdf_lines(SHANGHAI_ZFB, [3, 4, 5, 6, 7, 21]))
    assert result.year == 2025
    assert _value(result, "income_total") == Decimal("9101.68")
    change = _one(result, "income.fiscal_appropriation.change")[0]
    assert (change.value, change.direction, change.compared_to_year) == (Decimal("2389.52"), "减少", 2024)
    assert _value(result, "three_public.total") == Decimal("867.50")
    assert _value(result, "three_public.overseas") == Decimal("839")
    assert _value(result, "operating_cost") == Decimal("213.28")
    assert _value(result, "procurement.total") == Decimal("34")
    assert _value(result, "units.listed") == Decimal("2")
