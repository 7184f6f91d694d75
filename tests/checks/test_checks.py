"""The check models and their GX validation on the seed, and single-figure mutations of it."""
from __future__ import annotations

import hashlib
import re
import shutil
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.checks.results import FINDING_ID_SQL, RESULT_COLUMNS, DataDocs, build_data_docs, check_files
from pipelines.checks.suites import excess_units
from pipelines.wording import finding_text
from tests.conftest import run_pipeline

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "data" / "raw" / "000_7846cf6649494c8d.txt"
RUN_AT = datetime(2024, 1, 1, tzinfo=timezone.utc)
D = Decimal


def build_and_check(raw_dir: Path, warehouse_dir: Path) -> pd.DataFrame:
    """Run the whole pipeline on the raw folder and return the findings it published."""
    con = duckdb.connect(str(run_pipeline(raw_dir, warehouse_dir)), read_only=True)
    try:
        cursor = con.execute("select * from v_check_result")
        return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)
    finally:
        con.close()


def mutated(tmp_path_factory, old: str, new: str) -> pd.DataFrame:
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the seed"
    raw = tmp_path_factory.mktemp("raw")
    (raw / SEED.name).write_text(text.replace(old, new), encoding="utf-8")
    return build_and_check(raw, tmp_path_factory.mktemp("wh"))


@pytest.fixture(scope="module")
def seed_results(tmp_path_factory) -> pd.DataFrame:
    raw = tmp_path_factory.mktemp("seed_raw")
    shutil.copy(SEED, raw / SEED.name)
    return build_and_check(raw, tmp_path_factory.mktemp("seed_wh"))


def failing(results: pd.DataFrame, severity: str | None = None) -> pd.DataFrame:
    rows = results[results["status"] == "fail"]
    return rows if severity is None else rows[rows["severity"] == severity]


def one(results: pd.DataFrame, check_kind: str, place_key_part: str) -> pd.Series:
    rows = results[(results["check_kind"] == check_kind) & results["description"].notna()]
    rows = rows[[place_key_part in d or place_key_part in f for d, f in zip(rows["description"], rows["finding_id"])]]
    assert len(rows) == 1, rows[["check_kind", "description"]].to_string()
    return rows.iloc[0]


