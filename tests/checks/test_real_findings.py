"""Contradictions found in the development PDFs, each settled against the PDF itself.

An error finding is a contradiction inside a document, proven by arithmetic on figures typed here from
the page; everything else the checks raise on the 40 PDFs is a warning (an unverifiable claim, a hint)
or a reading doubt. One contradiction is one finding: the relations the same wrong figure breaks are
its consequences (v_check_result.finding_role). A stated percentage or share may be printed rounded
half-up or cut to its decimals, and shares stated together may be made to add up to 100%: those are
ways of printing, not contradictions (the Jiangsu shares and 36.58% once pinned here are such).
"""
from decimal import Decimal as D

import pytest

from tests.conftest import REAL_DOCS

pytestmark = pytest.mark.skipif(not REAL_DOCS.is_dir(), reason=f"real documents not available at {REAL_DOCS}")

# (department, year, check kind, what the other figures imply, what the document prints) of each contradiction.
GENUINE_CONTRADICTIONS = [
    # 万里街道 2025 p17 (支出总表) and p23 (一般公共预算支出表), whole 元: 21201 城乡社区管理事务 合计 94,995,790, but
    #   its 项 rows and 基本支出 + 项目支出 add to 94,995,789; every other sum of both tables ties out to the 元.
    ("上海市普陀区人民政府万里街道办事处", 2025, "hierarchy", D("94995789"), D("94995790")),
    ("上海市普陀区人民政府万里街道办事处", 2025, "hierarchy", D("94995789"), D("94995790")),
    # 无锡人社 2026 p27 (公开06表) and p30 (公开08表), 万元: 人员经费 合计 25,530.51, but its classes 301 23,647.92 +
    #   303 1,882.57 = 25,530.49: 0.02万元 off, beyond the 0.015 two rounded figures and their total allow. (301's own
    #   款 add to 23,647.94, 0.02 more, within what twelve rounded figures allow: a rounding residue, not a proof.)
    ("无锡市人力资源和社会保障局", 2026, "hierarchy", D("255304900"), D("255305100")),
    ("无锡市人力资源和社会保障局", 2026, "hierarchy", D("255304900"), D("255305100")),
    # 无锡人社 p22 (公开04表): 一、本年支出 152,585.74 but 支出总计 152,585.76 with nothing carried over (本年收入
    #   152,585.76 = 收入总计 = 支出总计).
    ("无锡市人力资源和社会保障局", 2026, "balance", D("1525857400"), D("1525857600")),
    # 检察院 2017 p19: "此外，基本支出预算数为 12323.46 万元" — the same page's 支出预算情况说明 says "基本支出 12323.48
    #   万元" and 支出总表 prints 12,323.48.
    ("江苏省人民检察院", 2017, "narrative_vs_table", D("12323.48"), D("12323.46")),
    # 检察院 2017 p22: "机关运行经费预算支出 6032.55 万元，比 2016 年增加 3401.59 万元，增长 129.97%":
    #   3,401.59 / (6,032.55 − 3,401.59) = 3,401.59 / 2,630.96 = 129.29%.
    ("江苏省人民检察院", 2017, "year_over_year", D("129.29"), D("129.97")),
    # 检察院 2018 p23: 21,955.35 万元, "增加 3,958.67 万元，增长 21.95 %": 3,958.67 / 17,996.68 = 21.997% (21.99 cut,
    #   22.00 rounded); the 2017 document's own 17,996.68 says the same.
    ("江苏省人民检察院", 2018, "year_over_year", D("21.995"), D("21.95")),
    # 检察院 2018 p26: "一般行政管理事务 3,666 万元，与上年相比增加 21.8 万元，增长 0.06 %": 21.80 / 3,644.20 = 0.598%.
    ("江苏省人民检察院", 2018, "year_over_year", D("0.595"), D("0.06")),
    # 检察院 2019 p25: 24,169.74 万元, "增加 2214.39 万元，增长 10.06 %": 2,214.39 / 21,955.35 = 10.086%.
    ("江苏省人民检察院", 2019, "year_over_year", D("10.085"), D("10.06")),
    # 检察院 2019 p29: "住房公积金支出 1442.74 万元，与上年相比增加 368.97 万元，增加 34.38 %": 368.97 / 1,073.77 = 34.362%.
    ("江苏省人民检察院", 2019, "year_over_year", D("34.36"), D("34.38")),
    # 检察院 2019 p29: "提租补贴支出 4243.61 万元，与上年相比增加 1657 万元，增加 64.07 %": the 2018 document's 2,586.61
    #   gives 1,657.00 / 2,586.61 = 64.0607%. (The sentence alone cannot prove it: "1657 万元" printed whole is anything
    #   in [1,656.5, 1,657.5), and 1,657.4 / 2,586.21 = 64.09%.)
    ("江苏省人民检察院", 2019, "year_over_year_across_documents", D("64.06"), D("64.07")),
    # 检察院 2019 p28: "…离退休支出 400.02 万元 … 增加 28.1 万元，增加 7.57 %" against the 2018 document's 371.92 万元:
    #   28.10 / 371.92 = 7.5554%; with both lines rounded in 万元 the rate lies in [7.55, 7.56].
    ("江苏省人民检察院", 2019, "year_over_year_across_documents", D("7.555"), D("7.57")),
]


