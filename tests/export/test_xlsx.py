"""`budget export`: the workbook read back with openpyxl against the warehouse, figure by figure.

Where each figure belongs is found independently of the exporter: for a PDF, the printed cell with
the figure's own page and cell box (fact_budget_line.source_bbox = fact_table_cell.source_bbox); for
a text extract, the cell of the figure's row_no and column_name. The sheet must hold, at that cell, a
number equal to the printed text, in the table's own unit, with the printed decimals.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.cli import main
from pipelines.export.xlsx import FINDINGS_SHEET, QUALITY_SHEET, ROLE_ORDER, workbook_name
from pipelines.read.numbers import decimals_of, parse_amount
from tests.conftest import REAL_DOCS

FACTORS = {"元": Decimal(1), "万元": Decimal(10000)}
real_only = pytest.mark.skipif(not REAL_DOCS.is_dir(), reason=f"real documents not available at {REAL_DOCS}")


def export(*args: str) -> int:
    return main(["export", *args])


# ---------------------------------------------------------------- what the sheets must hold


def tables_in_print_order(con, document_id: str) -> list[tuple]:
    return con.execute("""
        select table_id, table_number, table_title, unit from dim_table where document_id = ?
        order by source_file, cast(split_part(table_id, ':', 3) as integer)
    """, [document_id]).fetchall()


def printed_cells(con, table_id: str) -> dict[tuple[int, int], tuple[str, str | None, int | None, object]]:
    """(row_no, col_no) → (column_name, cell_text, source_page, source_bbox) of every printed cell."""
    return {(r, c): (name, text, page, tuple(box) if box is not None else None)
            for r, c, name, text, page, box in con.execute(
                "select row_no, col_no, column_name, cell_text, source_page, source_bbox from fact_table_cell "
                "where table_id = ? and row_no > 0", [table_id]).fetchall()}


def figure_lines(con, table_id: str) -> list[tuple]:
    """Every figure of the table (fact_budget_line: v_budget_line has no table_id)."""
    return con.execute("""
        select row_no, column_name, stated_amount, stated_unit, amount, source_page, source_bbox
        from fact_budget_line where table_id = ?
    """, [table_id]).fetchall()


def cell_index(cells) -> dict[tuple, list[tuple[int, int]]]:
    """Printed cells by (page, cell box) and by (row_no, column_name)."""
    index: dict[tuple, list[tuple[int, int]]] = {}
    for (r, c), (name, _, page, box) in cells.items():
        index.setdefault(("name", r, name), []).append((r, c))
        if box is not None:
            index.setdefault(("box", page, box), []).append((r, c))
    return index


def printed_place(index, row_no, column_name, page, box) -> tuple[int, int]:
    """The printed cell a figure was read from: by its cell box on a PDF page, else by row and column."""
    hits = index.get(("box", page, tuple(box)) if box is not None else ("name", row_no, column_name), [])
    assert len(hits) == 1, (row_no, column_name, page, box, hits)
    return hits[0]


def merged_value(ws, row: int, column: int):
    """What a person sees in a cell: the value of the merged range it lies in, else its own."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return ws.cell(merged.min_row, merged.min_col).value
    return ws.cell(row, column).value