def new_failures(seed: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    before = set(failing(seed)["finding_id"])
    return failing(results)[lambda r: ~r["finding_id"].isin(before)]


# ----------------------------------------------------------------------------------- unit

def test_excess_units_is_exact():
    assert excess_units("0.0100", "0.0000") == 100
    assert excess_units("-0.0050", "0.0050") == 0
    assert excess_units(None, "0") is None


def test_finding_id_is_the_sha1_of_document_kind_and_place():
    """The id depends on nothing but where the finding is, so a run finds the previous run's."""
    rows = [("d1", "balance", "附表4-4|收入总计"), ("d1", "balance", "附表4-4|支出总计"), ("d2", "balance", None)]
    ids = duckdb.sql(
        f"select {FINDING_ID_SQL} from (values " + ", ".join("(?, ?, ?)" for _ in rows) + ")"
        " as t(document_id, check_kind, place_key)", params=[v for row in rows for v in row],
    ).fetchall()
    expected = [hashlib.sha1(f"{d}|{k}|{p or ''}".encode()).hexdigest()[:16] for d, k, p in rows]
    assert [i for (i,) in ids] == expected
    assert len(set(expected)) == 3


def test_every_check_kind_has_a_model():
    _, kinds = check_files()
    assert {p.stem for p in kinds} == {
        "row_arithmetic", "hierarchy", "balance", "cross_table", "cross_classification", "narrative_vs_table",
        "shares", "year_over_year", "counts", "procurement", "purchase_of_services", "performance_targets_twice",
        "year_over_year_across_documents",
    }


# ----------------------------------------------------------------------------------- seed

def test_result_frame_shape(seed_results):
    # the check's own columns, then the analysts' review of it
    assert list(seed_results.columns) == [*RESULT_COLUMNS, "review_verdict", "review_note", "reviewed_by",
                                          "reviewed_at", "review_status"]
    assert seed_results["review_status"].isna().all()  # nothing reviewed
    assert seed_results["finding_id"].is_unique
    assert set(seed_results["status"]) <= {"pass", "fail", "doubt", "unverified"}
    assert set(seed_results["severity"]) <= {"error", "warning"}
    for column in ("expected", "actual", "difference", "tolerance"):
        assert all(v is None or isinstance(v, Decimal) for v in seed_results[column])
    # One document: nothing to compare across documents.
    assert set(seed_results["check_kind"]) == {
        "row_arithmetic", "hierarchy", "balance", "cross_table", "cross_classification", "narrative_vs_table",
        "shares", "year_over_year", "counts", "procurement", "purchase_of_services", "performance_targets_twice",
    }


def test_seed_error_findings_are_the_real_contradictions(seed_results):
    errors = failing(seed_results, "error")
    got = sorted((r.check_kind, r.expected, r.actual) for r in errors.itertuples())
    assert got == sorted([
        # 项目支出 1209.74万元 (第三部分 三) vs 支出总表 项目支出 12,094,740.00元 = 1209.47万元
        ("narrative_vs_table", D("1209.4700"), D("1209.7400")),
        # 科学技术研究与开发资金 1009.40万元 vs 项目支出表 9,800,000.00元 = 980.00万元
        ("narrative_vs_table", D("980.0000"), D("1009.4000")),
        # the same project's 绩效 form: 资金总额 / 当年资金总额 / 财政拨款 1009.40万元 vs 980.00万元
        ("performance_targets_twice", D("980.0000"), D("1009.4000")),
        ("performance_targets_twice", D("980.0000"), D("1009.4000")),
        ("performance_targets_twice", D("980.0000"), D("1009.4000")),
    ])
    project = errors[errors["description"].str.contains("expenditure.project 1209.74")].iloc[0]
    assert project["difference"] == D("0.2700") and project["tolerance"] == D("0.0000")


def test_seed_ties_out_everywhere_else(seed_results):
    for kind in ("row_arithmetic", "hierarchy", "balance", "cross_table", "counts", "procurement",
                 "purchase_of_services"):
        rows = seed_results[seed_results["check_kind"] == kind]
        assert len(rows) > 0 and (rows["status"] == "pass").all(), kind
    # 元 tables printed to the cent tie exactly
    assert (seed_results[seed_results["check_kind"].isin(["row_arithmetic", "hierarchy", "balance"])]["tolerance"]
            == D("0")).all()


def test_seed_narrative_figures(seed_results):
    basic = one(seed_results, "shares", "文字说明 expenditure.basic.share 43.12%")
    # 9,167,874.31 / 21,262,614.31 = 43.1179…%: 43.12 rounded half-up, 43.11 cut; either is accepted
    assert (basic["status"], basic["expected"], basic["actual"]) == ("pass", D("43.1150"), D("43.1200"))
    change = one(seed_results, "year_over_year", "文字说明 total_budget.change 减少780.01")
    # 2906.27 − 2126.26 (table 21,262,614.31元, prior ± 50元) → 780.00 … 780.01
    assert (change["status"], change["expected"], change["tolerance"]) == ("pass", D("780.0050"), D("0.0050"))
    pct = one(seed_results, "year_over_year", "文字说明 total_budget.change_pct 下降26.84")
    # 780.01 / 2906.27 = 26.8392…%: 26.84 rounded half-up, 26.83 cut
    assert (pct["status"], pct["expected"], pct["tolerance"]) == ("pass", D("26.8350"), D("0.0050"))
    # the mission's example checked by its own sentence, no prior-year source needed: 780.01 / (2126.26 + 780.01)
    same = one(seed_results, "year_over_year", "下降26.84% vs 同句 本年 2126.26万元 与增减额 780.01万元 → 上年 2906.27万元")
    assert (same["status"], same["expected"], same["tolerance"]) == ("pass", D("26.8350"), D("0.0050"))
    personnel = one(seed_results, "narrative_vs_table", "文字说明 personnel 865.61")
    # 8,656,092.95元 = 865.609295万元: 865.61 rounded, 865.60 cut
    assert (personnel["status"], personnel["expected"]) == ("pass", D("865.6050"))


def test_seed_warnings(seed_results):
    warnings = failing(seed_results, "warning")
    assert warnings["expected"].notna().all()  # a claim with nothing to compare is unverified, not failed
    unverifiable = seed_results[seed_results["status"] == "unverified"]
    assert set(unverifiable["finding_role"]) == {"unverifiable"} and unverifiable["expected"].isna().all()
    assert len(unverifiable) > 0 and unverifiable["description"].str.contains("unverifiable").all()
    assert "减少5.00万元" in " ".join(unverifiable["description"])  # 三公 change: no 2021 三公 figure printed
    medical = one(seed_results, "cross_classification", "30110+30111")
    assert (medical["status"], medical["expected"], medical["actual"]) == ("fail", D("844190.1200"), D("687241.0400"))
    pension = one(seed_results, "cross_classification", "30108")
    assert pension["status"] == "pass"


def test_data_docs(seed_results, tmp_path):
    docs = DataDocs(tmp_path / "docs")
    index = build_data_docs(seed_results, tmp_path / "docs", prepared=docs)
    assert index.exists() and index.name == "index.html"
    # a kind's suite fails exactly where an error finding did not pass or a warning was neither pass nor unverified
    for kind, rows in seed_results.groupby("check_kind"):
        errors, warnings = rows[rows["severity"] == "error"], rows[rows["severity"] == "warning"]
        assert docs.passed[kind] == ((errors["status"] == "pass").all()
                                     and warnings["status"].isin(["pass", "unverified"]).all()), kind
    assert docs.passed["narrative_vs_table"] is False and docs.passed["cross_classification"] is False
    assert docs.passed["row_arithmetic"] is True


def _site(out: Path) -> dict[str, str]:
    """Every page of a Data Docs site, GX's run stamps, ids and times masked."""
    def masked(text: str) -> str:
        text = re.sub(r"\d{8}T\d{6}\.\d+Z", "<run>", text)
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", text)
        text = re.sub(r"'_run_time_sort': [\d.]+", "<sort>", text)
        return re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)?", "<time>", text)
    return {masked(p.relative_to(out).as_posix()): masked(p.read_text(encoding="utf-8")) for p in out.rglob("*.html")}


