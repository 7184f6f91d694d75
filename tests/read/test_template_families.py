"""Template families of cities the reader was not built on, each printed with the fixtures' renderer in that
family's layout (or built as the reader hands it on) and read back: the figures asserted are the made-up
ones printed."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.fixtures.pdf_render import RenderVariant, render_pdf
from pipelines.normalize.budget_lines import BudgetLine, normalize_table
from pipelines.normalize.columns import table_meanings
from pipelines.read.model import RawDocument, RawTable, SourceRef
from pipelines.read.pdf_reader import read_pdf

pytest.importorskip("reportlab")


def _table(title: str, columns: list[str], rows: list[list[str | None]], unit: str = "元", number: str | None = None,
           kind: str = "") -> RawTable:
    return RawTable(kind, title, unit, columns, [list(r) for r in rows], [SourceRef("t.pdf", page=1) for _ in rows],
                    SourceRef("t.pdf", page=1), number=number)


def _read(tmp_path: Path, tables: list[RawTable], variant: RenderVariant = RenderVariant()) -> RawDocument:
    doc = RawDocument(["t.pdf"], department="测试局", year=2026, kind="预算", scope="部门", tables=tables)
    return read_pdf(render_pdf(doc, tmp_path / "t.pdf", variant=variant))


def _lines(table: RawTable) -> list[BudgetLine]:
    lines, issues = normalize_table(table)
    assert not [i for i in issues if i.severity == "error"], issues
    return lines


def _totals(lines: list[BudgetLine]) -> list[tuple[str, str, str | None, Decimal]]:
    """(row label, role, subject or economic code, yuan) of each row's total column."""
    return [(ln.row_label, ln.row_role, ln.subject_code or ln.economic_class_code or ln.unit_code, ln.amount)
            for ln in lines if ln.expense_type == "total"]


SUMMARY_COLUMNS = ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]
SUMMARY_ROWS = [
    ["一、一般公共预算拨款收入", "870,741.79", "一、一般公共服务支出", "870,741.79"],
    ["收入总计", "870,741.79", "支出总计", "870,741.79"],
]
INCOME_COLUMNS = ["合计", "本年收入/小计", "本年收入/一般公共预算资金", "本年收入/事业收入", "上年结转结余/小计",
                  "上年结转结余/一般公共预算资金"]
INCOME_ROWS = [["900.00", "800.00", "700.00", "100.00", "100.00", "100.00"]]


def test_a_title_printed_inside_the_sheet_grid_heads_its_own_table(tmp_path):
    # 北京 水务局: the sheet's gridlines run around "预算02表 收入总表", in no cell; the 收入总表 was read as rows
    # of the 收支总表 above it ('政府性基金预算资金国有资本经营预算资金' as a figure)
    doc = _read(tmp_path, [_table("收支总表", SUMMARY_COLUMNS, SUMMARY_ROWS, "万元", "预算01表"),
                           _table("收入总表", INCOME_COLUMNS, INCOME_ROWS, "万元", "预算02表")],
                RenderVariant(title_in_grid=True))
    assert [(t.table_kind, t.number, len(t.rows)) for t in doc.tables] == [
        ("income_expenditure_summary", "预算01表", 2), ("income_summary", "预算02表", 1)]
    assert doc.tables[1].rows == INCOME_ROWS
    assert [ln.amount for ln in _lines(doc.tables[1]) if ln.column_name == "合计"] == [Decimal("9000000.00")]


def test_further_columns_printed_on_the_next_page_join_their_rows(tmp_path):
    # a 收入总表 too wide for its page: 上年结转结余 and its funds printed on the next page beside the same row
    doc = _read(tmp_path, [_table("收入总表", INCOME_COLUMNS, INCOME_ROWS, "万元", "预算02表")],
                RenderVariant(split_columns=4))
    (table,) = doc.tables
    assert table.columns == INCOME_COLUMNS and table.rows == INCOME_ROWS
    assert table.notes == ["第2页续印上年结转结余/小计、上年结转结余/一般公共预算资金列"]
    assert {(ln.fund_source, ln.amount) for ln in _lines(table) if ln.column_name.startswith("上年")} == {
        ("carryover", Decimal("1000000.00")), ("carryover.general_public_budget", Decimal("1000000.00"))}


