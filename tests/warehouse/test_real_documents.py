"""Real PDFs of ../shared/real-docs through the whole pipeline: how documents are put together and
what the warehouse makes of their odd tables. Identities, table lists and figures of every document
are in test_real_truth (typed from the pages); every figure below was read in the PDF itself, not
from the reader's output.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests.conftest import REAL_DOCS

pytestmark = pytest.mark.skipif(not REAL_DOCS.is_dir(), reason=f"real documents not available at {REAL_DOCS}")

NARRATIVE_2019 = "江苏省人大常委会2019年度部门预算公开.pdf"
TABLES_2019 = "江苏省人大常委会办公厅2019年部门预算公开表.pdf"

@pytest.fixture()
def db(real_db):
    return real_db


def _document_of(db, file_name: str) -> str:
    rows = db.execute("select document_id from dim_document where regexp_matches(source_files, '(^|/|; )' || ? || '($|; )')", [file_name]).fetchall()
    assert len(rows) == 1, (file_name, rows)
    return rows[0][0]


def test_every_file_loads(db):
    files = {f for (s,) in db.execute("select source_files from dim_document").fetchall() for f in s.split("; ")}
    assert files == {p.relative_to(REAL_DOCS).as_posix() for p in REAL_DOCS.rglob("*.pdf")}
    errors = db.execute("select source_file, reason from v_ingest_issue where severity = 'error'").fetchall()
    assert errors == []


def test_narrative_and_tables_pdfs_are_one_document(db):
    """The tables-only file prints "部门： 江苏省人大常委会办公厅 单位：万元" above every table; the
    reader keeps that line (in the table notes), so the file joins its narrative PDF. The 40 PDFs are
    36 disclosures: this pair and the three 北京 附件1 说明 + 附件2 报表 pairs are one each."""
    (department,) = db.execute("select department from dim_document where regexp_matches(source_files, '(^|/|; )' || ? || '($|; )')",
                               [TABLES_2019]).fetchone()
    assert department == "江苏省人大常委会办公厅"
    assert _document_of(db, TABLES_2019) == _document_of(db, NARRATIVE_2019)
    assert db.execute("select count(*) from dim_document").fetchone() == (36,)


def test_two_expenditure_breakdowns_do_not_double_count(db):
    """Jiangsu 收支总表 prints expenditure by function and by use: only the function rows are
    expense_type 'total'; the use rows carry their own type (basic, project, unit_reserve)."""
    doc = _document_of(db, "2019年度部门预算公开.pdf")
    rows = dict(db.execute("""
        select expense_type, sum(amount) from v_budget_line
        where document_id = ? and table_kind = 'income_expenditure_summary' and side = 'expenditure'
          and row_role = 'detail' group by 1""", [doc]).fetchall())
    assert rows == {"total": D("241697400"), "basic": D("158440400"), "project": D("43353000"),
                    "unit_reserve": D("39904000")}
    subjects = dict(db.execute("""
        select subject_code, amount from v_budget_line where document_id = ?
          and table_kind = 'income_expenditure_summary' and subject_code is not null""", [doc]).fetchall())
    assert subjects == {"204": D("165931200"), "208": D("18902700"), "221": D("56863500")}


# file → 合计 of 一般公共预算支出表 (column 合计/金额/决算数), in yuan.
GENERAL_BUDGET_TOTALS = {
    "ptq_wanli_2024_yusuan.pdf": "156211123",  # 元: codes split over 类/款/项
    "ptq_shgzb_2024_juesuan.pdf": "3078200",  # 万元, 决算
    "2019年度部门预算公开.pdf": "241697400",  # 万元, codes joined
}


@pytest.mark.parametrize("file_name", sorted(GENERAL_BUDGET_TOTALS))
def test_general_budget_detail_rows_sum_to_total(db, file_name):
    doc = _document_of(db, file_name)
    detail, half, total = db.execute("""
        select sum(amount) filter (where row_role = 'detail'), sum(half_unit) filter (where row_role = 'detail'),
               sum(amount) filter (where row_role = 'total')
        from v_budget_line where document_id = ? and table_kind = 'general_budget_expenditure'
          and expense_type = 'total'""", [doc]).fetchone()
    assert total == D(GENERAL_BUDGET_TOTALS[file_name])
    # 万元 figures are rounded, so Σ detail may differ from 合计 by up to Σ half-units; these three
    # happen to tie exactly.
    assert abs(detail - total) <= half
    assert detail == total


def test_split_codes_are_joined(db):
    doc = _document_of(db, "ptq_wanli_2024_yusuan.pdf")
    rows = db.execute("""
        select subject_code, row_role, amount from v_budget_line
        where document_id = ? and table_kind = 'general_budget_expenditure' and expense_type = 'total'
          and subject_code in ('208', '20805', '2080501') order by 1""", [doc]).fetchall()
    assert rows == [("208", "subtotal", D("19604064")), ("20805", "subtotal", D("7234970")),
                    ("2080501", "detail", D("243120"))]


def test_final_accounts_and_empty_tables(db):
    doc = _document_of(db, "ptq_shgzb_2024_juesuan.pdf")
    kinds = dict(db.execute("""select table_kind, count(*) from v_budget_line where document_id = ?
                               group by 1""", [doc]).fetchall())
    # 本表无数据: 政府性基金 / 国有资本经营 / 三公 tables give no lines
    assert not {"government_fund_expenditure", "state_capital_expenditure", "three_public"} & set(kinds)
    # 万元 with 2 decimals: half-unit 50 yuan
    assert db.execute("""select distinct half_unit from v_budget_line where document_id = ?
                         and stated_unit = '万元'""", [doc]).fetchall() == [(D(50),)]
    # two blocks side by side (工资福利 | 商品和服务): 人员经费合计 and 公用经费合计 are subtotals
    subtotals = dict(db.execute("""select row_label, amount from v_budget_line where document_id = ?
        and table_kind = 'general_budget_basic_expenditure' and row_label like '%经费合计'""", [doc]).fetchall())
    assert subtotals == {"人员经费合计": D("953600"), "公用经费合计": D("102300")}


# ---------------------------------------------------------------------------------------------
# Tie-outs on the real documents (v_check_result, error severity)


def test_two_sided_tables_balance(db):
    """Every 收支总表 / 财政拨款收支总表 balances once each row is counted once: the fund columns
    beside 财政拨款支出/合计 (Shanghai) are parts of it, and 当年收入小计 adds 一、财政拨款, not
    also its row 1.一般公共预算 (Jiangsu). Before balance.sql knew this, every Jiangsu 收入合计 and
    every Shanghai 财政拨款收支总表 支出总计 came out at twice or four times its printed value."""
    failing = db.execute("""select description, expected, actual from v_check_result
                            where check_kind = 'balance' and status = 'fail'""").fetchall()
    # the one that fails is the document's: 无锡人社 公开04表 prints 一、本年支出 152,585.74 beside 支出总计
    # 152,585.76 with nothing carried over (test_real_findings.GENUINE_CONTRADICTIONS)
    assert failing == [("公开04表 财政拨款收支总表: 支出总计 = 本年合计 + 结转 (total = current year + carry-over rows)",
                        D("1525857400"), D("1525857600"))]
    assert db.execute("select count(*) from v_check_result where check_kind = 'balance'").fetchone()[0] > 60