def _relations(con, file_name: str, check_kind: str, like: str):
    return con.execute("""
        select r.status, r.expected, r.actual from v_check_result as r join dim_document as d using (document_id)
        where regexp_matches(d.source_files, '(^|/|; )' || ? || '($|; )') and r.check_kind = ? and r.description like ?
        order by r.description""", [file_name, check_kind, like]).fetchall()


def test_only_the_genuine_contradictions_are_errors(real_db):
    found = sorted(real_db.execute("""
        select d.department, d.year, r.check_kind, r.expected, r.actual
        from v_check_result as r join dim_document as d using (document_id)
        where r.finding_role = 'contradiction'""").fetchall())
    assert found == sorted(GENUINE_CONTRADICTIONS)
    # every other failing error-severity relation is one of theirs, broken by the same figure
    loose = real_db.execute("""
        select count(*) from v_check_result as r
        where r.status = 'fail' and r.severity = 'error' and r.finding_role <> 'contradiction'
          and r.group_id not in (select finding_id from v_check_result where finding_role = 'contradiction')""").fetchone()
    assert loose == (0,)


def test_a_sum_within_its_rounding_is_a_residue_and_one_beyond_it_a_contradiction(real_db):
    """无锡人社 公开08表 (万元, not proven exact: most of its sums have one or two addends): 301 工资福利支出 misses its
    twelve 款 by 0.02万元, within their rounding (13 × 0.005); the 合计 row misses 301 + 303 by the same 0.02, beyond
    the 0.015 that two rounded figures and their total allow."""
    rows = real_db.execute("""
        select r.finding_role, r.status, r.description from v_check_result as r join dim_document as d using (document_id)
        where d.department = '无锡市人力资源和社会保障局' and r.description like '公开08表%'
          and r.description like '%[本年一般公共预算基本支出/人员经费]: %' and r.difference <> 0
        order by r.description""").fetchall()
    assert [(role, status, description.split(":")[0]) for role, status, description in rows] == [
        ("rounding_residue", "pass", "公开08表 一般公共预算基本支出表 301 工资福利支出 [本年一般公共预算基本支出/人员经费]"),
        ("contradiction", "fail", "公开08表 一般公共预算基本支出表 合计 [本年一般公共预算基本支出/人员经费]"),
    ]


# Jiangsu 支出预算总表 prints 合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金 (万元); the reserve is a
# part of 合计 like the other two.
EXPENDITURE_BY_USE = {
    # p10: 15,897.44 = 7,877.76 + 6,333.96 + 1,685.72
    "省人大办公厅2018预算公开.pdf": D("158974400"),
    # 公开表三 p3: 18,330.37 = 9,312.90 + 6,459.58 + 2,557.89
    "江苏省人大常委会办公厅2019年部门预算公开表.pdf": D("183303700"),
    # p15: 24,169.74 = 15,844.04 + 4,335.30 + 3,990.40
    "2019年度部门预算公开.pdf": D("241697400"),
}


