"""Odd tables inside an otherwise good document: units, dashes, negatives, missing tables."""
from decimal import Decimal

import duckdb
import pytest

from pipelines.read.text_reader import read_text
from pipelines.normalize.budget_lines import normalize_table
from tests.conftest import SEED, run_pipeline

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _lines(text: str, kind: str):
    doc = read_text(text, "seed.txt")
    table = next(t for t in doc.tables if t.table_kind == kind)
    lines, issues = normalize_table(table)
    return table, lines, issues


def test_each_table_reads_its_own_unit_line():
    # 附表4-6 printed in 万元: every figure of that table, and only that table, is scaled exactly.
    text = SEED_TEXT.replace("基本支出表\n\n部门/单位： 单位：元", "基本支出表\n\n部门/单位： 单位：万元", 1)
    assert text != SEED_TEXT
    table, lines, _ = _lines(text, "general_budget_basic_expenditure")
    assert table.unit == "万元"
    total = next(l for l in lines if l.row_role == "total" and l.expense_type == "total")
    assert total.amount == Decimal("91678743100.00") and total.half_unit == Decimal("50")
    _, other, _ = _lines(text, "general_budget_expenditure")
    assert next(l for l in other if l.row_role == "total" and l.expense_type == "total").amount == Decimal("21262614.31")


@pytest.mark.parametrize("mark", ["-", "—", "/"])
def test_dash_cells_are_empty_not_zero(mark):
    text = SEED_TEXT.replace("　30201 　办公费 0.00 0.00 0.00", f"　30201 　办公费 {mark} {mark} {mark}")
    assert text != SEED_TEXT
    _, lines, issues = _lines(text, "general_budget_basic_expenditure")
    assert not [l for l in lines if l.economic_class_code == "30201"]
    assert not [i for i in issues if i.severity == "error"]


def test_negative_figures_stay_negative():
    text = SEED_TEXT.replace("　30302 　退休费 624.00 624.00 0.00", "　30302 　退休费 -624.00 -624.00 0.00")
    assert text != SEED_TEXT
    _, lines, _ = _lines(text, "general_budget_basic_expenditure")
    assert {l.amount for l in lines if l.economic_class_code == "30302"} == {Decimal("-624.00"), Decimal("0.00")}


def test_a_document_missing_standard_tables_loads_with_a_warning(tmp_path):
    start = SEED_TEXT.index("附表4-3")
    end = SEED_TEXT.index("附表4-4")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_text(SEED_TEXT[:start] + SEED_TEXT[end:], encoding="utf-8")
    con = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    (reason,) = con.execute("select reason from v_ingest_issue where reason like '没有找到这些标准表格%'").fetchone()
    assert reason == "没有找到这些标准表格：支出总表；用到它们的核对无法进行"
    assert con.execute("select count(*) from fact_budget_line where table_kind = 'expenditure_summary'").fetchone()[0] == 0
    assert con.execute("select count(*) from fact_budget_line").fetchone()[0] > 400
    con.close()
