"""What a person sees at the end of a run and from `budget sql`."""
from __future__ import annotations

import sys
from decimal import Decimal
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


_TOP_ERRORS = """
    select d.department, d.year, r.check_kind, r.description, r.expected, r.actual, r.difference, r.source_ref,
        r.culprit, r.confidence
    from v_check_result as r join dim_document as d using (document_id)
    where r.finding_role = 'contradiction'
    order by abs(r.difference) desc nulls last
    limit 10
"""

# Per document: what a reader should look at first; the first rows only (the report lists every document).
_PER_DOCUMENT_ROWS = 20
_PER_DOCUMENT = f"""
    select department, year, kind, scope, contradictions, reading_doubts, reading, count(*) over () as listed
    from v_document_quality
    where contradictions > 0 or reading_doubts > 0 or reading <> 'good'
    order by contradictions desc, reading_doubts desc, department, year
    limit {_PER_DOCUMENT_ROWS}
"""


def print_summary(warehouse_dir: Path, seconds: float, console: Console | None = None) -> int:
    """Print the end-of-run summary; return the number of contradictions and ingest errors."""
    console = console or Console()
    con = connect_read_only(warehouse_dir)
    try:
        counts = {label: con.execute(q).fetchone()[0] for label, q in _COUNTS.items()}
        verdicts = dict(con.execute("select status, count(*) from v_check_result group by all").fetchall())
        roles = dict(con.execute("select finding_role, count(*) from v_check_result "
                                 "where finding_role is not null group by all").fetchall())
        changes = dict(con.execute("select change, count(*) from v_finding_change group by all").fetchall())
        top = con.execute(_TOP_ERRORS).fetchall()
        per_document = con.execute(_PER_DOCUMENT).fetchall()
    finally:
        con.close()
    table = Table(title=f"budget run: {warehouse_dir / 'budget.duckdb'}", show_header=False)
    for label, value in counts.items():
        table.add_row(label, f"{value:,}")
    checked = sum(n for status, n in verdicts.items() if status != "unverified")
    held = verdicts.get("pass", 0)
    table.add_row("relations checked", f"{checked:,}, {held:,} hold")
    table.add_row("contradictions", f"{roles.get('contradiction', 0):,} (breaking {roles.get('consequence', 0):,} "
                                    "more relations)")
    table.add_row("reading doubts", f"{roles.get('reading_doubt', 0):,} (over {roles.get('doubted', 0):,} relations "
                                    "not judged)")
    table.add_row("warnings", f"{roles.get('warning', 0):,} (hints that failed)")
    table.add_row("unverifiable claims", f"{roles.get('unverifiable', 0):,} (stated figures no table holds)")
    table.add_row("findings since last run", ", ".join(f"{changes.get(c, 0)} {c.replace('_', ' ')}"
                                                       for c in ("new", "still_open", "resolved")))
    table.add_row("time taken", f"{seconds:.1f} s")
    console.print(table)
    if per_document:
        by_doc = Table(title="documents to look at", show_lines=False)
        for column in ("document", "contradictions", "reading doubts", "reading"):
            by_doc.add_column(column)
        for dept, year, kind, scope, contradictions, doubts, reading, _ in per_document:
            by_doc.add_row(f"{dept or '(department not found)'} {year or ''} {kind or ''} {scope or ''}",
                           str(contradictions), str(doubts), reading)
        console.print(by_doc)
        more = per_document[0][-1] - len(per_document)
        if more:
            console.print(f"… and {more:,} more document(s) to look at: the report lists every document.")
    if top:
        console.print("[bold]Where documents contradict themselves[/bold] (largest differences first):")
        for dept, year, kind, desc, expected, actual, diff, ref, culprit, confidence in top:
            console.print(f"• {dept} {year} [{kind}] {desc}\n  expected {_fmt(expected)}, printed "
                          f"{_fmt(actual)}, difference {_fmt(diff)}  ({ref})"
                          + (f"\n  the figure that is off: {culprit}" if culprit else "")
                          + (f"\n  why the reading is trusted: {confidence}" if confidence else ""),
                          markup=False, highlight=False)
    return roles.get("contradiction", 0) + counts["ingest errors"]


def _fmt(value) -> str:
    if value is None:
        return "—"
    if not isinstance(value, Decimal):
        return str(value)
    value = value.normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:,f}"


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
