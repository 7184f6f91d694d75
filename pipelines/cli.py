"""`budget`: run the pipeline headless, query the warehouse, find the report."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from .export import add_parser as add_export_parser
from .paths import DEFAULT_RAW_DIR, DEFAULT_REVIEWS_FILE, DEFAULT_WAREHOUSE_DIR
from .progress import ProgressReporter
from .review_commands import add_review_parsers


class RichProgress(ProgressReporter):
    """One progress bar per stage, advanced per document (read) or per model (warehouse)."""

    def __init__(self, progress) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, stage: str, total: int) -> None:
        self.tasks[stage] = self.progress.add_task(stage, total=total or 1)

    def advance(self, stage: str, item: str) -> None:
        task = self.tasks.get(stage)
        if task is not None:
            self.progress.update(task, advance=1, description=f"{stage}：{item}")


def _load_publishing_libraries() -> None:
    """What publishing and the report would otherwise load after the reading, loaded while the worker
    processes read: the modules of the publish and the report, and the SQL models and checks parsed with
    sqlglot (~0.4 s; cached). GX is not among them: the GX process imports it (``checks.gx_process``)."""
    from .checks import record  # noqa: F401
    from .checks.results import tables_checked
    from .report import html  # noqa: F401
    from .review import load_reviews  # noqa: F401
    from .warehouse.sql_models import load_models

    load_models()
    load_models(layers=("checks_results",))
    tables_checked()


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .checks import gx_process
    from .discover.files import scan_raw_folder
    from .report.publish import REPORTS, ReportBuild, reports_current
    from .run import nothing_new, publish_warehouse, stage_files
    from .summary import print_summary

    console = Console(stderr=True)
    raw, warehouse_dir = Path(args.raw), Path(args.warehouse)
    if not raw.is_dir():
        from .usage import UsageError

        raise UsageError(f"原始文件夹 {raw} 不存在")
    started = time.perf_counter()
    files = scan_raw_folder(raw)
    reviews = Path(args.reviews)
    if not args.force and nothing_new(files, warehouse_dir, reviews) and reports_current(warehouse_dir):
        console.print(f"共{len(files)}个文件，自上次运行以来没有新增或改动：仓库和报告都是最新的（加 --force 可重新生成）")
        errors = print_summary(warehouse_dir, time.perf_counter() - started)
        console.print(f"报告：{(warehouse_dir / REPORTS / 'index.html').resolve().as_uri()}")
        return 1 if args.strict and errors else 0
    with Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bars:
        reporter = RichProgress(bars)
        reporter.start("读取文件", len(files))
        staged = stage_files(files, warehouse_dir, args.workers,
                             on_file=lambda s: reporter.advance("读取文件", s.name[-30:]),
                             while_waiting=_load_publishing_libraries)
        from .warehouse.sql_models import load_models
        reporter.start("生成仓库", len(load_models()))
        with ExitStack() as stack:
            # With workers, GX runs in a process forked now: it imports GX while this one loads the warehouse,
            # validates the check rows, and builds the Data Docs as soon as the findings are judged.
            gx = stack.enter_context(gx_process.GxProcess()) if args.workers > 1 and gx_process.available() else None
            report = ReportBuild(warehouse_dir, gx=gx)
            try:
                publish_warehouse(raw, warehouse_dir, on_model=lambda m, n: reporter.advance("生成仓库", m.name),
                                  files=files, reviews=reviews,
                                  on_checked=report.start_data_docs if gx else None,
                                  validate=gx.validate if gx else None)
            except BaseException:
                report.abandon()
                raise
            reporter.start("生成报告", 1)
            index = report.finish(raw_dir=raw)
        reporter.advance("生成报告", "index.html")
    reused = sum(s.reused for s in staged)
    console.print(f"共{len(staged)}个文件：读取了{len(staged) - reused}个，{reused}个自上次运行以来没有改动")
    errors = print_summary(warehouse_dir, time.perf_counter() - started)
    console.print(f"报告：{index.resolve().as_uri()}")
    return 1 if args.strict and errors else 0


def sql(args: argparse.Namespace) -> int:
    import duckdb
    import pandas as pd

    from .summary import render
    from .usage import UsageError, open_warehouse

    con = open_warehouse(args.warehouse)
    try:
        cursor = con.execute(args.query)
        columns = [d[0] for d in cursor.description or []]
        # Built from Python values, not .df(): DECIMAL stays Decimal instead of becoming float.
        frame = pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object)
    except duckdb.Error as exc:
        raise UsageError(f"SQL 出错：{str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    render(frame, args.format)
    return 0


def report(args: argparse.Namespace) -> int:
    from .report.publish import data_docs_index

    index = Path(args.warehouse) / "reports" / "index.html"
    if not index.exists():
        from .usage import UsageError

        raise UsageError(f"{index} 还没有报告：请先运行 budget run")
    print(f"报告：{index.resolve().as_uri()}")
    docs = data_docs_index(Path(args.warehouse))
    if docs:
        print(f"GX 数据文档：{docs.resolve().as_uri()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    warehouse_default = os.environ.get("BUDGET_WAREHOUSE_DIR", DEFAULT_WAREHOUSE_DIR)
    reviews_default = os.environ.get("BUDGET_REVIEWS_FILE", DEFAULT_REVIEWS_FILE)

    p_run = sub.add_parser("run", help="read new or changed documents of the raw folder, rebuild the warehouse and the report")
    p_run.add_argument("--raw", default=os.environ.get("BUDGET_RAW_DIR", DEFAULT_RAW_DIR))
    p_run.add_argument("--warehouse", default=warehouse_default)
    p_run.add_argument("--strict", action="store_true", help="exit non-zero when a check finds an error")
    p_run.add_argument("--workers", type=int, default=None,
                       help="documents read in parallel (default: the number of cores)")
    p_run.add_argument("--force", action="store_true",
                       help="rebuild the warehouse and the report even when no file changed")
    p_run.add_argument("--reviews", default=reviews_default,
                       help="the analysts' verdicts on findings (budget review writes it)")
    p_run.set_defaults(func=run)

    p_sql = sub.add_parser("sql", help="query the warehouse (read-only)")
    p_sql.add_argument("query")
    p_sql.add_argument("--warehouse", default=warehouse_default)
    p_sql.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")
    p_sql.set_defaults(func=sql)

    p_report = sub.add_parser("report", help="print where the data-quality report is")
    p_report.add_argument("--warehouse", default=warehouse_default)
    p_report.set_defaults(func=report)
    add_export_parser(sub, warehouse_default)

    add_review_parsers(sub, warehouse_default, reviews_default, os.environ.get("BUDGET_RAW_DIR", DEFAULT_RAW_DIR))

    args = parser.parse_args(argv)
    if getattr(args, "workers", 0) is None:
        from .run import default_workers
        args.workers = default_workers()
    from .usage import UsageError

    try:
        code = args.func(args)
    except UsageError as exc:
        print(f"budget {args.command}：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of a pipe stopped (| head): nothing more to say
        sys.stderr.close()
        return 0
    if argv is None and args.command == "run":
        # Run from the command line: everything is written and closed, so leave without the interpreter's
        # teardown of GX, pandas, DuckDB and the run's objects (~0.5 s after a cold run).
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
