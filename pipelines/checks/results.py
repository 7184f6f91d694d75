"""Run every check model against the warehouse being built, validate with GX, store the findings.

    collect_check_rows(con)                    # every kind's residual rows, into TEMP TABLE check_rows
    learn_rounding(con)                        # exact tables lose their rounding allowance
    explain_gaps(con)                          # how a misreading would explain each gap
    failed = failed_row_ids(con)               # GX: the rows that do not tie out (when they are known)
    store_findings(con, failed, run_at)        # contradictions and reading doubts, TABLE check_result
    build_data_docs(results, out_dir)          # GX Data Docs, once, at the end of a run (DataDocs)

SQL models live in ``dbt_like_sql/checks/``: ``<kind>.sql`` is one check kind, one query of residuals
for every document at once. Each returns the same columns (``CHECK_MODEL_COLUMNS``): the relation
(description, place_key), the figure it checks (actual) against what the others imply (expected)
within the rounding tolerance, the table of the checked figure and the keys of every figure the
relation uses (``figures``: ``table_id#row_no#column`` for a table cell, ``narrative#figure_no`` for a
sentence's figure). The check kind is the file's name; the runner adds the difference. ``_<name>.sql``
files are helpers the checks read, computed first, once, as TEMP tables. The rows stay in DuckDB: GX
sees only the columns it validates, and only the failing row numbers come back. Money and ratios
travel as exact text (cast to VARCHAR in SQL, never through floats).
"""
from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from collections.abc import Callable
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.warehouse.sql_models import SQL_DIR, tables_read

from .adjudicate import Doubt, adjudicate, document_batches, load_rows
from .suites import Validate, validate_in_process

CHECKS_DIR = SQL_DIR / "checks"
NUMBER_COLUMNS = ("expected", "actual", "difference", "tolerance")
# What every check model returns, in this order.
CHECK_MODEL_COLUMNS = ("document_id", "table_kind", "table_id", "description", "expected", "actual", "tolerance",
                       "severity", "source_ref", "place_key", "figures")
RESULT_COLUMNS = (
    "finding_id", "document_id", "check_kind", "table_kind", "severity", "status", "description",
    *NUMBER_COLUMNS, "source_ref", "run_at", "finding_role", "group_id", "confidence", "culprit", "table_id",
    "place_key",
)
# What the Python around the check SQL reads of the warehouse (learn_rounding, unit_doubts, narrative_figures,
# table_labels): with tables_checked(), what judging needs.
JUDGE_READS = frozenset({"dim_document", "dim_table", "fact_narrative_figure"})
# A finding's stable id: the same document, check and place give the same id in every run.
DATA_DOCS_SITE = Path("gx", "uncommitted", "data_docs", "local_site")  # where a GX file context puts its site
FINDING_ID_SQL = "left(sha1(document_id || '|' || check_kind || '|' || coalesce(place_key, '')), 16)"


