"""The fast text layer reads exactly what the full reading does, only faster.

``read_pdf`` takes the text lines of pages that cannot hold a table from pdfium (``fast``, the
default) instead of running pdfplumber's layout analysis on every page (``full``). On the real
documents every PDF is read both ways, once per session each, and compared: every table (kind,
title, number, unit, columns, header, rows, cell boxes, pages, notes), every issue, the normalized
budget lines, the narrative's figures and 绩效 targets, and the text lines themselves.

The text lines are compared strictly, spacing included, not only through the figures read from
them. Where pdfium would not reproduce pdfminer's glyphs (a space it infers at a gap so narrow that
pdfminer splits the word only at a printed space, a run it drops as an overprint, rotated text,
unmapped glyphs, text off the page) the page is read in full, so no line of a fast page differs.
The tops of fast lines come from pdfium's font metrics and may differ from pdfminer's by a few
tenths of a point where a font (Helvetica, some 方正 fonts) has no descent of its own; only the
running-header test uses tops, rounded and with ±2 points of play, and no reading changes.

Pages read in full are parsed by ``quick_page``, whose objects must be pdfplumber's own: that is
compared dict by dict on rendered pages and on three pages of every real PDF.
"""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipelines.fixtures.pdf_render import RenderVariant, render_pdf
from pipelines.normalize.budget_lines import normalize_table
from pipelines.read.model import RawDocument, RawTable, SourceRef, TextLine
from pipelines.read.narrative import extract_narrative
from pipelines.read.pdf_reader import (
    PdfReadError, _fast_lines, _may_hold_table, _read_page, fast_pages, read_pdf, text_layer_mode,
)
from pipelines.read.quick_page import quick_page
from pipelines.read.text_layer import open_document, scan_page
from tests.conftest import REAL_DOCS
from tests.read.readings import needs_real, real_pdfs, reading

REF = SourceRef("x", line=1)
NARRATIVE = [
    "一、部门预算单位构成",
    "本部门2026年收入预算2126.26万元，比上年增加 35.10 万元，增长1.7%。",
    "主要用于保障机关正常运转和重点项目支出。",
    "二、“三公”经费预算情况说明",
    "公务接待费 12.00 万元，与上年持平。",
]


def _doc() -> RawDocument:
    table = RawTable(
        "income_summary", "收入总表", "万元", ["项目", "合计", "财政拨款"],
        [["合计", "2,126.26", "2,126.26"], ["一般公共服务支出", "1,000.00", "1,000.00"]],
        [REF, REF], REF, number="公开02表")
    return RawDocument(["x"], tables=[table], text_lines=[TextLine(t, REF) for t in NARRATIVE * 3])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[bool, Path]:
    """The same document printed with and without ruling: page 1 narrative, page 2 the table."""
    out = tmp_path_factory.mktemp("text_layer")
    return {ruled: render_pdf(_doc(), out / f"ruled_{ruled}.pdf", variant=RenderVariant(ruled=ruled))
            for ruled in (True, False)}


def _full_lines(path: Path, index: int) -> list:
    with pdfplumber.open(path) as pdf:
        items = _read_page(pdf.pages[index], index + 1, path.name).items
    return [payload for _, what, payload in items if what == "line"]


# ----------------------------------------------------------------------------------------------
# Which pages go fast


def test_narrative_page_goes_fast_with_pdfplumbers_lines(rendered) -> None:
    path = rendered[True]
    assert fast_pages(path) == [1]
    doc = open_document(path)
    try:
        fast, _ = _fast_lines(doc, 0)
    finally:
        doc.close()
    full = _full_lines(path, 0)
    assert [ln.text for ln in fast] == [ln.text for ln in full] == NARRATIVE * 3
    for a, b in zip(fast, full):
        assert round(a.top) == round(b.top) and abs(a.top - b.top) < 0.3
        assert abs(a.bottom - b.bottom) < 0.3 and abs(a.x0 - b.x0) < 0.01


