"""When runs happen: a sensor on the raw folder, a nightly schedule, and the warehouse rebuild
once the extraction runs are done."""
import json

import dagster as dg

from ..discover.files import FileStamp, content_hashes, file_key, scan_raw_folder
from ..partitions import RAW_FILES
from ..resources import BudgetPaths
from ..run import nothing_new
from .discover import STAGE_SPECS
from .report import quality_report
from .warehouse import warehouse

# The run tags that make one run cover a range of partitions (Dagster's single-run backfills).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

extract_job = dg.define_asset_job(
    "extract_job", selection=dg.AssetSelection.assets(*(s.key for s in STAGE_SPECS)), partitions_def=RAW_FILES,
    description="Read, identify and normalize one raw file (one partition) into staging.")
warehouse_job = dg.define_asset_job(
    "warehouse_job", selection=dg.AssetSelection.assets(warehouse, quality_report),
    description="Rebuild the DuckDB warehouse from the staged files, run the checks, write the report.")


def _stamps(cursor: str | None) -> dict[str, FileStamp]:
    """The file stamps a sensor cursor holds (an unreadable or older cursor holds none)."""
    try:
        saved = json.loads(cursor) if cursor else {}
        return {name: (v[0], int(v[1]), int(v[2])) for name, v in saved.items()}
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return {}


@dg.sensor(jobs=[extract_job, warehouse_job], minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, paths: BudgetPaths):
    """New or changed files (by content hash) get a partition and an extraction run; removed
    files lose their partition, and the warehouse is rebuilt without them. Only files whose size
    or modification time moved since the last tick are read again (the cursor keeps the stamps);
    the nightly schedule hashes every file."""
    previous = _stamps(context.cursor)
    stamps = content_hashes(paths.raw, previous)
    state = {file_key(name): (name, sha) for name, (sha, _, _) in stamps.items()}
    seen = {file_key(name): sha for name, (sha, _, _) in previous.items()}
    existing = set(context.instance.get_dynamic_partitions(RAW_FILES.name))
    changed = sorted(k for k, (_, sha) in state.items() if seen.get(k) != sha)
    removed = sorted(existing - state.keys())
    requests = [dg.RunRequest(job_name="extract_job", partition_key=k, run_key=f"{k}:{state[k][1]}",
                              tags={"raw_file": state[k][0]}) for k in changed]
    if removed and not changed:
        requests.append(dg.RunRequest(job_name="warehouse_job", run_key=f"removed:{','.join(removed)}"))
    partition_requests = []
    if state.keys() - existing:
        partition_requests.append(RAW_FILES.build_add_request(sorted(state.keys() - existing)))
    if removed:
        partition_requests.append(RAW_FILES.build_delete_request(removed))
    return dg.SensorResult(run_requests=requests, dynamic_partitions_requests=partition_requests,
                           cursor=json.dumps({name: list(v) for name, v in stamps.items()},
                                             ensure_ascii=False, sort_keys=True))


@dg.schedule(job=extract_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def nightly_schedule(context: dg.ScheduleEvaluationContext, paths: BudgetPaths):
    """Every night at 02:00 (Beijing time) every file is looked at again. Nothing new (every file
    staged as it is, the warehouse built since): no run. Otherwise one run over the whole
    partition range: unchanged files reuse their staged outputs, so the night costs what is new
    (one run per file would cost a run launch per file); ``warehouse_after_extraction`` then
    rebuilds the warehouse."""
    files = scan_raw_folder(paths.raw)
    if not files:
        return dg.SkipReason(f"no files in {paths.raw}")
    if nothing_new(files, paths.warehouse, paths.reviews):
        return dg.SkipReason(f"{len(files)} file(s), none new or changed since they were staged; "
                             f"the warehouse is current")
    current = {file_key(f.name) for f in files}
    existing = context.instance.get_dynamic_partitions(RAW_FILES.name)
    removed = sorted(set(existing) - current)
    for key in removed:
        context.instance.delete_dynamic_partition(RAW_FILES.name, key)
    added = sorted(current - set(existing))
    if added:
        context.instance.add_dynamic_partitions(RAW_FILES.name, added)
    keys = context.instance.get_dynamic_partitions(RAW_FILES.name)  # in the order they were added
    night = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return dg.RunRequest(run_key=f"nightly:{night}", tags={
        RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1],
        "raw_files": str(len(keys))})


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[extract_job],
                      request_job=warehouse_job, default_status=dg.DefaultSensorStatus.RUNNING)
def warehouse_after_extraction(context: dg.RunStatusSensorContext):
    """Rebuild the warehouse once no extraction run is queued or running any more."""
    pending = context.instance.get_runs_count(dg.RunsFilter(
        job_name="extract_job",
        statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED,
                  dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]))
    if pending:
        return dg.SkipReason(f"{pending} extraction run(s) still pending")
    return dg.RunRequest(run_key=f"after:{context.dagster_run.run_id}")
