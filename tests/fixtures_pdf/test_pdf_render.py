"""The PDF fixture generator: what it draws must come back through plain pdfplumber."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pdfplumber = pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")
pytest.importorskip("openpyxl")

from pipelines.fixtures.pdf_render import (  # noqa: E402
    FontUnavailable,
    ProducerUnavailable,
    RenderVariant,
    find_cjk_ttf,
    find_soffice,
    header_cells,
    render_pdf,
    render_pdf_via_spreadsheet,
    write_workbook,
)
from pipelines.read.model import RawDocument, RawTable, SourceRef, TextLine  # noqa: E402

SEED = "000_7846cf6649494c8d.txt"
TITLE_41 = "青山区科学技术和经济信息化局收支总表"
TITLE_45 = "青山区科学技术和经济信息化局一般公共预算支出表"
LONG_NAME = "机关事业单位基本养老保险缴费支出"

COLS_45 = ["科目编码", "科目名称", "合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"]
ROWS_45 = [
    [None, "合计", "21,262,614.31", "9,167,874.31", "8,656,092.95", "511,781.36", "12,094,740.00"],
    ["206", "科学技术支出", "14,395,329.71", "4,301,329.71", "3,905,948.35", "395,381.36", "10,094,000.00"],
    ["　20601", "　科学技术管理事务", "3,282,383.37", "3,282,383.37", "2,935,242.01", "347,141.36", "0.00"],
    ["　　2060101", "　　行政运行", "3,282,383.37", "3,282,383.37", "2,935,242.01", "347,141.36", "0.00"],
    ["　20604", "　技术研究与开发", "10,094,000.00", "0.00", "0.00", "0.00", "10,094,000.00"],
    ["　　2060499", "　　其他技术研究与开发支出", "10,094,000.00", "0.00", "0.00", "0.00", "10,094,000.00"],
    ["208", "社会保障和就业支出", "472,257.60", "472,257.60", "472,257.60", "0.00", "0.00"],
    ["　20805", "　行政事业单位养老支出", "472,257.60", "472,257.60", "472,257.60", "0.00", "0.00"],
    ["　　2080505", "　　" + LONG_NAME, "472,257.60", "472,257.60", "472,257.60", "0.00", "0.00"],
    ["210", "卫生健康支出", "873,004.91", "873,004.91", "873,004.91", "0.00", "0.00"],
    ["　21011", "　行政事业单位医疗", "873,004.91", "873,004.91", "873,004.91", "0.00", "0.00"],
    ["　　2101101", "　　行政单位医疗", "105,680.64", "105,680.64", "105,680.64", "0.00", "0.00"],
    ["221", "住房保障支出", "817,642.00", "817,642.00", "817,642.00", "0.00", "0.00"],
    ["　　2210201", "　　住房公积金", "676,668.34", "676,668.34", "676,668.34", "0.00", "0.00"],
]
COLS_41 = ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]
ROWS_41 = [
    ["一、一般公共预算拨款收入", "21,262,614.31", "一、一般公共服务支出", "0.00"],
    ["二、政府性基金预算拨款收入", "0.00", "四、科学技术支出", "14,395,329.71"],
    ["九、其他收入", "0.00", "六、社会保障和就业支出", "472,257.60"],
    [None, None, "十二、资源勘探工业信息等支出", "4,704,380.09"],
    [None, None, "十七、住房保障支出", "817,642.00"],
    ["本年收入合计", "21,262,614.31", "本年支出合计", "21,262,614.31"],
    ["上年结转结余", "0.00", "年终结转结余", "0.00"],
    ["收入总计", "21,262,614.31", "支出总计", "21,262,614.31"],
]
NARRATIVE = [
    "第三部分 2022年部门预算情况说明",
    "一、关于2022年部门收支总体情况的说明",
    "2022年部门收支总预算2126.26万元。比2021年预算减少780.01万元，下降26.84%，"
    "主要是基本支出增加155.03万元，项目支出减少935.04万元。",
]


def _table(kind: str, number: str, title: str, columns: list[str], rows: list, notes=()) -> RawTable:
    return RawTable(
        table_kind=kind,
        title=title,
        unit="元",
        columns=columns,
        rows=[list(r) for r in rows],
        row_refs=[SourceRef(SEED) for _ in rows],
        ref=SourceRef(SEED),
        number=number,
        notes=list(notes),
    )


def make_doc(narrative: bool = True) -> RawDocument:
    return RawDocument(
        source_files=[SEED],
        department="武汉市青山区科学技术和经济信息化局",
        year=2022,
        kind="预算",
        scope="部门",
        text_lines=[TextLine(t, SourceRef(SEED, line=i + 1)) for i, t in enumerate(NARRATIVE)]
        if narrative
        else [],
        tables=[
            _table("收支总表", "附表4-1", TITLE_41, COLS_41, ROWS_41,
                   notes=["备注：财政专户管理资金收入是指教育收费收入；事业收入不含教育收费收入，下同。"]),
            _table("一般公共预算支出表", "附表4-5", TITLE_45, COLS_45, ROWS_45),
        ],
    )


# ---------------------------------------------------------------------------------------------
# helpers


def _norm(s: str) -> str:
    return re.sub(r"[\s\u3000]", "", s)


def pages_text(pdf_path: Path) -> list[str]:
    """Text of every page; also checks nothing is drawn off the page (clipped)."""
    with pdfplumber.open(pdf_path) as pdf:
        for p in pdf.pages:
            off = [c["text"] for c in p.chars
                   if c["x0"] < 0 or c["x1"] > p.width or c["top"] < 0 or c["bottom"] > p.height]
            assert not off, f"page {p.page_number}: drawn off the page: {''.join(off)[:40]}"
        return [p.extract_text() or "" for p in pdf.pages]


def assert_cells_come_back(text: str, table: RawTable) -> None:
    """Every cell, the title, the 单位 line and the header labels are somewhere on one line."""
    lines = [_norm(line) for line in text.splitlines()]
    joined = "\n".join(lines)
    assert _norm(table.title) in joined
    assert "单位：元" in joined
    for col in table.columns:
        for part in col.split("/"):
            assert _norm(part) in joined, part
    missing = [c for row in table.rows for c in row if c is not None and _norm(c) not in joined]
    assert not missing, missing


def table_pages(texts: list[str], title: str) -> list[int]:
    """Indexes of the pages of the table whose title page contains ``title``."""
    start = next(i for i, t in enumerate(texts) if title in t)
    out = [start]
    for i in range(start + 1, len(texts)):
        if re.search(r"附表4-\d", texts[i]):
            break
        out.append(i)
    return out


# ---------------------------------------------------------------------------------------------
# header layout


def test_header_cells_merge_groups_and_span_leaves():
    depth, cells = header_cells(COLS_45)
    assert depth == 2
    by_text = {c.text: c for c in cells}
    assert (by_text["基本支出"].row, by_text["基本支出"].col, by_text["基本支出"].colspan) == (0, 3, 3)
    assert by_text["科目编码"].rowspan == 2 and by_text["项目支出"].rowspan == 2
    assert (by_text["人员经费"].row, by_text["人员经费"].col) == (1, 4)
    depth, cells = header_cells(COLS_41)
    assert [(c.text, c.row, c.col, c.colspan) for c in cells if c.row == 0] == [
        ("收入", 0, 0, 2), ("支出", 0, 2, 2)]
    assert [c.text for c in cells if c.row == 1] == ["项目", "预算数", "项目", "预算数"]


# ---------------------------------------------------------------------------------------------
# reportlab producer


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf_render")


@pytest.mark.parametrize(
    "variant",
    [
        RenderVariant(),
        RenderVariant(ruled=False),
        RenderVariant(landscape=True, repeat_header=False),
        RenderVariant(font_size=7.0),
    ],
    ids=["ruled", "unruled", "landscape", "small"],
)
def test_reportlab_every_cell_comes_back(tmp_path, variant):
    doc = make_doc()
    pdf = render_pdf(doc, tmp_path / "cells.pdf", variant=variant)
    texts = pages_text(pdf)
    assert "第三部分 2022年部门预算情况说明" in texts[0]
    assert "比2021年预算减少780.01万元" in _norm("".join(texts[0].splitlines()))
    for table in doc.tables:
        pages = table_pages(texts, table.title)
        text = "\n".join(texts[i] for i in pages)
        assert table.number in text
        assert_cells_come_back(text, table)
    joined = "\n".join(texts)
    assert "21,262,614.31" in joined
    assert LONG_NAME in joined
    assert "备注：财政专户管理资金收入是指教育收费收入" in joined


def test_reportlab_ruled_grid_reads_as_table(out_dir):
    doc = make_doc(narrative=False)
    pdf = render_pdf(doc, out_dir / "grid.pdf", variant=RenderVariant(landscape=True))
    with pdfplumber.open(pdf) as p:
        page = next(pg for pg in p.pages if TITLE_45 in (pg.extract_text() or ""))
        assert len(page.lines) + len(page.rects) > 0
        tables = page.extract_tables()
    assert len(tables) == 1
    grid = [[_norm(c or "") for c in row] for row in tables[0]]
    # two header rows: the 基本支出 group cell merged over its three leaves
    assert grid[0][:4] == ["科目编码", "科目名称", "合计", "基本支出"]
    assert grid[0][4:6] == ["", ""] and grid[0][6] == "项目支出"
    assert grid[1][3:6] == ["小计", "人员经费", "公用经费"]
    body = grid[2:]
    assert body == [[_norm(c or "") for c in row] for row in ROWS_45]


def test_reportlab_unruled_has_no_rules_and_amounts_right_aligned(out_dir):
    pdf = render_pdf(make_doc(narrative=False), out_dir / "bare.pdf",
                     variant=RenderVariant(ruled=False))
    with pdfplumber.open(pdf) as p:
        page = next(pg for pg in p.pages if TITLE_45 in (pg.extract_text() or ""))
        assert not page.lines and not page.rects
        words = page.extract_words()
    # right-aligned: the 合计 column's amounts end at the same x; codes are left-aligned
    total = next(w for w in words if w["text"] == "21,262,614.31")
    small = next(w for w in words if w["text"] == "105,680.64")
    assert abs(total["x1"] - small["x1"]) < 0.5 and total["x0"] < small["x0"]
    code3 = next(w for w in words if w["text"] == "206")
    code7 = next(w for w in words if w["text"] == "2060101")
    assert code3["x0"] < code7["x0"]  # the ideographic-space indent is kept


def test_reportlab_title_centred_unit_right(out_dir):
    pdf = render_pdf(make_doc(narrative=False), out_dir / "title.pdf")
    with pdfplumber.open(pdf) as p:
        page = p.pages[0]
        words = page.extract_words()
        title = next(w for w in words if w["text"] == TITLE_41)
        unit = next(w for w in words if w["text"] == "单位：元")
        number = next(w for w in words if w["text"] == "附表4-1")
        mid = (title["x0"] + title["x1"]) / 2
        assert abs(mid - page.width / 2) < 2
        assert unit["x1"] > page.width * 0.8 and number["x0"] < page.width * 0.2
        assert number["top"] < title["top"] < unit["top"]


@pytest.mark.parametrize("repeat", [True, False])
def test_reportlab_rows_per_page_breaks_where_asked(out_dir, repeat):
    doc = make_doc(narrative=False)
    pdf = render_pdf(doc, out_dir / f"rpp-{repeat}.pdf",
                     variant=RenderVariant(rows_per_page=5, repeat_header=repeat))
    texts = pages_text(pdf)
    pages = table_pages(texts, TITLE_45)
    assert len(pages) == 3  # 14 rows, 5 a page
    for k, i in enumerate(pages):
        got = _norm(texts[i])
        chunk = ROWS_45[5 * k : 5 * k + 5]
        for row in chunk:
            assert _norm(row[1]) in got
        others = [r for r in ROWS_45 if r not in chunk and r[0]]
        for row in others:
            assert _norm(row[0]) + _norm(row[1]) not in got
        if k:
            assert TITLE_45 not in texts[i]
            assert ("科目编码" in texts[i]) is repeat
            assert ("人员经费" in texts[i]) is repeat
    # the 收支总表 (8 rows) is on 2 pages, its 备注 on the last
    pages41 = table_pages(texts, TITLE_41)
    assert len(pages41) == 2 and "备注" in texts[pages41[-1]]


def test_reportlab_long_table_breaks_when_page_full(out_dir):
    rows = ROWS_45 * 6  # 84 rows: more than one portrait page
    doc = make_doc(narrative=False)
    doc.tables = [_table("一般公共预算支出表", "附表4-5", TITLE_45, COLS_45, rows)]
    texts = pages_text(render_pdf(doc, out_dir / "long.pdf"))
    assert len(texts) >= 2
    assert all("科目编码" in t for t in texts)  # header repeated by default
    assert sum(t.count("2080505") for t in texts) == 6


def test_reportlab_landscape_pages(out_dir):
    pdf = render_pdf(make_doc(), out_dir / "land.pdf", variant=RenderVariant(landscape=True))
    with pdfplumber.open(pdf) as p:
        assert p.pages and all(pg.width > pg.height for pg in p.pages)
    pdf = render_pdf(make_doc(), out_dir / "port.pdf")
    with pdfplumber.open(pdf) as p:
        assert all(pg.height > pg.width for pg in p.pages)


COLS_42 = ["部门（单位）代码", "部门（单位）名称", "合计"] + [
    f"本年收入/{x}" for x in ["小计", "一般公共预算", "政府性基金预算", "国有资本经营预算",
                          "财政专户管理资金", "事业收入", "事业单位经营收入", "上级补助收入",
                          "附属单位上缴收入", "其他收入"]
] + [f"上年结转结余/{x}" for x in ["小计", "一般公共预算", "政府性基金预算", "国有资本经营预算",
                              "财政专户管理资金", "单位资金"]]


def test_reportlab_too_wide_table_gets_landscape_pages_and_empty_table_prints(tmp_path):
    doc = make_doc(narrative=False)
    rows = [[None, "合计"] + ["21,262,614.31"] * 3 + ["0.00"] * 14,
            ["　307001", "　武汉市青山区科学技术和经济信息化局本级"] + ["16,170,556.58"] * 3 + ["0.00"] * 14]
    title42 = "青山区科学技术和经济信息化局收入总表"
    title48 = "青山区科学技术和经济信息化局政府性基金预算支出表"
    doc.tables.insert(1, _table("收入总表", "附表4-2", title42, COLS_42, rows))
    doc.tables.append(_table("政府性基金预算支出表", "附表4-8", title48,
                             ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], [],
                             notes=["注：本单位无政府性基金预算，故本表为空表。"]))
    pdf = render_pdf(doc, tmp_path / "mixed.pdf")
    texts = pages_text(pdf)
    with pdfplumber.open(pdf) as p:
        landscape = [pg.width > pg.height for pg in p.pages]
    i42, i45, i48 = (table_pages(texts, t)[0] for t in (title42, TITLE_45, title48))
    assert landscape[i42] and not landscape[i45] and not landscape[i48]
    assert "16,170,556.58" in texts[i42] and "财政专户管" in texts[i42]  # header labels wrap
    assert "科目编码" in texts[i48] and "本单位无政府性基金预算" in texts[i48]


def test_reportlab_wrap_width_wraps_inside_cell(out_dir):
    pdf = render_pdf(make_doc(narrative=False), out_dir / "wrap.pdf",
                     variant=RenderVariant(wrap_width=8, landscape=True))
    with pdfplumber.open(pdf) as p:
        page = next(pg for pg in p.pages if TITLE_45 in (pg.extract_text() or ""))
        text = page.extract_text()
        tables = page.extract_tables()
    assert LONG_NAME not in _norm(text)
    lines = [_norm(x) for x in text.splitlines()]
    # "　　机关事业单位" | "基本养老保险缴费" | "支出": three lines of one cell
    assert any("机关事业单位" in x for x in lines)
    assert any(x.startswith("基本养老保险缴费") or "2080505基本养老保险缴费" in x for x in lines)
    assert any(x == "支出" for x in lines)
    # still one row of the ruled table: the cell holds all three lines
    cells = [c for row in tables[0] for c in row if c and "养老保险" in c]
    assert [_norm(c) for c in cells] == [LONG_NAME]
    assert cells[0].count("\n") == 2


def test_reportlab_ttf_font_embeds_and_reads_back(out_dir):
    try:
        find_cjk_ttf()
    except FontUnavailable as exc:
        pytest.skip(str(exc))
    pdf = render_pdf(make_doc(), out_dir / "ttf.pdf", variant=RenderVariant(font="ttf"))
    with pdfplumber.open(pdf) as p:
        fonts = {c["fontname"] for pg in p.pages for c in pg.chars}
        texts = [pg.extract_text() for pg in p.pages]
        page = next(pg for pg in p.pages if TITLE_45 in (pg.extract_text() or ""))
        grid = page.extract_tables()[0]
    assert all("+" in f for f in fonts)  # subset-embedded
    joined = "\n".join(texts)
    assert "21,262,614.31" in joined and "单位：元" in joined and "附表4-1" in joined
    assert "比2021年预算减少780.01万元" in _norm(joined)
    # the TTF's wider digits make the name column wrap in portrait: compare cell by cell
    assert [[_norm(c or "") for c in row] for row in grid[2:]] == [
        [_norm(c or "") for c in row] for row in ROWS_45
    ]


def test_bad_font_is_a_clear_error(out_dir):
    with pytest.raises(FontUnavailable):
        render_pdf(make_doc(), out_dir / "x.pdf", variant=RenderVariant(font="/nonexistent/x.ttf"))


def test_ragged_row_rejected(out_dir):
    doc = make_doc()
    doc.tables[1].rows.append(["1", "2"])
    with pytest.raises(ValueError, match="cells"):
        render_pdf(doc, out_dir / "bad.pdf")


# ---------------------------------------------------------------------------------------------
# spreadsheet + LibreOffice producer


def test_workbook_layout(out_dir):
    from openpyxl import load_workbook

    path = write_workbook(make_doc(), out_dir / "doc.xlsx", numbers_as="numeric")
    wb = load_workbook(path)
    assert wb.sheetnames == ["说明", "附表4-1", "附表4-5"]
    ws = wb["附表4-5"]
    assert ws["A1"].value == "附表4-5"
    assert ws["A2"].value == TITLE_45 and "A2:G2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["G3"].value == "单位：元"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:F4", "G4:G5"} <= merged
    assert ws["C6"].value == pytest.approx(21262614.31) and ws["C6"].number_format == "#,##0.00"
    assert ws["B14"].value == "　　" + LONG_NAME
    text_wb = load_workbook(write_workbook(make_doc(), out_dir / "doc_t.xlsx"))
    assert text_wb["附表4-5"]["C6"].value == "21,262,614.31"


@pytest.fixture(scope="module")
def office_pdfs(out_dir) -> dict[str, Path]:
    """Convert once per module: LibreOffice takes seconds per document."""
    try:
        find_soffice()
    except ProducerUnavailable as exc:
        pytest.skip(f"ProducerUnavailable: {exc}")
    return {
        "text": render_pdf_via_spreadsheet(make_doc(), out_dir / "office-text.pdf"),
        "numeric": render_pdf_via_spreadsheet(
            make_doc(),
            out_dir / "office-numeric.pdf",
            numbers_as="numeric",
            variant=RenderVariant(rows_per_page=5, landscape=True, repeat_header=True),
        ),
    }


@pytest.mark.parametrize("kind", ["text", "numeric"])
def test_office_every_cell_comes_back(office_pdfs, kind):
    texts = pages_text(office_pdfs[kind])
    assert "比2021年预算减少780.01万元" in _norm("".join(texts))
    doc = make_doc()
    for table in doc.tables:
        pages = table_pages(texts, table.title)
        assert_cells_come_back("\n".join(texts[i] for i in pages), table)
    joined = "\n".join(texts)
    assert "21,262,614.31" in joined and LONG_NAME in joined


def test_office_rows_per_page_and_landscape(office_pdfs):
    texts = pages_text(office_pdfs["numeric"])
    pages = table_pages(texts, TITLE_45)
    assert len(pages) == 3
    for k, i in enumerate(pages):
        got = _norm(texts[i])
        for row in ROWS_45[5 * k : 5 * k + 5]:
            assert _norm(row[1]) in got
        assert "科目编码" in texts[i]  # print titles repeat the header
    with pdfplumber.open(office_pdfs["numeric"]) as p:
        tables_pages = [p.pages[i] for i in pages]
        assert all(pg.width > pg.height for pg in tables_pages)


def test_office_missing_soffice_is_producer_unavailable(monkeypatch, out_dir):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ProducerUnavailable, match="soffice"):
        render_pdf_via_spreadsheet(make_doc(), out_dir / "none.pdf")
