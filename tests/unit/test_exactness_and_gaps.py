"""What a table's own sums prove (learn_rounding) and how a misreading would explain a gap (explain_gaps), on
check rows made up here, in an in-memory DuckDB."""
from decimal import Decimal as D

import duckdb
import pytest

from pipelines.checks.adjudicate import explain_gaps, learn_rounding
from pipelines.checks.results import check_files, is_statement

LINE_COLUMNS = ("table_id VARCHAR, row_no INTEGER, column_name VARCHAR, amount DECIMAL(18, 2), stated_unit VARCHAR, "
                "subject_code VARCHAR, economic_class_code VARCHAR, project_code VARCHAR, unit_code VARCHAR, "
                "printed_subject_name VARCHAR, printed_economic_class_name VARCHAR, printed_project_name VARCHAR, "
                "printed_unit_name VARCHAR, row_label VARCHAR")


def database(sums: list[tuple[str, list[D], D]], extra_lines: list[tuple] = ()) -> duckdb.DuckDBPyConnection:
    """Check rows of one 万元 table ``t``: each (kind, parts, printed total) is a sum over rows of its own, in the
    column 合计, with the tolerance of its printed half-units (50 元 a figure)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE dim_document (document_id VARCHAR, rounding_note BOOLEAN)")
    con.execute("INSERT INTO dim_document VALUES ('d', false)")
    con.execute(f"CREATE TABLE fact_budget_line ({LINE_COLUMNS}, document_id VARCHAR DEFAULT 'd', "
                "table_number VARCHAR, table_title VARCHAR, half_unit DECIMAL(18, 4) DEFAULT 50)")
    con.execute("CREATE TABLE fact_narrative_figure (document_id VARCHAR, figure_no INTEGER, measure VARCHAR, "
                "stated_value DECIMAL(18, 2), stated_decimals INTEGER, stated_unit VARCHAR)")
    for helper in check_files()[0]:
        if is_statement(helper):
            con.execute(helper.read_text(encoding="utf-8"))  # the macros the checks share
    con.execute("CREATE TEMP TABLE check_rows (row_id BIGINT, document_id VARCHAR, check_kind VARCHAR, table_id VARCHAR, "
                "expected VARCHAR, actual VARCHAR, difference VARCHAR, tolerance VARCHAR, figures VARCHAR[])")
    row_no = 0
    for row_id, (kind, parts, total) in enumerate(sums, start=1):
        cells = []
        for amount in [total, *parts]:
            row_no += 1
            con.execute("INSERT INTO fact_budget_line (table_id, row_no, column_name, amount, stated_unit, row_label) "
                        "VALUES ('t', ?, '合计', ?, '万元', ?)", [row_no, amount, f"行{row_no}"])
            cells.append(f"t#{row_no}#合计")
        expected = sum(parts)
        tolerance = 50 * (len(parts) + 1)
        con.execute("INSERT INTO check_rows VALUES (?, 'd', ?, 't', ?, ?, ?, ?, ?)",
                    [row_id, kind, str(expected), str(total), str(total - expected), str(tolerance), cells])
    for line in extra_lines:
        con.execute("INSERT INTO fact_budget_line (table_id, row_no, column_name, amount, stated_unit, subject_code, "
                    "printed_subject_name) VALUES ('t', ?, '合计', ?, '万元', ?, ?)", list(line))
    return con


def two_part_sums(n: int) -> list[tuple[str, list[D], D]]:
    return [("hierarchy", [D(1000 + i), D(2000 + i)], D(3000 + 2 * i)) for i in range(n)]


def tolerances(con) -> dict[int, str]:
    return dict(con.execute("SELECT row_id, tolerance FROM check_rows").fetchall())


def test_many_long_ties_prove_a_table_exact_and_few_short_ones_do_not():
    slip = ("hierarchy", [D(500), D(700)], D(1300))  # 100 元 off: within 150 元 of rounding, unless the table is exact
    # 25 two-part ties: (3/4)^25 = 0.00075, below 1 in 1,000, so the figures are exact and the slip is one
    con = database([slip, *two_part_sums(25)])
    learn_rounding(con)
    assert tolerances(con)[1] == "0.0000"
    # 20 of them: (3/4)^20 = 0.0032, what rounded figures do by chance; the slip stays within its rounding
    con = database([slip, *two_part_sums(20)])
    learn_rounding(con)
    assert tolerances(con)[1] == "150"


def test_sums_of_one_nonzero_part_prove_nothing():
    slip = ("hierarchy", [D(500), D(700)], D(1300))
    trivial = [("row_arithmetic", [D(1000 + i), D(0)], D(1000 + i)) for i in range(200)]  # 合计 = 基本 + 0
    con = database([slip, *trivial])
    learn_rounding(con)
    assert tolerances(con)[1] == "150"


def misreading(con, row_id: int) -> str | None:
    explain_gaps(con)
    return dict(con.execute("SELECT row_id, misreading FROM check_rows").fetchall())[row_id]


def test_a_gap_equal_to_another_row_of_the_column_is_a_row_the_reading_may_have_missed():
    # 合计 10,000 元 over parts 2,500 + 4,500: 3,000 missing, which another row of the column prints
    con = database([("hierarchy", [D(2500), D(4500)], D(10000))],
                   extra_lines=[(90, D(3000), "2010199", "其他一般公共服务支出")])
    assert misreading(con, 1) == ("差额0.30万元等于本表另一行「2010199 其他一般公共服务支出」[合计]的数字："
                                  "可能是表读错了")


def test_a_total_twice_its_parts_is_rows_counted_twice():
    con = database([("hierarchy", [D(3000), D(4000)], D(14000))])
    assert misreading(con, 1) == "印出数是各项之和的2倍：可能是表读错了"


def test_a_gap_equal_to_one_of_its_parts_is_a_part_that_may_not_belong():
    con = database([("row_arithmetic", [D(3000), D(4000)], D(3000))])
    assert misreading(con, 1) == "差额0.40万元等于其中一项「行3」[合计]：可能是表读错了"


@pytest.mark.parametrize("other", [D(100), D(0)])
def test_a_gap_no_printed_figure_explains_stays_unexplained(other):
    # 100.00 off, and the only other figure of the column is within the rounding of the gap (or nothing): a
    # figure that small would explain any gap
    con = database([("hierarchy", [D(3000), D(4000)], D(7100))], extra_lines=[(90, other, "2010199", "其他")])
    assert misreading(con, 1) is None


def _claim(con, measure: str, stated: str, decimals: int, compared: D) -> None:
    """A sentence's amount (万元) checked against a table figure of ``compared`` 元 that it misses."""
    con.execute("INSERT INTO fact_narrative_figure VALUES ('d', 7, ?, ?, ?, '万元')", [measure, D(stated), decimals])
    con.execute("INSERT INTO fact_budget_line (table_id, row_no, column_name, amount, stated_unit, row_label) "
                "VALUES ('t', 1, '合计', ?, '元', '合计')", [compared])
    con.execute("INSERT INTO check_rows VALUES (99, 'd', 'narrative_vs_table', 't', ?, ?, ?, '0', "
                "['narrative#7', 't#1#合计'])", [str(compared / 10000), stated, str(D(stated) - compared / 10000)])


@pytest.mark.parametrize("measure, explained", [("income.fiscal_appropriation", True),
                                                ("project:上级下达资金", False)])
def test_a_sentence_s_amount_another_table_figure_prints_is_no_proof(measure, explained):
    """"政府性基金预算 482 万元" against the 收入总表's 17,076万元, while another row prints 4,820,000元: the sentence
    may speak of that one, unless it names its project (a project's figure cannot mean another's)."""
    con = database([], extra_lines=[(5, D("4820000.00"), None, "上级补助收入")])
    _claim(con, measure, "482", 0, D("170760000.00"))
    why = misreading(con, 99)
    if explained:
        assert why == "文中的482.00万元与表中「上级补助收入」[合计]的数字相同：句子说的可能是那个数"
    else:
        assert why is None


def test_a_total_equal_to_one_of_its_parts_is_that_part_s_rows_counted_again():
    # 支出总计 9,151.31 over 一、本年支出 9,151.31 and the classes printed under it (7,246.31 in all)
    con = database([("balance", [D("91513096.68"), D("50000000.00"), D("22463096.68")], D("91513096.68"))])
    assert misreading(con, 1).startswith("印出数等于其中一项「行2」[合计]：其余各项可能是它的明细，被重复计入")