@cache
def check_files(checks_dir: Path = CHECKS_DIR) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(helpers: the statements first (macros, ``is_statement``), then the queries, each after the helpers it
    reads; check kinds, by name)."""
    paths = sorted(checks_dir.glob("*.sql"))
    helpers = {p.stem: p for p in paths if p.stem.startswith("_")}
    reads = {name: tables_read(_sql(path)) & helpers.keys() for name, path in helpers.items()}
    ordered = sorted(TopologicalSorter(reads).static_order(), key=lambda name: not is_statement(helpers[name]))
    return tuple(helpers[name] for name in ordered), tuple(p for p in paths if not p.stem.startswith("_"))


def is_statement(path: Path) -> bool:
    """A helper written as statements of its own (CREATE MACRO …: what several checks compute alike), run as it
    is; the other helpers are queries, computed into a TEMP table of their name."""
    code = "\n".join(line for line in _sql(path).splitlines() if not line.lstrip().startswith("--"))
    return code.lstrip().lower().startswith("create")


@cache
def tables_checked(checks_dir: Path = CHECKS_DIR) -> frozenset[str]:
    """What the check SQL reads (its helpers resolved): the tables the findings come from."""
    helpers, kinds = check_files(checks_dir)
    reads = frozenset().union(*(tables_read(_sql(p)) for p in [*helpers, *kinds]))
    return reads - {p.stem for p in helpers}


def _sql(path: Path) -> str:
    return path.read_text(encoding="utf-8").rstrip().rstrip(";")


def _checked(path: Path) -> str:
    """One check kind's residuals in the stored shape: exact numbers as text, the difference added."""
    number = "cast(cast({} as decimal(18, 4)) as varchar)"
    return (f"SELECT document_id, '{path.stem}' AS check_kind, table_kind, table_id, description, "
            f"{number.format('expected')} AS expected, {number.format('actual')} AS actual, "
            f"{number.format('actual - expected')} AS difference, {number.format('tolerance')} AS tolerance, "
            f"severity, source_ref, place_key, cast(figures AS varchar[]) AS figures "
            f"FROM (SELECT {', '.join(CHECK_MODEL_COLUMNS)} FROM ({_sql(path)})) AS checked")


def collect_check_rows(con: duckdb.DuckDBPyConnection, checks_dir: Path = CHECKS_DIR) -> None:
    """Run every check kind into ``TEMP TABLE check_rows`` (numbers as exact text, ``row_id`` in kind,
    document, place order). Helpers several checks read are computed once."""
    helpers, kinds = check_files(checks_dir)
    for path in helpers:
        con.execute(_sql(path) if is_statement(path) else f"CREATE OR REPLACE TEMP TABLE {path.stem} AS {_sql(path)}")
    # Each kind's rows first (one query at a time: a union of every kind's query keeps all their joins in
    # memory at once), then the places.
    columns = ("document_id", "check_kind", "table_kind", "table_id", "description", "expected", "actual",
               "difference", "tolerance", "severity", "source_ref", "place_key")  # as _checked gives them
    con.execute("CREATE OR REPLACE TEMP TABLE checked (" + ", ".join(f"{c} VARCHAR" for c in columns)
                + ", figures VARCHAR[])")
    for path in kinds:
        con.execute(f"INSERT INTO checked {_checked(path)}")
    # A place names one relation; where a check's SQL gives several relations one place (a table printed
    # once per unit, a row label repeated), each gets its ordinal among them, by its figures, so every
    # finding keeps one id of its own from run to run.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE check_rows AS
        WITH placed AS (
            SELECT * REPLACE (CASE WHEN count(*) OVER place > 1
                THEN place_key || '#' || row_number() OVER (place ORDER BY cast(figures AS varchar), description,
                                                                   actual, expected)
                ELSE place_key END AS place_key)
            FROM checked
            WINDOW place AS (PARTITION BY check_kind, document_id, place_key)
        )
        SELECT row_number() OVER (ORDER BY check_kind, document_id, place_key) AS row_id, * FROM placed""")
    con.execute("DROP TABLE temp.main.checked")


def failed_row_ids(con: duckdb.DuckDBPyConnection,
                   validate: Validate = validate_in_process) -> Callable[[], list[int]]:
    """Validate each kind's rows of ``check_rows`` with its GX suite; returns how to wait for the ids of the
    rows that fail (at once in process; the GX process validates while ``store_findings`` reads on)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # excess_units (suites.excess_units) computed exactly in DuckDB: GX gets one integer column, not a frame
    # of decimal text per relation (at thousands of documents, a million rows)
    rows = con.sql("""
        SELECT row_id, check_kind,
               cast((abs(cast(difference AS DECIMAL(18, 4))) - cast(tolerance AS DECIMAL(18, 4))) * 10000 AS BIGINT)
                   AS excess_units
        FROM check_rows ORDER BY row_id""").to_arrow_table().to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    frames = {kind: part for kind, part in rows.groupby("check_kind", sort=True)}
    verdicts = validate(frames)

    def failed() -> list[int]:
        answered = verdicts()
        return [int(row_id) for kind, part in frames.items()
                for row_id, passed in zip(part["row_id"], answered[kind]) if not passed]

    return failed