BASIC_COLUMNS = ["政府支出经济分类科目", "部门支出经济分类科目", "合计", "人员经费", "公用经费"]
BASIC_ROWS = [
    ["50102-社会保障缴费", "30108-机关事业单位基本养老保险缴费", "768.17", "768.17", None],
    ["50102-社会保障缴费", "30109-职业年金缴费", "384.09", "384.09", None],
    ["50201-办公经费", "30201-办公费", "77.10", None, "77.10"],
    [None, "合计", "1,229.36", "1,152.26", "77.10"],
]


def test_a_wrapped_name_running_over_its_rule_stays_in_its_cell(tmp_path):
    # 北京 应急管理局 预算06表: "…基本养老保险" / "缴费" printed over the rule read as "缴费30109-职业年金缴费", a row
    # without a code that was taken for the table's total
    doc = _read(tmp_path, [_table("一般公共预算基本支出表", BASIC_COLUMNS, BASIC_ROWS, "万元", "预算06表")],
                RenderVariant(overflow=True, wrap_width=16))
    (table,) = doc.tables
    assert [r[1] for r in table.rows] == [r[1] for r in BASIC_ROWS]
    assert _totals(_lines(table)) == [
        ("30108 机关事业单位基本养老保险缴费", "detail", "30108", Decimal("7681700.00")),
        ("30109 职业年金缴费", "detail", "30109", Decimal("3840900.00")),
        ("30201 办公费", "detail", "30201", Decimal("771000.00")),
        ("合计", "total", None, Decimal("12293600.00"))]


def test_a_name_run_on_below_a_pages_last_rule_keeps_the_table_open(tmp_path):
    # 北京 水务局 预算03表: "2130306-水利工程运行与维" / "护" printed below the last rule of page 11 read as a line of
    # text after the table, which ended it: the rows of pages 12-17 and the 合计 were lost
    rows = [[f"{30101 + k}", "机关事业单位基本养老保险缴费支出" if k % 2 else "基本工资", "10.00"] for k in range(5)]
    rows.append([None, "合计", "50.00"])
    doc = _read(tmp_path, [_table("一般公共预算基本支出表", ["科目编码", "科目名称", "合计"], rows, "万元")],
                RenderVariant(overflow=True, wrap_width=8, rows_per_page=2))
    (table,) = doc.tables
    assert [r[1] for r in table.rows] == [r[1] for r in rows]
    assert [ref.page for ref in table.row_refs] == [1, 1, 2, 2, 3, 3]


def test_a_figure_in_a_merged_cell_is_in_the_column_it_is_printed_in():
    # 北京 支出总表 合计 row: one cell over 部门支出经济分类科目 and 合计, the figure right-aligned under 合计
    from pipelines.read.pdf_reader import _Cell, _Column, _project, _Segment
    xs = [74.0, 187.0, 308.0, 430.0, 503.0]
    row = [_Cell("合 计", (74.0, 516.0, 187.0, 531.0), (112.4, 130.0, 9.0)), _Cell("", (187.0, 516.0, 308.0, 531.0)),
           _Cell("1,024,807.171785", (308.0, 516.0, 503.0, 531.0), (426.6, 502.0, 9.0)), _Cell(None, None)]
    columns = [_Column(a, b) for a, b in zip(xs, xs[1:])]
    texts, _, _ = _project(_Segment(1, (74.0, 516.0, 503.0, 531.0), [row], xs), [row], columns)
    assert texts == [["合计", None, None, "1,024,807.171785"]]


def test_a_labelled_row_without_code_is_never_the_total():
    rows = [["30101", "基本工资", "100.00"], ["30102", "津贴补贴", "50.00"], [None, "合计", "150.00"],
            [None, "缴费30109-职业年金缴费", "20.00"]]
    table = _table("一般公共预算基本支出表", ["科目编码", "科目名称", "合计"], rows,
                   kind="general_budget_basic_expenditure")
    assert [role for _, role, _, _ in _totals(_lines(table))] == ["detail", "detail", "total", "detail"]


