"""Shared fixtures: each document is read once per session, the seed warehouse built once."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "raw" / "000_7846cf6649494c8d.txt"
REAL_DOCS = REPO.parent / "shared" / "real-docs"


def run_pipeline(raw_dir: Path, warehouse_dir: Path, workers: int = 1) -> Path:
    """The whole pipeline on a raw folder, as `budget run` does it; returns the warehouse file."""
    from pipelines.run import run_pipeline as run

    return run(raw_dir, warehouse_dir, workers=workers).warehouse


@pytest.fixture(scope="session")
def seed_raw_dir(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(SEED, raw / SEED.name)
    return raw


@pytest.fixture(scope="session")
def seed_warehouse(seed_raw_dir, tmp_path_factory) -> Path:
    return run_pipeline(seed_raw_dir, tmp_path_factory.mktemp("warehouse"))


@pytest.fixture()
def seed_db(seed_warehouse):
    con = duckdb.connect(str(seed_warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory) -> Path:
    """One warehouse from every real document under ../shared/real-docs, read where it lies (the
    raw folder is only read; its SOURCES.md files are skipped as no documents), once per session."""
    if not REAL_DOCS.is_dir():
        pytest.skip(f"real documents not available at {REAL_DOCS}")
    return run_pipeline(REAL_DOCS, tmp_path_factory.mktemp("real_warehouse"), workers=2)


@pytest.fixture()
def real_db(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    yield con
    con.close()
