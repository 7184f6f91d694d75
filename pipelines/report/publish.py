"""Write the run's reports under ``<warehouse>/reports/``: our HTML report and GX Data Docs.

Both are built into a fresh folder and swapped in whole, so a reader never sees half a report.
"""
from __future__ import annotations

import shutil
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..warehouse.build import WAREHOUSE_FILE, connect_read_only

if TYPE_CHECKING:
    from ..checks.gx_process import GxProcess

REPORTS = "reports"


def _frame(con, sql: str) -> pd.DataFrame:
    cursor = con.execute(sql)
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)


def check_results(con) -> pd.DataFrame:
    """The rows of ``check_result`` (the Data Docs validate them)."""
    return _frame(con, "select * from check_result")


class ReportBuild:
    """The reports being built into a fresh folder, swapped in whole by ``finish``. Given the run's ``gx``
    process, the GX Data Docs are built there, started by ``start_data_docs`` as soon as the findings are
    known (``budget run`` starts it before the warehouse is even published), while this process writes the
    HTML report."""

    def __init__(self, warehouse_dir: Path, data_docs: bool = True, gx: GxProcess | None = None) -> None:
        self.warehouse_dir, self.data_docs, self.gx = warehouse_dir, data_docs, gx
        for stale in [*warehouse_dir.glob(f".{REPORTS}.*.building"), *warehouse_dir.glob(f".{REPORTS}.*.retired")]:
            shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
        self.building = warehouse_dir / f".{REPORTS}.{uuid.uuid4().hex}.building"
        self.building.mkdir(parents=True)
        self._results: pd.DataFrame | None = None
        self._in_gx = False  # the Data Docs asked of the GX process, not yet answered

    def start_data_docs(self, results: pd.DataFrame) -> None:
        """``results``: the rows of ``check_result`` the reports are for."""
        if self._results is not None:
            return
        self._results = results
        if self.data_docs and len(results) and self.gx is not None:
            self.gx.start_data_docs(results, self.building / "gx")
            self._in_gx = True

    def finish(self, raw_dir: Path | None = None) -> Path:
        """Write the HTML report, wait for (or build) the Data Docs, swap the folder in; returns index.html."""
        from ..checks.results import build_data_docs
        from .html import write_report

        target = self.warehouse_dir / REPORTS
        try:
            if self._results is None:
                con = connect_read_only(self.warehouse_dir)
                try:
                    self.start_data_docs(check_results(con))
                finally:
                    con.close()
            try:
                con = connect_read_only(self.warehouse_dir)
                try:
                    previous = _frame(con, "select * from previous_check_result")
                    write_report(con, self.building, previous, raw_dir=raw_dir)
                finally:
                    con.close()
            finally:
                self._wait()
            if self.data_docs and len(self._results) and self.gx is None:
                build_data_docs(self._results, self.building / "gx")
            retired = self.warehouse_dir / f".{REPORTS}.{uuid.uuid4().hex}.retired"
            if target.exists():
                target.rename(retired)
            self.building.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
        except BaseException:
            self.abandon()
            raise
        return target / "index.html"

    def _wait(self) -> None:
        in_gx, self._in_gx = self._in_gx, False
        if in_gx:
            self.gx.answer()

    def abandon(self) -> None:
        """Give the build up (the run failed): wait for the GX process, remove the folder."""
        try:
            self._wait()
        except RuntimeError:
            pass
        finally:
            shutil.rmtree(self.building, ignore_errors=True)


def write_reports(warehouse_dir: Path, data_docs: bool = True, raw_dir: Path | None = None, workers: int = 1) -> Path:
    """Build the reports from the published warehouse; returns the report's index.html. ``raw_dir``: the
    documents, for the page crops that show each contradiction's cells. With ``workers`` > 1 the GX Data Docs
    are built in a GX process of their own while this one writes the HTML report."""
    from ..checks import gx_process

    with ExitStack() as stack:
        gx = stack.enter_context(gx_process.GxProcess()) if data_docs and workers > 1 and gx_process.available() \
            else None
        return ReportBuild(warehouse_dir, data_docs, gx).finish(raw_dir)


def reports_current(warehouse_dir: Path) -> bool:
    """The reports were written from the warehouse now published (not from an earlier one, as
    after a run killed between publishing and reporting)."""
    index, warehouse = warehouse_dir / REPORTS / "index.html", warehouse_dir / WAREHOUSE_FILE
    return index.exists() and warehouse.exists() and index.stat().st_mtime >= warehouse.stat().st_mtime


def data_docs_index(warehouse_dir: Path) -> Path | None:
    found = sorted((warehouse_dir / REPORTS / "gx").rglob("index.html"))
    return found[0] if found else None
