"""pdf_reader on the real development PDFs (../shared/real-docs) and on a made-up scan."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.read.model import RawDocument, RawTable
from pipelines.read.numbers import parse_amount
from pipelines.read.pdf_reader import PdfReadError, read_pdf
from tests.read.readings import needs_real, reading

JS_JCY = "jiangsu/江苏省人民检察院/"
JS_RD = "jiangsu/江苏省人大办公厅/"
SH = "shanghai-putuo/"

JIANGSU_KINDS = {
    "income_expenditure_summary", "income_summary", "expenditure_summary",
    "fiscal_appropriation_summary", "fiscal_appropriation_expenditure",
    "fiscal_appropriation_basic_expenditure", "general_budget_expenditure",
    "general_budget_basic_expenditure", "three_public", "government_fund_expenditure",
    "operating_cost", "procurement",
}
SHANGHAI_BUDGET_KINDS = {
    "income_expenditure_summary", "income_summary", "expenditure_summary",
    "fiscal_appropriation_summary", "general_budget_expenditure", "government_fund_expenditure",
    "state_capital_expenditure", "general_budget_basic_expenditure", "three_public",
}
FINAL_ACCOUNTS_KINDS = SHANGHAI_BUDGET_KINDS  # 决算: the same nine kinds, other titles

# file -> (kinds, unit of the 收支总表, its grand-total row as printed, a 一般公共预算支出 row)
EXPECTED: dict[str, tuple[set[str], str, list, list]] = {
    JS_JCY + "2017年省检察院部门预算.pdf": (
        JIANGSU_KINDS, "万元",
        ["收入合计", "17,996.68", "支出合计", None, None, "17,996.68"],
        ["2040401", "行政运行", "7,968.14"],
    ),
    JS_JCY + "2018年省检察院部门预算公开.pdf": (
        JIANGSU_KINDS, "万元",
        ["收入合计", "21,955.35", "支出合计", None, None, "21,955.35"],
        ["2040401", "行政运行", "10,883.36"],
    ),
    JS_JCY + "2019年度部门预算公开.pdf": (
        JIANGSU_KINDS, "万元",
        ["收入合计", "24,169.74", "支出合计", None, None, "24,169.74"],
        ["2040401", "行政运行", "12,268.62"],
    ),
    JS_RD + "江苏省人大办公厅2017年度预算公开.pdf": (
        JIANGSU_KINDS, "万元",
        ["收入合计", "13,649.07", None, "支出合计", None, "13,649.07"],
        ["2010101", "行政运行", "4,545.94"],
    ),
    JS_RD + "省人大办公厅2018预算公开.pdf": (
        JIANGSU_KINDS, "万元",
        ["收入合计", "15897.44", "支出合计", None, None, "15897.44"],
        ["2010101", "行政运行", "6,372.32"],
    ),
    JS_RD + "江苏省人大常委会2019年度部门预算公开.pdf": (set(), "", [], []),  # narrative only
    JS_RD + "江苏省人大常委会办公厅2019年部门预算公开表.pdf": (
        JIANGSU_KINDS, "万元",
        ["收入合计", "18,330.37", "支出合计", None, None, "18,330.37"],
        ["2010101", "行政运行", "7,448.20"],
    ),
    SH + "ptq_wanli_2024_yusuan.pdf": (
        SHANGHAI_BUDGET_KINDS, "元",
        ["收入总计", "156,211,123", "支出总计", "156,211,123"],
        ["201", "05", "07", "专项普查活动", "257,700", "0", "257,700"],
    ),
    SH + "ptq_wanli_2025_yusuan.pdf": (
        SHANGHAI_BUDGET_KINDS, "元",
        ["收入总计", "189,767,551", "支出总计", "189,767,551"],
        ["201", "05", "07", "专项普查活动", "438,300", "0", "438,300"],
    ),
    SH + "ptq_zfb_2025_bumen_yusuan.pdf": (
        SHANGHAI_BUDGET_KINDS, "元",
        ["收入总计", "91,016,775.35", "支出总计", "91,016,775.35"],
        ["201", "03", "01", "行政运行", "12,029,501.84", "11,919,501.84", "110,000.00"],
    ),
    SH + "ptq_zfb_2025_danwei_yusuan.pdf": (
        SHANGHAI_BUDGET_KINDS, "元",
        ["收入总计", "91,016,775.35", "支出总计", "91,016,775.35", "22,473,997.81",
         "2,132,777.54", "66,410,000.00"],
        ["201", "03", "99", "其他政府办公厅（室）及相关机构事务支出", "20,120,000.00", None,
         "20,120,000.00"],
    ),
    SH + "ptq_shgzb_2024_juesuan.pdf": (
        FINAL_ACCOUNTS_KINDS, "万元",
        ["总计", "307.82", "总计", "307.82"],
        ["2013901", "行政运行", "51.32", "51.32", None],
    ),
}


def doc(rel: str) -> RawDocument:
    """Each PDF is parsed once per session (with the default, fast text layer)."""
    return reading(rel)


def table(d: RawDocument, kind: str) -> RawTable:
    found = [t for t in d.tables if t.table_kind == kind]
    assert len(found) == 1, f"{kind}: {len(found)} tables"
    return found[0]


def row_starting(t: RawTable, *cells: str) -> list:
    for row in t.rows:
        if row[: len(cells)] == list(cells):
            return row
    raise AssertionError(f"{t.title}: no row starting {cells}")


@needs_real
@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_table_kinds(rel: str) -> None:
    kinds = [t.table_kind for t in doc(rel).tables]
    assert len(kinds) == len(set(kinds)), kinds
    assert set(kinds) == EXPECTED[rel][0]


@needs_real
@pytest.mark.parametrize("rel", sorted(r for r in EXPECTED if EXPECTED[r][0]))
def test_grand_total_and_a_row(rel: str) -> None:
    _, unit, total_row, gbe_row = EXPECTED[rel]
    d = doc(rel)
    summary = table(d, "income_expenditure_summary")
    assert summary.unit == unit
    assert total_row in summary.rows
    amounts = [parse_amount(c) for c in total_row if c and c[0].isdigit()]
    assert amounts[0] == amounts[1]  # 收入 = 支出 as printed
    gbe = table(d, "general_budget_expenditure")
    assert gbe_row in gbe.rows


@needs_real
@pytest.mark.parametrize("rel", sorted(r for r in EXPECTED if EXPECTED[r][0]))
def test_table_contract(rel: str) -> None:
    d = doc(rel)
    for t in d.tables:
        assert t.columns and len(set(t.columns)) == len(t.columns), t.title
        assert all(len(r) == len(t.columns) for r in t.rows), t.title
        assert len(t.row_refs) == len(t.rows)
        assert t.unit in ("元", "万元")
        assert t.ref.file == Path(rel).name and t.ref.page
        assert all(ref.page >= t.ref.page for ref in t.row_refs)
        for row in t.rows:
            for cell in row:
                assert cell is None or (cell == cell.strip() and cell != ""), (t.title, row)
        if not t.rows:
            assert t.notes, t.title
    assert d.source_files == [Path(rel).name]
    assert all(line.ref.page for line in d.text_lines)


@needs_real
def test_shanghai_split_codes_and_group_paths() -> None:
    t = table(doc(SH + "ptq_zfb_2025_bumen_yusuan.pdf"), "general_budget_expenditure")
    assert t.columns == [
        "项目/功能分类科目编码/类", "项目/功能分类科目编码/款", "项目/功能分类科目编码/项",
        "项目/功能分类科目名称", "一般公共预算支出/合计", "一般公共预算支出/基本支出",
        "一般公共预算支出/项目支出",
    ]
    # continued over pages 14-15 with a repeated header: one table, header not repeated
    assert {r.page for r in t.row_refs} == {14, 15}
    assert t.rows[-1] == ["合计", None, None, None, "91,016,775.35", "24,606,775.35", "66,410,000.00"]
    assert sum(1 for r in t.rows if r[0] == "合计") == 1
    assert not any(r[0] == "类" for r in t.rows)


@needs_real
def test_empty_tables_carry_their_note() -> None:
    t = table(doc(SH + "ptq_zfb_2025_bumen_yusuan.pdf"), "government_fund_expenditure")
    assert t.rows == []
    assert any("无政府性基金预算" in n for n in t.notes)
    j = table(doc(JS_JCY + "2019年度部门预算公开.pdf"), "government_fund_expenditure")
    assert j.rows == [] and "此表为空" in j.notes


@needs_real
def test_three_public_in_wan_yuan() -> None:
    t = table(doc(SH + "ptq_zfb_2025_bumen_yusuan.pdf"), "three_public")
    assert t.unit == "万元"
    assert t.columns[-1] == "机关运行经费预算数"
    assert t.rows == [["867.50", "839.00", "28.50", None, None, None, "213.28"]]
    j = table(doc(JS_RD + "江苏省人大常委会办公厅2019年部门预算公开表.pdf"), "three_public")
    assert j.number == "公开表九"
    assert j.columns[3] == "“三公”经费/公务用车购置及运行维护费/小计"
    assert j.rows == [["2,600.71", "767.60", "199.25", "183.60", None, "183.60", "384.75",
                       "1,469.73", "363.38"]]


@needs_real
def test_final_accounts_columns() -> None:
    d = doc(SH + "ptq_shgzb_2024_juesuan.pdf")
    s = table(d, "income_expenditure_summary")
    assert s.columns == ["收入/项目", "收入/决算数", "支出/项目", "支出/决算数"]
    assert ["年初结转和结余", None, "年末结转和结余", None] in s.rows
    fa = table(d, "fiscal_appropriation_summary")
    assert fa.columns[3:] == ["支出/合计", "支出/一般公共预算财政拨款", "支出/政府性基金预算财政拨款",
                              "支出/国有资本经营预算财政拨款"]
    assert {r.page for r in fa.row_refs} == {10, 11}
    basic = table(d, "general_budget_basic_expenditure")
    assert ["30108", "机关事业单位基本养老保险缴费", "6.18", "30206", "电费", "0.00"] in basic.rows
    gf = table(d, "government_fund_expenditure")
    assert "年初结转和结余" in gf.columns and "年末结转和结余" in gf.columns


@needs_real
def test_jiangsu_wrapped_and_continued_tables() -> None:
    d = doc(JS_RD + "江苏省人大办公厅2017年度预算公开.pdf")
    s = table(d, "income_expenditure_summary")
    assert {r.page for r in s.row_refs} == {7, 8, 9}
    assert [None, None, "八、社会保障和就业支出", "1,608.51", None, None] in s.rows  # wrapped over p7/p8
    basic = table(d, "fiscal_appropriation_basic_expenditure")  # title at the foot of p12
    assert basic.ref.page == 13 and basic.rows[-1] == ["30312", "提租补贴", "1,018.01"]
    assert table(d, "operating_cost").ref.page == 19
    # the 2017 检察院 三公 title is printed with its quotes on another baseline
    t = table(doc(JS_JCY + "2017年省检察院部门预算.pdf"), "three_public")
    assert t.title == "一般公共预算“三公”经费、会议费、培训费支出预算表"
    # 2019 检察院 tables are drawn with white padding boxes that must not become columns
    g = table(doc(JS_JCY + "2019年度部门预算公开.pdf"), "fiscal_appropriation_expenditure")
    assert g.columns == ["功能科目代码", "功能科目名称", "金额"] and g.number == "公开05表"


@needs_real
def test_text_lines_are_running_text() -> None:
    d = doc(SH + "ptq_shgzb_2024_juesuan.pdf")
    texts = [line.text for line in d.text_lines]
    assert any("收入支出总计307.82" in compact_(t) for t in texts)
    assert not any(t == "收入支出决算总表" for t in texts)  # titles belong to their tables
    assert [line.ref.page for line in d.text_lines] == sorted(line.ref.page for line in d.text_lines)
    narrative_only = doc(JS_RD + "江苏省人大常委会2019年度部门预算公开.pdf")
    assert any("18330.37万元" in t.text for t in narrative_only.text_lines)


def compact_(text: str) -> str:
    return "".join(text.split())


def test_scanned_pdf_raises(tmp_path: Path) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    image = Image.new("RGB", (400, 300), "white")
    for x in range(50, 350):
        image.putpixel((x, 150), (0, 0, 0))
    pdf = tmp_path / "扫描件.pdf"
    c = canvas.Canvas(str(pdf))
    c.drawImage(ImageReader(image), 50, 400, width=400, height=300)
    c.showPage()
    c.save()
    with pytest.raises(PdfReadError, match=r"^扫描件\.pdf第1页没有文字层（扫描件或图片PDF，第1页是图片）：暂不能识别，需要OCR$"):
        read_pdf(pdf)


def test_corrupt_pdf_raises(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not a pdf at all")
    with pytest.raises(PdfReadError, match=r"^broken\.pdf：无法打开PDF，文件已损坏或不完整（错误信息：.*）：请重新下载$"):
        read_pdf(bad)


def _garble_chars(monkeypatch, marker: str) -> None:
    """Make every char of PDFs whose file name contains ``marker`` read as ``(cid:NN)``, as
    pdfminer reports glyphs of a font without a ToUnicode map. The garbling is pdfminer's, so the
    pages are read in full (pdfium maps these fonts; for a real unmapped font the fast layer sends
    the page to the full reading itself: tests/read/test_text_layer.py)."""
    import pdfplumber.page

    monkeypatch.setenv("BUDGET_PDF_TEXT_LAYER", "full")

    original = pdfplumber.page.Page.chars

    def chars(self):
        out = original.fget(self)
        name = str(getattr(self.pdf.stream, "name", ""))
        if marker in name:
            return [dict(c, text=f"(cid:{ord(c['text'][0]) % 97})") for c in out]
        return out

    monkeypatch.setattr(pdfplumber.page.Page, "chars", property(chars))


def _small_doc() -> RawDocument:
    from pipelines.read.model import SourceRef, TextLine

    return RawDocument(source_files=["x"], text_lines=[
        TextLine("一、部门预算单位构成", SourceRef("x", line=1)),
        TextLine("本部门2022年收入预算2126.26万元。", SourceRef("x", line=2))])


def test_cid_garbage_raises_naming_the_file(tmp_path: Path, monkeypatch) -> None:
    from pipelines.fixtures.pdf_render import render_pdf

    pdf = render_pdf(_small_doc(), tmp_path / "garbled_fonts.pdf")
    _garble_chars(monkeypatch, "garbled_fonts")
    with pytest.raises(PdfReadError, match=r"^garbled_fonts\.pdf第1页：文字是字形编码（\d+个字符中有\d+个是\(cid:NN\)）"):
        read_pdf(pdf)


def test_cid_garbage_does_not_stop_the_run(tmp_path: Path, monkeypatch) -> None:
    """The garbled file is an ingest error naming it; the other document of the run loads."""
    import shutil

    import duckdb

    from pipelines.fixtures.pdf_render import render_pdf
    from tests.conftest import SEED, run_pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    render_pdf(_small_doc(), raw / "garbled_fonts.pdf")
    _garble_chars(monkeypatch, "garbled_fonts")
    warehouse = run_pipeline(raw, tmp_path / "wh")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        errors = con.execute("select source_file, reason from v_ingest_issue where severity = 'error'").fetchall()
        files = [f for (s,) in con.execute("select source_files from dim_document").fetchall() for f in s.split("; ")]
        lines = con.execute("select count(*) from v_budget_line").fetchone()[0]
    finally:
        con.close()
    assert [f for f, _ in errors] == ["garbled_fonts.pdf"]
    assert "(cid:NN)" in errors[0][1] and "garbled_fonts.pdf" in errors[0][1]
    assert files == [SEED.name]
    assert lines > 0
