"""The Dagster side: partitions per raw file, the folder sensor, the nightly schedule, and a
materialization through Dagster that gives the same warehouse as `budget run`."""
import gc
import json
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest

from pipelines.assets.checks import CHECK_KINDS, tie_outs
from pipelines.assets.automation import (
    RANGE_END_TAG, RANGE_START_TAG, nightly_schedule, raw_folder_sensor, warehouse_after_extraction,
)
from pipelines.definitions import ALL_ASSETS, defs, resources
from pipelines.discover.files import file_key
from pipelines.partitions import RAW_FILES
from pipelines.resources import BudgetPaths
from tests.conftest import SEED


# Load the code location once, as a code server does, before any test instance exists: a closed
# test instance would otherwise be left behind as the process-wide state storage it loads with.
defs.resolve_asset_graph()


@pytest.fixture()
def instance():
    with dg.instance_for_test() as inst:
        yield inst
        # A run can leave a context manager that entered this instance to the garbage collector;
        # finalized during a later test, it would make this (by then deleted) instance the current
        # state storage again. Finalize it while this instance is still the current one.
        gc.collect()


@pytest.fixture()
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def _sensor(instance, paths, cursor=None):
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"paths": paths})
    return raw_folder_sensor(ctx)


def test_sensor_adds_partitions_requests_runs_and_follows_removals(instance, raw, tmp_path):
    paths = BudgetPaths(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    key = file_key(SEED.name)
    result = _sensor(instance, paths)
    assert [r.partition_key for r in result.run_requests] == [key]
    assert result.run_requests[0].tags["raw_file"] == SEED.name
    assert result.dynamic_partitions_requests[0].partition_keys == [key]
    instance.add_dynamic_partitions(RAW_FILES.name, [key])

    # Nothing changed: no run, and the file is not read again (its stamp is in the cursor).
    again = _sensor(instance, paths, result.cursor)
    assert again.run_requests == [] and again.dynamic_partitions_requests == []
    assert again.cursor == result.cursor
    # A cursor of another format (or none) costs one full read, never a duplicate run: the run
    # keys are the same.
    legacy = _sensor(instance, paths, json.dumps({key: "old"}))
    assert [r.run_key for r in legacy.run_requests] == [r.run_key for r in result.run_requests]

    # A changed file (same name, new content) is extracted again under the same partition.
    (raw / SEED.name).write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = _sensor(instance, paths, again.cursor)
    assert [r.partition_key for r in changed.run_requests] == [key]
    assert changed.run_requests[0].run_key != result.run_requests[0].run_key

    # A removed file loses its partition and the warehouse is rebuilt without it.
    (raw / SEED.name).unlink()
    removed = _sensor(instance, paths, changed.cursor)
    assert [r.job_name for r in removed.run_requests] == ["warehouse_job"]
    assert removed.dynamic_partitions_requests[0].partition_keys == [key]
    assert json.loads(removed.cursor) == {}


def test_nightly_schedule_at_two_beijing_time_is_one_run_over_every_file(instance, raw, tmp_path):
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.execution_timezone == "Asia/Shanghai"
    second = raw / "doc_b.txt"
    second.write_text(SEED.read_text(encoding="utf-8").replace("青山区科学技术和经济", "青山区第2号"), encoding="utf-8")
    gone = file_key("removed.txt")
    instance.add_dynamic_partitions(RAW_FILES.name, [gone])  # a file removed since the last run
    paths = BudgetPaths(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    ctx = dg.build_schedule_context(instance=instance, resources={"paths": paths},
                                    scheduled_execution_time=datetime(2026, 11, 28, 2, tzinfo=ZoneInfo("Asia/Shanghai")))
    request = nightly_schedule(ctx)
    keys = sorted([file_key(SEED.name), file_key(second.name)])
    assert instance.get_dynamic_partitions(RAW_FILES.name) == keys
    assert request.run_key == "nightly:2026-11-28"
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (keys[0], keys[-1])

    # The run the schedule asks for stages both files in one run; the next night reuses them.
    job = defs.resolve_job_def("extract_job")
    for extracted in (2, 0):
        result = job.execute_in_process(instance=instance, tags=request.tags, resources=resources(paths))
        assert result.success
        materializations = result.asset_materializations_for_node("staged_file")
        assert {m.partition for m in materializations} == set(keys)
        assert {m.metadata["extracted"].value for m in materializations} == {extracted}
    assert sorted(p.name for p in (tmp_path / "wh" / "staging").iterdir()) == keys

    # Once the warehouse is built from them, a night with nothing new launches no run at all;
    # a changed file brings the ranged run back.
    assert defs.resolve_job_def("warehouse_job").execute_in_process(instance=instance, resources=resources(paths)).success
    quiet = nightly_schedule(ctx)
    assert isinstance(quiet, dg.SkipReason) and "none new or changed" in quiet.skip_message
    second.write_text(second.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert isinstance(nightly_schedule(ctx), dg.RunRequest)


def test_materialize_through_dagster_matches_budget_run(instance, raw, tmp_path, seed_warehouse):
    paths = BudgetPaths(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    key = file_key(SEED.name)
    instance.add_dynamic_partitions(RAW_FILES.name, [key])
    staged = dg.materialize([ALL_ASSETS[0]], partition_key=key, instance=instance, resources=resources(paths))
    assert staged.success
    built = dg.materialize([ALL_ASSETS[1], tie_outs], instance=instance, resources=resources(paths))
    assert built.success
    verdicts = {e.check_name: (e.passed, e.severity) for e in built.get_asset_check_evaluations()}
    assert set(verdicts) == set(CHECK_KINDS)
    # The seed ties out arithmetically; its narrative contradicts its tables (1209.74 vs 1209.47).
    assert verdicts["row_arithmetic"] == (True, dg.AssetCheckSeverity.WARN)
    assert verdicts["hierarchy"][0] and verdicts["balance"][0]
    assert verdicts["narrative_vs_table"] == (False, dg.AssetCheckSeverity.ERROR)
    query = "select * from fact_budget_line order by table_id, row_no, column_name"
    with duckdb.connect(str(tmp_path / "wh" / "budget.duckdb"), read_only=True) as a, \
            duckdb.connect(str(seed_warehouse), read_only=True) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_run_status_sensor_waits_for_pending_extractions(instance):
    assert warehouse_after_extraction.name == "warehouse_after_extraction"
    assert {s.name for s in defs.sensors} == {"raw_folder_sensor", "warehouse_after_extraction"}
