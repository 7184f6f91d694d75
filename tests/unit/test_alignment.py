from decimal import Decimal as D

from pipelines.read.alignment import place_figures
from pipelines.read.text_layouts import EXPENDITURE_SUMMARY, INCOME_SUMMARY

COLS = ["合计", "a", "b"]
SUMS = (("合计", ("a", "b")),)


def test_complete_row_is_exact():
    p = place_figures([D(3), D(1), D(2)], COLS, SUMS)
    assert p.certainty == "exact" and p.cells == [D(3), D(1), D(2)]


def test_missing_cell_placed_by_arithmetic():
    # 5 = 5 + 0 and 5 = 0 + 5 both tie out: the evidence cannot decide, so the reader says it assumed.
    p = place_figures([D(5), D(5)], COLS, SUMS)
    assert p.certainty == "assumed"


def test_no_placement_ties_out_is_unresolved_but_kept_for_the_checks():
    p = place_figures([D(9), D(1)], COLS, SUMS)
    assert p.certainty == "unresolved" and p.cells == [D(9), D(1), None]
    assert p.note == "2个数字放进3栏，怎样排列都加不平，暂按“b”为空排列"


def test_more_figures_than_columns_places_nothing():
    p = place_figures([D(1)] * 4, COLS, SUMS)
    assert p.certainty == "unresolved" and p.cells == [None, None, None]


def test_seed_expenditure_summary_row_uses_usually_empty_columns():
    # 附表4-3 row 206 prints 3 of 6 figures.
    p = place_figures([D("14395329.71"), D("4301329.71"), D("10094000.00")],
                      list(EXPENDITURE_SUMMARY.amounts), EXPENDITURE_SUMMARY.sums, EXPENDITURE_SUMMARY.optional)
    assert p.cells == [D("14395329.71"), D("4301329.71"), D("10094000.00"), None, None, None]
    assert p.note == "空栏按通常为空的栏处理：“事业单位经营支出”、“上缴上级支出”、“对附属单位补助支出”"


def test_seed_income_summary_department_row():
    # 附表4-2 row 307 prints 15 of 17 figures: three 21,262,614.31 then zeros.
    figures = [D("21262614.31")] * 3 + [D(0)] * 12
    p = place_figures(figures, list(INCOME_SUMMARY.amounts), INCOME_SUMMARY.sums, INCOME_SUMMARY.optional)
    assert p.cells[:3] == [D("21262614.31")] * 3
    assert p.certainty in ("arithmetic", "assumed")
