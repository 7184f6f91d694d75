"""What a person sees at the end of a run and from `budget sql`."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from .warehouse.build import connect_read_only

_COUNTS = {
    "documents": "select count(*) from dim_document",
    "tables": "select count(distinct table_id) from fact_table_cell",
    "budget lines": "select count(*) from fact_budget_line",
    "narrative figures": "select count(*) from fact_narrative_figure",
    "performance targets": "select count(*) from fact_performance_target",
    "ingest errors": "select count(*) from v_ingest_issue where severity = 'error'",
    "ingest warnings": "select count(*) from v_ingest_issue where severity = 'warning'",
}


def print_summary(warehouse_dir: Path, seconds: float) -> int:
    """Print the end-of-run summary; return the number of error-severity findings."""
    con = connect_read_only(warehouse_dir)
    try:
        counts = {label: con.execute(q).fetchone()[0] for label, q in _COUNTS.items()}
        check_errors = 0
        has_checks = con.execute(
            "select count(*) from information_schema.tables where table_name = 'v_check_result'").fetchone()[0]
        if has_checks:
            check_errors = con.execute(
                "select count(*) from v_check_result where status = 'fail' and severity = 'error'").fetchone()[0]
    finally:
        con.close()
    table = Table(title=f"budget run: {warehouse_dir / 'budget.duckdb'}", show_header=False)
    for label, value in counts.items():
        table.add_row(label, f"{value:,}")
    table.add_row("time taken", f"{seconds:.1f} s")
    Console().print(table)
    return check_errors + counts["ingest errors"]


def render(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, date_format="iso",
                                       default_handler=str) + "\n")
    elif fmt == "markdown":
        cols = list(frame.columns)
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for row in frame.itertuples(index=False):
            print("| " + " | ".join("" if v is None else str(v).replace("|", "\\|") for v in row) + " |")
    else:
        table = Table(show_lines=False)
        for col in frame.columns:
            table.add_column(str(col))
        for row in frame.itertuples(index=False):
            table.add_row(*("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in row))
        Console().print(table)
