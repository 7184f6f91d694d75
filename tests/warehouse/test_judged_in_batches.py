"""Checks judged a batch of documents at a time give the findings of judging every document at once.

A full build judges ``record.BATCH_DOCUMENTS`` documents at a time, each batch in an in-memory database
of its own; the documents of one department stay together, since the checks across documents compare a
department's years. Two full builds of the same staged files, one a document per batch (a department's
two years still together), one in a single batch, must give the same warehouse, table by table.
"""
from __future__ import annotations

import shutil

import duckdb

from pipelines import run
from pipelines.checks import record
from pipelines.discover.files import scan_raw_folder
from tests.conftest import SEED
from tests.warehouse.test_incremental import _department, _year_before, differences


def test_batches_of_documents_judge_as_one(tmp_path, monkeypatch):
    seed = SEED.read_text(encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(3):
        (raw / f"doc{n}.txt").write_text(_department(seed, n), encoding="utf-8")
    (raw / "doc0_2021.txt").write_text(_year_before(_department(seed, 0)), encoding="utf-8")
    batched, whole = tmp_path / "batched", tmp_path / "whole"
    files = scan_raw_folder(raw)
    run.stage_files(files, batched)
    shutil.copytree(batched / run.STAGING, whole / run.STAGING)

    batches: list[list[list[str]]] = []
    groups = record.document_groups

    def spy(*args, **kwargs):
        batches.append(groups(*args, **kwargs))
        return batches[-1]

    monkeypatch.setattr(record, "document_groups", spy)
    monkeypatch.setattr(record, "BATCH_DOCUMENTS", 1)
    run.publish_warehouse(raw, batched, files=files, incremental=False)
    monkeypatch.setattr(record, "BATCH_DOCUMENTS", 100)
    run.publish_warehouse(raw, whole, files=files, incremental=False)

    assert [len(b) for b in batches] == [3, 1]  # the department of two years is one batch of two documents
    assert sorted(len(b) for b in batches[0]) == [1, 1, 2]
    assert differences(batched / "budget.duckdb", whole / "budget.duckdb") == {}
    with duckdb.connect(str(batched / "budget.duckdb"), read_only=True) as con:
        across = con.execute("SELECT count(*) FROM check_result WHERE check_kind = 'year_over_year_across_documents' "
                             "AND status <> 'unverified'").fetchone()[0]
        figures = con.execute("SELECT count(*) FROM check_figure").fetchone()[0]
    assert across > 0  # the two years were judged together
    assert figures > 0
