"""One run of the pipeline, without Dagster: stage every raw file (in parallel), then rebuild and
publish the warehouse. The Dagster assets and `budget run` both call these functions."""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from .discover.files import RawFile, file_key, scan_raw_folder
from .normalize.staging import (
    StagedFile, freeze_heap, is_staged, prune_staging, stage_file, staged_manifests, staged_sources,
)
from .versioning import files_hash
from .warehouse.build import WAREHOUSE_FILE, build_warehouse, update_warehouse
from .warehouse.incremental import (
    StagedInput, change_between, record_inputs, recorded_inputs, update_documents,
)
from .warehouse.sql_models import SQL_DIR, SqlModel, load_models

if TYPE_CHECKING:
    from .checks.suites import Validate

STAGING = "staging"


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def stage_files(
    files: list[RawFile], warehouse_dir: Path, workers: int = 1,
    on_file: Callable[[StagedFile], None] | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> list[StagedFile]:
    """Extract every file not already staged; ``workers`` processes at once. ``while_waiting`` runs in a
    thread of this process while worker processes read (started once they all are, so no fork copies it),
    and has ended when this returns (a later fork copies no lock it held)."""
    staging_dir = warehouse_dir / STAGING
    staging_dir.mkdir(parents=True, exist_ok=True)
    staged: list[StagedFile] = []
    freeze_heap()
    if workers <= 1 or len(files) <= 1:
        for raw_file in files:
            staged.append(stage_file(raw_file, staging_dir))
            if on_file:
                on_file(staged[-1])
        return staged
    # Largest first: a long document started last would keep one worker busy while the others idle.
    largest_first = sorted(files, key=lambda f: f.size, reverse=True)
    waiting = threading.Thread(target=while_waiting, daemon=True) if while_waiting is not None else None
    with ProcessPoolExecutor(max_workers=workers, initializer=freeze_heap) as pool:
        futures = [pool.submit(stage_file, raw_file, staging_dir) for raw_file in largest_first]
        if waiting is not None:
            waiting.start()
        for future in as_completed(futures):
            staged.append(future.result())
            if on_file:
                on_file(staged[-1])
    if waiting is not None:
        waiting.join()
    return sorted(staged, key=lambda s: s.name)


def warehouse_version() -> str:
    """A hash of what builds the warehouse from the staged files: the SQL models and the Python
    that runs them and the checks. A warehouse built by other code is rebuilt."""
    root = Path(__file__).resolve().parent
    return (files_hash(sorted(SQL_DIR.rglob("*.sql")), SQL_DIR) + "-"
            + files_hash([*sorted((root / "warehouse").glob("*.py")), *sorted((root / "checks").glob("*.py"))], root))


def _record_build(con, inputs: list[StagedInput]) -> None:
    con.execute("CREATE OR REPLACE TABLE warehouse_build AS SELECT ? AS code_version, current_timestamp AS built_at",
                [warehouse_version()])
    con.execute("COMMENT ON TABLE warehouse_build IS '仓库构建信息 / When and by which version of the SQL models "
                "and checks this warehouse was built (code_version: a hash of them).'")
    record_inputs(con, inputs)


def _staged_inputs(staging_dir: Path, keys: list[str]) -> list[StagedInput]:
    return [StagedInput(key, m.get("file", ""), m.get("sha256", ""), m.get("code_version", ""))
            for key, m in staged_manifests(staging_dir, keys).items()]


def _published_inputs(published: Path) -> dict[str, StagedInput] | None:
    """The inputs of the published warehouse, when it was built by the code as it is now."""
    if not published.exists():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            (built_by,) = con.execute("SELECT code_version FROM warehouse_build").fetchone()
            return recorded_inputs(con) if built_by == warehouse_version() else None
    except (duckdb.Error, TypeError):
        return None


class _FullBuildNeeded(Exception):
    pass


def publish_warehouse(
    raw_dir: Path, warehouse_dir: Path,
    on_model: Callable[[SqlModel, int], None] | None = None,
    files: list[RawFile] | None = None,
    reviews: Path | None = None,
    incremental: bool = True,
    on_checked: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    validate: Validate | None = None,
) -> Path:
    """Publish the warehouse of the files now in ``raw_dir`` (their staged outputs) with the analysts'
    verdicts of the ``reviews`` file: only the documents a change touches are rebuilt into a copy of the
    published warehouse (``warehouse.incremental``); a full build when there is none to start from, it was
    built by other code, or ``incremental`` is off. ``on_checked`` is given the connection of the build once
    its ``check_result`` is final (before the file is published). ``validate`` validates the check rows
    (default: GX in this process; ``checks.gx_process`` answers it from a process of its own)."""
    from .checks.record import judge_checks, now, record_checks
    from .checks.results import tables_checked
    from .checks.suites import validate_in_process
    from .review import load_reviews

    validate = validate or validate_in_process
    files = scan_raw_folder(raw_dir) if files is None else files
    keys = sorted({file_key(f.name) for f in files})
    staging_dir = warehouse_dir / STAGING
    prune_staging(staging_dir, set(keys))
    inputs = _staged_inputs(staging_dir, keys)
    published = warehouse_dir / WAREHOUSE_FILE
    run_at = now()
    recorded = _published_inputs(published) if incremental else None

    if recorded is not None:
        change = change_between(recorded, inputs)

        def update(con: duckdb.DuckDBPyConnection) -> None:
            changed = [i.key for i in change.changed]
            docs = update_documents(
                con, change, lambda c: staged_sources(c, staging_dir, changed, append=True), load_models(),
                lambda c: judge_checks(c, run_at, validate=validate), tables_checked(), run_at, on_model)
            if docs is None:
                raise _FullBuildNeeded
            load_reviews(con, reviews)
            if on_checked:
                on_checked(con)
            _record_build(con, inputs)

        try:
            return update_warehouse(warehouse_dir, update)
        except _FullBuildNeeded:
            pass

    def after_models(con: duckdb.DuckDBPyConnection) -> None:
        load_reviews(con, reviews)
        record_checks(con, published, run_at, validate)
        if on_checked:
            on_checked(con)
        _record_build(con, inputs)

    return build_warehouse(
        warehouse_dir,
        lambda con: staged_sources(con, staging_dir, keys),
        load_models(),
        on_model=on_model,
        after_models=after_models,
    )


def nothing_new(files: list[RawFile], warehouse_dir: Path, reviews: Path | None = None) -> bool:
    """Every file is staged as it is now, and the published warehouse was built after the last
    staging, from exactly these files and reviews, by the SQL models and checks as they are now: a run
    would change nothing."""
    from .review import loaded_reviews_hash, reviews_hash

    staging_dir = warehouse_dir / STAGING
    warehouse = warehouse_dir / WAREHOUSE_FILE
    if not files or not warehouse.exists() or not all(is_staged(f, staging_dir) for f in files):
        return False
    staged = {p.name for p in staging_dir.iterdir() if not p.name.startswith(".")}
    if staged != {file_key(f.name) for f in files}:
        return False  # a removed file's outputs are still in the warehouse
    newest = max((staging_dir / key / "manifest.json").stat().st_mtime for key in staged)
    if warehouse.stat().st_mtime < newest:
        return False
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            (built_by,) = con.execute("SELECT code_version FROM warehouse_build").fetchone()
    except (duckdb.Error, TypeError):
        return False
    return built_by == warehouse_version() and loaded_reviews_hash(warehouse) == reviews_hash(reviews)


@dataclass
class RunOutcome:
    warehouse: Path
    staged: list[StagedFile]


def run_pipeline(raw_dir: Path, warehouse_dir: Path, workers: int = 1,
                 on_file: Callable[[StagedFile], None] | None = None,
                 on_model: Callable[[SqlModel, int], None] | None = None,
                 reviews: Path | None = None) -> RunOutcome:
    files = scan_raw_folder(raw_dir)
    staged = stage_files(files, warehouse_dir, workers, on_file)
    return RunOutcome(publish_warehouse(raw_dir, warehouse_dir, on_model, files, reviews), staged)
