"""Incremental publish equals a full rebuild, row for row, on the same staged files.

Each case starts two warehouse folders from the same published state, changes the raw folder, then
publishes one incrementally and the other with a full build, and compares every table and view of
the two (the run's own timestamps aside). The incremental path must really be taken: the full build
is made to fail there.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines import run
from pipelines.discover.files import scan_raw_folder
from tests.conftest import REAL_DOCS, SEED

VOLATILE = {"run_at", "previous_run_at", "built_at"}  # when this build and the one before ran


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Every table and view of the two warehouses compared as multisets of rows (order is not part of a
    table): name → (rows only the incremental one has, rows only the full one has), where any."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS a (READ_ONLY)", [str(incremental)])
        con.execute("ATTACH ? AS b (READ_ONLY)", [str(full)])
        names = {}
        for db in ("a", "b"):
            names[db] = {n for (n,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? UNION ALL "
                "SELECT view_name FROM duckdb_views() WHERE database_name = ? AND NOT internal", [db, db]).fetchall()}
        assert names["a"] == names["b"], names["a"] ^ names["b"]
        out = {}
        for name in sorted(names["a"]):
            columns = ", ".join(f'"{c}"' for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = ? "
                "ORDER BY column_index", [name]).fetchall() if c not in VOLATILE)
            only = [con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM {x}.{name} "
                                f"EXCEPT ALL SELECT {columns} FROM {y}.{name})").fetchone()[0]
                    for x, y in (("a", "b"), ("b", "a"))]
            if any(only):
                out[name] = tuple(only)
        return out
    finally:
        con.close()


def assert_same_warehouse(incremental: Path, full: Path) -> None:
    assert differences(incremental, full) == {}
    with duckdb.connect(str(incremental), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM check_result").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM fact_budget_line").fetchone()[0] > 0


def publish_both(raw: Path, warehouse: Path, twin: Path, monkeypatch) -> None:
    """Stage ``raw`` once (the same staged rows for both), publish ``warehouse`` incrementally (a full build
    there fails the test) and ``twin`` with a full build."""
    files = scan_raw_folder(raw)
    run.stage_files(files, warehouse)
    shutil.rmtree(twin / run.STAGING)
    shutil.copytree(warehouse / run.STAGING, twin / run.STAGING)

    def no_full_build(*args, **kwargs):
        raise AssertionError("the incremental publish fell back to a full build")

    with monkeypatch.context() as patch:
        patch.setattr(run, "build_warehouse", no_full_build)
        run.publish_warehouse(raw, warehouse, files=files)
    run.publish_warehouse(raw, twin, files=files, incremental=False)


def _department(text: str, n: int) -> str:
    """The seed as the document of another department (武汉市青山区甲信息化局 …)."""
    return text.replace("青山区科学技术和经济", "青山区" + "甲乙丙丁戊己庚辛壬癸子丑"[n])


def _year_before(text: str) -> str:
    """The same department's document of the year before (its stated changes then refer to 2020)."""
    return text.replace("2021", "2020").replace("2022", "2021")


def test_seed_documents_added_changed_removed_and_a_prior_year(tmp_path, monkeypatch):
    seed = SEED.read_text(encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(10):  # a change touching more than half the documents is a full build
        (raw / f"doc{n}.txt").write_text(_department(seed, n), encoding="utf-8")
    warehouse = tmp_path / "wh"
    run.run_pipeline(raw, warehouse)

    # added, changed (one stated figure), removed, and the year before of doc0's department: its stated
    # change of the total is then checked across the two documents, so doc0's findings change too
    (raw / "doc10.txt").write_text(_department(seed, 10), encoding="utf-8")
    (raw / "doc2.txt").write_text(_department(seed, 2).replace("780.01", "780.02"), encoding="utf-8")
    (raw / "doc1.txt").unlink()
    (raw / "doc0_2021.txt").write_text(_year_before(_department(seed, 0)), encoding="utf-8")
    twin = tmp_path / "twin"
    shutil.copytree(warehouse, twin)
    publish_both(raw, warehouse, twin, monkeypatch)
    assert_same_warehouse(warehouse / "budget.duckdb", twin / "budget.duckdb")

    with duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dim_document").fetchone()[0] == 11
        across = con.execute("SELECT count(*) FROM check_result WHERE check_kind = 'year_over_year_across_documents' "
                             "AND status <> 'unverified'").fetchone()[0]
        kept = con.execute("SELECT count(DISTINCT run_at) FROM check_result").fetchone()[0]
        departments = con.execute("SELECT count(DISTINCT department) FROM dim_document").fetchone()[0]
        previous = con.execute("SELECT count(*) FROM previous_check_result WHERE document_id NOT IN "
                               "(SELECT document_id FROM dim_document)").fetchone()[0]
    assert departments == 10

    # nothing changed (a forced run, or new reviews): nothing is rebuilt, and nothing is lost
    publish_both(raw, warehouse, twin, monkeypatch)
    assert_same_warehouse(warehouse / "budget.duckdb", twin / "budget.duckdb")
    assert across > 0  # the new prior-year document is compared with doc0's stated change
    assert kept == 1  # every finding stands as of this run, kept ones too
    assert previous > 0  # the removed document's findings are the previous run's, and are resolved now


def _mirror(docs: Path, raw: Path, leave_out: set[str]) -> None:
    """``raw`` holds every PDF under ``docs`` at the same relative path (hard links where the file system
    allows; the raw folder refuses symlinks that leave it), but those left out."""
    for pdf in sorted(docs.rglob("*.pdf")):
        relative = pdf.relative_to(docs)
        if relative.name in leave_out:
            continue
        (raw / relative).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(pdf, raw / relative)
        except OSError:
            shutil.copy2(pdf, raw / relative)


def test_real_corpus_documents_removed_then_added_back(real_warehouse, tmp_path, monkeypatch):
    """On the 40 PDFs: a year of 江苏检察院 (whose other years are compared with it) and the narrative half of
    北京公安 (a document of two files) leave, then come back."""
    if not REAL_DOCS.is_dir():
        pytest.skip(f"real documents not available at {REAL_DOCS}")
    leave_out = {"2018年省检察院部门预算公开.pdf", "公安局_附件1_北京市公安局2026年度部门预算情况说明.pdf"}
    warehouse, twin = tmp_path / "wh", tmp_path / "twin"
    shutil.copytree(real_warehouse.parent, warehouse)

    raw = tmp_path / "raw"
    _mirror(REAL_DOCS, raw, leave_out)
    shutil.copytree(warehouse, twin)
    publish_both(raw, warehouse, twin, monkeypatch)
    assert_same_warehouse(warehouse / "budget.duckdb", twin / "budget.duckdb")

    shutil.rmtree(raw)
    _mirror(REAL_DOCS, raw, set())
    shutil.rmtree(twin)
    shutil.copytree(warehouse, twin)
    publish_both(raw, warehouse, twin, monkeypatch)
    assert_same_warehouse(warehouse / "budget.duckdb", twin / "budget.duckdb")
    with duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dim_document").fetchone()[0] == 36
