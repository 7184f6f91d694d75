"""The checks' place in a warehouse build: run them on the finished schema, store the findings
beside the previous run's, so each finding is known as new, still open or resolved."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from ..warehouse.build import WAREHOUSE_FILE, create_model
from ..warehouse.sql_models import load_models
from .results import NUMBER_COLUMNS, RESULT_COLUMNS, run_checks


def previous_findings(warehouse_dir: Path) -> pd.DataFrame:
    """The findings of the warehouse now published (empty when there is none)."""
    path = warehouse_dir / WAREHOUSE_FILE
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
    if not path.exists():
        return empty
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return empty
    try:
        cursor = con.execute("select * from check_result")
        return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)
    except duckdb.Error:
        return empty
    finally:
        con.close()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers and times as text, so DuckDB stores exactly what was computed (the views cast
    them); the other columns already hold text."""
    out = frame.copy()
    for column in (*NUMBER_COLUMNS, "run_at"):
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].astype(str).astype(object)
        else:
            out[column] = [None if v is None or v != v else str(v) for v in out[column]]
    return out


def record_checks(con: duckdb.DuckDBPyConnection, previous: pd.DataFrame, run_at: datetime | None = None) -> None:
    run_at = run_at or datetime.now(timezone.utc).replace(microsecond=0)
    results = run_checks(con, run_at)
    for name, frame in (("check_result", results), ("previous_check_result", previous)):
        frame = frame.reindex(columns=list(RESULT_COLUMNS))
        con.execute(f"CREATE TABLE {name} (" + ", ".join(f'"{c}" VARCHAR' for c in RESULT_COLUMNS) + ")")
        if len(frame):
            con.register("_findings", _as_text(frame))
            con.execute(f"INSERT INTO {name} SELECT * FROM _findings")
            con.unregister("_findings")
    for model in load_models(layers=("checks_results",)):
        create_model(con, model)