def test_table_page_goes_full(rendered) -> None:
    doc = open_document(rendered[True])
    try:
        assert scan_page(doc, 1).full == "ruling"
        assert _fast_lines(doc, 1) is None
    finally:
        doc.close()
    # printed without rules, its title, 单位 line and figures still send it to the full reading
    doc = open_document(rendered[False])
    try:
        assert scan_page(doc, 1).full is None
        assert _fast_lines(doc, 1) is None
    finally:
        doc.close()


@pytest.mark.parametrize("ruled", [True, False])
def test_both_layers_read_the_same(rendered, ruled: bool) -> None:
    assert read_pdf(rendered[ruled], text_layer="fast") == read_pdf(rendered[ruled], text_layer="full")


def test_rules_that_cannot_form_a_cell_keep_a_page_fast(tmp_path: Path) -> None:
    """pdfplumber builds cells from horizontal and vertical edges of at least 1 pt: horizontal
    rules alone (a header rule, underlines) and white padding rectangles form none, so such a page
    stays fast; one box is a cell and sends it to the full reading."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "rules.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    for decoration in ("rules", "padding", "box"):
        c.setFont("STSong-Light", 12)
        for k, text in enumerate(NARRATIVE):
            c.drawString(72, 700 - 20 * k, text)
        if decoration == "rules":
            c.setLineWidth(1.5)
            c.line(72, 760, 520, 760)
            c.line(72, 560, 300, 560)
        elif decoration == "padding":
            c.setFillColorRGB(1, 1, 1)
            c.rect(60, 500, 480, 250, stroke=0, fill=1)
        else:
            c.rect(60, 500, 480, 250, stroke=1, fill=0)
        c.showPage()
    c.save()
    assert fast_pages(path) == [1, 2]
    assert read_pdf(path, text_layer="fast") == read_pdf(path, text_layer="full")


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_glyphs_without_unicode_go_full_and_raise(tmp_path: Path) -> None:
    """A Type0 font with Identity-H and no ToUnicode map: pdfminer prints (cid:NN), pdfium knows
    no Unicode either; the page goes to the full reading, which names the file and page."""
    runs = [f"BT /F1 12 Tf 72 {700 - 20 * k} Td <{''.join(f'{0x100 + 7 * k + j:04X}' for j in range(12))}> Tj ET"
            for k in range(6)]
    content = "\n".join(runs).encode()
    path = tmp_path / "no_tounicode.pdf"
    path.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+NoMap /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+NoMap /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+NoMap /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0"
        b" /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]))
    doc = open_document(path)
    try:
        assert scan_page(doc, 0).full == "characters without a Unicode mapping"
    finally:
        doc.close()
    with pytest.raises(PdfReadError, match=r"^no_tounicode\.pdf第1页：文字是字形编码（\d+个字符中有\d+个是\(cid:NN\)）"):
        read_pdf(path)


@pytest.mark.parametrize("line, may", [
    ("2026年部门收支总表", True),
    ("表1 收入总表", True),
    ("单位：万元", True),
    ("公开02表", True),
    ("详细情况见部门收支总表。", True),  # a title inside running text
    ("合计 156,211,123 156,211,123 0", True),  # cells of a row of figures
    ("本部门2026年收入预算 2,126.26 万元，比上年增加 35.10 万元。", False),
    ("1 7", False),  # a page number printed with a gap
    ("一、部门主要职能", False),
])
def test_lines_that_may_belong_to_a_table(line: str, may: bool) -> None:
    assert _may_hold_table(line) is may


def test_the_text_layer_is_chosen_by_argument_or_environment(monkeypatch) -> None:
    monkeypatch.delenv("BUDGET_PDF_TEXT_LAYER", raising=False)
    assert text_layer_mode() == "fast"
    monkeypatch.setenv("BUDGET_PDF_TEXT_LAYER", "full")
    assert text_layer_mode() == "full"
    assert text_layer_mode("fast") == "fast"
    with pytest.raises(ValueError, match="BUDGET_PDF_TEXT_LAYER"):
        text_layer_mode("quick")


def _same_objects(path: Path, pages: list[int] | None = None) -> None:
    with pdfplumber.open(path) as pdf:
        for index in pages if pages is not None else range(len(pdf.pages)):
            page = pdf.pages[index]
            quick = quick_page(page)
            assert quick.objects == page.objects, f"{path.name} p{index + 1}"
            quick.close()
            page.close()


def test_quick_page_gives_pdfplumbers_objects(rendered) -> None:
    for path in rendered.values():
        _same_objects(path)


@needs_real
@pytest.mark.parametrize("rel, pages", [
    ("shanghai-putuo/ptq_wanli_2024_yusuan.pdf", [0, 9, 11]),  # SimSun subset, tables in 元
    ("renwu/北京/人力资源和社会保障局_附件2_北京市人力资源和社会保障局2026年度部门预算报表.pdf", [0, 3]),  # 方正 fonts
    ("jiangsu/江苏省人民检察院/2019年度部门预算公开.pdf", [14, 20]),
    ("renwu/深圳/人力资源和社会保障局_2026年部门预算.pdf", [100]),  # all in a form XObject
])
def test_quick_page_gives_pdfplumbers_objects_on_real_pages(rel: str, pages: list[int]) -> None:
    _same_objects(REAL_DOCS / rel, pages)


@needs_real
@pytest.mark.parametrize("rel", real_pdfs() or ["(none)"])
def test_quick_page_gives_pdfplumbers_objects_on_every_real_document(rel: str) -> None:
    """First, middle and last page of each real PDF (its content read by QuickInterpreter)."""
    with pdfplumber.open(REAL_DOCS / rel) as pdf:
        n = len(pdf.pages)
    _same_objects(REAL_DOCS / rel, sorted({0, n // 2, n - 1}))


# ----------------------------------------------------------------------------------------------
# The real documents: both readings identical


def _describe(t: RawTable) -> tuple:
    return (t.table_kind, t.title, t.number, t.unit, t.columns, t.header_rows, t.notes, t.ref,
            t.row_refs, t.rows, t.cell_boxes)


@needs_real
@pytest.mark.parametrize("rel", real_pdfs() or ["(none)"])
def test_fast_and_full_readings_are_identical(rel: str) -> None:
    fast, full = reading(rel, "fast"), reading(rel, "full")
    assert len(fast.tables) == len(full.tables)
    for a, b in zip(fast.tables, full.tables):
        assert _describe(a) == _describe(b), f"{rel}: {b.title} (p{b.ref.page}) differs"
        assert normalize_table(a) == normalize_table(b)
    assert fast.issues == full.issues
    narrative_fast, narrative_full = extract_narrative(fast.text_lines), extract_narrative(full.text_lines)
    assert narrative_fast.year == narrative_full.year
    assert narrative_fast.figures == narrative_full.figures
    assert narrative_fast.targets == narrative_full.targets
    differing = [(b.ref.page, b.text, a.text) for a, b in zip(fast.text_lines, full.text_lines) if a != b]
    assert not differing, f"{rel}: lines differ (page, full, fast): {differing[:5]}"
    assert len(fast.text_lines) == len(full.text_lines)
    assert fast == full


@needs_real
def test_narrative_documents_are_read_mostly_from_pdfium() -> None:
    """The 说明 of 北京 and 江苏 (no tables at all) take the fast path on most pages."""
    rel = "jiangsu/江苏省人大办公厅/江苏省人大常委会2019年度部门预算公开.pdf"
    with pdfplumber.open(REAL_DOCS / rel) as pdf:
        pages = len(pdf.pages)
    assert len(fast_pages(REAL_DOCS / rel)) >= 0.8 * pages
