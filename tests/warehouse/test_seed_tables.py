"""Every figure of the seed's tables, typed by hand from the document, against v_budget_line."""
from decimal import Decimal as D

import pytest

# 附表4-5 一般公共预算支出表: code → (合计, 基本支出小计, 人员经费, 公用经费, 项目支出)
GENERAL_BUDGET_EXPENDITURE = {
    None: ("21262614.31", "9167874.31", "8656092.95", "511781.36", "12094740.00"),
    "206": ("14395329.71", "4301329.71", "3905948.35", "395381.36", "10094000.00"),
    "20601": ("3282383.37", "3282383.37", "2935242.01", "347141.36", "0.00"),
    "2060101": ("3282383.37", "3282383.37", "2935242.01", "347141.36", "0.00"),
    "20602": ("1018946.34", "1018946.34", "970706.34", "48240.00", "0.00"),
    "2060201": ("1018946.34", "1018946.34", "970706.34", "48240.00", "0.00"),
    "20604": ("10094000.00", "0.00", "0.00", "0.00", "10094000.00"),
    "2060499": ("10094000.00", "0.00", "0.00", "0.00", "10094000.00"),
    "208": ("472257.60", "472257.60", "472257.60", "0.00", "0.00"),
    "20805": ("472257.60", "472257.60", "472257.60", "0.00", "0.00"),
    "2080505": ("472257.60", "472257.60", "472257.60", "0.00", "0.00"),
    "210": ("873004.91", "873004.91", "873004.91", "0.00", "0.00"),
    "21011": ("873004.91", "873004.91", "873004.91", "0.00", "0.00"),
    "2101101": ("105680.64", "105680.64", "105680.64", "0.00", "0.00"),
    "2101102": ("130448.16", "130448.16", "130448.16", "0.00", "0.00"),
    "2101103": ("608061.32", "608061.32", "608061.32", "0.00", "0.00"),
    "2101199": ("28814.79", "28814.79", "28814.79", "0.00", "0.00"),
    "215": ("4704380.09", "2703640.09", "2587240.09", "116400.00", "2000740.00"),
    "21505": ("1820740.00", "0.00", "0.00", "0.00", "1820740.00"),
    "2150502": ("1820740.00", "0.00", "0.00", "0.00", "1820740.00"),
    "21508": ("2883640.09", "2703640.09", "2587240.09", "116400.00", "180000.00"),
    "2150801": ("2703640.09", "2703640.09", "2587240.09", "116400.00", "0.00"),
    "2150802": ("180000.00", "0.00", "0.00", "0.00", "180000.00"),
    "221": ("817642.00", "817642.00", "817642.00", "0.00", "0.00"),
    "22102": ("817642.00", "817642.00", "817642.00", "0.00", "0.00"),
    "2210201": ("676668.34", "676668.34", "676668.34", "0.00", "0.00"),
    "2210202": ("140973.66", "140973.66", "140973.66", "0.00", "0.00"),
}

# 附表4-6 一般公共预算基本支出表: economic code → (合计, 人员经费, 公用经费)
GENERAL_BUDGET_BASIC = {
    None: ("9167874.31", "8656092.95", "511781.36"),
    "301": ("7709358.23", "7709358.23", "0.00"),
    "30101": ("1417968.00", "1417968.00", "0.00"),
    "30102": ("762693.66", "762693.66", "0.00"),
    "30103": ("3041454.80", "3041454.80", "0.00"),
    "30107": ("525780.00", "525780.00", "0.00"),
    "30108": ("472257.60", "472257.60", "0.00"),
    "30110": ("236128.80", "236128.80", "0.00"),
    "30111": ("451112.24", "451112.24", "0.00"),
    "30112": ("28814.79", "28814.79", "0.00"),
    "30113": ("676668.34", "676668.34", "0.00"),
    "30199": ("96480.00", "96480.00", "0.00"),
    "302": ("511781.36", "0.00", "511781.36"),
    "30201": ("0.00", "0.00", "0.00"),
    "30216": ("11112.84", "0.00", "11112.84"),
    "30227": ("0.00", "0.00", "0.00"),
    "30228": ("14817.12", "0.00", "14817.12"),
    "30229": ("18521.40", "0.00", "18521.40"),
    "30239": ("124080.00", "0.00", "124080.00"),
    "30299": ("343250.00", "0.00", "343250.00"),
    "303": ("946734.72", "946734.72", "0.00"),
    "30302": ("624.00", "624.00", "0.00"),
    "30307": ("156949.08", "156949.08", "0.00"),
    "30399": ("789161.64", "789161.64", "0.00"),
}