def test_data_docs_prepared_kind_by_kind_are_the_site_built_at_once(seed_results, tmp_path):
    """The GX process makes a kind's suite as soon as it has validated its rows (DataDocs.prepare), in the
    order the kinds come; a kind prepared without results (never in a run) is not left in the site."""
    kinds = sorted(seed_results["check_kind"].unique())
    assert len(kinds) > 3
    at_once = _site(build_data_docs(seed_results, tmp_path / "at_once").parents[4])
    prepared = DataDocs(tmp_path / "prepared")
    prepared.prepare(reversed(kinds[1:]))
    assert _site(build_data_docs(seed_results, tmp_path / "prepared", prepared=prepared).parents[4]) == at_once
    in_vain = DataDocs(tmp_path / "in_vain")
    in_vain.prepare([*kinds, "no_such_kind"])
    assert _site(build_data_docs(seed_results, tmp_path / "in_vain", prepared=in_vain).parents[4]) == at_once
    assert any("no_such_kind" in page for page in _site(in_vain.out_dir).values()) is False
    assert sum("_findings" in name for name in at_once) >= len(kinds)


def test_data_docs_into_a_relative_folder(seed_results, tmp_path, monkeypatch):
    """`make run` writes into data/warehouse, relative to the working directory."""
    monkeypatch.chdir(tmp_path)
    index = build_data_docs(seed_results, Path("data") / "docs")
    assert (tmp_path / index).exists()


def test_results_load_into_duckdb(seed_results):
    con = duckdb.connect()
    con.register("frame", seed_results)
    con.execute("create table check_result as select * from frame")
    types = dict(con.execute("select column_name, data_type from information_schema.columns "
                             "where table_name = 'check_result'").fetchall())
    assert "DOUBLE" not in types["expected"] and "FLOAT" not in types["expected"]


# ----------------------------------------------------------------------------------- mutations

