"""Write the run's reports under ``<warehouse>/reports/``: our HTML report and GX Data Docs.

Both are built into a fresh folder and swapped in whole, so a reader never sees half a report.
"""
from __future__ import annotations

import multiprocessing
import shutil
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..warehouse.build import WAREHOUSE_FILE, connect_read_only

REPORTS = "reports"


def _frame(con, sql: str) -> pd.DataFrame:
    cursor = con.execute(sql)
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)


class _Forked:
    """``fn(*args)`` in a forked child process: it inherits the arguments and the imported libraries
    (nothing pickled, nothing imported again); ``wait`` raises what the child raised."""

    def __init__(self, fn: Callable[..., object], *args) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=self._run, args=(send, fn, args), daemon=True)
        self._process.start()
        send.close()

    @staticmethod
    def _run(send, fn, args) -> None:
        try:
            fn(*args)
            send.send(None)
        except BaseException:  # noqa: BLE001 - handed to the parent
            send.send(traceback.format_exc())
            raise

    def wait(self) -> None:
        try:
            error = self._receive.recv()
        except EOFError:
            error = "it ended without a word"
        self._process.join()
        if error is not None:
            raise RuntimeError(f"building the GX Data Docs in a child process failed (exit code "
                               f"{self._process.exitcode}):\n{error}")


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def write_reports(warehouse_dir: Path, data_docs: bool = True, raw_dir: Path | None = None, workers: int = 1) -> Path:
    """Build the reports from the published warehouse; returns the report's index.html. ``raw_dir``: the
    documents, for the page crops that show each contradiction's cells. With ``workers`` > 1 the GX Data Docs
    (CPU-bound GX) are built in a forked process while this one writes the HTML report."""
    from ..checks.results import build_data_docs
    from .html import write_report

    target = warehouse_dir / REPORTS
    for stale in [*warehouse_dir.glob(f".{REPORTS}.*.building"), *warehouse_dir.glob(f".{REPORTS}.*.retired")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
    building = warehouse_dir / f".{REPORTS}.{uuid.uuid4().hex}.building"
    building.mkdir(parents=True)
    try:
        con = connect_read_only(warehouse_dir)
        try:
            results = _frame(con, "select * from check_result")
        finally:
            con.close()
        data_docs = data_docs and len(results) > 0
        # Forked before this process opens DuckDB again: the child uses no connection, and no lock of it.
        in_child = _Forked(build_data_docs, results, building / "gx") if data_docs and workers > 1 and _can_fork() \
            else None
        try:
            con = connect_read_only(warehouse_dir)
            try:
                previous = _frame(con, "select * from previous_check_result")
                write_report(con, building, previous, raw_dir=raw_dir)
            finally:
                con.close()
        finally:
            if in_child is not None:
                in_child.wait()
        if data_docs and in_child is None:
            build_data_docs(results, building / "gx")
        retired = warehouse_dir / f".{REPORTS}.{uuid.uuid4().hex}.retired"
        if target.exists():
            target.rename(retired)
        building.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target / "index.html"


def reports_current(warehouse_dir: Path) -> bool:
    """The reports were written from the warehouse now published (not from an earlier one, as
    after a run killed between publishing and reporting)."""
    index, warehouse = warehouse_dir / REPORTS / "index.html", warehouse_dir / WAREHOUSE_FILE
    return index.exists() and warehouse.exists() and index.stat().st_mtime >= warehouse.stat().st_mtime


def data_docs_index(warehouse_dir: Path) -> Path | None:
    found = sorted((warehouse_dir / REPORTS / "gx").rglob("index.html"))
    return found[0] if found else None
