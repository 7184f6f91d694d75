"""The HTML report, from a small warehouse built here from literal rows (no pipeline run)."""
from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.report.html import document_page_name, format_amount, write_report

SCRIPT = "<script>alert(1)</script>"
D1, D2, D3 = "aaaa000000000001", "aaaa000000000002", "bbbb000000000003"
F_FAIL, F_PASS, F_RESOLVED, F_XSS = "f000000000000001", "f000000000000002", "f000000000000003", "f000000000000004"
F_BIG = "f000000000000005"
F_CONSEQUENCE, F_DOUBT, F_DOUBTED = "f000000000000006", "f000000000000007", "f000000000000008"
CULPRIT = "附表4-5 项目支出表 合计 [合计] 12094740.00元 (shili_2024.pdf:p12)"

NARRATIVE_DESC = "文字说明 expenditure.project 1209.74万元 vs 附表4-5 项目支出表 合计 12094740.00元 (万元, 2位小数 rounded half-up)"


def _create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""create table dim_document (document_id varchar, department varchar, year integer, kind varchar,
                   scope varchar, source_files varchar)""")
    con.executemany("insert into dim_document values (?, ?, ?, ?, ?, ?)", [
        [D1, "示例市财政局", 2024, "预算", "部门", "shili_2024.pdf"],
        [D2, "示例市财政局", 2025, "预算", "部门", "shili_2025.pdf"],
        [D3, f"{SCRIPT}局", 2024, "预算", "部门", "xss_2024.pdf"],
    ])
    con.execute("""create table v_budget_line (document_id varchar, table_kind varchar, subject_code varchar,
                   subject_name varchar, subject_level varchar, economic_class_code varchar,
                   economic_class_name varchar, expense_type varchar, amount decimal(18, 2), row_role varchar,
                   source_ref varchar)""")
    gbe, basic = "general_budget_expenditure", "general_budget_basic_expenditure"
    lines = []
    for doc, scale in ((D1, 1), (D2, 2), (D3, 1)):
        lines += [
            [doc, gbe, "201", "一般公共服务支出", "类", None, None, "total", 5000000 * scale, "subtotal"],
            [doc, gbe, "2010601", "行政运行", "项", None, None, "total", 3000000 * scale, "detail"],
            [doc, gbe, "2010601", "行政运行", "项", None, None, "basic", 3000000 * scale, "detail"],
            [doc, gbe, "2010650", "事业运行", "项", None, None, "total", 2000000 * scale, "detail"],
            [doc, gbe, "2010650", "事业运行", "项", None, None, "project", 2000000 * scale, "detail"],
            [doc, gbe, "208", "社会保障和就业支出", "类", None, None, "total", 1234567.89 * scale, "subtotal"],
            [doc, gbe, "2080505", "机关事业单位基本养老保险缴费支出", "项", None, None, "total", 1234567.89 * scale, "detail"],
            [doc, gbe, "2080505", "机关事业单位基本养老保险缴费支出", "项", None, None, "basic", 1234567.89 * scale, "detail"],
            [doc, gbe, None, "合计", None, None, None, "total", 6234567.89 * scale, "total"],
            [doc, basic, None, None, None, "301", "工资福利支出", "basic", 3500000 * scale, "subtotal"],
            [doc, basic, None, None, None, "30101", "基本工资", "basic", 3500000 * scale, "detail"],
            [doc, basic, None, None, None, "302", "商品和服务支出", "basic", 734567.89 * scale, "subtotal"],
            [doc, basic, None, None, None, "30201", "办公费", "basic", 734567.89 * scale, "detail"],
        ]
    # A cell with a script in its printed name, and a figure floats cannot hold exactly.
    lines.append([D3, gbe, "2130101", SCRIPT, "项", None, None, "total", Decimal("1234567890123456.78"), "detail"])
    con.executemany("insert into v_budget_line values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x.pdf:p5')",
                    [[*row[:8], Decimal(str(row[8])), row[9]] for row in lines])
    con.execute("""create table v_narrative_claim (document_id varchar, measure varchar, stated_value decimal(18, 2),
                   stated_unit varchar, section varchar, sentence varchar, source_ref varchar)""")
    con.executemany("insert into v_narrative_claim values (?, ?, ?, ?, ?, ?, ?)", [
        [D1, "expenditure.project", Decimal("1209.74"), "万元", "第三部分",
         "2024年项目支出1,209.74万元，主要用于信息化建设。", "shili_2024.pdf:p6"],
        [D3, "expenditure.basic.share", Decimal("50.81"), "%", "第三部分",
         f"基本支出占50.81%{SCRIPT}。", "xss_2024.pdf:p4"],
    ])
    con.execute("""create table v_ingest_issue (document_id varchar, source_file varchar, stage varchar,
                   severity varchar, reason varchar, source_ref varchar, detected_at timestamp)""")
    con.executemany("insert into v_ingest_issue values (?, ?, ?, ?, ?, ?, timestamp '2026-01-01 08:00:00')", [
        [D3, "xss_2024.pdf", "read", "error", f"表格无法读取 {SCRIPT}", "xss_2024.pdf:p9"],
        [None, "broken.pdf", "discover", "error", "文件无法打开 (encrypted)", "broken.pdf"],
    ])
    con.execute("""create table v_check_result (finding_id varchar, document_id varchar, check_kind varchar,
                   table_kind varchar, severity varchar, status varchar, description varchar,
                   expected decimal(18, 4), actual decimal(18, 4), difference decimal(18, 4),
                   tolerance decimal(18, 4), source_ref varchar, run_at varchar, finding_role varchar,
                   group_id varchar, confidence varchar, culprit varchar, review_verdict varchar, review_note varchar,
                   reviewed_by varchar, reviewed_at timestamptz, review_status varchar)""")
    con.executemany("insert into v_check_result values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01 08:00', "
                    "?, ?, ?, ?, null, null, null, null, null)", [
        [F_FAIL, D1, "narrative_vs_table", "project_expenditure", "error", "fail", NARRATIVE_DESC,
         Decimal("1209.47"), Decimal("1209.74"), Decimal("0.27"), Decimal("0"), "shili_2024.pdf:p6",
         "contradiction", F_FAIL, "the other 40 sums of 附表4-5 tie out exactly; one figure breaks 2 relations",
         CULPRIT],
        [F_CONSEQUENCE, D1, "row_arithmetic", "project_expenditure", "error", "fail",
         "项目支出表: 合计 = Σ项目", Decimal("12097440"), Decimal("12094740"), Decimal("-2700"), Decimal("0"),
         "shili_2024.pdf:p12", "consequence", F_FAIL, None, CULPRIT],
        [F_PASS, D1, "row_arithmetic", "general_budget_expenditure", "error", "pass",
         "一般公共预算支出表: 合计 = 基本支出 + 项目支出", Decimal("6234567.89"), Decimal("6234567.89"),
         Decimal("0"), Decimal("0"), "shili_2024.pdf:p12", None, None, None, None],
        [F_RESOLVED, D2, "balance", "income_expenditure_summary", "error", "pass",
         "收支总表: 收入总计 = 支出总计", Decimal("100"), Decimal("100"), Decimal("0"), Decimal("0"),
         "shili_2025.pdf:p8", None, None, None, None],
        [F_DOUBT, D2, "reading_doubt", "three_public", "warning", "fail",
         "读数存疑 reading doubt: 附表7 三公经费表: sums fail in 3 unrelated places", None, None, None, None,
         "shili_2025.pdf:p15", "reading_doubt", F_DOUBT, None, None],
        [F_DOUBTED, D2, "row_arithmetic", "three_public", "warning", "doubt",
         "三公经费表: 合计 = Σ", Decimal("10"), Decimal("12"), Decimal("2"), Decimal("0"),
         "shili_2025.pdf:p15", "doubted", F_DOUBT, None, None],
        [F_XSS, D3, "row_arithmetic", "general_budget_expenditure", "error", "fail",
         f"一般公共预算支出表 {SCRIPT}: 合计 = Σ", Decimal("100.0000"), Decimal("12345678901234.5678"),
         Decimal("12345678901134.5678"), Decimal("0"), "xss_2024.pdf:p5", "contradiction", F_XSS, None, None],
        [F_BIG, D3, "shares", "narrative", "warning", "unverified",
         "文字说明 expenditure.basic.share 50.81%: 无对应表格数字", None, Decimal("50.81"), None, Decimal("0"),
         "xss_2024.pdf:p4", "unverifiable", None, None, None],
    ])
    places = {F_FAIL: "narrative|expenditure.project|1", F_CONSEQUENCE: "project_expenditure|合计|total=parts",
              F_PASS: "general_budget_expenditure|合计|total=parts", F_RESOLVED: "income_expenditure_summary|total",
              F_DOUBT: "doubt|t7", F_DOUBTED: "three_public|合计|three_public_total=parts",
              F_XSS: "general_budget_expenditure|x|total=parts", F_BIG: "narrative|expenditure.basic.share|1"}
    con.execute("alter table v_check_result add column place_key varchar")
    con.executemany("update v_check_result set place_key = ? where finding_id = ?", [[v, k] for k, v in places.items()])
    con.execute("""create table v_finding_cell (finding_id varchar, figure_no integer, figure varchar, is_culprit boolean,
                   what varchar, stated varchar, measure varchar, source_file varchar, source_page integer,
                   source_ref varchar, sentence varchar)""")
    total = ["t5#1#合计", "附表4-5 项目支出表 合计 [合计]", "12094740.00元", None, "shili_2024.pdf", 12, "shili_2024.pdf:p12",
             None]
    con.executemany("insert into v_finding_cell values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [F_FAIL, 1, "narrative#1", False, "文字说明 expenditure.project", "1209.74万元", "expenditure.project",
         "shili_2024.pdf", 6, "shili_2024.pdf:p6", "2024年项目支出1,209.74万元，主要用于信息化建设。"],
        [F_FAIL, 2, total[0], True, *total[1:]],
        [F_CONSEQUENCE, 1, total[0], True, *total[1:]],
        [F_CONSEQUENCE, 2, "t5#2#合计", False, "附表4-5 项目支出表 信息化建设 [合计]", "12097440.00元", None,
         "shili_2024.pdf", 12, "shili_2024.pdf:p12", None],
        [F_XSS, 1, "t9#1#合计", False, f"一般公共预算支出表 {SCRIPT} [合计]", "12345678901234.5678元", None,
         "xss_2024.pdf", 5, "xss_2024.pdf:p5", None],
        [F_BIG, 1, "narrative#4", False, "文字说明 expenditure.basic.share", "50.81%", "expenditure.basic.share",
         "xss_2024.pdf", 4, "xss_2024.pdf:p4", f"基本支出占50.81%{SCRIPT}。"],
    ])
    con.execute("""create table v_document_quality (document_id varchar, tables_expected integer,
                   tables_found integer, tables_missing varchar, rows_read integer, tie_outs integer,
                   tie_out_share decimal(8, 4), unknown_columns varchar, unit_doubts integer, reading varchar)""")
    con.executemany("insert into v_document_quality values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [D1, 8, 8, None, 120, 40, Decimal("0.975"), None, 0, "good"],
        [D2, 8, 7, "政府采购预算表", 100, 30, Decimal("1"), None, 0, "check"],
        [D3, 8, 2, None, 20, 4, Decimal("0.5"), "备注", 1, "poor"],
    ])


@pytest.fixture()
def warehouse(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "report.duckdb"))
    _create(con)
    yield con
    con.close()


@pytest.fixture()
def previous() -> pd.DataFrame:
    return pd.DataFrame([
        {"finding_id": F_FAIL, "document_id": D1, "check_kind": "narrative_vs_table", "status": "fail",
         "severity": "error", "description": NARRATIVE_DESC, "source_ref": "shili_2024.pdf:p6"},
        {"finding_id": F_RESOLVED, "document_id": D2, "check_kind": "balance", "status": "fail",
         "severity": "error", "description": "收支总表: 收入总计 = 支出总计", "source_ref": "shili_2025.pdf:p8"},
    ])


@pytest.fixture()
def report(warehouse, previous, tmp_path) -> Path:
    return write_report(warehouse, tmp_path / "site", previous=previous)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_writes_index_and_one_page_per_document(report):
    assert report.name == "index.html"
    pages = sorted(p.name for p in report.parent.glob("doc-*.html"))
    assert pages == sorted(document_page_name(d) for d in (D1, D2, D3))
    index = _read(report)
    for d in (D1, D2, D3):
        assert f'href="{document_page_name(d)}"' in index


def test_front_page_ranks_documents_by_errors(report):
    index = _read(report)
    body = index[index.index("<tbody>"):]
    # D1 and D3 have one error each, D2 none: D2 comes last.
    positions = {d: body.index(document_page_name(d)) for d in (D1, D2, D3)}
    assert positions[D2] > positions[D1] and positions[D2] > positions[D3]
    # D3 (same error count as D1) ranks first thanks to its ingest error.
    assert positions[D3] < positions[D1]
    assert "broken.pdf" in index and "文件无法打开" in index  # an issue no document owns


def test_failed_narrative_check_in_plain_words(report):
    page = _read(report.parent / document_page_name(D1))
    text = re.sub(r"<[^>]+>", "", page)
    assert ("文中说项目支出1,209.74万元；按附表4-5 项目支出表 合计 [合计] 12,094,740.00元，按文中的精度应为"
            "1,209.47万元，相差0.27万元。") in text
    assert "2024年项目支出1,209.74万元，主要用于信息化建设。" in text
    # Findings come before the ingest issues, which come before the full list of checks.
    assert page.index("<h2>发现的问题</h2>") < page.index("<h2>读取问题</h2>") < page.index("<details><summary>展开全部")


def test_new_still_open_and_resolved(report):
    d1 = _read(report.parent / document_page_name(D1))
    d3 = _read(report.parent / document_page_name(D3))
    d2 = _read(report.parent / document_page_name(D2))
    assert "仍未解决" in d1 and 'class="badge new"' not in d1
    assert 'class="badge new"' in d3
    assert "已解决" in d2 and "收支总表: 收入总计 = 支出总计" in d2
    index = _read(report)
    assert "已解决（1）" in index


def test_without_previous_nothing_is_marked(warehouse, tmp_path):
    index = write_report(warehouse, tmp_path / "plain")
    d1 = _read(index.parent / document_page_name(D1))
    assert "仍未解决" not in d1 and 'class="badge new"' not in d1 and "本次新发现" not in d1


def test_everything_from_documents_is_escaped(report):
    for page in report.parent.glob("*.html"):
        assert "<script" not in _read(page).lower(), page.name
    index = _read(report)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in index
    d3 = _read(report.parent / document_page_name(D3))
    assert "基本支出占50.81%&lt;script&gt;alert(1)&lt;/script&gt;。" in d3  # the sentence
    assert "表格无法读取 &lt;script&gt;" in d3  # the ingest issue
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in d3.split("预算构成")[1]  # the cell, in a chart


def test_amounts_exact_with_separators(report):
    d3 = _read(report.parent / document_page_name(D3))
    assert "12,345,678,901,234.5678" in d3  # a float would print …234.568
    assert "1,234,567,890,123,456.78" in d3  # chart tooltip, from DECIMAL(18, 2)
    assert format_amount(Decimal("1234567.8")) == "1,234,567.80"
    assert format_amount(Decimal("0.005")) == "0.005"
    assert format_amount(None) == "—"


def test_charts_are_inline_svg(report):
    d1 = _read(report.parent / document_page_name(D1))
    charts = d1.split("预算构成")[1]
    assert charts.count("<svg") == 4  # function class, economic class, basic vs project, year over year
    assert "201 一般公共服务支出" in charts and "208 社会保障和就业支出" in charts
    assert "301 工资福利支出" in charts and "302 商品和服务支出" in charts
    assert "基本支出" in charts and "项目支出" in charts
    assert "2024年" in charts and "2025年" in charts
    d3 = _read(report.parent / document_page_name(D3))
    assert d3.split("预算构成")[1].count("<svg") == 3  # one year of that department only
    for page in report.parent.glob("*.html"):
        text = _read(page)
        assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def screenshot(url: str, tmp_path: Path, name: str) -> tuple[Path, list[str]]:
    """A headless Chromium screenshot of a page, and the console errors it logged."""
    png = tmp_path / f"{name}.png"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}",
         "--window-size=1200,1800", f"--screenshot={png}", "--enable-logging=stderr", "--v=0",
         url],
        capture_output=True, text=True, timeout=120,
    )
    assert png.is_file() and png.stat().st_size > 10_000, result.stderr[-2000:]
    return png, [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
@pytest.mark.parametrize("page", ["index.html", document_page_name(D1), document_page_name(D3)])
def test_renders_in_headless_chromium(report, tmp_path, page):
    _, console = screenshot((report.parent / page).as_uri(), tmp_path, page)
    assert not console, console


def test_the_sentence_quoted_is_the_one_of_the_finding(report):
    """Each finding quotes the sentence of its own figure (v_finding_cell), never merely the first on the page."""
    d3 = re.sub(r"<[^>]+>", "", _read(report.parent / document_page_name(D3)))
    assert "文中说基本支出的占比50.81%，表格中没有唯一可与之对照的数字。“基本支出占50.81%" in d3
    d1 = re.sub(r"<[^>]+>", "", _read(report.parent / document_page_name(D1)))
    consequence = d1.split("同一数字还使以下关系不成立（后果）（1）")[1].split("读取质量")[0]
    assert "“" not in consequence  # a table's own sum quotes no sentence


def test_stated_changes_are_shown_with_their_unit():
    from pipelines.wording import finding_text

    claim = {"figure": "narrative#7", "stated": "0.06%", "measure": "function:一般行政管理事务.change_pct"}
    pct = {"check_kind": "year_over_year_across_documents", "expected": "0.6000", "actual": "0.0600",
           "difference": "-0.5400", "tolerance": "0.0000", "place_key": "across|function:一般行政管理事务.change_pct|1"}
    assert finding_text(pct, [claim]) == "文中说一般行政管理事务的增减幅度0.06%；按文件的其他数字应为0.60%，相差0.54%。"
    amount = {**pct, "expected": "2915.2200", "actual": "2915.2300", "difference": "0.0100",
              "place_key": "across|function:行政运行.change|1"}
    assert finding_text(amount, [{**claim, "stated": "2915.23万元", "measure": "function:行政运行.change"}]) == \
        "文中说行政运行的增减额2,915.23万元；按文件的其他数字应为2,915.22万元，相差0.01万元。"
    direction = {**pct, "expected": "1.0000", "actual": "-1.0000", "difference": "-2.0000",
                 "place_key": "across|function:行政运行.change|1|direction"}
    assert finding_text(direction, [claim]) == "文中说行政运行的增减额比上年“减少”，但按上年和本年的数字是增加。"


def test_contradiction_names_its_figure_and_folds_its_consequences(report):
    page = _read(report.parent / document_page_name(D1))
    text = re.sub(r"<[^>]+>", "", page)
    section = text.split("矛盾：文件自身的数字互相矛盾（1）")[1].split("读取质量")[0]
    assert "被认为有误的数字：附表4-5 项目支出表 合计 [合计] 12,094,740.00元（shili_2024.pdf:p12）" in section
    assert "为何可信：the other 40 sums of 附表4-5 tie out exactly" in section
    # The consequence is shown under its contradiction, not counted as a second one.
    assert "同一数字还使以下关系不成立（后果）（1）" in section
    assert ("附表4-5 项目支出表 合计 [合计] 印出12,094,740.00元，同一行的合计"
            "为12,097,440.00元，相差2,700.00元。") in section
    assert re.search(r"<b class=\"error\">1</b><span>矛盾</span>", page)


def test_reading_doubt_is_not_an_error_of_the_document(report):
    page = _read(report.parent / document_page_name(D2))
    text = re.sub(r"<[^>]+>", "", page)
    assert "矛盾：" not in text  # D2 has no contradiction
    section = text.split("读数存疑：我们没有把握读对的表格或数字（1）")[1]
    assert "这些不是文件的错误" in section and "sums fail in 3 unrelated places" in section
    assert "因此未判定的关系（1）" in section and "印出12.00元，各组成部分相加为10.00元，相差2.00元" in section
    assert re.search(r"<b class=\"error\">0</b><span>矛盾</span>", page)


def test_reading_quality_on_document_page_and_index(report):
    d2 = re.sub(r"<[^>]+>", "", _read(report.parent / document_page_name(D2)))
    assert "读取评价需复核" in d2 and "读到的表格7 / 目录列出 8" in d2 and "未读到的表格政府采购预算表" in d2
    d1 = re.sub(r"<[^>]+>", "", _read(report.parent / document_page_name(D1)))
    assert "表内加总成立97.5%（共40个表内加总）" in d1
    index = _read(report)
    row = index[index.index(document_page_name(D3)):].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    # after 年度 类型 范围: 矛盾, 读数存疑, 警告, 新发现, 读取问题, 读取评价, 勾稽通过
    assert cells[3:] == ["1", "0", "0", "1", "1", "较差", "50.0%"], cells
    d3 = re.sub(r"<[^>]+>", "", _read(report.parent / document_page_name(D3)))
    assert "无法核对的说法：表格中没有可对照的数字（1）" in d3


def test_a_document_with_tables_unread_is_said_so_never_clean(report):
    """D2's 政府采购预算表, which its own list names, was not read: its page says 未能读全 and what is missing, and the
    front page lists it under 未能读全; D1, read whole, is not listed."""
    d2 = re.sub(r"<[^>]+>", "", _read(report.parent / document_page_name(D2)))
    assert "未能读全：未读到政府采购预算表" in d2 and "所有检查均通过" not in d2
    index = re.sub(r"<[^>]+>", "", _read(report))
    listed = index[index.index("未能读全的文档（1）"):]
    assert "示例市财政局 2025年 预算（部门）：未读到政府采购预算表" in listed
    assert "示例市财政局 2024年" not in listed.split("文档部门")[0]


def test_budget_findings_names_the_documents_not_read_whole(warehouse):
    from pipelines.review_commands import unread_documents

    assert [(d["document_id"], d["unread"]) for d in unread_documents(warehouse)] == [(D2, "未读到政府采购预算表")]
    assert unread_documents(warehouse, "bbbb") == []


def test_every_count_shown_agrees_with_the_findings_beside_it(report, warehouse):
    """Each card of a document page counts the findings its section lists, and both agree with v_check_result."""
    for document_id in (D1, D2, D3):
        page = _read(report.parent / document_page_name(document_id))
        cards = dict((label, int(n)) for n, label in re.findall(r'<b(?: class="\w+")?>(\d+)</b><span>([^<（]+)', page))
        roles = dict(warehouse.execute("""select finding_role, count(*) from v_check_result
                                          where document_id = ? and finding_role is not null group by 1""",
                                       [document_id]).fetchall())
        relations, held = warehouse.execute("""select count(*), count(*) filter (where status = 'pass')
                                               from v_check_result where document_id = ?
                                                 and check_kind <> 'reading_doubt'""", [document_id]).fetchone()
        assert cards["矛盾"] == roles.get("contradiction", 0) and cards["读数存疑"] == roles.get("reading_doubt", 0)
        assert cards["警告"] == roles.get("warning", 0) and cards["无法核对"] == roles.get("unverifiable", 0)
        assert cards["成立的关系"] == held and f"成立的关系（共{relations}个）" in page
        assert f"展开全部{relations}个检查过的关系" in page
        for title, role in (("矛盾：文件自身的数字互相矛盾", "contradiction"), ("读数存疑：我们没有把握读对的表格或数字",
                                                                       "reading_doubt")):
            if roles.get(role):
                assert f"{title}（{roles[role]}）" in page
    index = _read(report)
    cards = dict((label, int(n)) for n, label in re.findall(r'<b(?: class="\w+")?>(\d+)</b><span>([^<]+)', index))
    total = warehouse.execute("select count(*) from v_check_result where finding_role = 'contradiction'").fetchone()[0]
    table = index.split("<h2>文档</h2>")[1].split("</table>")[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr><td><a .*?</tr>", table)]
    assert len(rows) == 3 and cards["文档"] == 3
    assert cards["矛盾"] == total == sum(int(cells[4]) for cells in rows)  # 部门 年度 类型 范围 矛盾 …
