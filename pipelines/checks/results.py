"""Run every check model against the warehouse being built, validate with GX, store the findings.

    collect_check_rows(con)                    # every kind's residual rows, into TEMP TABLE check_rows
    failed = failed_row_ids(con)               # GX: the rows that do not tie out
    store_findings(con, failed, run_at)        # TABLE check_result, one row per checked relation
    build_data_docs(results, out_dir)          # GX Data Docs, once, at the end of a run

SQL models live in ``dbt_like_sql/checks/``: ``<kind>.sql`` is one check kind (one query for every
document at once); ``_<name>.sql`` files are helpers the checks read, computed first, once, as TEMP tables.
The rows stay in DuckDB: GX sees only the columns it validates, and only the failing row numbers
come back. Money and ratios travel as exact text (cast to VARCHAR in SQL, never through floats).
"""
from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.warehouse.sql_models import SQL_DIR, tables_read

from .suites import validate_kinds

CHECKS_DIR = SQL_DIR / "checks"
NUMBER_COLUMNS = ("expected", "actual", "difference", "tolerance")
CHECK_COLUMNS = (
    "document_id", "check_kind", "table_kind", "description", *NUMBER_COLUMNS, "severity", "source_ref", "place_key",
)
RESULT_COLUMNS = (
    "finding_id", "document_id", "check_kind", "table_kind", "severity", "status", "description",
    *NUMBER_COLUMNS, "source_ref", "run_at",
)
# A finding's stable id: the same document, check and place give the same id in every run.
FINDING_ID_SQL = "left(sha1(document_id || '|' || check_kind || '|' || coalesce(place_key, '')), 16)"


@cache
def check_files(checks_dir: Path = CHECKS_DIR) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(helpers, each after the helpers it reads; check kinds, by name)."""
    paths = sorted(checks_dir.glob("*.sql"))
    helpers = {p.stem: p for p in paths if p.stem.startswith("_")}
    reads = {name: tables_read(_sql(path)) & helpers.keys() for name, path in helpers.items()}
    ordered = tuple(helpers[name] for name in TopologicalSorter(reads).static_order())
    return ordered, tuple(p for p in paths if not p.stem.startswith("_"))


def _sql(path: Path) -> str:
    return path.read_text(encoding="utf-8").rstrip().rstrip(";")


def collect_check_rows(con: duckdb.DuckDBPyConnection, checks_dir: Path = CHECKS_DIR) -> None:
    """Run every check kind into ``TEMP TABLE check_rows`` (every column VARCHAR, numbers as exact
    text, ``row_id`` in kind, document, place order). Helpers several checks read are computed once."""
    helpers, kinds = check_files(checks_dir)
    for path in helpers:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {path.stem} AS {_sql(path)}")
    columns = ", ".join(f"cast({c} as varchar) as {c}" for c in CHECK_COLUMNS)
    queries = [f"SELECT {columns} FROM ({_sql(path)}) AS checked" for path in kinds]
    con.execute("CREATE OR REPLACE TEMP TABLE check_rows AS SELECT row_number() OVER "
                "(ORDER BY check_kind, document_id, place_key) AS row_id, * FROM (" + " UNION ALL ".join(queries) + ")")


def failed_row_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Validate each kind's rows of ``check_rows`` with its GX suite; the ids of the rows that fail."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    rows = con.execute("SELECT row_id, check_kind, difference, tolerance FROM check_rows ORDER BY row_id").df()
    rows = rows.astype(object).where(rows.notna(), None)
    frames = {kind: part for kind, part in rows.groupby("check_kind", sort=True)}
    verdicts = validate_kinds(frames)
    return [int(row_id) for kind, part in frames.items()
            for row_id, passed in zip(part["row_id"], verdicts[kind]) if not passed]


def store_findings(con: duckdb.DuckDBPyConnection, failed: list[int], run_at: datetime) -> None:
    """``check_rows`` with ids, pass/fail and the run time, as the table analysts' views read."""
    con.register("_failed_rows", pd.DataFrame({"row_id": pd.Series(failed, dtype="int64")}))
    try:
        con.execute(f"""
            CREATE TABLE check_result AS
            SELECT {FINDING_ID_SQL} AS finding_id, document_id, check_kind, table_kind, severity,
                   CASE WHEN row_id IN (SELECT row_id FROM _failed_rows) THEN 'fail' ELSE 'pass' END AS status,
                   description, {", ".join(NUMBER_COLUMNS)}, source_ref,
                   cast(? AS varchar) AS run_at
            FROM check_rows ORDER BY row_id""", [str(pd.Timestamp(run_at))])
    finally:
        con.unregister("_failed_rows")


def build_data_docs(results: pd.DataFrame, out_dir: Path) -> Path:
    """Build GX Data Docs for a run's results once, into a file-backed context under ``out_dir``.

    One suite per check kind asserts that every error-severity finding of the kind passed; the
    validation results (with the failing rows) land in the site. Returns the site's index.html.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    from .suites import _quiet_context

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(out_dir))
    _quiet_context(context)
    frame = results.copy()
    for column in NUMBER_COLUMNS:
        frame[column] = frame[column].map(lambda v: None if v is None else str(v))
    frame["run_at"] = frame["run_at"].astype(str)
    source = context.data_sources.add_or_update_pandas(name="check_results")
    definitions = []
    for kind in sorted(frame["check_kind"].unique()):
        rows = frame[frame["check_kind"] == kind].reset_index(drop=True)
        asset_name = f"{kind}_results"
        try:
            source.delete_asset(asset_name)
        except Exception:  # noqa: BLE001 - first build
            pass
        asset = source.add_dataframe_asset(name=asset_name)
        batch = asset.add_batch_definition_whole_dataframe("all")
        suite = gx.ExpectationSuite(name=f"{kind}_findings")
        suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(
            column="status", value_set=["pass"], row_condition='severity=="error"', condition_parser="pandas",
        ))
        suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(
            column="status", value_set=["pass"], row_condition='severity=="warning"', condition_parser="pandas",
            meta={"notes": "warnings: hints and unverifiable claims"},
        ))
        suite = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"{kind}_findings", data=batch, suite=suite)
        )
        definitions.append((definition, rows))
    for definition, rows in definitions:
        checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
            name=f"{definition.name}_checkpoint",
            validation_definitions=[definition],
            actions=[],
            result_format={"result_format": "COMPLETE"},
        ))
        checkpoint.run(batch_parameters={"dataframe": rows})
    context.build_data_docs()
    sites = context.get_docs_sites_urls()
    url = sites[0]["site_url"] if sites else ""
    return Path(url.removeprefix("file://")) if url else out_dir
