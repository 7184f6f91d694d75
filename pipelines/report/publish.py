"""Write the run's reports under ``<warehouse>/reports/``: our HTML report and GX Data Docs.

Both are built into a fresh folder and swapped in whole, so a reader never sees half a report.
"""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pandas as pd

from ..warehouse.build import WAREHOUSE_FILE, connect_read_only

REPORTS = "reports"


def _frame(con, sql: str) -> pd.DataFrame:
    cursor = con.execute(sql)
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description], dtype=object)


def write_reports(warehouse_dir: Path, data_docs: bool = True, raw_dir: Path | None = None) -> Path:
    """Build the reports from the published warehouse; returns the report's index.html. ``raw_dir``: the
    documents, for the page crops that show each contradiction's cells."""
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
            previous = _frame(con, "select * from previous_check_result")
            write_report(con, building, previous, raw_dir=raw_dir)
            results = _frame(con, "select * from check_result")
        finally:
            con.close()
        if data_docs and len(results):
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