def check_document(con, wb, document_id: str) -> dict[str, int]:
    """Compare every table sheet of the workbook with the warehouse; returns counts for the caller."""
    tables = tables_in_print_order(con, document_id)
    assert wb.sheetnames[-2:] == [FINDINGS_SHEET, QUALITY_SHEET]
    assert len(wb.sheetnames) == len(tables) + 2
    names = [n.casefold() for n in wb.sheetnames]
    assert len(set(names)) == len(names)
    counts = {"figures": 0, "six_decimals": 0}
    for (table_id, number, title, unit), ws in zip(tables, wb.worksheets):
        assert len(ws.title) <= 31 and not re.search(r"[\[\]:*?/\\]", ws.title)
        heading = ws.cell(1, 1).value
        assert title in heading and (number is None or number in heading), (heading, number, title)
        assert ws.cell(2, 1).value == f"单位：{unit}"
        cells = printed_cells(con, table_id)
        columns = {c: cells[(r, c)][0] for r, c in cells}
        depth = max((len(re.sub(r"#\d+$", "", n).split("/")) for n in columns.values()), default=1)
        body = 3 + depth  # title, unit line, the header rows
        for c, name in columns.items():
            parts = re.sub(r"#\d+$", "", name).split("/")
            header = [merged_value(ws, 3 + level, c) for level in range(depth)]
            assert header[:len(parts) - 1] == parts[:-1], (ws.title, name, header)
            assert header[len(parts) - 1].startswith(parts[-1]), (ws.title, name, header)
            # a heading printed over several columns is one merged cell, as in the print
            for level in range(len(parts) - 1):
                assert ws.cell(3 + level, c).coordinate in ws.merged_cells or all(
                    re.sub(r"#\d+$", "", other).split("/")[:level + 1] != parts[:level + 1]
                    for k, other in columns.items() if k != c), (ws.title, name, level)
        figures: dict[tuple[int, int], Decimal] = {}
        index = cell_index(cells)
        for row_no, column_name, stated, stated_unit, amount, page, box in figure_lines(con, table_id):
            assert stated_unit == unit
            r, c = printed_place(index, row_no, column_name, page, box)
            text = cells[(r, c)][1]
            printed = parse_amount(text)
            cell = ws.cell(body + r - 1, c)
            assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), \
                (ws.title, r, c, text, cell.value)
            value = Decimal(str(cell.value))
            assert value == printed, (ws.title, r, c, text, cell.value)
            # the warehouse's own figure: the printed one with all its decimals, and exact in yuan
            assert printed * FACTORS[unit] == amount
            assert value == stated, (ws.title, r, c, text, cell.value, stated)
            if decimals_of(text) > 2:
                counts["six_decimals"] += 1
            decimals = decimals_of(text)
            assert cell.number_format == ("#,##0" if decimals == 0 else "#,##0." + "0" * decimals)
            header_leaf = next(merged_value(ws, 3 + level, c) for level in reversed(range(depth))
                               if merged_value(ws, 3 + level, c))
            assert unit in header_leaf, (ws.title, header_leaf)
            figures[(r, c)] = value
        counts["figures"] += len(figures)
        # nothing else in the body is a number; every other printed cell is there as text, blanks blank
        for (r, c), (_, text, _, _) in cells.items():
            cell = ws.cell(body + r - 1, c)
            if (r, c) in figures:
                continue
            if text is None or text == "":
                assert cell.value is None, (ws.title, r, c, cell.value)
            else:
                assert cell.value == text, (ws.title, r, c, text, cell.value)
        numbers = sum(1 for row in ws.iter_rows(min_row=body) for cell in row
                      if isinstance(cell.value, (int, float)))
        assert numbers == len(figures), ws.title
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith(str(body))
        if columns:
            assert ws.cell(3, 1).font.bold
        else:  # 本表无数据: the print's note instead of rows
            assert ws.cell(body, 1).value
    return counts


FINDING_HEADERS = {"发现标识": "finding_id", "类别": "finding_role", "检查": "check_kind", "内容": "text",
                   "文件印出": "actual", "按其他数字应为": "expected", "差额": "difference", "四舍五入容差": "tolerance",
                   "单位": "unit", "被认为有误的数字": "culprit", "为何可信": "confidence", "出处": "source_ref",
                   "页码": "page", "证据图": "evidence"}


