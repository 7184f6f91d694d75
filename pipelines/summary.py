"""What a person sees at the end of a run and from `budget sql`."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from .warehouse.build import connect_read_only

_COUNTS = {
    "文档": "select count(*) from dim_document",
    "表格": "select count(distinct table_id) from fact_table_cell",
    "表格中的数字": "select count(*) from fact_budget_line",
    "文字说明中的数字": "select count(*) from fact_narrative_figure",
    "绩效指标": "select count(*) from fact_performance_target",
    "读取错误": "select count(*) from v_ingest_issue where severity = 'error'",
    "读取警告": "select count(*) from v_ingest_issue where severity = 'warning'",
}

_TOP_ERRORS = """
    select r.*, d.department, d.year, d.kind, d.scope
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
    """Print the end-of-run summary (in the report's words); return the number of contradictions and reading
    errors."""
    from .review_commands import finding_figures, finding_lines
    from .wording import READING_NAMES

    console = console or Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    con = connect_read_only(warehouse_dir)
    try:
        counts = {label: con.execute(q).fetchone()[0] for label, q in _COUNTS.items()}
        verdicts = dict(con.execute("select status, count(*) from v_check_result group by all").fetchall())
        roles = dict(con.execute("select finding_role, count(*) from v_check_result "
                                 "where finding_role is not null group by all").fetchall())
        changes = dict(con.execute("select change, count(*) from v_finding_change group by all").fetchall())
        cursor = con.execute(_TOP_ERRORS)
        top = [dict(zip([c[0] for c in cursor.description], row)) for row in cursor.fetchall()]
        figures = finding_figures(con, [r["finding_id"] for r in top])
        per_document = con.execute(_PER_DOCUMENT).fetchall()
    finally:
        con.close()
    table = Table(title=f"budget run：{warehouse_dir / 'budget.duckdb'}", show_header=False)
    for label, value in counts.items():
        table.add_row(label, f"{value:,}")
    checked = sum(n for status, n in verdicts.items() if status != "unverified")
    table.add_row("检查过的关系", f"{checked:,}个，其中{verdicts.get('pass', 0):,}个成立")
    table.add_row("矛盾", f"{roles.get('contradiction', 0):,}（连带使{roles.get('consequence', 0):,}个关系不成立）")
    table.add_row("读数存疑", f"{roles.get('reading_doubt', 0):,}（{roles.get('doubted', 0):,}个关系因此未判定）")
    table.add_row("警告", f"{roles.get('warning', 0):,}（提示性检查未通过）")
    table.add_row("无法核对", f"{roles.get('unverifiable', 0):,}（文中的数字在表格中没有唯一可对照的数）")
    table.add_row("尾差", f"{roles.get('rounding_residue', 0):,}（四舍五入范围内的差额）")
    table.add_row("与上次运行相比", f"新发现{changes.get('new', 0)}，仍未解决{changes.get('still_open', 0)}，"
                                  f"已解决{changes.get('resolved', 0)}")
    table.add_row("用时", f"{seconds:.1f} 秒")
    console.print(table)
    if per_document:
        by_doc = Table(title="值得先看的文档", show_lines=False)
        for column in ("文档", "矛盾", "读数存疑", "读取评价"):
            by_doc.add_column(column)
        for dept, year, kind, scope, contradictions, doubts, reading, _ in per_document:
            by_doc.add_row(f"{dept or '（部门未识别）'} {year or ''}年 {kind or ''}（{scope or ''}）",
                           str(contradictions), str(doubts), READING_NAMES.get(reading, reading))
        console.print(by_doc)
        more = per_document[0][-1] - len(per_document)
        if more:
            console.print(f"……另有{more:,}个文档值得一看：报告中列有全部文档。")
    if top:
        console.print("[bold]文件自相矛盾之处[/bold]（差额大的在前）：")
        for r in top:
            r["figures"] = figures.get(r["finding_id"], [])
            console.print("\n".join(finding_lines(r)), markup=False)
    return roles.get("contradiction", 0) + counts["读取错误"]


def render(frame: pd.DataFrame, fmt: str) -> None:
    """A query's rows in ``fmt``; a table piped elsewhere than a terminal is written with every value whole (as
    Markdown), never cut to the width of a screen."""
    if fmt == "table" and not sys.stdout.isatty():
        fmt = "markdown"
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
