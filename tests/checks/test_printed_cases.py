"""Documents printed here, whole, through the pipeline: what is and is not a contradiction.

- A 款 row printed 100.00 元 too high in three columns at once (合计, 基本支出, 人员经费), its 项 rows, its 类, the
  合计 row and the 支出总表 printing it right: one contradiction naming that row, not a table read wrong in three
  places. The gap is no printed figure of the table and no multiple of the sum: the finding says so.
- A clean document printed from a spreadsheet whose 政府采购预算表 is in 元 with quantities ("6台"), 品目 codes
  ("[A02010104]台式计算机") and a 合计 row: no contradiction.
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from pipelines.fixtures.pdf_render import ProducerUnavailable, find_soffice, render_pdf, render_pdf_via_spreadsheet
from pipelines.read.model import RawDocument, RawTable, SourceRef, TextLine
from pipelines.warehouse.build import WAREHOUSE_FILE
from tests.conftest import run_pipeline

# 项 rows: (code, name, 人员经费, 公用经费, 项目支出), in 元 with 分
ITEMS = [
    ("2010101", "行政运行", D("1234567.89"), D("234567.11"), D("0.00")),
    ("2010102", "一般行政管理事务", D("0.00"), D("0.00"), D("500000.00")),
    ("2010199", "其他政府办公厅（室）及相关机构事务支出", D("12345.67"), D("2000.00"), D("30000.00")),
    ("2080505", "机关事业单位基本养老保险缴费支出", D("345678.90"), D("0.00"), D("0.00")),
    ("2080506", "机关事业单位职业年金缴费支出", D("123456.78"), D("0.00"), D("0.00")),
    ("2210201", "住房公积金", D("234567.89"), D("0.00"), D("0.00")),
]
NAMES = {"201": "一般公共服务支出", "20101": "人大事务", "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
         "221": "住房保障支出", "22102": "住房改革支出"}
WRONG_ROW, WRONG_BY = "20101", D("100.00")  # printed 100.00 too high in 合计, 基本支出 and 人员经费
LINES = ["示例市某某局", "2026年部门预算", "第三部分 2026年部门预算情况说明"]


def _sums(prefix: str) -> tuple[D, D, D]:
    rows = [(p, g, j) for c, _, p, g, j in ITEMS if c.startswith(prefix)]
    return tuple(sum((r[i] for r in rows), D(0)) for i in range(3))


def _general_rows(wrong: bool) -> list[list[str]]:
    def row(code: str, name: str, personnel: D, public: D, project: D) -> list[str]:
        bump = WRONG_BY if wrong and code == WRONG_ROW else D(0)
        basic = personnel + public
        return [code, name, f"{basic + project + bump:,.2f}", f"{basic + bump:,.2f}", f"{personnel + bump:,.2f}",
                f"{public:,.2f}", f"{project:,.2f}"]

    out = [row("", "合计", *_sums(""))]
    for code, name, *_ in ITEMS:
        for parent in (code[:3], code[:5]):
            if not any(r[0] == parent for r in out):
                out.append(row(parent, NAMES[parent], *_sums(parent)))
        out.append(row(code, name, *_sums(code)))
    return out


def _summary_rows() -> list[list[str]]:
    rows = []
    for code, name, *_ in ITEMS:
        for parent in (code[:3], code[:5]):
            if not any(r[0] == parent for r in rows):
                p, g, j = _sums(parent)
                rows.append([parent, NAMES[parent], f"{p + g + j:,.2f}", f"{p + g:,.2f}", f"{j:,.2f}"])
        p, g, j = _sums(code)
        rows.append([code, name, f"{p + g + j:,.2f}", f"{p + g:,.2f}", f"{j:,.2f}"])
    p, g, j = _sums("")
    return [["", "合计", f"{p + g + j:,.2f}", f"{p + g:,.2f}", f"{j:,.2f}"], *rows]


def _table(kind: str, number: str, title: str, columns: list[str], rows: list[list[str]]) -> RawTable:
    return RawTable(table_kind=kind, title=title, unit="元", columns=columns, rows=rows,
                    row_refs=[SourceRef("x.pdf")] * len(rows), ref=SourceRef("x.pdf"), number=number)


def _document(tables: list[RawTable], lines: list[str]) -> RawDocument:
    return RawDocument(source_files=["x.pdf"], department=None, year=None, kind=None, scope=None,
                       text_lines=[TextLine(t, SourceRef("x.pdf")) for t in lines], tables=tables)


def _findings(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute("""
            select finding_role, check_kind, culprit, expected, actual, confidence, description
            from v_check_result where finding_role is not null and finding_role not in ('rounding_residue')
            order by finding_role, check_kind, description""").fetchall()


@pytest.fixture(scope="module")
def row_off_in_three_columns(tmp_path_factory) -> list[tuple]:
    tables = [
        _table("expenditure_summary", "表3", "支出总表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
               _summary_rows()),
        _table("general_budget_expenditure", "表5", "一般公共预算支出表",
               ["科目编码", "科目名称", "合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"],
               _general_rows(wrong=True)),
    ]
    raw = tmp_path_factory.mktemp("raw")
    render_pdf(_document(tables, LINES), raw / "row_off.pdf")
    warehouse = tmp_path_factory.mktemp("wh")
    run_pipeline(raw, warehouse)
    return _findings(warehouse)


def test_a_row_printed_wrong_in_three_columns_is_one_contradiction_naming_it(row_off_in_three_columns):
    findings = row_off_in_three_columns
    leads = [f for f in findings if f[0] == "contradiction"]
    assert len(leads) == 1, findings
    role, kind, culprit, expected, actual, confidence, _ = leads[0]
    assert culprit.startswith("表5 一般公共预算支出表 20101 人大事务 [")
    assert actual - expected in (WRONG_BY, -WRONG_BY)
    assert "差额不等于本表任何别的数字，也不是倍数关系" in confidence and "同一行3栏同差" in confidence
    assert not [f for f in findings if f[0] in ("reading_doubt", "doubted")], findings
    # every relation the row breaks (款 = Σ项 and 类 = Σ款 in each of the three columns, and the 支出总表's 20101
    # if compared) is a consequence of the one contradiction
    consequences = [f for f in findings if f[0] == "consequence"]
    assert len(consequences) >= 5 and {f[1] for f in consequences} <= {"hierarchy", "cross_table"}


PROCUREMENT_LINES = [
    # (品目, quantity as printed, unit price, amount), in 元
    ("[A02010104]台式计算机", "6台", D("5800.00"), D("34800.00")),
    ("[A02021001]A4黑白打印机", "2台", D("1950.00"), D("3900.00")),
    ("[A05010301]办公桌", "10张", D("1200.00"), D("12000.00")),
    ("[C1204]物业管理服务", "1项", D("268000.00"), D("268000.00")),
]


def _procurement_document() -> RawDocument:
    total = sum(a for *_, a in PROCUREMENT_LINES)  # 318,700.00 元 = 31.87万元
    goods = sum(a for code, *_, a in PROCUREMENT_LINES if code.startswith("[A"))  # 50,700.00 元 = 5.07万元
    rows = [["合计", "", "", "", f"{total:,.2f}"]]
    rows += [["办公设备购置", code, quantity, f"{price:,.2f}", f"{amount:,.2f}"]
             for code, quantity, price, amount in PROCUREMENT_LINES]
    table = _table("procurement", "表10", "政府采购预算表", ["项目名称", "政府采购品目", "采购数量", "单价", "采购金额"],
                   rows)
    lines = [*LINES, "六、政府采购情况说明",
             f"2026年度本单位政府采购预算{total / 10000:.2f}万元，其中：政府采购货物预算{goods / 10000:.2f}万元、"
             f"政府采购工程预算0万元、政府采购服务预算{(total - goods) / 10000:.2f}万元。"]
    return _document([table], lines)


def test_a_clean_procurement_table_printed_from_a_spreadsheet_has_no_contradiction(tmp_path):
    try:
        find_soffice()
    except ProducerUnavailable as exc:
        pytest.skip(f"ProducerUnavailable: {exc}")
    raw = tmp_path / "raw"
    raw.mkdir()
    render_pdf_via_spreadsheet(_procurement_document(), raw / "procurement.pdf")
    warehouse = tmp_path / "wh"
    run_pipeline(raw, warehouse)
    with duckdb.connect(str(warehouse / WAREHOUSE_FILE), read_only=True) as con:
        lines = con.execute("""
            select item_code, quantity, unit_price, amount from fact_budget_line
            where table_kind = 'procurement' and row_role = 'detail' and expense_type = 'procurement_total'
            order by row_no""").fetchall()
        checks = con.execute("""
            select check_kind, status, finding_role, description from v_check_result
            where check_kind in ('procurement', 'narrative_vs_table') order by description""").fetchall()
        errors = con.execute("select description from v_check_result where finding_role = 'contradiction'").fetchall()
    assert lines == [("A02010104", D(6), D("5800.00"), D("34800.00")), ("A02021001", D(2), D("1950.00"), D("3900.00")),
                     ("A05010301", D(10), D("1200.00"), D("12000.00")), ("C1204", D(1), D("268000.00"), D("268000.00"))]
    held = {d.split(":")[0].split(" (")[0]: s for _, s, _, d in checks}
    assert held["政府采购预算表 合计 [采购金额] = Σ 采购明细"] == "pass", checks
    assert {s for k, s, *_ in checks if k == "procurement"} == {"pass"}, checks
    assert errors == []
