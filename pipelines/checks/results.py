"""Run every check model against the warehouse being built, validate with GX, return the findings.

    results = run_checks(con, run_at)          # one row per checked relation, pass or fail
    build_data_docs(results, out_dir)          # GX Data Docs, once, at the end of a run

SQL models live in ``dbt_like_sql/checks/``: ``<kind>.sql`` is one check kind (one query for every
document at once); ``_<name>.sql`` files are helpers the checks read, created first as TEMP views.
Money and ratios travel as ``decimal.Decimal`` (cast to VARCHAR in SQL, never through floats).
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.warehouse.sql_models import SQL_DIR

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


def check_files(checks_dir: Path = CHECKS_DIR) -> tuple[list[Path], list[Path]]:
    """(helpers, check kinds), each sorted by name."""
    paths = sorted(checks_dir.glob("*.sql"))
    return [p for p in paths if p.stem.startswith("_")], [p for p in paths if not p.stem.startswith("_")]


def finding_id(document_id: str, check_kind: str, place_key: str) -> str:
    return hashlib.sha1(f"{document_id}|{check_kind}|{place_key}".encode()).hexdigest()[:16]


def _to_decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return Decimal(str(value))


def check_rows(con: duckdb.DuckDBPyConnection, checks_dir: Path = CHECKS_DIR) -> dict[str, pd.DataFrame]:
    """Every check kind's residual rows, numbers as VARCHAR."""
    helpers, kinds = check_files(checks_dir)
    for path in helpers:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {path.stem} AS {path.read_text(encoding='utf-8').rstrip().rstrip(';')}")
    frames: dict[str, pd.DataFrame] = {}
    columns = ", ".join(c if c not in NUMBER_COLUMNS else f"cast({c} as varchar) as {c}" for c in CHECK_COLUMNS)
    for path in kinds:
        sql = path.read_text(encoding="utf-8").rstrip().rstrip(";")
        frame = con.execute(f"SELECT {columns} FROM ({sql}) AS checked ORDER BY document_id, place_key").df()
        frames[path.stem] = frame.astype(object).where(frame.notna(), None)
    return frames


def run_checks(con: duckdb.DuckDBPyConnection, run_at: datetime, checks_dir: Path = CHECKS_DIR) -> pd.DataFrame:
    """Execute every check model against ``con``, validate each kind with its GX suite, return the findings."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    frames = check_rows(con, checks_dir)
    verdicts = validate_kinds(frames)
    parts = []
    for kind, rows in frames.items():
        if rows.empty:
            continue
        out = rows.copy()
        out["status"] = verdicts[kind].map({True: "pass", False: "fail"})
        parts.append(out)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
    results = pd.concat(parts, ignore_index=True)
    for column in NUMBER_COLUMNS:
        results[column] = pd.Series([_to_decimal(v) for v in results[column]], dtype=object)
    results["finding_id"] = [
        finding_id(d, k, p) for d, k, p in zip(results["document_id"], results["check_kind"], results["place_key"])
    ]
    results["run_at"] = run_at
    return results.loc[:, list(RESULT_COLUMNS)]


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
