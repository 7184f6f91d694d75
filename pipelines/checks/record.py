"""The checks' place in a warehouse build: run them on the finished schema, store the findings
beside the previous run's, so each finding is known as new, still open or resolved.

The checks are judged a batch of documents at a time (``BATCH_DOCUMENTS``): each batch's rows of the
warehouse's tables are copied into an in-memory database beside it, where the checks run as they would
on the whole warehouse, and the batch's findings are appended to the warehouse's. A million check rows
would otherwise be ranked, validated and judged at once: memory would grow with the corpus. The checks
relate documents only within a department (``_document_total``, ``_prior_document_change``: the same
department's documents of other years), so a department's documents stay in one batch and every batch
gives the findings the whole warehouse would.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ..warehouse.build import create_model
from ..warehouse.incremental import per_document
from ..warehouse.sql_models import SqlModel, load_models
from .adjudicate import explain_gaps, learn_rounding, pack
from .results import JUDGE_READS, RESULT_COLUMNS, collect_check_rows, failed_row_ids, store_findings, tables_checked
from .suites import Validate, validate_in_process


def copy_previous_findings(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    """``previous_check_result``: the findings of the warehouse now published, copied file to file
    (empty when there is none, or it cannot be read: every finding is then new)."""
    columns = ", ".join(f'"{c}"' for c in RESULT_COLUMNS)
    con.execute("CREATE TABLE previous_check_result (" + ", ".join(f'"{c}" VARCHAR' for c in RESULT_COLUMNS) + ")")
    if not published.exists():
        return
    try:
        con.execute("ATTACH ? AS published (READ_ONLY)", [str(published)])
    except duckdb.Error:
        return
    try:
        con.execute(f"INSERT INTO previous_check_result SELECT {columns} FROM published.check_result")
    except duckdb.Error:
        pass
    finally:
        con.execute("DETACH published")


BATCH_DOCUMENTS = 100  # documents judged together (a department's documents are never split)
BATCH_DATABASE = "judged_documents"
JUDGED_TABLES = ("check_result", "check_figure")


def judge_checks(con: duckdb.DuckDBPyConnection, run_at: datetime, batch_size: int | None = None,
                 validate: Validate = validate_in_process) -> None:
    """Run every check on the schema in ``con`` and store the judged findings (``check_result``,
    ``check_figure``), ``batch_size`` documents at a time (default ``BATCH_DOCUMENTS``; ``document_groups``);
    the temporary tables it works in are dropped after. ``validate``: GX in process, or the GX process's."""
    main = con.execute("SELECT current_database()").fetchone()[0]
    models = judged_models()
    per_doc = {m.name for m in models if m.materialization == "table" and per_document(con, main, m.name)}
    batches = document_groups(con, per_doc, batch_size or BATCH_DOCUMENTS)
    if len(batches) <= 1:
        _judge(con, run_at, validate)
        return
    for number, documents in enumerate(batches):
        con.execute(f"ATTACH ':memory:' AS {BATCH_DATABASE}")
        try:
            con.execute(f"USE {BATCH_DATABASE}")
            _copy_documents(con, main, documents, models, per_doc)
            _judge(con, run_at, validate)
            con.execute(f'USE "{main}"')
            for table in JUDGED_TABLES:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {BATCH_DATABASE}.main.{table}" if number
                            else f"CREATE TABLE {table} AS SELECT * FROM {BATCH_DATABASE}.main.{table}")
        finally:
            con.execute(f'USE "{main}"')
            con.execute(f"DETACH {BATCH_DATABASE}")


def judged_models() -> list[SqlModel]:
    """The models judging reads (the check SQL's tables and ``JUDGE_READS``, and what those of them that are
    views read), in build order."""
    models = {m.name: m for m in load_models()}
    needed, todo = set(), [*tables_checked(), *JUDGE_READS]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        if name not in models:
            raise ValueError(f"judging reads {name}, which no model builds")
        needed.add(name)
        if models[name].materialization == "view":
            todo.extend(models[name].reads)
    return [m for m in models.values() if m.name in needed]


def document_groups(con: duckdb.DuckDBPyConnection, per_doc: set[str], size: int) -> list[list[str]]:
    """Every document of the per-document tables ``per_doc``, in batches of about ``size`` documents; the
    documents of one department (as ``dim_document`` names it) always in the same batch."""
    union = " UNION ".join(f"SELECT document_id FROM {name}" for name in sorted(per_doc))
    if not union:
        return []
    groups: dict[str, list[str]] = {}
    for document, department in con.execute(f"""
            SELECT a.document_id, d.department FROM ({union}) AS a LEFT JOIN dim_document AS d USING (document_id)
            ORDER BY a.document_id""").fetchall():
        groups.setdefault(document if department is None else f"department:{department}", []).append(document)
    return pack(groups.values(), size)


def _copy_documents(con: duckdb.DuckDBPyConnection, main: str, documents: list[str], models: list[SqlModel],
                    per_doc: set[str]) -> None:
    """Into the current (batch) database: the rows of ``documents`` of the per-document tables among
    ``models``, their other tables whole, and their views."""
    con.execute("CREATE TABLE _documents AS SELECT unnest(?::VARCHAR[]) AS document_id", [documents])
    for model in models:
        if model.materialization != "table":
            create_model(con, model)
            continue
        where = " WHERE document_id IN (SELECT document_id FROM _documents)" if model.name in per_doc else ""
        con.execute(f'CREATE TABLE {model.name} AS SELECT * FROM "{main}".main.{model.name}{where}')


def _judge(con: duckdb.DuckDBPyConnection, run_at: datetime, validate: Validate) -> None:
    """Judge every document of the current database at once."""
    collect_check_rows(con)
    learn_rounding(con)
    explain_gaps(con)
    store_findings(con, failed_row_ids(con, validate), run_at)
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall():
        con.execute(f'DROP TABLE temp.main."{name}"')


def create_result_models(con: duckdb.DuckDBPyConnection) -> None:
    for model in load_models(layers=("checks_results",)):
        create_model(con, model)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def record_checks(con: duckdb.DuckDBPyConnection, published: Path, run_at: datetime | None = None,
                  validate: Validate = validate_in_process) -> None:
    """Run the checks on the schema being built in ``con``; ``published`` is the warehouse file it replaces."""
    copy_previous_findings(con, published)
    judge_checks(con, run_at or now(), validate=validate)
    create_result_models(con)
