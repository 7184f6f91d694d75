"""The pipeline as a whole: graph, idempotence, atomic publication, read-only queries."""
import os
import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.warehouse.build import WAREHOUSE_FILE, build_warehouse
from pipelines.warehouse.sql_models import load_models, tables_read
from tests.conftest import run_pipeline

README = Path(__file__).resolve().parents[2] / "README.md"
CONTRACT_VIEWS = {
    "v_budget_line": {"document_id", "department", "year", "table_kind", "unit_code", "unit_name", "subject_code",
                      "subject_name", "economic_class_code", "economic_class_name", "project_code", "project_name",
                      "fund_source", "expense_type", "amount", "row_role", "source_ref"},
    "v_narrative_claim": {"document_id", "measure", "stated_value", "stated_unit", "sentence", "source_ref"},
    "dim_document": {"document_id", "department", "year", "kind", "scope", "source_files"},
}


def test_definitions_load_and_graph_follows_the_sql():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    models = {m.name: m for m in load_models()}
    assert {"raw_documents", "raw_tables", "narrative_figures", "performance_targets", "budget_lines",
            "ingest_issues"} <= keys
    assert set(models) <= keys
    # Every model's upstream assets are exactly the tables its SQL reads.
    def parents(name: str) -> set[str]:
        return {p.to_user_string() for p in graph.get(dg.AssetKey(name)).parent_keys}

    assert parents("v_budget_line") == {"fact_budget_line", "dim_document", "dim_unit", "dim_subject",
                                        "dim_economic_class"}
    assert parents("stg_budget_lines") == {"budget_lines", "stg_files"}
    assert defs.resolve_job_def("extract_job") is not None and defs.resolve_job_def("warehouse_job") is not None


def test_tables_read_ignores_ctes():
    assert tables_read("with a as (select * from x) select * from a join y using (k)") == {"x", "y"}


def test_contract_columns_and_comments(seed_db):
    for view, needed in CONTRACT_VIEWS.items():
        columns = {r[0] for r in seed_db.execute(f"describe {view}").fetchall()}
        assert needed <= columns, f"{view} lacks {needed - columns}"
    comments = seed_db.execute("""select count(*) from duckdb_columns()
                                  where table_name = 'fact_budget_line' and comment is not null""").fetchone()[0]
    assert comments >= 5
    (table_comment,) = seed_db.execute(
        "select comment from duckdb_tables() where table_name = 'fact_budget_line'").fetchone()
    assert "预算明细" in table_comment and "Budget line" in table_comment


def _snapshot(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall()))
                for t in ("fact_budget_line", "fact_narrative_figure", "dim_document", "dim_subject",
                          "fact_table_cell", "fact_performance_target")}
    finally:
        con.close()


def test_running_twice_gives_an_identical_warehouse(seed_raw_dir, seed_warehouse, tmp_path):
    first = _snapshot(seed_warehouse)
    second = _snapshot(run_pipeline(seed_raw_dir, tmp_path / "again"))
    assert first == second
    assert len(first["fact_budget_line"]) == len(set(first["fact_budget_line"]))


def test_failed_build_leaves_previous_warehouse(seed_warehouse, tmp_path):
    target = tmp_path / "wh"
    shutil.copytree(seed_warehouse.parent, target, ignore=shutil.ignore_patterns("reports"))
    reader = duckdb.connect(str(target / WAREHOUSE_FILE), read_only=True)
    before = reader.execute("select count(*) from fact_budget_line").fetchone()[0]

    # Sources missing their columns: the build fails half-way through the models.
    with pytest.raises(duckdb.Error):
        build_warehouse(target, {"raw_budget_lines": pd.DataFrame({"x": ["1"]})}, load_models())
    # The analyst's open connection and the file on disk are untouched; no build leftovers remain.
    assert reader.execute("select count(*) from fact_budget_line").fetchone()[0] == before
    reader.close()
    again = duckdb.connect(str(target / WAREHOUSE_FILE), read_only=True)
    assert again.execute("select count(*) from fact_budget_line").fetchone()[0] == before
    again.close()
    assert not [p for p in os.listdir(target) if p.endswith(".building")]


def test_budget_sql_is_read_only_and_formats(seed_warehouse, capsys):
    from pipelines.cli import main

    wh = str(seed_warehouse.parent)
    assert main(["sql", "select count(*) as n from dim_document", "--warehouse", wh, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "1"]
    assert main(["sql", "select department from dim_document", "--warehouse", wh, "--format", "json"]) == 0
    assert "武汉市青山区科学技术和经济信息化局" in capsys.readouterr().out
    # a write is refused by the read-only connection: one line, exit status 2 (pipelines/usage.py)
    assert main(["sql", "delete from fact_budget_line", "--warehouse", wh]) == 2
    assert "SQL 出错" in (err := capsys.readouterr().err) and "read-only" in err


def test_budget_run_again_with_nothing_new_keeps_warehouse_and_report(seed_raw_dir, tmp_path, capsys):
    from pipelines.cli import main

    wh = tmp_path / "wh"
    args = ["run", "--raw", str(seed_raw_dir), "--warehouse", str(wh), "--workers", "1"]
    assert main(args) == 0
    built = (wh / "budget.duckdb").stat().st_mtime_ns
    capsys.readouterr()
    assert main(args) == 0
    assert "自上次运行以来没有新增或改动" in capsys.readouterr().err
    assert (wh / "budget.duckdb").stat().st_mtime_ns == built
    assert main([*args, "--strict"]) == 1  # the seed's genuine errors still count
    # A report older than the warehouse (a run killed after publishing) is written again.
    index = wh / "reports" / "index.html"
    os.utime(index, (0, 0))
    capsys.readouterr()
    assert main(args) == 0
    assert "没有新增或改动" not in capsys.readouterr().err and index.stat().st_mtime > 0
    assert main([*args, "--force"]) == 0
    assert (wh / "budget.duckdb").stat().st_mtime_ns != built


def _readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


def test_readme_analyst_queries_run(seed_db):
    queries = _readme_queries()
    assert len(queries) >= 3
    results = [seed_db.execute(q).fetchall() for q in queries]
    assert all(results)