MUTATIONS = {
    # 4-6 30216 培训费 公用经费 11,112.84 → 11,112.94: row 合计 ≠ 人员 + 公用, and 302 ≠ Σ款
    # (a 4-3 row that does not add up is dropped by the text reader, so the mutation is made in 4-6)
    "row_arithmetic": (
        "　30216 　培训费 11,112.84 0.00 11,112.84",
        "　30216 　培训费 11,112.84 0.00 11,112.94",
        ("row_arithmetic", "一般公共预算基本支出表 30216", D("11112.9400"), D("11112.8400")),
        {"row_arithmetic", "hierarchy"},
    ),
    # 4-5 20602 人员经费 970,706.34 → 970,706.44 (row 小计 still 1,018,946.34)
    "hierarchy": (
        "　20602 　基础研究 1,018,946.34 1,018,946.34 970,706.34",
        "　20602 　基础研究 1,018,946.34 1,018,946.34 970,716.34",
        ("hierarchy", "一般公共预算支出表 206 科学技术支出 [基本支出/人员经费]", D("3905958.3500"), D("3905948.3500")),
        {"row_arithmetic", "hierarchy"},
    ),
    "balance": (
        "本年收入合计 21,262,614.31 本年支出合计 21,262,614.31",
        "本年收入合计 21,262,614.31 本年支出合计 21,262,615.31",
        ("balance", "收支总表: 本年支出合计 = Σ", D("21262614.3100"), D("21262615.3100")),
        {"balance"},
    ),
    # 4-6 合计 row 公用经费 511,781.36 → 511,781.37
    "cross_table": (
        "合计 9,167,874.31 8,656,092.95 511,781.36",
        "合计 9,167,874.31 8,656,092.95 511,781.37",
        ("cross_table", "公用经费 vs 一般公共预算基本支出表 公用经费", D("511781.3600"), D("511781.3700")),
        {"cross_table", "row_arithmetic", "hierarchy"},
    ),
    "narrative_vs_table": (
        "人员经费 865.61 万元",
        "人员经费 865.71 万元",
        ("narrative_vs_table", "personnel 865.71", D("865.6050"), D("865.7100")),
        {"narrative_vs_table"},
    ),
    "shares": (
        "万元，占 43.12%",
        "万元，占 43.13%",
        ("shares", "expenditure.basic.share 43.13%", D("43.1150"), D("43.1300")),
        {"shares"},
    ),
    # the mission's example: 780.01 / 2906.27 = 26.839…%, printed 26.84; a misprinted 26.48 is one contradiction
    "stated_rate": (
        "\n780.01 万元，下降 26.84%",
        "\n780.01 万元，下降 26.48%",
        ("year_over_year", "total_budget.change_pct 下降26.48%", D("26.8350"), D("26.4800")),
        {"year_over_year"},
    ),
    # the same figures in the 一般公共预算 sentence, judged by its own amounts: 2126.26 now, 780.01 less → 2906.27
    "stated_rate_in_its_sentence": (
        "算减少 780.01 万元，下降 26.84%",
        "算减少 780.01 万元，下降 26.48%",
        ("year_over_year", "下降26.48% vs 同句 本年 2126.26万元 与增减额 780.01万元", D("26.8350"), D("26.4800")),
        {"year_over_year"},
    ),
    "direction_word": (
        "2126.26 万元。比 2021 年预算减少",
        "2126.26 万元。比 2021 年预算增加",
        ("year_over_year", "total_budget.change 增减方向", D("-1.0000"), D("1.0000")),
        {"year_over_year"},
    ),
    # prior-year 基本支出 761.76 → 761.86: |916.79 − 761.86| = 154.93, stated 155.03
    "prior_year": (
        "基本支出 916.79 43.12% 761.76 855.94",
        "基本支出 916.79 43.12% 761.86 855.94",
        ("year_over_year", "文字说明 expenditure.basic.change 增加155.03", D("154.9250"), D("155.0300")),
        {"year_over_year"},
    ),
    "counts": (
        "行政编制 14 人，事业编制 23 人",
        "行政编制 15 人，事业编制 23 人",
        ("counts", "headcount.authorized_total", D("38.0000"), D("37.0000")),
        {"counts"},
    ),
    # 60 × 216 = 12,960 ≠ 12,900 (tolerance 0.5 + 60 × 0.5 = 30.5)
    "procurement": (
        "60 215 0 12900 0 12900",
        "60 216 0 12900 0 12900",
        ("procurement", "数量 × 单价 = 金额 (60.00 × 216.00)", D("12960.0000"), D("12900.0000")),
        {"procurement"},
    ),
    "purchase_of_services": (
        "政府购买服务预算支出合计 67.79 万元",
        "政府购买服务预算支出合计 67.80 万元",
        # the table's 677,860.00元 is 67.786万元: 67.79 rounded, 67.78 cut, either way not 67.80
        ("purchase_of_services", "purchase_of_services.total 67.80", D("67.7850"), D("67.8000")),
        {"purchase_of_services"},
    ),
    "performance_targets_twice": (
        "资金总额 18 万元 当年资金总额： 18 万元",
        "资金总额 19 万元 当年资金总额： 18 万元",
        ("performance_targets_twice", "维稳经费 funds_total 19.00万元 vs 附表4-9", D("18.0000"), D("19.0000")),
        {"performance_targets_twice"},
    ),
}