# 附表4-2 收入总表: unit → (name, 合计); every other figure of these rows is 合计 again
# (本年收入小计, 一般公共预算) or 0.00.
UNITS = {
    "307": ("武汉市青山区科学技术和经济信息化局", "21262614.31"),
    "307001": ("武汉市青山区科学技术和经济信息化局本级", "16170556.58"),
    "307002": ("武汉市青山区中小企业服务中心", "3741939.83"),
    "307003": ("武汉市青山区技术市场中心", "540869.17"),
    "307004": ("武汉市青山区科技金融创新促进中心", "809248.73"),
}

# 附表4-9 项目支出表: code → (name, unit, 合计 = 本年拨款 一般公共预算)
PROJECTS = {
    "42010722307T000000102": ("基层党建2022", "武汉市青山区科学技术和经济信息化局本级", "420240.00"),
    "42010722307T000000103": ("经济运行", "武汉市青山区科学技术和经济信息化局本级", "1400500.00"),
    "42010722307T000000104": ("科学技术研究与开发资金", "武汉市青山区科学技术和经济信息化局本级", "9800000.00"),
    "42010722307T000000106": ("项目管理费1", "武汉市青山区科学技术和经济信息化局本级", "294000.00"),
    "42010722307T000000107": ("维稳经费", "武汉市青山区中小企业服务中心", "180000.00"),
}


def _rows(db, sql, *params):
    return db.execute(sql, list(params)).fetchall()


@pytest.mark.parametrize("code", list(GENERAL_BUDGET_EXPENDITURE))
def test_general_budget_expenditure_rows(seed_db, code):
    got = dict(_rows(seed_db, """
        select column_name, amount from v_budget_line
        where table_kind = 'general_budget_expenditure' and subject_code is not distinct from ?""", code))
    expected = GENERAL_BUDGET_EXPENDITURE[code]
    assert [got["合计"], got["基本支出/小计"], got["基本支出/人员经费"], got["基本支出/公用经费"], got["项目支出"]] \
        == [D(v) for v in expected]


def test_general_budget_expenditure_dimensions(seed_db):
    rows = _rows(seed_db, """
        select subject_code, subject_name, subject_level, row_role, expense_type from v_budget_line
        where table_kind = 'general_budget_expenditure' and column_name = '基本支出/人员经费'
        order by row_no""")
    assert len(rows) == len(GENERAL_BUDGET_EXPENDITURE)
    assert rows[0][3] == "total" and rows[0][4] == "personnel"
    by_code = {r[0]: r for r in rows}
    assert by_code["206"][1:4] == ("科学技术支出", "类", "subtotal")
    assert by_code["20805"][1:4] == ("行政事业单位养老支出", "款", "subtotal")
    # The table truncates the name (…缴费支); the dimension keeps the full spelling from 附表4-3.
    assert by_code["2080505"][1:4] == ("机关事业单位基本养老保险缴费支出", "项", "detail")


@pytest.mark.parametrize("code", list(GENERAL_BUDGET_BASIC))
def test_general_budget_basic_rows(seed_db, code):
    got = dict(_rows(seed_db, """
        select column_name, amount from v_budget_line
        where table_kind = 'general_budget_basic_expenditure' and economic_class_code is not distinct from ?""", code))
    assert [got["合计"], got["人员经费"], got["公用经费"]] == [D(v) for v in GENERAL_BUDGET_BASIC[code]]


