"""The Dagster code location: every asset, job, sensor, schedule and resource of the pipeline."""
import dagster as dg

from .assets.automation import (extract_job, nightly_schedule, raw_folder_sensor, warehouse_after_extraction,
                                warehouse_job)
from .assets.checks import tie_outs
from .assets.discover import staged_file
from .assets.report import quality_report
from .assets.warehouse import warehouse
from .resources import BudgetPaths, ProgressReporter

ALL_ASSETS = [staged_file, warehouse, quality_report]


def resources(paths: BudgetPaths | None = None, progress: ProgressReporter | None = None) -> dict:
    return {"paths": paths or BudgetPaths.from_env(), "progress": progress or ProgressReporter()}


defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=[tie_outs],
    jobs=[extract_job, warehouse_job],
    sensors=[raw_folder_sensor, warehouse_after_extraction],
    schedules=[nightly_schedule],
    resources=resources(),
    executor=dg.multiprocess_executor,
)
