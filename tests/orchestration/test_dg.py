"""`dg`, Dagster's command line (package dagster-dg-cli), finds this code location through
pyproject.toml's [tool.dg] section: `dg check defs` loads the definitions and `dg list defs` names
them, as `dg dev` (`make ui`) loads them. Run from the repository root with the `dg` of the venv
running the tests; nothing here needs the network (telemetry is off in a throwaway DAGSTER_HOME)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.assets.checks import CHECK_KINDS
from pipelines.definitions import defs

ROOT = Path(__file__).resolve().parents[2]
# Not resolved: the venv's bin folder, where pip put `dg` beside the venv's python.
DG = Path(sys.executable).parent / ("dg.exe" if os.name == "nt" else "dg")

pytestmark = pytest.mark.skipif(
    not DG.exists(), reason=f"no dg executable beside {sys.executable} (pip install dagster-dg-cli)")


def _dg(tmp_path, *args: str) -> subprocess.CompletedProcess:
    home = tmp_path / "dagster_home"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    # VIRTUAL_ENV: the venv running the tests is the active one (dg warns when it is not set).
    env = {**os.environ, "DAGSTER_HOME": str(home), "VIRTUAL_ENV": sys.prefix, "NO_COLOR": "1"}
    return subprocess.run([str(DG), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_dg_check_defs_loads_the_definitions(tmp_path):
    result = _dg(tmp_path, "check", "defs")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "All definitions loaded successfully" in output


def test_dg_list_defs_names_the_assets_jobs_schedule_and_sensors(tmp_path):
    result = _dg(tmp_path, "list", "defs", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    listed = json.loads(result.stdout)

    assert {job["name"] for job in listed["jobs"]} == {"extract_job", "warehouse_job"}
    assert {s["name"] for s in listed["schedules"]} == {"nightly_schedule"}
    assert {s["name"] for s in listed["sensors"]} == {"raw_folder_sensor", "warehouse_after_extraction"}
    assert {r["name"] for r in listed["resources"]} >= {"paths", "progress"}
    # The same assets as the definitions loaded in this process, and one check per kind on the fact table.
    in_process = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {a["asset_key"] for a in listed["assets"]} == in_process
    assert {"raw_documents", "fact_budget_line", "quality_report"} <= in_process
    assert {(c["asset_key"], c["name"]) for c in listed["asset_checks"]} == {
        ("fact_budget_line", kind) for kind in CHECK_KINDS}