def test_detail_rows_sum_to_total_without_double_counting(seed_db):
    detail, total = _rows(seed_db, """
        select sum(amount) filter (where row_role = 'detail'), sum(amount) filter (where row_role = 'total')
        from v_budget_line where table_kind = 'general_budget_basic_expenditure' and expense_type = 'total'""")[0]
    assert detail == total == D("9167874.31")


@pytest.mark.parametrize("code", list(UNITS))
def test_income_summary_units(seed_db, code):
    name, total = UNITS[code]
    rows = _rows(seed_db, """
        select unit_name, column_name, amount from v_budget_line
        where table_kind = 'income_summary' and unit_code = ? order by row_no, column_name""", code)
    assert {r[0] for r in rows} == {name}
    got = {r[1]: r[2] for r in rows}
    assert got["合计"] == got["本年收入/小计"] == got["本年收入/一般公共预算"] == D(total)
    others = [v for k, v in got.items() if k not in ("合计", "本年收入/小计", "本年收入/一般公共预算")]
    assert others and all(v == 0 for v in others)
    # The 307 row prints 15 of its 17 figures; the two vanished cells are not invented.
    assert len(got) == (15 if code == "307" else 17)


def test_unit_rows_sum_to_department(seed_db):
    (units_sum,) = _rows(seed_db, """
        select sum(amount) from v_budget_line where table_kind = 'income_summary'
        and column_name = '合计' and row_role = 'detail'""")[0]
    assert units_sum == D("21262614.31")


@pytest.mark.parametrize("code", list(PROJECTS))
def test_projects(seed_db, code):
    name, unit, amount = PROJECTS[code]
    rows = _rows(seed_db, """
        select project_name, unit_name, column_name, amount, fund_source, row_role from v_budget_line
        where table_kind = 'project_expenditure' and project_code = ?""", code)
    got = {r[2]: r[3] for r in rows}
    assert {(r[0], r[1], r[5]) for r in rows} == {(name, unit, "detail")}
    assert got["合计"] == got["本年拨款/一般公共预算"] == D(amount)
    assert sum(got.values()) == 2 * D(amount)  # every other fund source is 0.00


def test_project_dimension(seed_db):
    assert _rows(seed_db, "select project_code, project_name from dim_project order by 1") == [
        (code, name) for code, (name, _, _) in sorted(PROJECTS.items())]


def test_procurement_lines(seed_db):
    rows = _rows(seed_db, """
        select project_name, item_code, item_name, subject_code, economic_class_code, quantity, unit_price, amount
        from v_budget_line where table_kind = 'procurement' and row_role = 'detail'
        and expense_type = 'procurement_total' order by row_no""")
    assert rows == [
        ("项目管理费1", "A090101", "复印纸", "2060499", "30201", D(60), D(215), D(12900)),
        ("经济运行", "A090101", "复印纸", "2150502", "30299", D(80), D(215), D(17200)),
        ("经济运行", "C1204", "物业管理服务", "2150502", "30299", D(1), D(512860), D(512860)),
    ]
    (total,) = _rows(seed_db, """select amount from v_budget_line where table_kind = 'procurement'
                                 and row_role = 'total' and expense_type = 'procurement_total'""")[0]
    assert total == D(542960)


def test_purchase_of_service_lines(seed_db):
    rows = _rows(seed_db, """
        select project_name, item_name, quantity, amount, subject_code, economic_class_code
        from v_budget_line where table_kind = 'purchase_of_services' and row_role = 'detail' order by row_no""")
    assert rows == [
        ("项目管理费1", "审计服务", D(3), D(80000), "2060499", "30201"),
        ("项目管理费1", "印刷和出版服务", D(3), D(15000), "2060499", "30201"),
        ("经济运行", "物业管理服务", D(1), D(512860), "2150502", "30299"),
        ("经济运行", "审计服务", D(4), D(70000), "2150502", "30299"),
    ]