@pytest.mark.parametrize("file_name", sorted(EXPENDITURE_BY_USE))
def test_unit_reserve_is_a_part_of_the_expenditure_total(real_db, file_name):
    rows = _relations(real_db, file_name, "row_arithmetic", "%支出总表 : 合计 = 单位预留机动经费 + 基本支出 + 项目支出")
    total = EXPENDITURE_BY_USE[file_name]
    assert rows == [("pass", total, total)]


def test_three_public_table_with_meeting_and_training_columns(real_db):
    # 人大 2017 p20 (万元): 合计 2,542.60 | “三公”经费 小计 833.60 | 因公出国（境）费 222.50 | 公务用车 小计 183.60 |
    # 运行维护费 183.60 | 公务接待费 427.50 | 会议费 1,305.25 | 培训费 403.75.
    # 833.60 = 222.50 + 183.60 + 427.50; 2,542.60 = 833.60 + 1,305.25 + 403.75.
    file_name = "江苏省人大办公厅2017年度预算公开.pdf"
    assert _relations(real_db, file_name, "row_arithmetic", "%“三公”经费/小计 = %") == [
        ("pass", D("8336000"), D("8336000"))]
    assert _relations(real_db, file_name, "row_arithmetic", "%: 合计 = “三公”经费/小计 + 会议费 + 培训费") == [
        ("pass", D("25426000"), D("25426000"))]
    # the 三公 total (what a narrative's 三公经费 is compared with) is the 小计, not the table's 合计
    rows = real_db.execute("""
        select expense_type, amount from fact_budget_line join dim_document using (document_id)
        where regexp_matches(source_files, '(^|/|; )' || ? || '($|; )') and table_kind = 'three_public'
          and expense_type in ('three_public_total', 'total', 'meeting', 'training') order by amount""",
                           [file_name]).fetchall()
    assert rows == [("training", D("4037500")), ("three_public_total", D("8336000")),
                    ("meeting", D("13052500")), ("total", D("25426000"))]


PROCUREMENT = {
    # 人大 2017 p20-23: 总计 2,247.85 = 一、货物A 59.00 + 三、服务C 2,188.85; narrative p29 says the same
    "江苏省人大办公厅2017年度预算公开.pdf": {"procurement.total": D("2247.85"), "procurement.goods": D("59.00"),
                                    "procurement.services": D("2188.85")},
    # 检察院 2018 p20-23: 3,096.24 = 268.00 + 2,828.24; narrative p30, letter-spaced: "货物支出 268 万 元、
    # 拟购买服务支出 2,828.24 万元"
    "2018年省检察院部门预算公开.pdf": {"procurement.total": D("3096.24"), "procurement.goods": D("268.00"),
                                 "procurement.services": D("2828.24")},
}


@pytest.mark.parametrize("file_name", sorted(PROCUREMENT))
def test_jiangsu_procurement_lines_are_read_by_category(real_db, file_name):
    for measure, stated in PROCUREMENT[file_name].items():
        rows = _relations(real_db, file_name, "procurement", f"文字说明 {measure} %")
        assert [(status, actual) for status, _, actual in rows] == [("pass", stated)], measure


def test_split_economic_code_without_leading_zero(real_db):
    # 万里 2024 p29 prints 津贴补贴 and 绩效工资 as "301 | 2" and "301 | 7": 30102 and 30107.
    # 301 = 5,873,551 + 16,623,810 + 11,447,100 + 4,608,515 + 2,302,815 + 3,023,657 + 216,087
    #       + 3,503,499 + 40,683,477 = 88,282,511
    rows = _relations(real_db, "ptq_wanli_2024_yusuan.pdf", "hierarchy", "%301 工资福利支出 [一般公共预算基本支出/合计]%")
    assert rows == [("pass", D("88282511"), D("88282511"))]


@pytest.mark.parametrize("file_name, stated", [("ptq_wanli_2024_yusuan.pdf", 5), ("ptq_wanli_2025_yusuan.pdf", 5),
                                               ("ptq_zfb_2025_bumen_yusuan.pdf", 1)])
def test_units_below_the_department(real_db, file_name, stated):
    # p4: "包括万里街道本部以及下属 5 家预算单位", then 6 listed: 1. …办事处（本部） and 5 units below it;
    # 政府办: "本部以及下属1家事业单位", listed 1. …办公室本部。 2. 下属事业单位…
    rows = _relations(real_db, file_name, "counts", "%units.count%units.listed%")
    assert rows == [("pass", D(stated), D(stated))]


