"""Build the DuckDB warehouse into a new file and swap it in atomically.

Readers holding the old file open keep their snapshot (the old inode); a failed or killed build
leaves the previous ``budget.duckdb`` untouched, because nothing is written to it in place.
"""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from .sql_models import SqlModel

WAREHOUSE_FILE = "budget.duckdb"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_model(con: duckdb.DuckDBPyConnection, model: SqlModel) -> None:
    kind = model.materialization.upper()
    con.execute(f"CREATE OR REPLACE {kind} {model.name} AS {model.sql.rstrip().rstrip(';')}")
    target = "VIEW" if kind == "VIEW" else "TABLE"
    if model.description:
        con.execute(f"COMMENT ON {target} {model.name} IS {_quote(model.description)}")
    if model.column_docs:
        columns = {r[0] for r in con.execute(f"DESCRIBE {model.name}").fetchall()}
        for column, text in model.column_docs.items():
            if column in columns:
                con.execute(f"COMMENT ON COLUMN {model.name}.{column} IS {_quote(text)}")


def memory_limit() -> str:
    """DuckDB's memory while building (``BUDGET_DUCKDB_MEMORY``, default 500MB): past it, DuckDB spills to a
    temporary folder beside the file instead of growing with the corpus (its own default is 80 % of RAM).
    It is DuckDB's share of the build process's 1 GiB: the Python beside it (Great Expectations alone is
    ~150 MB once imported, the judged batch's rows and verdicts) takes ~300-450 MB, and DuckDB keeps up to
    the limit of the published file's pages cached."""
    return os.environ.get("BUDGET_DUCKDB_MEMORY", "500MB")


def build_warehouse(
    warehouse_dir: Path,
    sources: Mapping[str, pd.DataFrame] | Callable[[duckdb.DuckDBPyConnection], None],
    models: Iterable[SqlModel],
    on_model: Callable[[SqlModel, int], None] | None = None,
    after_models: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> Path:
    """Load the sources (frames, or a loader given the connection), run every model, run
    ``after_models`` (the checks) on the finished schema, and publish the file."""

    def build(con: duckdb.DuckDBPyConnection) -> None:
        if callable(sources):
            sources(con)
        else:
            for name, frame in sources.items():
                con.register("_source_frame", frame)
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM _source_frame")
                con.unregister("_source_frame")
        for model in models:
            create_model(con, model)
            if on_model:
                rows = con.execute(f"SELECT count(*) FROM {model.name}").fetchone()[0]
                on_model(model, rows)
        if after_models:
            after_models(con)

    return _publish(warehouse_dir, build, start_from_published=False)


def update_warehouse(warehouse_dir: Path, update: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Publish a changed copy of the published warehouse: ``update`` edits the copy, which is then
    swapped in like a full build (readers keep their snapshot, a failure leaves the published file)."""
    return _publish(warehouse_dir, update, start_from_published=True)


def _publish(warehouse_dir: Path, fill: Callable[[duckdb.DuckDBPyConnection], None], start_from_published: bool) -> Path:
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    for stale in warehouse_dir.glob(f".{WAREHOUSE_FILE}.*.building"):
        stale.unlink(missing_ok=True)  # left by a build that was killed
    building = warehouse_dir / f".{WAREHOUSE_FILE}.{uuid.uuid4().hex}.building"
    target = warehouse_dir / WAREHOUSE_FILE
    try:
        if start_from_published:
            shutil.copyfile(target, building)
        con = duckdb.connect(str(building))
        try:
            con.execute("SET memory_limit = ?", [memory_limit()])
            fill(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(building, target)
        return target
    except BaseException:
        building.unlink(missing_ok=True)
        Path(str(building) + ".wal").unlink(missing_ok=True)
        raise


def connect_read_only(warehouse_dir: Path) -> duckdb.DuckDBPyConnection:
    path = warehouse_dir / WAREHOUSE_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no warehouse yet; run `budget run` first")
    return duckdb.connect(str(path), read_only=True)


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    """A query's rows as a frame of Python objects, exactly as DuckDB gives them (``Decimal`` money, no
    float on the way: pandas' own conversion would make DECIMAL columns floats)."""
    cursor = con.execute(sql, params or [])
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)
