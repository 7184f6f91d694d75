"""Faults: killed runs, open readers, odd names, no network, arbitrary text."""
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.read.text_reader import TextReadError, decode_text, read_text
from pipelines.report.publish import write_reports
from tests.conftest import SEED, run_pipeline

QUERY = "select count(*), sum(amount) from fact_budget_line"


def _variant(text: str, n: int) -> str:
    """The seed as another department's document: a different name gives another identity."""
    return text.replace("青山区科学技术和经济", f"青山区第{n}号")


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    raw = tmp_path_factory.mktemp("many")
    text = SEED.read_text(encoding="utf-8")
    for n in range(12):
        (raw / f"doc{n:02d}.txt").write_text(_variant(text, n), encoding="utf-8")
    return raw


@pytest.mark.parametrize("delay", [0.8, 2.5, 4.0])
def test_kill_9_leaves_the_previous_warehouse_and_the_next_run_completes(many, tmp_path, delay):
    warehouse = tmp_path / "wh"
    shutil.copytree(many, tmp_path / "first")
    for extra in sorted(many.iterdir())[6:]:
        (tmp_path / "first" / extra.name).unlink()
    run_pipeline(tmp_path / "first", warehouse)
    before = duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True).execute(QUERY).fetchone()

    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--raw", str(many),
                             "--warehouse", str(warehouse), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[2])
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True)
    after_kill = con.execute(QUERY).fetchone()
    con.close()
    # Either the old warehouse, whole, or (if the run had already published) the new one, whole.
    assert after_kill in (before, (before[0] * 2, before[1] * 2))
    run_pipeline(many, warehouse)  # the next `budget run`: pipeline, then reports
    write_reports(warehouse, data_docs=False)
    con = duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True)
    assert con.execute(QUERY).fetchone() == (before[0] * 2, before[1] * 2)
    assert con.execute("select count(*) from dim_document").fetchone()[0] == 12
    con.close()
    assert not [p for p in warehouse.rglob("*.building")]


def test_an_open_reader_neither_blocks_nor_sees_a_half_built_warehouse(many, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(many / "doc00.txt", first)
    warehouse = tmp_path / "wh"
    run_pipeline(first, warehouse)
    reader = duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True)
    one = reader.execute(QUERY).fetchone()
    shutil.copy(many / "doc01.txt", first)
    run_pipeline(first, warehouse)  # publishes while the reader is open
    assert reader.execute(QUERY).fetchone() == one  # the reader keeps its snapshot
    reader.close()
    fresh = duckdb.connect(str(warehouse / "budget.duckdb"), read_only=True)
    assert fresh.execute(QUERY).fetchone() == (one[0] * 2, one[1] * 2)
    fresh.close()


def test_rerun_with_nothing_new_reuses_every_staged_file(many, tmp_path):
    from pipelines.run import run_pipeline as run

    run(many, tmp_path / "wh")
    again = run(many, tmp_path / "wh")
    assert len(again.staged) == 12 and all(s.reused for s in again.staged)


def test_nothing_new_until_a_file_is_removed_the_models_change_or_the_warehouse_is_gone(many, tmp_path, monkeypatch):
    from pipelines.discover.files import scan_raw_folder
    from pipelines.run import nothing_new, run_pipeline as run

    raw = tmp_path / "raw"
    shutil.copytree(many, raw)
    warehouse = tmp_path / "wh"
    assert not nothing_new(scan_raw_folder(raw), warehouse)  # nothing staged yet
    run(raw, warehouse)
    assert nothing_new(scan_raw_folder(raw), warehouse)
    (raw / "doc11.txt").unlink()  # its rows are still in the warehouse
    assert not nothing_new(scan_raw_folder(raw), warehouse)
    run(raw, warehouse)
    assert nothing_new(scan_raw_folder(raw), warehouse)
    monkeypatch.setattr("pipelines.run.warehouse_version", lambda: "other models")  # SQL or checks edited
    assert not nothing_new(scan_raw_folder(raw), warehouse)
    monkeypatch.undo()
    (warehouse / "budget.duckdb").unlink()
    assert not nothing_new(scan_raw_folder(raw), warehouse)


@pytest.mark.parametrize("name", ["预算 2022（终稿）.txt", "a\u202eb.txt", "e\u0301.txt", "😀.txt", "-rf.txt"])
def test_odd_file_names_are_handled(tmp_path, name):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / name)
    con = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    assert con.execute("select source_files from dim_document").fetchone()[0] == name
    con.close()


def test_no_network_access_at_run_time(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    run_pipeline(raw, tmp_path / "wh")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("附表4-5收支总表单位：元合计206 2,1.0\n\u3000一、（）项目支出")), max_size=400))
def test_text_reader_never_crashes_on_table_like_text(text):
    doc = read_text(text, "fuzz.txt")
    for table in doc.tables:
        assert all(len(row) == len(table.columns) for row in table.rows)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_gives_text_or_a_clear_error(data):
    try:
        text, encoding = decode_text(data, "x.txt")
    except TextReadError as exc:
        assert "x.txt" in str(exc)
    else:
        assert isinstance(text, str) and encoding