# The cell a mutation changed, as the contradiction names it, where it breaks several relations.
CULPRITS = {
    "row_arithmetic": "附表4-6 青山区科学技术和经济信息化局一般公共预算基本支出表 30216 培训费 [公用经费] 11112.94元",
    "hierarchy": "附表4-5 青山区科学技术和经济信息化局一般公共预算支出表 20602 基础研究 [基本支出/人员经费] 970716.34元",
    "balance": "附表4-1 青山区科学技术和经济信息化局收支总表 本年支出合计 [支出/预算数] 21262615.31元",
    "cross_table": "附表4-6 青山区科学技术和经济信息化局一般公共预算基本支出表 合计 [公用经费] 511781.37元",
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_is_found(name, seed_results, tmp_path_factory):
    old, new, (kind, where, expected, actual), allowed_kinds = MUTATIONS[name]
    results = mutated(tmp_path_factory, old, new)
    fresh = new_failures(seed_results, results)
    assert set(fresh["check_kind"]) <= allowed_kinds, fresh[["check_kind", "description"]].to_string()
    hit = fresh[(fresh["check_kind"] == kind) & fresh["description"].str.contains(where, regex=False)]
    assert len(hit) == 1, fresh[["check_kind", "description", "expected", "actual"]].to_string()
    row = hit.iloc[0]
    assert (row["severity"], row["expected"], row["actual"]) == ("error", expected, actual)
    # one wrong figure is one contradiction: every other relation it breaks is folded in as its consequence
    (lead,) = fresh[fresh["finding_role"] == "contradiction"].itertuples()
    errors = fresh[fresh["severity"] == "error"]
    assert set(errors["finding_role"]) <= {"contradiction", "consequence"}
    assert set(errors["group_id"]) == {lead.finding_id} and row["finding_id"] in set(errors["finding_id"])
    if name in CULPRITS:
        assert lead.culprit.startswith(CULPRITS[name]), lead.culprit
    # the seed's own contradictions are still reported
    assert len(failing(results, "error")) >= len(failing(seed_results, "error"))


# ----------------------------------------------------------------------------------- reruns

def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_rerun_knows_new_still_open_and_resolved_findings(tmp_path):
    raw, warehouse_dir = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (raw / SEED.name).write_text(text, encoding="utf-8")
    first = set(_rows(run_pipeline(raw, warehouse_dir), "select finding_id, status from check_result"))

    # The department corrects 第三部分's 项目支出 to the table's 1209.47万元 and republishes.
    assert text.count("项目支出 1209.74 万元") == 1
    (raw / SEED.name).write_text(text.replace("项目支出 1209.74 万元", "项目支出 1209.47 万元"), encoding="utf-8")
    warehouse = run_pipeline(raw, warehouse_dir)
    assert set(_rows(warehouse, "select finding_id, status from previous_check_result")) == first
    changes = _rows(warehouse, "select change, check_kind, description from v_finding_change where severity = 'error'")
    resolved = [c for c in changes if c[0] == "resolved"]
    assert len(resolved) == 1 and "expenditure.project 1209.74" in resolved[0][2], changes
    still_open = {(kind, description) for change, kind, description in changes if change == "still_open"}
    assert any(kind == "narrative_vs_table" and "1009.4" in d for kind, d in still_open), changes
    assert not [c for c in changes if c[0] == "new"], changes

    # A published warehouse that cannot be read: no previous findings, every failure is new, the build goes on.
    (warehouse_dir / "budget.duckdb").write_bytes(b"not a DuckDB file")
    warehouse = run_pipeline(raw, warehouse_dir)
    assert _rows(warehouse, "select count(*) from previous_check_result") == [(0,)]
    assert {c for (c,) in _rows(warehouse, "select distinct change from v_finding_change")} == {"new"}


# ----------------------------------------------------------------------------------- functional items

FUNCTION_CLAIMS = [
    # the seed prints 2060101 行政运行 = 3,282,383.37元 (328.24万元) and 20604 技术研究与开发 = 10,094,000.00元
    ("function:科学技术支出(类)科学技术管理事务(款)行政运行(项)", D("328.24")),
    ("function:科学技术管理事务/行政运行", D("328.25")),
    ("function:技术研究与开发", D("1009.40")),
    ("function:不存在的科目", D("1.00")),
]


def test_functional_items_of_the_narrative_are_checked_against_their_subject_line(seed_warehouse, tmp_path):
    """Claims are inserted into a copy of the seed warehouse (the seed states no amount per subject) and the
    checks rerun there: a claim is compared with its subject's line, found by the last levels of its path."""
    from pipelines.checks.record import record_checks

    path = tmp_path / "budget.duckdb"
    shutil.copy(seed_warehouse, path)
    with duckdb.connect(str(path)) as con:
        (document_id,) = con.execute("select document_id from dim_document").fetchone()
        con.executemany(
            "insert into fact_narrative_figure (document_id, figure_no, measure, stated_value, stated_decimals, "
            "stated_unit, sentence, source_ref) values (?, ?, ?, ?, 2, '万元', 'inserted by the test', 'test')",
            [[document_id, 9000 + i, measure, value] for i, (measure, value) in enumerate(FUNCTION_CLAIMS)])
        con.execute("drop table check_result")
        con.execute("drop table previous_check_result")
        record_checks(con, tmp_path / "none.duckdb", RUN_AT)
        rows = con.execute("""
            select split_part(description, ' ', 2), status, severity, expected, actual, description
            from v_check_result where check_kind = 'narrative_vs_table' and description like '%function:%'
            order by description""").fetchall()
        cursor = con.execute("""
            select * from v_check_result where check_kind = 'narrative_vs_table' and status = 'fail'
              and description like '%function:科学技术管理事务/行政运行 %'""")
        failing = dict(zip([c[0] for c in cursor.description], cursor.fetchone()))
        cursor = con.execute("select * from v_finding_cell where finding_id = ? order by figure_no",
                             [failing["finding_id"]])
        figures = [dict(zip([c[0] for c in cursor.description], row)) for row in cursor.fetchall()]
    got = {measure: (status, severity, expected, actual) for measure, status, severity, expected, actual, _ in rows}
    assert got == {
        # 3,282,383.37元 = 328.238337万元: 328.24 rounded, 328.23 cut
        "function:科学技术支出(类)科学技术管理事务(款)行政运行(项)": ("pass", "error", D("328.2350"), D("328.2400")),
        "function:科学技术管理事务/行政运行": ("fail", "error", D("328.2350"), D("328.2500")),
        "function:技术研究与开发": ("pass", "error", D("1009.4000"), D("1009.4000")),
        "function:不存在的科目": ("unverified", "warning", None, D("1.0000")),
    }
    failed = next(d for m, s, *_, d in rows if m == "function:科学技术管理事务/行政运行")
    assert "支出总表 2060101 行政运行 3282383.37元" in failed
    assert finding_text(failing, figures) == (
        "文中说科学技术管理事务/行政运行328.25万元；按附表4-3 青山区科学技术和经济信息化局支出总表 2060101 行政运行 "
        "[合计] 3,282,383.37元，按文中的精度应为328.23～328.24万元，相差0.01万元。")
