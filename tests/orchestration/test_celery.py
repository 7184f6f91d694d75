"""Scale-out on a distributed engine: the jobs run with Dagster's Celery executor
(`pipelines.definitions_celery`), a real Redis broker and two Celery workers, sharing a persistent
Dagster instance and the warehouse folder as separate machines would, and give exactly what an
in-process run of the same jobs gives.

A Redis server of this module's own (free loopback port, no persistence) is the broker (db 0) and
the result backend (db 1). Each worker is `celery -A dagster_celery.app worker --pool=solo` (one
step at a time; what `dagster-celery worker start` runs), given the executor's block as its Celery
config module, DAGSTER_HOME and the BudgetPaths variables. One extraction run per raw file is
launched at once, each in its own `dg launch` process (as a run launcher starts runs), then one
run over every file (the nightly schedule's), then the warehouse run; every step is a Celery task
that a free worker takes. The warehouse run's check step and report step become ready together,
and a worker busy with one takes no other (late acknowledgement, one message prefetched), so both
workers work.

Skips without `redis-server` (Debian package redis-server) or dagster-celery (the dev extra).
"""
from __future__ import annotations

import gc
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.definitions import defs, resources
from pipelines.discover.files import file_key
from pipelines.fixtures.pdf_render import render_pdf
from pipelines.partitions import RAW_FILES
from pipelines.read.model import SourceRef, TextLine
from pipelines.read.text_reader import read_text
from pipelines.resources import BudgetPaths
from tests.conftest import REPO, SEED

BIN = Path(sys.executable).parent
REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed (Debian package redis-server)")
pytest.importorskip("dagster_celery", reason="dagster-celery not installed (pip install -e '.[dev]')")
celery = pytest.importorskip("celery", reason="celery not installed (pip install -e '.[dev]')")
redis = pytest.importorskip("redis", reason="the redis client not installed (pip install -e '.[dev]')")

from pipelines.definitions_celery import CELERY_CONFIG  # noqa: E402  (imports dagster_celery)

