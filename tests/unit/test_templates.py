"""How publishers' templates differ, one class at a time, on small made-up inputs (no real document needed):
titles, units, column-number rows, codes, column labels, department names, files that are no documents."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.discover.files import scan_raw_folder, skip_reason
from pipelines.discover.identity import department_key, department_name
from pipelines.fixtures.pdf_render import render_pdf
from pipelines.normalize.budget_lines import normalize_table
from pipelines.normalize.codes import row_labels, split_code_name
from pipelines.normalize.columns import table_meanings
from pipelines.read.catalogue import kind_by_structure, table_kind_of, unit_of
from pipelines.read.model import RawDocument, RawTable, SourceRef
from pipelines.read.pdf_reader import _is_column_number_row, _unit_from_header, read_pdf


# ------------------------------------------------------------------------------------------------ titles

@pytest.mark.parametrize("title, kind", [
    ("收支总体情况表", "income_expenditure_summary"),
    ("2026年部门收支总体情况表", "income_expenditure_summary"),
    ("部门收支预算总表", "income_expenditure_summary"),
    ("财政拨款收支总体情况表", "fiscal_appropriation_summary"),
    ("一般公共预算财政拨款支出表", "general_budget_expenditure"),
    ("北京市公安局2026年一般公共预算支出表", "general_budget_expenditure"),
    ("收入预算总表", "income_summary"),
    ("支出预算总表", "expenditure_summary"),
    ("财政拨款“三公”经费支出预算表", "three_public"),
    ("政府采购预算明细表", "procurement"),
    ("国有资本经营预算支出预算表", "state_capital_expenditure"),
    ("项目支出绩效目标表", None),  # a performance form, no budget table
    ("部门整体支出绩效目标表", None),
])
def test_table_titles_by_synonym(title, kind):
    assert table_kind_of(title) == kind


# ------------------------------------------------------------------------------------------------ units

@pytest.mark.parametrize("line, unit", [
    ("单位：万元", "万元"),
    ("单位:万元", "万元"),  # ASCII colon
    ("金额单位：万元", "万元"),
    ("部门：国家信访局 金额单位：万元", "万元"),
    ("单位：万", "万元"),  # 元 wrapped to the next line
    ("单 位 ： 元", "元"),
    ("单位：万人", None),
    ("编制单位：某某局", None),
])
def test_unit_lines(line, unit):
    assert unit_of(line) == unit


def test_unit_printed_in_a_header_cell():
    assert _unit_from_header(["科目编码", "科目名称", "金额（万元）"]) == "万元"
    assert _unit_from_header(["项目", "预算数(元)"]) == "元"
    assert _unit_from_header(["项目", "单位：万元"]) == "万元"
    assert _unit_from_header(["项目", "本年（万元）", "上年（元）"]) is None  # they disagree: not known
    assert _unit_from_header(["项目", "金额"]) is None


# ------------------------------------------------------------------------------------------------ header rows

@pytest.mark.parametrize("cells, numbering", [
    (["栏次", "1", "2", "3"], True),
    (["**", "**", "1", "2", "3"], True),
    (["甲", "乙", "1", "2"], True),
    (["行次", None, "1", "2", "3", "4"], True),
    (["合计", "1", "2"], False),  # a total row with small figures
    (["2010101", "1", "2"], False),
    (["栏次", "1", "3"], False),  # not consecutive
])
def test_column_number_rows_are_no_figures(cells, numbering):
    assert _is_column_number_row(cells) is numbering


# ------------------------------------------------------------------------------------------------ codes

@pytest.mark.parametrize("cell, code, name", [
    ("[2010501]行政运行", "2010501", "行政运行"),
    ("2050803-培训支出", "2050803", "培训支出"),
    ("30101-基本工资", "30101", "基本工资"),
    ("2010501 行政运行", "2010501", "行政运行"),
    ("行政运行", None, "行政运行"),
    ("2026年预算", None, "2026年预算"),
])
def test_code_and_name_in_one_cell(cell, code, name):
    assert split_code_name(cell) == (code, name)


def _table(columns: list[str], rows: list[list[str | None]], kind: str = "general_budget_expenditure",
           unit: str = "元") -> RawTable:
    return RawTable(table_kind=kind, title="一般公共预算支出表", unit=unit, columns=columns, rows=rows,
                    row_refs=[SourceRef("t.pdf", page=1) for _ in rows], ref=SourceRef("t.pdf", page=1))


def test_codes_split_over_class_item_and_subitem_columns_carry_their_parent():
    table = _table(["科目编码/类", "科目编码/款", "科目编码/项", "科目名称", "合计"], [
        ["201", None, None, "一般公共服务支出", "30"],
        [None, "01", None, "人大事务", "30"],
        [None, None, "01", "行政运行", "20"],
        [None, None, "02", "一般行政管理事务", "10"],
        ["208", None, None, "社会保障和就业支出", "5"],
        [None, "5", None, "行政事业单位养老支出", "5"],  # a 款 stored as a number: 05
        [None, None, "05", "机关事业单位基本养老保险缴费支出", "5"],
    ])
    assert [code for code, _, _ in row_labels(table)] == ["201", "20101", "2010101", "2010102", "208", "20805",
                                                          "2080505"]


# ------------------------------------------------------------------------------------------------ columns

def _types(columns: list[str], kind: str = "general_budget_expenditure") -> list[str | None]:
    return [m.expense_type for m in table_meanings(columns, kind)]


def test_the_row_total_is_total_whatever_it_is_called():
    for total in ("合计", "小计", "金额", "总计", "本年预算"):
        assert _types(["科目名称", total, "基本支出", "项目支出"])[1] == "total", total
    basic = "general_budget_basic_expenditure"
    assert _types(["科目编码", "科目名称", "基本支出合计", "人员经费", "公用经费"], basic) == \
        [None, None, "total", "personnel", "public"]
    assert _types(["科目编码", "科目名称", "本年一般公共预算基本支出/合计", "本年一般公共预算基本支出/人员经费",
                   "本年一般公共预算基本支出/公用经费"], basic) == [None, None, "total", "personnel", "public"]


def test_synonyms_of_personnel_public_and_project():
    assert _types(["科目名称", "合计", "人员支出", "日常公用支出", "专项业务经费支出"]) == \
        [None, "total", "personnel", "public", "project"]


def test_line_and_column_number_columns_are_labels():
    assert [m.role for m in table_meanings(["项目", "行次", "金额"], "income_expenditure_summary")] == \
        ["label", "label", "amount"]


def test_budget_and_outturn_side_by_side_stay_apart():
    assert _types(["科目编码", "科目名称", "年初预算数", "决算数"]) == [None, None, "budget.total", "total"]


def test_an_unknown_column_is_other_and_warned_never_a_total():
    meanings = table_meanings(["科目编码", "科目名称", "合计", "神秘列"], "general_budget_expenditure")
    assert (meanings[3].expense_type, meanings[3].known) == ("other", False)
    table = _table(["科目编码", "科目名称", "合计", "神秘列"], [["2010101", "行政运行", "10", "3"]])
    lines, issues = normalize_table(table)
    assert {(line.column_name, line.expense_type) for line in lines} == {("合计", "total"), ("神秘列", "other")}
    assert [i for i in issues if "不认识“神秘列”这一栏" in i.reason and i.severity == "warning"]


# ------------------------------------------------------------------------------------------------ identity

@pytest.mark.parametrize("text", ["第二部分", "五、", "国家信访局金额", "部门预算", "2026年部门预算公开"])
def test_headings_are_no_department(text):
    assert department_name(text) is None


def test_a_department_printed_several_ways_is_one():
    assert department_name("国家信访局") == "国家信访局"
    assert len({department_key(n) for n in ("中共江苏省委办公厅", "江苏省委办公厅", "中国共产党江苏省委员会办公厅")}) == 1
    assert department_key("江苏省人民代表大会常务委员会办公厅") == department_key("江苏省人大常委会办公厅")
    assert department_key("江苏省人民检察院") != department_key("江苏省人民法院")


def test_files_that_are_no_documents_are_skipped(tmp_path):
    (tmp_path / "SOURCES.md").write_text("| jiangsu/2019.pdf | 江苏省 2019 |\n", encoding="utf-8")
    (tmp_path / "budget.txt").write_text("2026年部门预算\n", encoding="utf-8")
    reasons = {f.name: skip_reason(f) for f in scan_raw_folder(tmp_path)}
    assert reasons["budget.txt"] is None
    assert reasons["SOURCES.md"] == "SOURCES.md：已跳过，.md 文件不是预算文件（只读取PDF和.txt文本）"


# ------------------------------------------------------------------------------------------------ a printed table

def test_a_printed_table_of_another_template_reads_right(tmp_path: Path):
    """A synonym title with the year inside, the unit only in a header cell, a 栏次 row, codes in brackets
    and a column no rule knows, printed to PDF and read back."""
    table = RawTable(
        table_kind="general_budget_expenditure", title="2026年一般公共预算财政拨款支出表", unit="",
        columns=["功能分类科目", "金额（万元）", "基本支出", "项目支出", "备用列"],
        rows=[["栏次", "1", "2", "3", "4"],
              ["[201]一般公共服务支出", "30.50", "20.25", "10.25", "0.00"],
              ["[20101]人大事务", "30.50", "20.25", "10.25", "0.00"],
              ["[2010101]行政运行", "30.50", "20.25", "10.25", "0.00"],
              ["合计", "30.50", "20.25", "10.25", "0.00"]],
        row_refs=[SourceRef("t.pdf")] * 5, ref=SourceRef("t.pdf"))
    doc = RawDocument(source_files=["t.pdf"], department="示例市某某局", year=2026, kind="预算", scope="部门",
                      text_lines=[], tables=[table])
    read = read_pdf(render_pdf(doc, tmp_path / "t.pdf"))
    (got,) = read.tables
    assert (got.table_kind, got.unit) == ("general_budget_expenditure", "万元")
    assert [r[0] for r in got.rows] == ["[201]一般公共服务支出", "[20101]人大事务", "[2010101]行政运行", "合计"]
    lines, issues = normalize_table(got)
    row = {(line.subject_code, line.expense_type): line.amount for line in lines}
    assert row[("2010101", "total")] == Decimal("305000.00") and row[("2010101", "project")] == Decimal("102500.00")
    assert {line.expense_type for line in lines if line.column_name == "备用列"} == {"other"}
    assert [i for i in issues if "不认识“备用列”这一栏" in i.reason]


def test_a_known_table_under_an_unknown_title_is_read_by_its_header(tmp_path: Path):
    table = RawTable(
        table_kind="three_public", title="2026年公务支出安排情况", unit="元",
        columns=["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费/小计", "公务用车购置及运行费/购置费",
                 "公务用车购置及运行费/运行费"],
        rows=[["150.00", "50.00", "40.00", "60.00", "0.00", "60.00"]],
        row_refs=[SourceRef("t.pdf")], ref=SourceRef("t.pdf"))
    doc = RawDocument(source_files=["t.pdf"], department="示例市某某局", year=2026, kind="预算", scope="部门",
                      text_lines=[], tables=[table])
    read = read_pdf(render_pdf(doc, tmp_path / "t.pdf"))
    (got,) = read.tables
    assert (got.table_kind, got.title, got.unit) == ("three_public", "2026年公务支出安排情况", "元")
    assert got.rows == [["150.00", "50.00", "40.00", "60.00", "0.00", "60.00"]]
    assert "表名未识别，按表头结构识别为“三公”经费支出表" in got.notes
    assert [i.reason for i in read.issues] == ["2026年公务支出安排情况（第1页）：表名未识别，按表头结构识别为“三公”经费支出表，请核对"]


@pytest.mark.parametrize("texts, kind", [
    (["项目", "合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费"], "three_public"),
    (["收入", "支出", "财政拨款收入", "事业收入", "本年收入合计", "本年支出合计"], "income_expenditure_summary"),
    (["部门经济分类科目", "人员经费", "公用经费"], "general_budget_basic_expenditure"),
    (["经济分类科目", "人员经费", "公用经费", "财政拨款"], None),  # 财政拨款基本支出表 or 一般公共预算: unknown
    (["科目编码", "科目名称", "基本支出", "项目支出"], None),  # 支出总表 and 一般公共预算支出表 look alike
])
def test_table_structures(texts, kind):
    assert kind_by_structure(texts) == kind