def test_initial_budget_is_not_the_expenditure(real_db):
    # 社工部 2024 决算 p18: "一般公共预算财政拨款支出年初预算为 0 万元，全年预算为321.02 万元，支出决算为 307.82 万元"
    rows = real_db.execute("""
        select measure, stated_value from fact_narrative_figure join dim_document using (document_id)
        where regexp_matches(source_files, '(^|/|; )' || 'ptq_shgzb_2024_juesuan.pdf' || '($|; )')
          and measure in ('general_budget_expenditure_total', 'general_budget_expenditure_total.initial_budget')
        """).fetchall()
    assert {value for measure, value in rows if measure == "general_budget_expenditure_total"} == {D("307.82")}
    assert [value for measure, value in rows if measure.endswith(".initial_budget")] == [D("0")]


@pytest.mark.parametrize("file_name, pair", [("ptq_zfb_2025_danwei_yusuan.pdf", "收支总表 vs 支出总表"),
                                             ("ptq_shgzb_2024_juesuan.pdf", "财政拨款收支总表 vs %")])
def test_class_totals_are_counted_once(real_db, file_name, pair):
    # the 收支总表 prints each class's 合计 beside its 人员经费/公用经费/项目支出 split (政府办 单位预算 p8:
    # 201 合计 82,096,797.42 = 13,819,399.88 + 1,867,397.54 + 66,410,000); the 决算 财政拨款收支总表 its
    # 合计 beside 一般公共预算财政拨款 (p10: 201 264.87 | 264.87). Only the 合计 is the class total.
    rows = _relations(real_db, file_name, "cross_table", f"{pair} 类 %")
    assert rows and all(status == "pass" and expected == actual for status, expected, actual in rows)


def test_every_finding_says_what_it_checked(real_db, seed_db):
    """A NULL in any part of a description must not blank the whole sentence an analyst reads."""
    for con in (real_db, seed_db):
        blank = con.execute("select check_kind, count(*) from v_check_result where description is null "
                            "or description = '' group by check_kind").fetchall()
        assert blank == []



def test_every_finding_has_an_id_of_its_own(real_db, seed_db):
    """A finding id names one relation (reviews, evidence and the findings list go by it): a table printed once
    per unit, or a row label printed twice, must not give two relations one id."""
    for con in (real_db, seed_db):
        assert con.execute("select count(*) - count(distinct finding_id) from check_result").fetchone()[0] == 0
        figures, relations = con.execute(
            "select (select count(*) from v_finding_cell), (select count(*) from check_figure)").fetchone()
        assert figures == relations  # one evidence row per figure of a relation, none multiplied

# Functional-classification items the narratives state an amount for, each found in a table that prints the subject
# (typed from the PDFs): 万里 2025 p8 "城乡社区支出(类)城乡社区环境卫生(款)城乡社区环境卫生(项) 483.33万元", 支出总表
# 2120501 = 4,833,300.00元; 检察院 2018 "公共安全（类）支出 16,458.75 万元": not the 一般公共预算支出表's 16,444.36 but the
# 收支总表's 204 line, 164,587,500.00元; 检察院 2017: 收支总表 204 = 136,563,400.00元 = 13,656.34万元.
FUNCTION_ITEMS = [
    ("ptq_wanli_2025_yusuan.pdf", "function:城乡社区支出(类)城乡社区环境卫生(款)城乡社区环境卫生(项) 483.33万元 vs 支出总表 2120501"),
    ("2018年省检察院部门预算公开.pdf", "function:公共安全 16458.75万元 vs 公开01表 收支总表 204 公共安全支出 164587500.00元"),
    ("2017年省检察院部门预算.pdf", "function:公共安全 13656.34万元 vs 收支总表 204 公共安全支出 136563400.00元"),
]


@pytest.mark.parametrize("file_name, claim", FUNCTION_ITEMS)
def test_functional_items_tie_out_with_a_table_that_prints_them(real_db, file_name, claim):
    assert [status for status, *_ in _relations(real_db, file_name, "narrative_vs_table", f"文字说明 {claim}%")] == ["pass"]


