"""Year over year across documents, on the real Jiangsu series (three years of two departments)."""
from decimal import Decimal as D

import pytest

from tests.conftest import REAL_DOCS

pytestmark = pytest.mark.skipif(not REAL_DOCS.is_dir(), reason=f"real documents not available at {REAL_DOCS}")


def _findings(con):
    return {(dept, year, measure_desc.split(" ")[1]): (status, expected, actual)
            for dept, year, measure_desc, status, expected, actual in con.execute("""
        select d.department, d.year, r.description, r.status, r.expected, r.actual
        from v_check_result as r join dim_document as d using (document_id)
        where r.check_kind = 'year_over_year_across_documents' and r.description not like '%direction%'
    """).fetchall()}


def test_stated_changes_agree_with_the_earlier_documents(real_db):
    found = _findings(real_db)
    # 人大: 15,897.44 − 13,649.07 = 2,248.37 and 2,248.37 / 13,649.07 = 16.47%;
    #       18,330.37 − 15,897.44 = 2,432.93 and 2,432.93 / 15,897.44 = 15.30%.
    assert found[("江苏省人大常委会办公厅", 2018, "total_budget.change")] == ("pass", D("2248.37"), D("2248.37"))
    assert found[("江苏省人大常委会办公厅", 2018, "total_budget.change_pct")] == ("pass", D("16.47"), D("16.47"))
    assert found[("江苏省人大常委会办公厅", 2019, "total_budget.change")] == ("pass", D("2432.93"), D("2432.93"))
    assert found[("江苏省人大常委会办公厅", 2019, "total_budget.change_pct")] == ("pass", D("15.30"), D("15.30"))
    # 检察院: the amounts agree (21,955.35 − 17,996.68 = 3,958.67; 24,169.74 − 21,955.35 = 2,214.39) …
    assert found[("江苏省人民检察院", 2018, "total_budget.change")] == ("pass", D("3958.67"), D("3958.67"))
    assert found[("江苏省人民检察院", 2019, "total_budget.change")] == ("pass", D("2214.39"), D("2214.39"))


def test_genuine_document_errors_in_the_stated_percentages(real_db):
    found = _findings(real_db)
    # … but the percentages do not: 3,958.67 / 17,996.68 = 21.997% (22.00 rounded, 21.99 cut), printed 21.95%;
    # 2,214.39 / 21,955.35 = 10.086% (10.09 rounded, 10.08 cut), printed 10.06%. Both 2018 and 2019 documents say
    # so against their own stated amounts too (prior = current − change), so the documents are wrong.
    assert found[("江苏省人民检察院", 2018, "total_budget.change_pct")] == ("fail", D("21.995"), D("21.95"))
    assert found[("江苏省人民检察院", 2019, "total_budget.change_pct")] == ("fail", D("10.085"), D("10.06"))