def unit_doubts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Tables the reader says it could not read whole: their unit assumed (no 单位 line), or figures it could not
    read (读数缺口: a figure the text layer prints in pieces, a font without a Unicode map)."""
    return {table_id: ("表中有读不出的数字（读数缺口）" if "读数缺口" in notes else "未见单位行：按元读取")
            for table_id, notes in con.execute(
                "SELECT table_id, table_notes FROM dim_table "
                "WHERE table_notes LIKE '%未见单位行%' OR table_notes LIKE '%读数缺口%'").fetchall()}


def narrative_figures(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, Decimal]]:
    """(document, figure key) → (measure, value) of every 万元 figure read from the text; a figure of another
    year (the 绩效 form's 近两年收支情况) is a measure of its own."""
    return {(d, f"narrative#{n}"): (m if y is None else f"{m}@{y}", Decimal(str(v))) for d, n, m, y, v in con.execute(
        "SELECT n.document_id, n.figure_no, n.measure, nullif(n.year, d.year), n.stated_value "
        "FROM fact_narrative_figure AS n JOIN dim_document AS d USING (document_id) WHERE n.stated_unit = '万元'"
    ).fetchall()}


def narrative_sentences(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(document, figure key) → the sentence (and where it is printed) of every figure read from the text."""
    return {(d, f"narrative#{n}"): f"{ref}|{sentence}" for d, n, ref, sentence in con.execute(
        "SELECT document_id, figure_no, source_ref, sentence FROM fact_narrative_figure").fetchall()}


def table_labels(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str]]:
    """table id → (table_kind, number and title as printed, where it starts)."""
    return {t: (kind, label, ref) for t, kind, label, ref in con.execute(
        "SELECT table_id, table_kind, concat_ws(' ', table_number, table_title), table_ref FROM dim_table").fetchall()}


def _doubt_rows(doubts: list[Doubt], tables: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    """One reading-doubt finding per doubt, described in plain words."""
    rows = []
    for d in doubts:
        kind, label, ref = tables.get(d.table_id, ("narrative", d.key.rsplit(":", 1)[-1], None))
        what = f"{label}（{ref}）" if ref else "文字说明"
        tail = f"；用到它的{len(d.relations)}个不成立的关系不算作文件的错误" if d.relations else ""
        rows.append({"document_id": d.document_id, "table_kind": kind, "table_id": d.table_id,
                     "description": f"读数存疑：{what}：{'；'.join(d.reasons)}{tail}",
                     "source_ref": ref, "place_key": f"doubt|{d.key}"})
    return pd.DataFrame(rows, columns=["document_id", "table_kind", "table_id", "description", "source_ref", "place_key"],
                        dtype=object)


def _verdict_frame(verdicts: dict) -> pd.DataFrame:
    def text(values: list[str | None]) -> pd.Series:
        return pd.Series(values, dtype="string")  # VARCHAR even when every value is None

    return pd.DataFrame({
        "row_id": pd.Series(list(verdicts), dtype="int64"),
        "status": text([v.status for v in verdicts.values()]),
        "finding_role": text([v.role for v in verdicts.values()]),
        "group_row": text([v.group for v in verdicts.values()]),
        "confidence": text([v.confidence for v in verdicts.values()]),
        "culprit": text([v.culprit for v in verdicts.values()]),
    })


def store_findings(con: duckdb.DuckDBPyConnection, failed: Callable[[], list[int]], run_at: datetime) -> None:
    """``check_rows`` judged (``adjudicate``) and stored as ``check_result``: every checked relation with its
    verdict, and one reading-doubt finding per reading in doubt. ``failed`` (``failed_row_ids``) is waited for
    once what does not depend on it is read: the figures of each relation, the first batch's rows."""
    con.execute(f"""
        CREATE OR REPLACE TABLE check_figure AS
        SELECT {FINDING_ID_SQL} AS finding_id, document_id, unnest(generate_series(1, len(figures))) AS figure_no,
               unnest(figures) AS figure
        FROM check_rows WHERE len(figures) > 0""")  # the figures each relation compares (v_finding_cell)
    tables = table_labels(con)
    labels = {t: f"{label}（{ref}）" for t, (_, label, ref) in tables.items()}
    units, narrative, sentences = unit_doubts(con), narrative_figures(con), narrative_sentences(con)
    batches = document_batches(con)
    rows = load_rows(con, batches[0]) if batches else []  # read while the GX process validates
    failed_ids = set(failed())
    doubts: list[Doubt] = []
    con.execute("CREATE OR REPLACE TEMP TABLE _verdicts (row_id BIGINT, status VARCHAR, finding_role VARCHAR, "
                "group_row VARCHAR, confidence VARCHAR, culprit VARCHAR)")
    for number, batch in enumerate(batches):  # memory: one batch's rows and verdicts at a time
        if number:
            rows = load_rows(con, batch)
        for row in rows:
            row.failed = row.row_id in failed_ids
        verdicts, batch_doubts = adjudicate(rows, units, narrative, labels, sentences)
        doubts.extend(batch_doubts)
        con.register("_batch_verdicts", _verdict_frame(verdicts))
        try:
            con.execute("INSERT INTO _verdicts SELECT * FROM _batch_verdicts")
        finally:
            con.unregister("_batch_verdicts")
    del rows
    judged, total = con.execute("SELECT (SELECT count(*) FROM _verdicts), (SELECT count(*) FROM check_rows)").fetchall()[0]
    if judged != total:
        raise ValueError("a check row without a document: every check query must name the document it checks")
    con.register("_doubts", _doubt_rows(doubts, tables))
    doubt_id = "left(sha1(document_id || '|reading_doubt|' || place_key), 16)"
    try:
        con.execute(f"""
            CREATE TABLE check_result AS
            WITH judged AS (
                SELECT c.*, {FINDING_ID_SQL} AS finding_id, v.status, v.finding_role, v.group_row, v.confidence,
                       v.culprit
                FROM check_rows AS c JOIN _verdicts AS v USING (row_id)
            ),
            relations AS (
                SELECT j.finding_id, j.document_id, j.check_kind, j.table_kind,
                       CASE WHEN j.status = 'doubt' THEN 'warning' ELSE j.severity END AS severity,
                       j.status, j.description, {", ".join(f"j.{c}" for c in NUMBER_COLUMNS)}, j.source_ref,
                       cast(? AS varchar) AS run_at, j.finding_role,
                       CASE WHEN j.group_row LIKE 'doubt|%'
                            THEN left(sha1(j.document_id || '|reading_doubt|' || j.group_row), 16)
                            ELSE g.finding_id END AS group_id,
                       j.confidence, j.culprit, j.table_id, j.place_key, j.row_id
                FROM judged AS j
                LEFT JOIN judged AS g ON g.row_id = try_cast(j.group_row AS BIGINT)
            ),
            doubts AS (
                SELECT {doubt_id} AS finding_id, document_id, 'reading_doubt' AS check_kind, table_kind,
                       'warning' AS severity, 'fail' AS status, description, source_ref,
                       cast(? AS varchar) AS run_at, 'reading_doubt' AS finding_role, {doubt_id} AS group_id,
                       table_id, place_key, NULL::BIGINT AS row_id
                FROM _doubts
            )
            SELECT {", ".join(RESULT_COLUMNS)} FROM (
                SELECT * FROM relations UNION ALL BY NAME SELECT * FROM doubts
            ) ORDER BY check_kind = 'reading_doubt', row_id, finding_id""", [str(pd.Timestamp(run_at))] * 2)
    finally:
        con.execute("DROP TABLE IF EXISTS temp.main._verdicts")
        con.unregister("_doubts")


class DataDocs:
    """GX Data Docs of a run's results, the site under ``out_dir`` (the GX stores in memory).

    One suite per check kind asserts that every error-severity finding of the kind passed; the validation
    results (with the failing rows) land in the site. The severity is folded into the validated columns
    (``status_if_error``, ``status_if_warning``: the status, blank for findings of the other severity)
    rather than given as a row condition, which GX evaluates with a pandas query for every metric of every
    expectation (half of the validation). A kind's suite, validation definition and checkpoint can be made
    (``prepare``) before the findings are known, as the GX process does while the run judges them; ``build``
    makes the others, validates each kind's findings (``passed``: kind → success) and writes the site."""

    def __init__(self, out_dir: Path) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        from .suites import ephemeral_context

        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.context = ephemeral_context(docs_site=self.out_dir / DATA_DOCS_SITE)
        self.source = self.context.data_sources.add_pandas(name="check_results")
        self.checkpoints: dict[str, object] = {}
        self.passed: dict[str, bool] = {}

    def prepare(self, kinds) -> None:
        import great_expectations as gx

        for kind in sorted(set(kinds) - set(self.checkpoints)):
            batch = self.source.add_dataframe_asset(name=f"{kind}_results").add_batch_definition_whole_dataframe("all")
            suite = gx.ExpectationSuite(name=f"{kind}_findings")
            suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(
                column="status_if_error", value_set=["pass"],
                meta={"notes": "errors: the status of every error-severity finding (blank for warnings)"},
            ))
            suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(
                column="status_if_warning", value_set=["pass", "unverified"],
                meta={"notes": "warnings: hints; a claim with nothing to check it against is unverified, not failed "
                               "(blank for errors)"},
            ))
            suite = self.context.suites.add(suite)
            definition = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=f"{kind}_findings", data=batch, suite=suite)
            )
            self.checkpoints[kind] = self.context.checkpoints.add(gx.Checkpoint(
                name=f"{definition.name}_checkpoint",
                validation_definitions=[definition],
                actions=[],
                result_format={"result_format": "COMPLETE"},
            ))

    def build(self, results: pd.DataFrame) -> Path:
        """Validate ``results`` (the rows of ``check_result``) and write the site; returns its index.html."""
        frame = results.copy()
        for column in NUMBER_COLUMNS:
            frame[column] = frame[column].map(lambda v: None if v is None else str(v))
        frame["run_at"] = frame["run_at"].astype(str)
        for severity in ("error", "warning"):
            frame[f"status_if_{severity}"] = frame["status"].where(frame["severity"] == severity, None)
        kinds = sorted(frame["check_kind"].unique())
        if set(self.checkpoints) - set(kinds):
            return DataDocs(self.out_dir).build(results)  # a kind prepared in vain: its suite would show in the site
        self.prepare(kinds)
        for kind in kinds:
            rows = frame[frame["check_kind"] == kind].reset_index(drop=True)
            self.passed[kind] = bool(self.checkpoints[kind].run(batch_parameters={"dataframe": rows}).success)
        self.context.build_data_docs()
        return self.out_dir / DATA_DOCS_SITE / "index.html"


def build_data_docs(results: pd.DataFrame, out_dir: Path, prepared: DataDocs | None = None) -> Path:
    """Build GX Data Docs for a run's results once (``DataDocs``; ``prepared``: one made for ``out_dir``
    already, its kinds' suites made while the findings were judged). Returns the site's index.html."""
    if prepared is None or prepared.out_dir != Path(out_dir):
        prepared = DataDocs(out_dir)
    return prepared.build(results)