def test_functional_items_are_verified_or_named_unverifiable(real_db):
    """273 functional items are stated; 262 name a subject a table prints and all of them tie out. The other 11 use
    names no table prints (机关事业单位基本养老保险费 for …缴费支出, 人大事务行政运行 run together, …)."""
    rows = real_db.execute("""
        select status, severity, expected is null from v_check_result
        where check_kind = 'narrative_vs_table' and description like '文字说明 function:%'""").fetchall()
    assert sorted(set(rows)) == [("pass", "error", False), ("unverified", "warning", True)]
    assert (rows.count(("pass", "error", False)), rows.count(("unverified", "warning", True))) == (262, 11)


def test_functional_item_changes_are_recomputed_from_the_earlier_document(real_db):
    """Jiangsu 人大 2018/2019 and 检察院 2017–2019 state each functional item's change from the year before: 105
    changes (amounts, percentages, direction words) find the subject in both years' tables. All but four
    misprinted percentages (GENUINE_CONTRADICTIONS) tie out, e.g. 人大 2019 人大立法 729.00 vs 810.00 in 2018:
    减少81.00万元; 2018's 行政运行 36.58% (2,915.22 / 7,968.14 = 36.586%) is the rate cut to two decimals."""
    rows = real_db.execute("""
        select status, count(*) from v_check_result
        where check_kind = 'year_over_year_across_documents' and description like '文字说明 function:%'
        group by status order by status""").fetchall()
    assert rows == [("fail", 4), ("pass", 101)]
    # "减少 81 万元" printed whole: the tables' 81.00 (±0.01) is printed 81 rounded, 80 cut
    legislation = _relations(real_db, "江苏省人大常委会2019年度部门预算公开.pdf",
                             "year_over_year_across_documents", "文字说明 function:人大事务/人大立法.change 减少81.00万元%")
    assert legislation == [("pass", D("80.50"), D("81.00"))]
    # … so the document-only check no longer calls it an unverifiable claim (no prior-year figure in the document)
    assert _relations(real_db, "江苏省人大常委会2019年度部门预算公开.pdf", "year_over_year",
                      "文字说明 function:人大事务/人大立法.change %") == []


@pytest.mark.parametrize("file_name, total", [
    # 北京人社 预算05表 pp.14-18: 134 项 rows, no 类/款 rows, 合计 last: Σ = 123,259.799847 万元
    ("人力资源和社会保障局_附件2_北京市人力资源和社会保障局2026年度部门预算报表.pdf", D("1232597998.4700")),
    # 北京宣传部 预算05表 pp.12-16: 127 项 rows in 12 unit blocks: Σ = 124,457.584356 万元
    ("中共深圳市区委宣传部_附件2_中国共产党北京市委员会宣传部2026年度部门预算报表.pdf", D("1244575843.5600")),
])
def test_a_table_of_only_item_rows_sums_to_its_total(real_db, file_name, total):
    rows = _relations(real_db, file_name, "hierarchy", "预算05表 一般公共预算支出表 合计 [预算数/合计]: 合计 = Σ最上级科目%")
    assert rows == [("pass", total, total)]


def test_rows_short_of_their_total_in_every_column_are_a_reading_doubt(real_db):
    """北京公安 预算05表 pp.9-11: its 74 printed rows add to 794,205.792437 万元, the 合计 row says 857,935.778736
    (the whole gap in 类 204, which 预算04表 gives as 695,476.708292); 预算03表 is short alike. Whether rows are
    missing from the print or from the reading, arithmetic cannot tell: a reading doubt, not an error."""
    rows = _relations(real_db, "公安局_附件2_北京市公安局2026年度部门预算报表.pdf", "hierarchy",
                      "预算05表 一般公共预算支出表 合计 [预算数/合计]%")
    assert rows == [("doubt", D("7942057924.3700"), D("8579357787.3600"))]
    doubts = real_db.execute("""
        select r.description from v_check_result as r join dim_document as d using (document_id)
        where d.source_files like '%北京市公安局%' and r.finding_role = 'reading_doubt' order by r.description""").fetchall()
    assert [d for (d,) in doubts if "同一行在6栏都与其各项之和不符" in d
            and d.startswith("读数存疑：预算05表 一般公共预算支出表")]
    assert len(doubts) == 2  # 预算03表 支出总表 alike (3 columns)
