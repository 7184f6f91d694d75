"""The same code location with Dagster's Celery executor: every step of a run is a Celery task, run
by whichever worker is free, on any machine that reaches the broker (README, "Scale-out").

The broker and result backend come from DAGSTER_CELERY_BROKER_URL and DAGSTER_CELERY_BACKEND_URL
when a run starts, so runs launched by the sensors and the schedule need no run config. Workers
start with the same block (`CELERY_CONFIG` as YAML under `execution: config:`). Needs the
dagster-celery package (`celery[redis]` for a Redis broker).
"""
import dagster as dg
from dagster_celery import celery_executor

from . import definitions

CELERY_CONFIG = {
    "broker": {"env": "DAGSTER_CELERY_BROKER_URL"},
    "backend": {"env": "DAGSTER_CELERY_BACKEND_URL"},
    # A worker acknowledges a step when it is done, so with one step prefetched it takes no second
    # step while one runs: a free worker gets it.
    "config_source": {"task_acks_late": True, "worker_prefetch_multiplier": 1},
}

local = definitions.defs
defs = dg.Definitions(
    assets=local.assets,
    asset_checks=local.asset_checks,
    jobs=local.jobs,
    sensors=local.sensors,
    schedules=local.schedules,
    resources=local.resources,
    executor=celery_executor.configured(CELERY_CONFIG),
)
