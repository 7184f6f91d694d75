"""The Dagster code location: every asset, resource and job of the pipeline."""
from __future__ import annotations

import dagster as dg

from .assets.discover import raw_documents
from .assets.extract import narrative, raw_tables
from .assets.normalize import normalize
from .assets.warehouse import warehouse
from .resources import BudgetPaths, ProgressReporter

ALL_ASSETS = [raw_documents, raw_tables, narrative, normalize, warehouse]

budget_job = dg.define_asset_job("budget_job", selection=dg.AssetSelection.all(),
                                 description="Read every document of the raw folder and rebuild the warehouse.")


def resources(paths: BudgetPaths | None = None, progress: ProgressReporter | None = None) -> dict:
    return {"paths": paths or BudgetPaths.from_env(), "progress": progress or ProgressReporter()}


defs = dg.Definitions(assets=ALL_ASSETS, jobs=[budget_job], resources=resources())