def test_figures_grouped_only_at_their_last_thousands(tmp_path):
    # 上海 人社局 职业能力考试院: the sheet prints 120,258,600 as "120258,600"
    rows = [["一、一般公共预算", "120258,600", "一、社会保障和就业支出", "117480,898"],
            [None, None, "二、卫生健康支出", "1851,801"],
            [None, None, "三、住房保障支出", "925,901"],
            ["收入总计", "120258,600", "支出总计", "120258,600"]]
    doc = _read(tmp_path, [_table("财政拨款收支预算总表", SUMMARY_COLUMNS, rows)])
    lines = _lines(doc.tables[0])
    assert [(ln.row_label, ln.amount) for ln in lines if ln.side == "expenditure"] == [
        ("一、社会保障和就业支出", Decimal("117480898")), ("二、卫生健康支出", Decimal("1851801")),
        ("三、住房保障支出", Decimal("925901")), ("支出总计", Decimal("120258600"))]


def test_a_figure_the_text_layer_prints_in_pieces(tmp_path):
    # decimals set apart and letter-spaced digits are one figure each; two figures' worth of digits is a gap
    rows = [[None, "合计", "25180591 .33", "20000000.00", "5180591.33"],
            ["201", "一般公共服务支出", "2 5 1 8 0 5 9 1 . 3 3", "20000000.00", "5180591.33"],
            ["20101", "人大事务", "123 456", "(cid:17)(cid:18)", "5180591.33"]]
    doc = _read(tmp_path, [_table("一般公共预算支出表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], rows)])
    (table,) = doc.tables
    assert [r[2:4] for r in table.rows] == [["25180591.33", "20000000.00"], ["25180591.33", "20000000.00"],
                                             [None, None]]
    assert table.notes == ["读数缺口：第1页“123 456”", "读数缺口：第1页“(cid:17)(cid:18)”"]
    gaps = [i for i in doc.issues if "读不出数字" in i.reason]
    assert [(i.severity, i.ref.page) for i in gaps] == [("error", 1), ("error", 1)]
    assert gaps[0].reason.startswith("一般公共预算支出表（第1页）“合计”栏：读不出数字“123 456”（文字层把它拆开或弄乱了")
    assert [ln.amount for ln in _lines(table) if ln.row_label == "20101 人大事务"] == [Decimal("5180591.33")]


SUBJECT_COLUMNS = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def test_whereof_columns_after_the_parts_of_the_total_are_a_breakdown():
    # 北京 支出总表: 合计 | 基本支出 | 项目支出 | 其中：事业单位经营支出 …; 广州: 小计 | 其中：基本支出 | 项目支出
    beijing = table_meanings(["支出功能分类科目", "合计", "基本支出", "项目支出", "其中/事业单位经营支出",
                              "其中/上缴上级支出"], "expenditure_summary")
    assert [m.expense_type for m in beijing] == [
        None, "total", "basic", "project", "of_which.business_operation", "of_which.remit_to_superior"]
    guangzhou = table_meanings(["科目编码", "一般公共预算支出/小计", "一般公共预算支出/其中：基本支出",
                                "一般公共预算支出/项目支出"], "general_budget_expenditure")
    assert [m.expense_type for m in guangzhou] == [None, "total", "basic", "project"]


def test_an_earlier_years_columns_are_the_prior_year():
    # 重庆: 2025年预算数 beside 2026年预算数/总计 …
    meanings = table_meanings(["科目编码", "科目名称", "2025年预算数", "2026年预算数/总计", "2026年预算数/基本支出/小计",
                               "2026年预算数/项目支出"], "general_budget_expenditure")
    assert [m.expense_type for m in meanings] == [None, None, "prior_year.total", "total", "basic", "project"]


def test_final_accounts_print_each_figure_once(tmp_path):
    # a 决算 三公 table whose header repeats every column under 预算数 and under 决算数
    items = ["合计", "因公出国（境）费", "公务用车购置及运行费/小计", "公务用车购置及运行费/公务用车购置费",
             "公务用车购置及运行费/公务用车运行费", "公务接待费"]
    columns = [f"预算数/{i}" for i in items] + [f"决算数/{i}" for i in items]
    row = ["30.00", "10.00", "15.00", "5.00", "10.00", "5.00", "25.50", "8.00", "13.50", "4.00", "9.50", "4.00"]
    doc = _read(tmp_path, [_table("2024年度财政拨款“三公”经费支出决算表", columns, [row], "万元")])
    lines = {ln.expense_type: ln.amount for ln in _lines(doc.tables[0])}
    assert len(lines) == 12
    assert lines["three_public_total"] == Decimal("255000.00")
    assert lines["budget.three_public_total"] == Decimal("300000.00")
    assert lines["three_public_reception"] == Decimal("40000.00")
    assert lines["budget.three_public_vehicle_operation"] == Decimal("100000.00")
    outturn = table_meanings(["科目编码", "科目名称", "年初预算数", "决算数/合计", "决算数/基本支出"],
                             "general_budget_expenditure")
    assert [m.expense_type for m in outturn] == [None, None, "budget.total", "total", "basic"]


def test_class_names_printed_below_their_class_take_no_class_code():
    # 深圳 收支总表: 五、其他支出 | 其他支出 (款) | 其他支出 (项): only the class row is class 229
    rows = [["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "40.00"],
            [None, None, "政府办公厅（室）及相关机构事务", "40.00"],
            [None, None, "二、其他支出", "60.00"],
            [None, None, "其他支出", "60.00"],
            [None, None, "其他支出", "60.00"],
            ["收入总计", "100.00", "支出总计", "100.00"]]
    lines = _lines(_table("收支总表", SUMMARY_COLUMNS, rows, kind="income_expenditure_summary"))
    assert [(ln.row_label, ln.subject_code) for ln in lines if ln.side == "expenditure"] == [
        ("一、一般公共服务支出", "201"), ("政府办公厅（室）及相关机构事务", None), ("二、其他支出", "229"),
        ("其他支出", None), ("其他支出", None), ("支出总计", None)]


def test_a_row_printed_twice_is_one_subject():
    # 无锡 发改委 公开03表: "21999 其他支出 502.00" printed twice under "219 援助其他地区支出 502.00"
    rows = [[None, "合计", "602.00"], ["201", "一般公共服务支出", "100.00"], ["20101", "人大事务", "100.00"],
            ["219", "援助其他地区支出", "502.00"], ["21999", "其他支出", "502.00"], ["21999", "其他支出", "502.00"]]
    lines = _lines(_table("支出总表", ["科目编码", "科目名称", "合计"], rows, kind="expenditure_summary"))
    assert _totals(lines) == [
        ("合计", "total", None, Decimal("602.00")), ("201 一般公共服务支出", "subtotal", "201", Decimal("100.00")),
        ("20101 人大事务", "detail", "20101", Decimal("100.00")),
        ("219 援助其他地区支出", "subtotal", "219", Decimal("502.00")),
        ("21999 其他支出", "detail", "21999", Decimal("502.00")), ("21999 其他支出", "detail", None, Decimal("502.00"))]
    assert {ln.block_no for ln in lines} == {0}


def test_a_units_block_begins_at_the_top_of_the_hierarchy():
    # 北京 一般公共预算支出表: only 项 rows, printed again for each unit; a 类 table: a 款 seen again is no new unit
    beijing = [["2050803", "培训支出", "99.81"], ["2101501", "行政运行", "4,247.25"], ["2050803", "培训支出", "2.00"],
               ["2101501", "行政运行", "5,224.81"], [None, "合计", "9,573.87"]]
    lines = _lines(_table("一般公共预算支出表", ["科目编码", "科目名称", "合计"], beijing, "万元",
                          kind="general_budget_expenditure"))
    assert [ln.block_no for ln in lines] == [0, 0, 1, 1, 1]
    classes = [["201", "一般公共服务支出", "30.00"], ["20101", "人大事务", "10.00"], ["20102", "政协事务", "10.00"],
               ["20101", "人大事务", "10.00"], [None, "合计", "30.00"]]
    lines = _lines(_table("支出总表", ["科目编码", "科目名称", "合计"], classes, kind="expenditure_summary"))
    assert {ln.block_no for ln in lines} == {0}


def test_a_table_listed_by_unit_is_no_subject_table():
    rows = [[None, "合计", "300.00", "200.00", "100.00"], ["114", "某某局", "300.00", "200.00", "100.00"],
            ["114001", "某某局本级", "180.00", "120.00", "60.00"], ["114002", "某某中心", "120.00", "80.00", "40.00"]]
    lines = _lines(_table("支出总表", ["单位编码", "单位名称", "合计", "基本支出", "项目支出"], rows,
                          kind="expenditure_summary"))
    assert not [ln for ln in lines if ln.subject_code]
    assert [(ln.unit_code, ln.unit_name, ln.row_role, ln.amount) for ln in lines if ln.expense_type == "total"] == [
        (None, "合计", "total", Decimal("300.00")), ("114", "某某局", "subtotal", Decimal("300.00")),
        ("114001", "某某局本级", "detail", Decimal("180.00")), ("114002", "某某中心", "detail", Decimal("120.00"))]


UNCODED = [("合计", "300.00"), ("一般公共服务支出", "250.00"), ("　人大事务", "250.00"), ("　　行政运行", "150.00"),
           ("　　人大会议", "100.00"), ("住房保障支出", "50.00"), ("　住房改革支出", "50.00"), ("　　住房公积金", "50.00")]
UNCODED_READ = [
    ("合计", "total", None, Decimal("300.00")), ("一般公共服务支出", "subtotal", "201", Decimal("250.00")),
    ("人大事务", "subtotal", None, Decimal("250.00")), ("行政运行", "detail", None, Decimal("150.00")),
    ("人大会议", "detail", None, Decimal("100.00")), ("住房保障支出", "subtotal", "221", Decimal("50.00")),
    ("住房改革支出", "subtotal", None, Decimal("50.00")), ("住房公积金", "detail", None, Decimal("50.00"))]


def test_a_hierarchy_printed_without_codes_by_indentation(tmp_path):
    doc = _read(tmp_path, [_table("一般公共预算支出表", ["科目名称", "合计"], [list(r) for r in UNCODED])])
    (table,) = doc.tables
    assert [r[0] for r in table.rows] == [name for name, _ in UNCODED]  # the indentation, as ideographic spaces
    assert _totals(_lines(table)) == UNCODED_READ


def test_a_hierarchy_printed_without_codes_by_enumerators_or_names():
    enumerated = ["合计", "一、一般公共服务支出", "（一）人大事务", "1.行政运行", "2.人大会议", "二、住房保障支出",
                  "（一）住房改革支出", "1.住房公积金"]
    rows = [[name, figure] for name, (_, figure) in zip(enumerated, UNCODED)]
    read = _totals(_lines(_table("一般公共预算支出表", ["科目名称", "合计"], rows, kind="general_budget_expenditure")))
    assert [(role, code, amount) for _, role, code, amount in read] == [r[1:] for r in UNCODED_READ]
    # names alone: a class name is a class, what follows it is below it; a name repeating the row above is deeper
    named = [["合计", "150.00"], ["一般公共服务支出", "100.00"], ["人大事务", "100.00"], ["其他支出", "50.00"],
             ["其他支出", "50.00"]]
    read = _totals(_lines(_table("一般公共预算支出表", ["科目名称", "合计"], named, kind="general_budget_expenditure")))
    assert [(role, code) for _, role, code, _ in read] == [
        ("total", None), ("subtotal", "201"), ("detail", None), ("subtotal", "229"), ("detail", None)]


def test_a_unit_line_is_no_department_line(tmp_path):
    doc = _read(tmp_path, [_table("收支总表", SUMMARY_COLUMNS, SUMMARY_ROWS, "万元")])
    assert doc.tables[0].notes == []
