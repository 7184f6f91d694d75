"""A table printed in whole 元: its sums tie out to the 元, so a one-digit slip is a contradiction naming its cell.

Half a 元 per printed figure would let a sum of three figures miss by 1.5 元 and pass; the table's other
sums, all exact and too many for rounded figures to tie by chance (under 1 in 1,000), show that its figures are
exact, and the slip is judged with no allowance.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.fixtures.pdf_render import render_pdf
from pipelines.read.model import RawDocument, RawTable, SourceRef, TextLine
from pipelines.warehouse.build import WAREHOUSE_FILE
from tests.conftest import run_pipeline

# 项 rows: (code, name, 基本支出, 项目支出), in 元
ITEMS = [
    ("2010101", "行政运行", 4_812_306, 0),
    ("2010102", "一般行政管理事务", 0, 1_250_000),
    ("2010350", "事业运行", 2_903_118, 310_000),
    ("2080501", "行政单位离退休", 402_117, 0),
    ("2080505", "机关事业单位基本养老保险缴费支出", 123_456, 0),
    ("2080506", "机关事业单位职业年金缴费支出", 61_728, 0),
    ("2210201", "住房公积金", 388_604, 0),
    ("2210202", "提租补贴", 97_200, 0),
    # two more classes whose items print both kinds of spending: enough long sums that tie to the 元 for chance
    # not to explain them (were the figures rounded, ties this many would have a probability under 1 in 1,000)
    ("2060101", "行政运行", 1_101_234, 3_400),
    ("2060102", "一般行政管理事务", 22_000, 250_000),
    ("2060103", "机关服务", 76_543, 5_000),
    ("2060199", "其他科学技术管理事务支出", 45_678, 12_345),
    ("2130101", "行政运行", 512_345, 20_000),
    ("2130102", "一般行政管理事务", 61_020, 133_000),
    ("2130104", "事业运行", 833_210, 45_500),
    ("2130106", "科技转化与推广服务", 25_600, 377_000),
    ("2130108", "病虫害控制", 14_300, 98_000),
]
NAMES = {"201": "一般公共服务支出", "20101": "人大事务", "20103": "政府办公厅（室）及相关机构事务",
         "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "221": "住房保障支出", "22102": "住房改革支出",
         "206": "科学技术支出", "20601": "科学技术管理事务", "213": "农林水支出", "21301": "农业农村"}
SLIPPED = ("2080505", 123_457)  # 123,456 printed as 123,457 in the 基本支出 column
SHIFTED = "2010102"  # its 项目支出 1,250,000 read in the 基本支出 column, as a misaligned reading would


def _rows(slip: bool = False, shift: bool = False) -> list[list[str]]:
    items = [(c, n, SLIPPED[1] if slip and c == SLIPPED[0] else b, p) for c, n, b, p in ITEMS]
    if shift:
        items = [(c, n, b + p, 0) if c == SHIFTED else (c, n, b, p) for c, n, b, p in items]
    true = {c: (b, p) for c, _, b, p in ITEMS}

    def total(prefix: str) -> tuple[int, int]:
        # sums are printed from the true figures: only the one cell is misprinted
        return (sum(b for c, (b, _) in true.items() if c.startswith(prefix)),
                sum(p for c, (_, p) in true.items() if c.startswith(prefix)))

    def row(code: str, name: str, basic: int, project: int) -> list[str]:
        return [code, name, f"{basic + project:,}" if code != SLIPPED[0] else f"{sum(true[code]):,}",
                f"{basic:,}", f"{project:,}"]

    out = [row("", "合计", *total(""))]
    for code, name, basic, project in items:
        for parent in (code[:3], code[:5]):
            if not any(r[0] == parent for r in out):
                out.append(row(parent, NAMES[parent], *total(parent)))
        out.append(row(code, name, basic, project))
    out[0][0] = ""
    return out


def _document(**change: bool) -> RawDocument:
    rows = _rows(**change)
    table = RawTable(table_kind="general_budget_expenditure", title="一般公共预算支出表", unit="元",
                     columns=["科目编码", "科目名称", "合计", "基本支出", "项目支出"], rows=rows,
                     row_refs=[SourceRef("x.pdf")] * len(rows), ref=SourceRef("x.pdf"), number="表5")
    lines = ["示例市某某局", "2026年部门预算"]
    return RawDocument(source_files=["x.pdf"], department=None, year=None, kind=None, scope=None,
                       text_lines=[TextLine(t, SourceRef("x.pdf")) for t in lines], tables=[table])


def build_integer_yuan(tmp_path_factory, **change: bool) -> tuple[Path, Path]:
    """(raw folder, warehouse folder) of the document built."""
    raw = tmp_path_factory.mktemp("raw")
    render_pdf(_document(**change), raw / "integer_yuan.pdf")
    warehouse = tmp_path_factory.mktemp("wh")
    run_pipeline(raw, warehouse)
    return raw, warehouse


def _findings(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute("""
            select check_kind, status, finding_role, culprit, expected, actual, tolerance, description, confidence
            from v_check_result order by finding_role nulls last, check_kind, description""").fetchall()


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return _findings(build_integer_yuan(tmp_path_factory)[1])


@pytest.fixture(scope="module")
def slipped_build(tmp_path_factory) -> tuple[Path, Path]:
    return build_integer_yuan(tmp_path_factory, slip=True)


@pytest.fixture(scope="module")
def slipped(slipped_build):
    return _findings(slipped_build[1])


def test_the_clean_table_ties_out_exactly(clean):
    internal = [f for f in clean if f[0] in ("row_arithmetic", "hierarchy")]
    assert len(internal) >= 30 and {f[1] for f in internal} == {"pass"}


def test_a_one_digit_slip_is_one_contradiction_naming_its_cell(slipped):
    errors = {(f[0], f[2]): f for f in slipped if f[2] in ("contradiction", "consequence")}
    assert set(errors) == {("hierarchy", "contradiction"), ("row_arithmetic", "consequence")}
    lead = errors[("hierarchy", "contradiction")]
    cell = "表5 一般公共预算支出表 2080505 机关事业单位基本养老保险缴费支出 [基本支出] 123457.00元"
    assert all(f[3].startswith(cell) for f in errors.values())
    # 20805 基本支出: 402,117 + 123,457 + 61,728 = 587,302 against the printed 587,301, with no allowance
    assert (lead[4], lead[5], lead[6]) == (Decimal("587302"), Decimal("587301"), Decimal("0"))
    row = errors[("row_arithmetic", "consequence")]
    assert (row[4], row[5], row[6]) == (Decimal("123457"), Decimal("123456"), Decimal("0"))
    assert lead[8].startswith("表5 一般公共预算支出表") and "其余59个加总分毫不差" in lead[8]
    assert not [f for f in slipped if f[2] in ("reading_doubt", "doubted")]


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    return _findings(build_integer_yuan(tmp_path_factory, shift=True)[1])


def test_a_figure_in_the_neighbouring_column_is_a_reading_doubt_not_an_error(shifted):
    """20101 misses by +1,250,000 in 基本支出 (4,812,306 + 1,250,000 under a printed 4,812,306) and by −1,250,000 in
    项目支出 (0 under 1,250,000), while 2010102's own row still adds up."""
    assert not [f for f in shifted if f[2] in ("contradiction", "consequence")]
    (doubt,) = [f for f in shifted if f[2] == "reading_doubt"]
    assert "读进了相邻的栏" in doubt[7]
    held = sorted((f[4], f[5]) for f in shifted if f[2] == "doubted")
    assert held == [(Decimal("0"), Decimal("1250000")), (Decimal("6062306"), Decimal("4812306"))]
