"""The checks' place in a warehouse build: run them on the finished schema, store the findings
beside the previous run's, so each finding is known as new, still open or resolved."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ..warehouse.build import create_model
from ..warehouse.sql_models import load_models
from .adjudicate import learn_rounding
from .results import RESULT_COLUMNS, collect_check_rows, failed_row_ids, store_findings


def copy_previous_findings(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    """``previous_check_result``: the findings of the warehouse now published, copied file to file
    (empty when there is none, or it cannot be read: every finding is then new)."""
    columns = ", ".join(f'"{c}"' for c in RESULT_COLUMNS)
    con.execute("CREATE TABLE previous_check_result (" + ", ".join(f'"{c}" VARCHAR' for c in RESULT_COLUMNS) + ")")
    if not published.exists():
        return
    try:
        con.execute("ATTACH ? AS published (READ_ONLY)", [str(published)])
    except duckdb.Error:
        return
    try:
        con.execute(f"INSERT INTO previous_check_result SELECT {columns} FROM published.check_result")
    except duckdb.Error:
        pass
    finally:
        con.execute("DETACH published")


def judge_checks(con: duckdb.DuckDBPyConnection, run_at: datetime) -> None:
    """Run every check on the schema in ``con`` and store the judged findings (``check_result``,
    ``check_figure``); the temporary tables it works in are dropped after."""
    collect_check_rows(con)
    learn_rounding(con)
    store_findings(con, failed_row_ids(con), run_at)
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall():
        con.execute(f'DROP TABLE temp.main."{name}"')


def create_result_models(con: duckdb.DuckDBPyConnection) -> None:
    for model in load_models(layers=("checks_results",)):
        create_model(con, model)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def record_checks(con: duckdb.DuckDBPyConnection, published: Path, run_at: datetime | None = None) -> None:
    """Run the checks on the schema being built in ``con``; ``published`` is the warehouse file it replaces."""
    copy_previous_findings(con, published)
    judge_checks(con, run_at or now())
    create_result_models(con)
