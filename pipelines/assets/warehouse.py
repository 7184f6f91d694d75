"""Stage 4: the DuckDB star schema, one asset per SQL model, published atomically."""

import dagster as dg
import pandas as pd

from ..normalize.frames import documents_frame
from ..resources import BudgetPaths, ProgressReporter
from ..warehouse.build import build_warehouse
from ..warehouse.sql_models import load_models
from .discover import RawDocuments

# Tables the SQL reads that the Python stages produce: SQL name → upstream asset.
SOURCE_TABLES: dict[str, str] = {
    "raw_documents": "raw_documents",
    "raw_table_cells": "raw_tables",
    "raw_budget_lines": "budget_lines",
    "raw_narrative_figures": "narrative_figures",
    "raw_performance_targets": "performance_targets",
    "raw_ingest_issues": "ingest_issues",
}

MODELS = load_models()
_MODEL_NAMES = {m.name for m in MODELS}


def _deps(reads: frozenset[str]) -> list[dg.AssetKey]:
    unknown = reads - _MODEL_NAMES - SOURCE_TABLES.keys()
    if unknown:
        raise ValueError(f"SQL reads tables that nothing produces: {sorted(unknown)}")
    return [dg.AssetKey(SOURCE_TABLES.get(name, name)) for name in sorted(reads)]


MODEL_SPECS = [
    dg.AssetSpec(
        key=model.name,
        deps=_deps(model.reads),
        group_name=f"warehouse_{model.layer}",
        kinds={"duckdb", "sql"},
        description=model.description or None,
        metadata={"sql_file": f"dbt_like_sql/{model.layer}/{model.path.name}",
                  "materialization": model.materialization},
    )
    for model in MODELS
]


@dg.multi_asset(
    specs=MODEL_SPECS,
    ins={name: dg.AssetIn(key=name) for name in sorted(set(SOURCE_TABLES.values()))},
    can_subset=False,
)
def warehouse(
    context: dg.AssetExecutionContext,
    paths: BudgetPaths,
    progress: dg.ResourceParam[ProgressReporter],
    raw_documents: RawDocuments,
    raw_tables: pd.DataFrame,
    budget_lines: pd.DataFrame,
    narrative_figures: pd.DataFrame,
    performance_targets: pd.DataFrame,
    ingest_issues: pd.DataFrame,
):
    """Build every SQL model of dbt_like_sql/ into a new DuckDB file, then swap it in."""
    sources = {
        "raw_documents": documents_frame(raw_documents.documents),
        "raw_table_cells": raw_tables,
        "raw_budget_lines": budget_lines,
        "raw_narrative_figures": narrative_figures,
        "raw_performance_targets": performance_targets,
        "raw_ingest_issues": ingest_issues,
    }
    rows: dict[str, int] = {}
    progress.start("warehouse", len(MODELS))

    def on_model(model, count):
        rows[model.name] = count
        progress.advance("warehouse", model.name)

    path = build_warehouse(paths.warehouse, sources, MODELS, on_model=on_model)
    context.log.info(f"published {path}")
    for model in MODELS:
        yield dg.MaterializeResult(asset_key=model.name, metadata={"rows": rows[model.name], "path": str(path)})
