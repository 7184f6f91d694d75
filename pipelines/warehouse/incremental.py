"""Publish only what changed: the documents of new, changed and removed files, and the documents a
check relates them to, are rebuilt; every other row of the published warehouse is kept as it is.

Every check and nearly every model is per document: a document's rows are computed from its own files,
and the checks that look across documents compare a department's documents (same department, kind and
scope), or files with the same content. So the work of a change is confined to the *affected*
documents: those of the changed files (before and after the change), closed over departments and
content hashes. They are rebuilt from their staged rows by the same SQL models and checks a full build
runs, in an in-memory database beside the warehouse; their rows then replace theirs in a copy of the
published file, which is swapped in. Models that are not per document (a table without a
``document_id``, or one that reads such a table) are recomputed whole, from the merged rows.

The result equals a full rebuild row for row (``tests/warehouse/test_incremental.py`` builds both).
A build by other code, or a change touching more than half the documents, is a full build instead.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from .build import create_model
from .sql_models import SqlModel

INPUTS_TABLE = "warehouse_input"
SCRATCH = "affected"
# raw table → its column naming the staged file a row came from
RAW_FILE_COLUMN = {
    "raw_documents": "source_files",
    "raw_table_cells": "source_file",
    "raw_budget_lines": "source_file",
    "raw_narrative_figures": "source_file",
    "raw_performance_targets": "source_file",
    "raw_ingest_issues": "source_file",
}
FULL_BUILD_SHARE = 0.5  # above this share of changed documents a full build is cheaper


@dataclass(frozen=True)
class StagedInput:
    """One staged file as the warehouse uses it: its staging key, its content and the code that staged it."""

    key: str
    file: str
    sha256: str
    code_version: str


@dataclass(frozen=True)
class Change:
    changed: tuple[StagedInput, ...]  # new or changed files, to load from staging
    gone: tuple[str, ...]  # names of files whose rows leave the warehouse (removed or changed)


def record_inputs(con: duckdb.DuckDBPyConnection, inputs: Iterable[StagedInput]) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {INPUTS_TABLE} (staging_key VARCHAR, source_file VARCHAR, sha256 VARCHAR, "
                "code_version VARCHAR)")
    inputs = list(inputs)
    frame = pd.DataFrame({"staging_key": [i.key for i in inputs], "source_file": [i.file for i in inputs],
                          "sha256": [i.sha256 for i in inputs], "code_version": [i.code_version for i in inputs]},
                         dtype="string")
    con.register("_inputs", frame)  # columnar: executemany costs a second per thousand files
    try:
        con.execute(f"INSERT INTO {INPUTS_TABLE} SELECT * FROM _inputs")
    finally:
        con.unregister("_inputs")
    con.execute(f"COMMENT ON TABLE {INPUTS_TABLE} IS '仓库输入 / The staged files this warehouse was built from "
                "(staging key, file, content hash, staging code version): what the next build compares to rebuild "
                "only what changed.'")


def recorded_inputs(con: duckdb.DuckDBPyConnection) -> dict[str, StagedInput] | None:
    try:
        rows = con.execute(f"SELECT staging_key, source_file, sha256, code_version FROM {INPUTS_TABLE}").fetchall()
    except duckdb.Error:
        return None
    return {key: StagedInput(key, file, sha, code) for key, file, sha, code in rows}


def change_between(recorded: dict[str, StagedInput], current: Iterable[StagedInput]) -> Change:
    current = {i.key: i for i in current}
    changed = tuple(i for key, i in sorted(current.items()) if recorded.get(key) != i)
    gone = tuple(sorted({recorded[key].file for key in recorded.keys() - current.keys()}
                        | {recorded[i.key].file for i in changed if i.key in recorded}))
    return Change(changed, gone)


def _in_list(values: Iterable[str]) -> str:
    """A SQL list for IN / NOT IN; empty, a subquery of no rows (``NOT IN (NULL)`` would hold for no row)."""
    quoted = ["'" + v.replace("'", "''") + "'" for v in sorted(set(values))]
    return "(" + ", ".join(quoted) + ")" if quoted else "(SELECT NULL WHERE false)"


def _strings(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    return {v for (v,) in con.execute(sql).fetchall() if v is not None}


def affected_documents(con: duckdb.DuckDBPyConnection, files: Iterable[str], before: set[str]) -> set[str]:
    """The documents of ``files`` (after loading them) and ``before`` (theirs before), closed over what the
    checks relate across documents: the same department (any name its files print), the same content."""
    docs = set(before) | _strings(con, f"SELECT document_id FROM raw_documents WHERE source_files IN {_in_list(files)}")
    while True:
        docs_sql = _in_list(docs)
        departments = (_strings(con, f"SELECT department FROM raw_documents WHERE document_id IN {docs_sql}")
                       | _strings(con, f"SELECT department FROM dim_document WHERE document_id IN {docs_sql}"))
        hashes = _strings(con, f"SELECT sha256 FROM raw_documents WHERE document_id IN {docs_sql}")
        grown = docs | _strings(con, f"SELECT document_id FROM raw_documents WHERE department IN {_in_list(departments)} "
                                     f"OR sha256 IN {_in_list(hashes)}")
        if grown == docs:
            return docs
        docs = grown


def whole_models(models: Iterable[SqlModel], per_document: Callable[[str], bool]) -> tuple[set[str], set[str]]:
    """(tables that are not per document, those of them built from data). Not per document: no
    ``document_id`` in every row, or reading a table built from every document's data (a constant list
    such as dim_table_kind is the same in every build and keeps a reader per document)."""
    whole: set[str] = set()
    from_data: set[str] = set()
    for model in models:
        if model.materialization != "table":
            continue
        if model.reads & from_data or not per_document(model.name):
            whole.add(model.name)
            if model.reads:
                from_data.add(model.name)
    return whole, from_data


def per_document(con: duckdb.DuckDBPyConnection, database: str, table: str) -> bool:
    """Every row of ``table`` names its document (``document_id`` set)."""
    columns = {c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' AND table_name = ?",
        [database, table]).fetchall()}
    return "document_id" in columns and not con.execute(
        f'SELECT count(*) FROM "{database}".main.{table} WHERE document_id IS NULL').fetchone()[0]


def update_documents(
    con: duckdb.DuckDBPyConnection,
    change: Change,
    load_changed: Callable[[duckdb.DuckDBPyConnection], None],
    models: tuple[SqlModel, ...],
    judge: Callable[[duckdb.DuckDBPyConnection], None],
    check_reads: frozenset[str],
    run_at: datetime,
    on_model: Callable[[SqlModel, int], None] | None = None,
) -> set[str] | None:
    """Bring a copy of the published warehouse (``con``) up to date with ``change``; returns the documents
    rebuilt, or None when only a full build can (the caller then builds from scratch).

    ``load_changed(con)`` inserts the changed files' staged rows into the raw tables; ``judge(con)`` runs the
    checks on the schema of the current database; ``check_reads``: the tables the checks read; ``run_at``: this
    run's time, every finding's stamp (kept ones were judged on unchanged figures).
    """
    main = con.execute("SELECT current_database()").fetchone()[0]
    whole, from_data = whole_models(models, lambda name: per_document(con, main, name))
    if check_reads & from_data:
        return None  # a check reads a table built from every document: its rows depend on all of them
    total = con.execute("SELECT count(DISTINCT document_id) FROM raw_documents").fetchone()[0]
    gone = _in_list(change.gone + tuple(i.file for i in change.changed))
    before = _strings(con, f"SELECT document_id FROM raw_documents WHERE source_files IN {gone} "
                           f"UNION SELECT document_id FROM raw_ingest_issues WHERE source_file IN {gone}")
    for table, column in RAW_FILE_COLUMN.items():
        con.execute(f"DELETE FROM {table} WHERE {column} IN {gone}")
    load_changed(con)
    docs = affected_documents(con, [i.file for i in change.changed], before)
    if total and len(docs) > FULL_BUILD_SHARE * total:
        return None

    con.execute(f"ATTACH ':memory:' AS {SCRATCH}")
    try:
        files = _in_list(_strings(con, f"SELECT source_files FROM raw_documents WHERE document_id IN {_in_list(docs)}"))
        con.execute(f"USE {SCRATCH}")
        for table, column in RAW_FILE_COLUMN.items():
            con.execute(f'CREATE TABLE {table} AS SELECT * FROM "{main}".main.{table} WHERE {column} IN {files}')
        for model in models:
            create_model(con, model)
        judge(con)
        con.execute(f'USE "{main}"')
        doc_sql = _in_list(docs)
        for model in models:
            if model.name in whole:
                create_model(con, model)
            elif model.materialization == "table":
                _replace_rows(con, model.name, doc_sql)
            if on_model:
                on_model(model, con.execute(f"SELECT count(*) FROM {model.name}").fetchone()[0])
        _renew_findings(con, doc_sql, run_at)
        _replace_rows(con, "check_figure", doc_sql)
    finally:
        con.execute(f'USE "{main}"')
        con.execute(f"DETACH {SCRATCH}")
    return docs


def _renew_findings(con: duckdb.DuckDBPyConnection, doc_sql: str, run_at: datetime) -> None:
    """The published findings become the previous run's (a rename, not a copy of a million rows); the new
    ``check_result`` is the kept findings, stamped with this run's time as a full build would, and the
    affected documents' new ones, written in one pass."""
    con.execute("DROP TABLE previous_check_result")
    con.execute("ALTER TABLE check_result RENAME TO previous_check_result")
    con.execute(f"""
        CREATE TABLE check_result AS
        SELECT * REPLACE (cast(? AS varchar) AS run_at) FROM previous_check_result WHERE document_id NOT IN {doc_sql}
        UNION ALL BY NAME SELECT * FROM {SCRATCH}.main.check_result""", [str(pd.Timestamp(run_at))])


def _replace_rows(con: duckdb.DuckDBPyConnection, table: str, doc_sql: str) -> None:
    con.execute(f"DELETE FROM {table} WHERE document_id IN {doc_sql}")
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {SCRATCH}.main.{table}")