def check_findings(con, wb, document_id: str) -> list[dict]:
    """The findings sheet against v_check_result: every finding but the passes, contradictions first, in
    Chinese, each number in the unit the document prints it in (the 单位 column)."""
    from pipelines.wording import ROLE_NAMES

    ws = wb[FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    assert set(FINDING_HEADERS) <= set(header) and not [h for h in header if re.search(r"[a-z]", h or "")]
    rows = [{FINDING_HEADERS.get(h, h): c.value for h, c in zip(header, row)} for row in ws.iter_rows(min_row=2)]
    expected = dict(con.execute(
        "select finding_id, finding_role from v_check_result where document_id = ? "
        "and status is distinct from 'pass'",
        [document_id]).fetchall())
    assert {r["finding_id"]: r["finding_role"] for r in rows} == {k: ROLE_NAMES.get(v, v) for k, v in expected.items()}
    assert len(rows) == len(expected)
    by_name = {name: role for role, name in ROLE_NAMES.items()}
    ranks = [ROLE_ORDER.index(by_name[r["finding_role"]]) for r in rows]
    assert ranks == sorted(ranks)  # contradictions first
    amounts = {fid: (e, a, d) for fid, e, a, d in con.execute(
        "select finding_id, expected, actual, difference from v_check_result where document_id = ?",
        [document_id]).fetchall()}
    for row in rows:
        # a table's own figures are kept in 元 and shown in the table's unit; a sentence's figures are its own
        per_unit = Decimal(10000) if row["unit"] == "万元" and not row["text"].startswith("文中说") else Decimal(1)
        for name, stored in zip(("expected", "actual", "difference"), amounts[row["finding_id"]]):
            value = row[name]
            if stored is None:
                assert value is None
            else:
                assert isinstance(value, (int, float)) and Decimal(str(value)) * per_unit == stored, (row, name)
        page = re.search(r":p(\d+)", row["source_ref"] or "")
        assert row["page"] == (int(page.group(1)) if page else None)
    cols = {r[0] for r in con.execute(
        "select column_name from duckdb_columns() where table_name = 'v_check_result'").fetchall()}
    for column, name in (("复核结论", "review_verdict"), ("复核说明", "review_note")):
        assert (column in header) == (name in cols)
    return rows


def check_quality(con, wb, document_id: str) -> None:
    from pipelines.export.xlsx import QUALITY_LABELS
    from pipelines.wording import READING_NAMES

    pairs = {c[0].value: c[1].value for c in wb[QUALITY_SHEET].iter_rows(min_row=2)}
    cur = con.execute("select * from v_document_quality where document_id = ?", [document_id])
    row = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    by_name = {name: pairs[label] for name, label in QUALITY_LABELS.items() if label in pairs}
    assert set(by_name) == set(row) and not [label for label in pairs if re.search(r"[a-z]", label)]
    assert by_name["document_id"] == document_id
    for name in ("tables_found", "contradictions", "reading_doubts", "warnings"):
        assert by_name[name] == row[name]
    assert by_name["reading"] == READING_NAMES[row["reading"]]


# ---------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_export(seed_warehouse, tmp_path_factory):
    """The seed's one document exported by id into a file path, and with --all into a folder."""
    con = duckdb.connect(str(seed_warehouse), read_only=True)
    try:
        (document_id,) = con.execute("select document_id from dim_document").fetchone()
        document = dict(zip(("document_id", "department", "year", "kind", "scope"), con.execute(
            "select document_id, department, year, kind, scope from dim_document").fetchone()))
    finally:
        con.close()
    out = tmp_path_factory.mktemp("seed_export")
    path = out / "seed.xlsx"
    assert export(document_id, "--xlsx", str(path), "--warehouse", str(seed_warehouse.parent)) == 0
    assert export("--all", "--xlsx", str(out / "all"), "--warehouse", str(seed_warehouse.parent)) == 0
    return document_id, document, path, openpyxl.load_workbook(path), out


def test_seed_every_figure_in_its_cell(seed_export, seed_db):
    document_id, _, _, wb, _ = seed_export
    counts = check_document(seed_db, wb, document_id)
    (lines,) = seed_db.execute("select count(*) from v_budget_line where document_id = ?", [document_id]).fetchone()
    assert counts["figures"] == lines > 500


def test_seed_sheets_in_print_order(seed_export):
    wb = seed_export[3]
    assert wb.sheetnames[0] == "附表4-1 青山区科学技术和经济信息化局收支总表"
    # a title too long for 31 characters keeps its end: the table's name
    assert "附表4-7 …" in wb.sheetnames[6] and wb.sheetnames[6].endswith("“三公”经费支出表")
    ws = wb[wb.sheetnames[2]]  # 附表4-3 支出总表: 合计行 合计 21,262,614.31元
    assert ws.cell(2, 1).value == "单位：元"
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["科目编码", "科目名称", "合计（元）"]
    assert ws.cell(4, 1).value == "合计" and Decimal(str(ws.cell(4, 3).value)) == Decimal("21262614.31")
    assert ws.cell(4, 3).number_format == "#,##0.00"
    assert ws.cell(5, 1).value == "206"  # codes stay text


def test_seed_findings(seed_export, seed_db):
    document_id, _, _, wb, _ = seed_export
    rows = check_findings(seed_db, wb, document_id)
    contradictions = [r for r in rows if r["finding_role"] == "矛盾"]
    assert len(contradictions) == 2 and rows[:2] == contradictions
    # 项目支出 1209.74万元 in section 三 against 12,094,740.00元 in 附表4-3
    project = next(r for r in contradictions if Decimal(str(r["actual"])) == Decimal("1209.74"))
    assert Decimal(str(project["expected"])) == Decimal("1209.47") and project["unit"] == "万元"
    assert project["text"].startswith("文中说项目支出1,209.74万元；按附表4-3")


def test_seed_quality(seed_export, seed_db):
    check_quality(seed_db, seed_export[3], seed_export[0])


def test_seed_all_names_the_workbook_after_the_document(seed_export):
    document_id, document, path, _, out = seed_export
    written = sorted((out / "all").iterdir())
    assert [p.name for p in written] == [workbook_name(document)]
    assert written[0].name == f"武汉市青山区科学技术和经济信息化局_2022_预算_部门_{document_id}.xlsx"
    assert written[0].read_bytes()[:2] == b"PK"


def test_existing_folder_gets_the_named_workbook(seed_export, seed_warehouse, tmp_path, capsys):
    document_id, document, _, _, _ = seed_export
    assert export(document_id, "--xlsx", str(tmp_path), "--warehouse", str(seed_warehouse.parent)) == 0
    assert (tmp_path / workbook_name(document)).is_file()
    assert str(tmp_path / workbook_name(document)) in capsys.readouterr().out


def test_unknown_document_exits_2_naming_it(seed_warehouse, tmp_path, capsys):
    assert export("no-such-doc-42", "--xlsx", str(tmp_path / "x.xlsx"),
                  "--warehouse", str(seed_warehouse.parent)) == 2
    err = capsys.readouterr().err
    assert "no-such-doc-42" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_document_or_all_not_both(seed_warehouse, tmp_path, capsys):
    assert export("--xlsx", str(tmp_path / "x.xlsx"), "--warehouse", str(seed_warehouse.parent)) == 2
    assert export("abc", "--all", "--xlsx", str(tmp_path), "--warehouse", str(seed_warehouse.parent)) == 2
    assert export("abc", "--xlsx", str(tmp_path / "x.xlsx"), "--warehouse", str(tmp_path / "none")) == 2
    assert "还没有数据仓库" in capsys.readouterr().err


def test_a_document_is_named_as_budget_findings_names_it(seed_warehouse, tmp_path, capsys):
    """By a start of its id or part of its department's name, like ``budget findings --document``."""
    with duckdb.connect(str(seed_warehouse), read_only=True) as con:
        (document_id,) = con.execute("select document_id from dim_document").fetchone()
    assert export(document_id[:6], "--xlsx", str(tmp_path / "a.xlsx"), "--warehouse", str(seed_warehouse.parent)) == 0
    assert export("科学技术和经济信息化局", "--xlsx", str(tmp_path / "b.xlsx"),
                  "--warehouse", str(seed_warehouse.parent)) == 0
    assert (tmp_path / "a.xlsx").is_file() and (tmp_path / "b.xlsx").is_file()


def test_workbook_names_are_filesystem_safe():
    name = workbook_name({"document_id": "ab12", "department": 'A/B:C*?"<>|\\部门', "year": 2024,
                          "kind": "决算", "scope": "单位"})
    assert name == "A_B_C_______部门_2024_决算_单位_ab12.xlsx"
    assert workbook_name({"document_id": "ab12", "department": None, "year": None, "kind": None,
                          "scope": None}) == "ab12.xlsx"


# ---------------------------------------------------------------- the real PDFs


@pytest.fixture(scope="module")
def real_export(real_warehouse, tmp_path_factory) -> dict[str, Path]:
    """Every real document exported with --all, once: document_id → its workbook."""
    out = tmp_path_factory.mktemp("real_export")
    assert export("--all", "--xlsx", str(out), "--warehouse", str(real_warehouse.parent)) == 0
    books = {p.stem.rsplit("_", 1)[-1]: p for p in out.glob("*.xlsx")}
    con = duckdb.connect(str(real_warehouse), read_only=True)
    try:
        ids = {r[0] for r in con.execute("select document_id from dim_document").fetchall()}
    finally:
        con.close()
    assert set(books) == ids
    return books


def _document(con, where: str) -> str:
    row = con.execute(f"select document_id from dim_document as d where {where} "
                      "order by department, year, document_id limit 1").fetchone()
    assert row, where
    return row[0]


@real_only
def test_real_beijing_six_decimal_wan_yuan(real_export, real_db):
    """北京 prints 万元 with 6 decimals: the sheet keeps all 6, as stated_amount does."""
    document_id = _document(real_db, """department like '%北京%' and exists (
        select 1 from fact_table_cell as c where c.document_id = d.document_id and c.unit = '万元'
          and regexp_matches(c.cell_text, '\\.\\d{6}$'))""")
    wb = openpyxl.load_workbook(real_export[document_id])
    counts = check_document(real_db, wb, document_id)
    assert counts["six_decimals"] > 100
    ws = wb.worksheets[0]
    assert ws.cell(2, 1).value == "单位：万元"
    sixes = [c for row in ws.iter_rows(min_row=5) for c in row
             if isinstance(c.value, (int, float)) and c.number_format == "#,##0.000000"]
    assert sixes and len(sixes) == sum(isinstance(c.value, (int, float)) for row in ws.iter_rows(min_row=5)
                                       for c in row)
    check_findings(real_db, wb, document_id)
    check_quality(real_db, wb, document_id)


@real_only
def test_real_yuan_document(real_export, real_db):
    document_id = _document(real_db, """exists (select 1 from dim_table as t where t.document_id = d.document_id
        and t.unit = '元' and t.row_count > 10)""")
    wb = openpyxl.load_workbook(real_export[document_id])
    counts = check_document(real_db, wb, document_id)
    assert counts["figures"] > 100
    assert any(ws.cell(2, 1).value == "单位：元" for ws in wb.worksheets[:-2])
    check_findings(real_db, wb, document_id)


@real_only
def test_real_side_by_side_table(real_export, real_db):
    """A table printed as two blocks side by side (编码 | 名称 | 决算数 | 编码 | 名称 | 决算数): each figure
    sits in its block's column on its printed row, 公用经费合计 beside 人员经费合计."""
    document_id = _document(real_db, """exists (select 1 from fact_table_cell as c where c.document_id = d.document_id
        and c.column_name like '%#2')""")
    wb = openpyxl.load_workbook(real_export[document_id])
    check_document(real_db, wb, document_id)


@real_only
def test_real_every_document(real_export, real_db):
    """Every figure of every real document in its sheet, and every non-pass finding with its role."""
    total = contradictions = 0
    for document_id, path in sorted(real_export.items()):
        wb = openpyxl.load_workbook(path)
        total += check_document(real_db, wb, document_id)["figures"]
        rows = check_findings(real_db, wb, document_id)
        contradictions += sum(r["finding_role"] == "矛盾" for r in rows)
        check_quality(real_db, wb, document_id)
    (lines,) = real_db.execute("select count(*) from fact_budget_line").fetchone()
    (stated,) = real_db.execute(
        "select count(*) from v_check_result where finding_role = 'contradiction'").fetchone()
    assert total == lines and contradictions == stated