def test_two_sided_summaries(seed_db):
    rows = dict(_rows(seed_db, """
        select side || ':' || line_item, amount from v_budget_line
        where table_kind = 'income_expenditure_summary'"""))
    assert rows["income:一、一般公共预算拨款收入"] == rows["income:收入总计"] == D("21262614.31")
    assert rows["expenditure:四、科学技术支出"] == D("14395329.71")
    assert rows["expenditure:十二、资源勘探工业信息等支出"] == D("4704380.09")
    classes = dict(_rows(seed_db, """select subject_code, amount from v_budget_line
        where table_kind = 'income_expenditure_summary' and subject_code is not null and amount <> 0"""))
    assert classes == {"206": D("14395329.71"), "208": D("472257.60"), "210": D("873004.91"),
                       "215": D("4704380.09"), "221": D("817642.00")}
    fiscal = dict(_rows(seed_db, """select side || ':' || line_item, amount from v_budget_line
        where table_kind = 'fiscal_appropriation_summary'"""))
    assert fiscal["income:一、本年收入/（一）一般公共预算拨款"] == D("21262614.31")
    assert fiscal["expenditure:一、本年支出/（十七）住房保障支出"] == D("817642.00")


def test_three_public_and_empty_fund_table(seed_db):
    three = _rows(seed_db, "select expense_type, amount from v_budget_line where table_kind = 'three_public'")
    assert len(three) == 6 and all(a == 0 for _, a in three)
    notes = _rows(seed_db, """select table_notes from fact_table_cell
                              where table_kind = 'government_fund_expenditure'""")
    assert notes and "本单位无政府性基金预算" in notes[0][0]


def test_every_standard_table_found(seed_db):
    kinds = [r[0] for r in _rows(seed_db, "select distinct table_kind from fact_table_cell order by 1")]
    assert kinds == sorted([
        "income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
        "general_budget_expenditure", "general_budget_basic_expenditure", "three_public",
        "government_fund_expenditure", "project_expenditure", "procurement", "purchase_of_services",
        "asset_allocation"])


def test_document_identity(seed_db):
    assert _rows(seed_db, "select department, year, kind, scope, source_files from dim_document") == [
        ("武汉市青山区科学技术和经济信息化局", 2022, "预算", "部门", "000_7846cf6649494c8d.txt")]


def test_amounts_are_decimal(seed_db):
    types = dict(_rows(seed_db, """select column_name, data_type from information_schema.columns
                                   where table_name = 'fact_budget_line'"""))
    assert types["amount"] == "DECIMAL(18,2)"


def test_narrative_claims_in_the_warehouse(seed_db):
    claims = {(m, v, u, d) for m, v, u, d in _rows(seed_db, """
        select measure, stated_value, stated_unit, direction from v_narrative_claim""")}
    assert ("total_budget", D("2126.26"), "万元", None) in claims
    assert ("total_budget.change", D("780.01"), "万元", "减少") in claims
    assert ("total_budget.change_pct", D("26.84"), "%", "下降") in claims
    assert ("expenditure.basic.share", D("43.12"), "%", None) in claims
    # The document contradicts itself: 1209.74 in section 三, 1209.47 in 四 and 五. Both kept as printed.
    assert ("expenditure.project", D("1209.74"), "万元", None) in claims
    assert ("general_budget.expenditure.project", D("1209.47"), "万元", None) in claims
    (generic,) = _rows(seed_db, """select count(*) from v_narrative_claim
                                   where section = '第三部分' and (measure = 'unknown' or measure like 'item:%')""")[0]
    assert generic == 0
    headcount = dict(_rows(seed_db, "select measure, persons from fact_headcount"))
    assert headcount["headcount.authorized_total"] == 37 and headcount["headcount.actual_total"] == 30
    (target,) = _rows(seed_db, """select value_text from fact_performance_target
                                  where form = '基层党建经费' and indicator = '发展预备党员'""")[0]
    assert target.replace(" ", "") == "25名"
