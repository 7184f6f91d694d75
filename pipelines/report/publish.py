"""Write the run's reports under ``<warehouse>/reports/``: our HTML report and GX Data Docs.

Both are built into a fresh folder and swapped in whole, so a reader never sees half a report.
"""
from __future__ import annotations

import shutil
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..warehouse.build import WAREHOUSE_FILE, connect_read_only, query_frame

if TYPE_CHECKING:
    from ..checks.gx_process import GxProcess

REPORTS = "reports"


class ReportBuild:
    """The reports being built into a fresh folder, swapped in whole by ``finish``. Given the run's ``gx``
    process, the GX Data Docs are built there, started by ``start_data_docs`` as soon as the findings are
    known (``budget run`` starts it before the warehouse is even published), while this process writes the
    HTML report."""

    ROWS = "check_result.parquet"  # what the GX process reads the findings from; removed before the swap

    def __init__(self, warehouse_dir: Path, data_docs: bool = True, gx: GxProcess | None = None) -> None:
        self.warehouse_dir, self.data_docs, self.gx = warehouse_dir, data_docs, gx
        for stale in [*warehouse_dir.glob(f".{REPORTS}.*.building"), *warehouse_dir.glob(f".{REPORTS}.*.retired")]:
            shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
        self.building = warehouse_dir / f".{REPORTS}.{uuid.uuid4().hex}.building"
        self.building.mkdir(parents=True)
        self._findings: int | None = None  # rows of check_result, once start_data_docs has seen them
        self._in_gx = False  # the Data Docs asked of the GX process, not yet answered
        if data_docs and gx is not None:
            gx.data_docs_site(self.building / "gx")

    def start_data_docs(self, con: duckdb.DuckDBPyConnection) -> None:
        """``con``: the warehouse the reports are for (the build's connection, before it is published). The
        GX process reads its ``check_result`` from a Parquet copy: at a thousand documents a million rows, which
        DuckDB writes in a second where pickling them would hold this process for several."""
        if self._findings is not None:
            return
        (self._findings,) = con.execute("SELECT count(*) FROM check_result").fetchone()
        if self.data_docs and self._findings and self.gx is not None:
            rows = self.building / self.ROWS
            con.execute("COPY check_result TO '{}' (FORMAT parquet)".format(str(rows).replace("'", "''")))
            self.gx.start_data_docs(rows, self.building / "gx")
            self._in_gx = True

    def finish(self, raw_dir: Path | None = None) -> Path:
        """Write the HTML report, wait for (or build) the Data Docs, swap the folder in; returns index.html."""
        from ..checks.results import build_data_docs
        from .html import write_report

        target = self.warehouse_dir / REPORTS
        try:
            con = connect_read_only(self.warehouse_dir)
            try:
                self.start_data_docs(con)
                try:
                    previous = query_frame(con, "select * from previous_check_result")
                    write_report(con, self.building, previous, raw_dir=raw_dir)
                finally:
                    self._wait()
                if self.data_docs and self._findings and self.gx is None:
                    build_data_docs(query_frame(con, "select * from check_result"), self.building / "gx")
            finally:
                con.close()
            (self.building / self.ROWS).unlink(missing_ok=True)
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