CELERY_LOCATION = "pipelines.definitions_celery"
WORKERS = ("worker1", "worker2")
WAIT_SECONDS = 180
# Stamps, not data: when (check_result.run_at, ingest_issues.detected_at, warehouse_build.built_at) and by
# which code (code_version, a hash of the source files taken when a process imports them: this process
# took it at collection, the workers at their start, so it differs when the checkout is edited in between)
VOLATILE = re.compile(r"_at$|^code_version$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM (Redis exits saving nothing; a Celery worker finishes its task first), SIGKILL if it hangs."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _tail(path: Path, chars: int = 3000) -> str:
    return f"--- {path.name}:\n" + path.read_text(encoding="utf-8", errors="replace")[-chars:]


def _redis(folder: Path, port: int) -> subprocess.Popen | None:
    """A Redis server on the port once it answers PING; None if it exited (the port was taken since)."""
    with open(folder / "redis.log", "ab") as log:
        proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", str(folder)], stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + 20
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if client.ping():
                    return proc
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
    finally:
        client.close()
    _stop(proc)
    return None


@pytest.fixture(scope="module")
def broker(request, tmp_path_factory) -> str:
    """redis://127.0.0.1:PORT of a Redis server of this module's own (no persistence), stopped afterwards."""
    folder = tmp_path_factory.mktemp("redis")
    for _ in range(3):
        port = _free_port()
        proc = _redis(folder, port)
        if proc is not None:
            request.addfinalizer(lambda: _stop(proc))
            return f"redis://127.0.0.1:{port}"
    pytest.fail(f"redis-server did not answer PING\n{_tail(folder / 'redis.log')}")


def _corpus(raw: Path) -> None:
    """The seed, and two small PDFs made from it (another department each, its first tables)."""
    shutil.copy(SEED, raw / SEED.name)
    text = SEED.read_text(encoding="utf-8")
    for n, tables in ((1, 2), (2, 3)):
        name = f"doc{n}.pdf"
        doc = read_text(text.replace("青山区科学技术和经济", f"青山区第{n}号"), name)
        doc.text_lines = [TextLine(f"武汉市青山区第{n}号信息化局2022年部门预算", SourceRef(name)), *doc.text_lines[:60]]
        doc.tables = doc.tables[:tables]
        render_pdf(doc, raw / name)


@contextmanager
def _celery_workers(folder: Path, env: dict[str, str]) -> Iterator[list[subprocess.Popen]]:
    """Both workers, answering the broker's ping; stopped (warm shutdown) on the way out."""
    # What `dagster-celery worker start -y` writes from the executor's config block: a Celery config module
    # (dagster_celery_config, imported by dagster_celery.app when found on the path).
    lines = [f"broker_url = {env['DAGSTER_CELERY_BROKER_URL']!r}",
             f"result_backend = {env['DAGSTER_CELERY_BACKEND_URL']!r}",
             *(f"{key} = {value!r}" for key, value in CELERY_CONFIG["config_source"].items())]
    (folder / "dagster_celery_config.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**env, "PYTHONPATH": str(folder)}
    logs = [folder / f"{name}.log" for name in WORKERS]
    workers = []
    try:
        for name, log in zip(WORKERS, logs):
            with open(log, "wb") as out:
                workers.append(subprocess.Popen(
                    [str(BIN / "celery"), "-A", "dagster_celery.app", "worker", "--pool=solo", "--concurrency=1",
                     "--prefetch-multiplier=1", "--loglevel=INFO", "-n", f"{name}@%h"],
                    cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT))
        app = celery.Celery(broker=env["DAGSTER_CELERY_BROKER_URL"], backend=env["DAGSTER_CELERY_BACKEND_URL"])
        names = {f"{name}@{socket.gethostname()}" for name in WORKERS}
        deadline = time.monotonic() + WAIT_SECONDS
        while {n for reply in app.control.ping(destination=list(names), timeout=1) for n in reply} != names:
            if any(w.poll() is not None for w in workers) or time.monotonic() > deadline:
                pytest.fail("the Celery workers did not start\n" + "\n".join(map(_tail, logs)))
        app.close()
        yield workers
    finally:
        for worker in workers:
            _stop(worker)


def _launch(env: dict[str, str], folder: Path, runs: dict[str, list[str]]) -> dict[str, int]:
    """Runs launched at once, each with `dg launch ARGS` in a process of its own (the process runs
    the run; the executor hands its steps to the workers), as a run launcher starts them. Exit codes."""
    env = {**env, "VIRTUAL_ENV": sys.prefix, "NO_COLOR": "1"}  # dg warns when the venv is not the active one
    procs = {}
    try:
        for name, args in runs.items():
            with open(folder / f"launch_{name}.log", "wb") as out:
                procs[name] = subprocess.Popen([str(BIN / "dg"), "launch", *args, "-m", CELERY_LOCATION, "-a", "defs"],
                                               cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        return {name: proc.wait(WAIT_SECONDS) for name, proc in procs.items()}
    finally:
        for proc in procs.values():
            _stop(proc)


def _run_record(instance: dg.DagsterInstance, run: dg.DagsterRun) -> dict:
    """A run's status, the Celery worker of each step (from the engine event the task reports when it
    starts the step) and the metadata of its first materialization."""
    steps = {}
    for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.event_specific_data
        worker = data.metadata.get("Celery worker") if data is not None else None
        if worker is not None:
            steps[entry.step_key] = worker.value
    materialized = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    metadata = materialized[0].asset_materialization.metadata if materialized else {}
    return {"status": run.status, "steps": steps, "metadata": {k: v.value for k, v in metadata.items()}}


def _in_process(raw: Path, warehouse: Path, keys: list[str], reviews: Path) -> None:
    """The same two jobs in this process, default executor, an ephemeral instance."""
    paths = BudgetPaths(raw_dir=str(raw), warehouse_dir=str(warehouse), reviews_file=str(reviews))
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(RAW_FILES.name, keys)
        tags = {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}
        assert defs.resolve_job_def("extract_job").execute_in_process(
            instance=instance, tags=tags, resources=resources(paths)).success
        assert defs.resolve_job_def("warehouse_job").execute_in_process(
            instance=instance, resources=resources(paths)).success
        gc.collect()


@pytest.fixture(scope="module")
def runs(broker, tmp_path_factory) -> dict:
    """The jobs over one raw folder on the Celery workers, then in process into another warehouse."""
    base = tmp_path_factory.mktemp("celery")
    raw = base / "raw"
    raw.mkdir()
    _corpus(raw)
    keys = sorted(file_key(p.name) for p in raw.iterdir())
    home = base / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        f"storage:\n  sqlite:\n    base_dir: {home / 'storage'}\ntelemetry:\n  enabled: false\n", encoding="utf-8")
    reviews = base / "reviews.csv"  # none
    env = {**os.environ, "DAGSTER_HOME": str(home),
           "BUDGET_RAW_DIR": str(raw), "BUDGET_WAREHOUSE_DIR": str(base / "wh_celery"),
           "BUDGET_REVIEWS_FILE": str(reviews),
           "DAGSTER_CELERY_BROKER_URL": f"{broker}/0", "DAGSTER_CELERY_BACKEND_URL": f"{broker}/1"}

    with ExitStack() as stack:
        workers = stack.enter_context(_celery_workers(base, env))
        instance = stack.enter_context(dg.DagsterInstance.from_config(str(home)))
        stack.callback(gc.collect)
        instance.add_dynamic_partitions(RAW_FILES.name, keys)
        # one run per file, as the folder sensor requests them; then one run over every file, as the
        # nightly schedule does (all staged already: reused, but its step starts a process pool); then
        # the warehouse
        exit_codes = _launch(env, base, {key: ["--job", "extract_job", "--partition", key] for key in keys})
        exit_codes |= _launch(env, base, {"range": ["--job", "extract_job", "--partition-range", f"{keys[0]}...{keys[-1]}"]})
        exit_codes |= _launch(env, base, {"warehouse": ["--job", "warehouse_job"]})
        records = {}
        for run in instance.get_runs(dg.RunsFilter(job_name="extract_job")):
            records[run.tags.get("dagster/partition", "range")] = _run_record(instance, run)
        (records["warehouse"],) = [_run_record(instance, run)
                                   for run in instance.get_runs(dg.RunsFilter(job_name="warehouse_job"))]
    logs = {name: (base / f"{name}.log").read_text(encoding="utf-8", errors="replace") for name in WORKERS}
    diagnostics = "\n".join(map(_tail, sorted(base.glob("*.log"))))
    _in_process(raw, base / "wh_local", keys, reviews)
    return {"records": records, "launch_exit_codes": exit_codes, "keys": keys, "diagnostics": diagnostics,
            "workers": {name: (w.returncode, logs[name]) for name, w in zip(WORKERS, workers)},
            "celery": base / "wh_celery", "local": base / "wh_local"}


def test_every_run_succeeded_with_its_steps_on_the_celery_workers(runs):
    records, keys = runs["records"], runs["keys"]
    assert sorted(records) == sorted([*keys, "range", "warehouse"]), runs["diagnostics"]
    assert runs["launch_exit_codes"] == dict.fromkeys(records, 0), runs["diagnostics"]
    assert {name: r["status"] for name, r in records.items()} == dict.fromkeys(records, dg.DagsterRunStatus.SUCCESS)
    workers = {f"{name}@{socket.gethostname()}" for name in WORKERS}
    for key in keys:
        assert set(records[key]["steps"]) == {"staged_file"} and records[key]["steps"]["staged_file"] in workers
        assert records[key]["metadata"]["reused"] is False
    # the ranged run's step staged its files with a process pool inside the worker: all reused
    assert records["range"]["steps"]["staged_file"] in workers
    assert records["range"]["metadata"] == {"files": len(keys), "extracted": 0, "reused": len(keys), "errors": 0}
    steps = records["warehouse"]["steps"]
    assert set(steps) == {"warehouse", "tie_outs", "quality_report"} and set(steps.values()) <= workers
    # tie_outs and quality_report were submitted together: the worker busy with one left the other
    assert steps["tie_outs"] != steps["quality_report"], steps


def test_workers_shut_down_warm(runs):
    # SIGTERM lets a worker finish its step. Once a step ran in a worker (the solo pool runs it in the
    # worker's main thread), Dagster has mapped SIGTERM to the SIGINT handler, Celery's Ctrl+C: the
    # same warm shutdown, with exit code 1.
    for name, (code, log) in runs["workers"].items():
        assert code in (0, 1) and "Warm shutdown" in log, f"{name}: exit code {code}\n{log[-2000:]}"


def _staged(warehouse: Path) -> dict[str, Path]:
    staging = warehouse / "staging"
    return {p.relative_to(staging).as_posix(): p for p in sorted(staging.rglob("*")) if p.is_file()}


def _manifest(path: Path) -> dict:
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items()
            if not VOLATILE.search(k) and "path" not in k}


def test_staged_outputs_equal_an_in_process_run(runs):
    celery_files, local_files = _staged(runs["celery"]), _staged(runs["local"])
    assert sorted(celery_files) == sorted(local_files)
    assert {name.split("/")[0] for name in celery_files} == set(runs["keys"])
    for name, path in celery_files.items():
        if path.suffix == ".parquet":
            frames = [pd.read_parquet(p) for p in (path, local_files[name])]
            frames = [f.drop(columns=[c for c in f.columns if VOLATILE.search(c)]) for f in frames]
            pd.testing.assert_frame_equal(*frames, obj=name)
        elif path.name == "manifest.json":
            assert _manifest(path) == _manifest(local_files[name]), name
        else:
            assert path.read_bytes() == local_files[name].read_bytes(), name


def test_warehouse_equals_an_in_process_run(runs):
    with duckdb.connect(str(runs["celery"] / "budget.duckdb"), read_only=True) as a, \
            duckdb.connect(str(runs["local"] / "budget.duckdb"), read_only=True) as b:
        tables = "select table_name from information_schema.tables order by table_name"
        names = [t for (t,) in a.execute(tables).fetchall()]
        assert names == [t for (t,) in b.execute(tables).fetchall()]
        assert "fact_budget_line" in names
        # every document, the PDFs too, read into figures
        assert a.execute("select count(distinct document_id) from fact_budget_line").fetchone()[0] == len(runs["keys"])
        for table in names:
            columns = ", ".join(f'"{c}"' for (c, *_) in a.execute(f'describe "{table}"').fetchall()
                                if not VOLATILE.search(c)) or "count(*)"  # warehouse_build holds stamps only
            query = f'select {columns} from "{table}" order by all'
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table
