"""The GX process of a run with workers: the verdicts of GX in process, its failures raised here, and a run
that leaves GX to it."""
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.checks import gx_process
from pipelines.checks.suites import validate_kinds
from pipelines.warehouse.build import query_frame

pytestmark = pytest.mark.skipif(not gx_process.available(), reason="no fork on this platform: GX runs in process")


def _rows(kind: str, excess: list[int | None]) -> pd.DataFrame:
    return pd.DataFrame({"row_id": range(1, len(excess) + 1), "check_kind": kind,
                         "excess_units": pd.array(excess, dtype="Int64")})


def test_the_gx_process_gives_the_verdicts_of_gx_in_process():
    # excess_units: 0 ties out at the tolerance, 7 is 0.0007 over it, NULL has no counterpart, -3 is within it
    frames = {"row_total": _rows("row_total", [0, 7, None]), "narrative": _rows("narrative", [-3]),
              "column_total": _rows("column_total", [])}
    with gx_process.GxProcess() as gx:
        verdicts = gx.validate(frames)()
        again = gx.validate({"narrative": _rows("narrative", [1, 0])})()
    assert verdicts["row_total"].tolist() == [True, False, False]
    assert verdicts["narrative"].tolist() == [True] and verdicts["column_total"].tolist() == []
    assert again["narrative"].tolist() == [False, True]
    for kind, expected in validate_kinds(frames).items():
        pd.testing.assert_series_equal(verdicts[kind], expected)


def test_what_fails_in_the_gx_process_is_raised_here_and_it_answers_on():
    with gx_process.GxProcess() as gx:
        with pytest.raises(RuntimeError, match=r"validating the check rows in the GX process failed:(.|\n)*'difference'"):
            gx.validate({"row_total": pd.DataFrame({"row_id": [1]})})()  # neither excess_units nor difference
        assert gx.validate({"row_total": _rows("row_total", [0])})()["row_total"].tolist() == [True]


def test_gx_that_cannot_be_imported_is_said_at_every_request(monkeypatch):
    monkeypatch.setitem(sys.modules, "great_expectations", None)  # the forked child inherits it
    with gx_process.GxProcess() as gx:
        monkeypatch.undo()
        for _ in range(2):
            with pytest.raises(RuntimeError, match="import of great_expectations halted"):
                gx.validate({"row_total": _rows("row_total", [0])})()


def test_closing_does_not_wait_for_a_request_in_flight():
    gx = gx_process.GxProcess()
    gx.start_data_docs(Path("/nonexistent/check_result.parquet"), Path("/nonexistent/never-written"))
    gx.close()
    assert not gx._process.is_alive()


def test_a_run_with_workers_leaves_gx_to_its_process(seed_raw_dir, tmp_path):
    """`budget run --workers 2` validates and builds the Data Docs in the GX process: its own process never
    imports GX (the ~2 s the GX process spends on the core the warehouse build leaves idle)."""
    script = (
        "import sys\nfrom pipelines.cli import main\n"
        f"code = main(['run', '--raw', {str(seed_raw_dir)!r}, '--warehouse', {str(tmp_path / 'wh')!r}, "
        f"'--workers', '2', '--reviews', {str(tmp_path / 'none.csv')!r}])\n"
        "print(code, 'great_expectations' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["0", "False"], done.stdout + done.stderr
    assert (tmp_path / "wh" / "reports" / "gx").is_dir()


def test_the_findings_read_back_from_their_parquet_copy_are_the_frame_of_the_warehouse(seed_warehouse, tmp_path):
    """The Data Docs in the GX process validate the very rows the run's process holds: the same columns,
    values and types (money as its exact text)."""
    rows = tmp_path / "check_result.parquet"
    with duckdb.connect(str(seed_warehouse), read_only=True) as con:
        held = query_frame(con, "select * from check_result")
        con.execute(f"COPY check_result TO '{rows}' (FORMAT parquet)")
    read_back = gx_process._read_rows(rows)
    pd.testing.assert_frame_equal(read_back, held)
    assert [type(v) for row in read_back.itertuples() for v in row] == \
        [type(v) for row in held.itertuples() for v in row]
    assert len(held) > 10 and any(isinstance(v, str) and v.endswith(".0000") for v in held["actual"])
