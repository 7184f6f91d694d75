"""Stage 4: the DuckDB star schema, one asset per SQL model, published atomically."""
import dagster as dg

from ..checks.results import tables_checked
from ..resources import BudgetPaths, ProgressReporter
from ..run import publish_warehouse
from ..warehouse.build import connect_read_only
from ..warehouse.sql_models import load_models
from .discover import STAGE_SPECS

# Tables the SQL reads that the staging step produces: SQL name → upstream asset.
SOURCE_TABLES: dict[str, str] = {
    "raw_documents": "raw_documents",
    "raw_table_cells": "raw_tables",
    "raw_budget_lines": "budget_lines",
    "raw_narrative_figures": "narrative_figures",
    "raw_performance_targets": "performance_targets",
    "raw_ingest_issues": "ingest_issues",
}
assert set(SOURCE_TABLES.values()) == {s.key.to_user_string() for s in STAGE_SPECS}

MODELS = load_models()
RESULT_MODELS = load_models(layers=("checks_results",))
_MODEL_NAMES = {m.name for m in MODELS}


# Tables the build creates from the checks' results: the findings come from what the checks read.
CHECK_TABLES = {"check_result": tables_checked(), "check_figure": tables_checked(),
                "previous_check_result": frozenset(), "review": frozenset()}


def _deps(reads: frozenset[str]) -> list[dg.AssetKey]:
    reads = frozenset().union(*(CHECK_TABLES.get(name, {name}) for name in reads))
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
    for model in (*MODELS, *RESULT_MODELS)
]


@dg.multi_asset(specs=MODEL_SPECS, can_subset=False)
def warehouse(context: dg.AssetExecutionContext, paths: BudgetPaths,
              progress: dg.ResourceParam[ProgressReporter]):
    """Build every SQL model of dbt_like_sql/ from the staged files into a new DuckDB file, then
    swap it in; files removed from the raw folder leave with their staged outputs."""
    rows: dict[str, int] = {}
    progress.start("warehouse", len(MODELS))

    def on_model(model, count):
        rows[model.name] = count
        progress.advance("warehouse", model.name)

    path = publish_warehouse(paths.raw, paths.warehouse, on_model=on_model, reviews=paths.reviews)
    context.log.info(f"published {path}")
    con = connect_read_only(paths.warehouse)
    try:
        for model in RESULT_MODELS:
            rows[model.name] = con.execute(f"select count(*) from {model.name}").fetchone()[0]
    finally:
        con.close()
    for model in (*MODELS, *RESULT_MODELS):
        yield dg.MaterializeResult(asset_key=model.name, metadata={"rows": rows[model.name], "path": str(path)})
