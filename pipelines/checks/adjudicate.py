"""From failed tie-outs to what a reader of the report can trust: contradictions, reading doubts, rounding
residues, unverifiable claims, warnings.

A relation that misses is not yet a finding. Four steps turn the checked relations into findings:

1. **Exactness proven from the table** (``learn_rounding``, before validation). A figure printed in whole 元 or
   in 万元 is rounded, so a sum may miss its total by the parts' half-units; only where chance cannot explain the
   table's exact ties (``tie_chance``: below 1 in 1,000 for rounded figures, each sum with its own number of
   addends) are its figures exact and its sums bound to tie to the unit (a 1-元 slip in a table of 139 exact sums
   is a slip, not rounding). A document that says its figures are rounded (尾差, 四舍五入) keeps its intervals.
2. **Every misreading we know is tried** (``explain_gaps``, in SQL beside the rows): a gap that rows counted
   twice, a part that does not belong, a row missed or a sentence meaning another figure would explain proves
   nothing about the document.
3. **Misreading is not a contradiction** (``adjudicate``). A table whose own sums fail in several unrelated
   places, whose unit had to be assumed, whose figures the reader could not read, or that nothing confirms, was
   probably read wrong: one reading doubt about the table, and no relation that uses its figures can prove the
   document wrong. A claim whose subject is uncertain is unverifiable. A sum that holds only within its rounding
   is a rounding residue.
4. **One contradiction, one finding.** The remaining failures are grouped by the figure they share (the figure
   in most of them is the one that is off), by the row printed wrong alike in several columns, by the sentence:
   the relations a group breaks are listed once, as consequences of its contradiction.

Pure Python over the check rows (no Dagster) but for the SQL of steps 1 and 2; the SQL runner hands the rows over
and stores the verdicts.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import comb, erf, factorial, log10, sqrt

import duckdb

INTERNAL_KINDS = frozenset({"row_arithmetic", "hierarchy", "balance"})
# A table's figures count as exact when chance cannot explain its exact ties: were they rounded, the ties of its
# other sums would have had a probability below EXACT_CHANCE (each sum's own number of addends counted), and at most
# one in EXACT_RATIO of them misses by a residue (the other relations one slip breaks).
EXACT_CHANCE = 1e-3
EXACT_RATIO = 8
MAX_ADDENDS = 200  # sums longer than this count as this long (their chance of a tie only falls further)
# A table whose failures fall in this many unrelated places (or in this share of its sums) was misread.
DOUBT_PLACES = 3
DOUBT_SHARE = Decimal("0.1")
# Figures that differ by this factor were read in the wrong unit, not printed wrong.
UNIT_FACTOR = Decimal(10000)


@cache
def tie_chance(n: int) -> float:
    """The chance that ``n`` figures, each rounded on its own to the printed unit, add up exactly to their total
    rounded the same way: P(|U₁ + … + Uₙ| < ½) for rounding errors Uᵢ uniform on (−½, ½) (the total's own rounding
    takes up the rest). 1 for one addend, 3/4 for two, 2/3 for three, 0.41 for ten: short sums of rounded figures
    tie exactly most of the time, so only many ties prove a table exact. Exact (Irwin–Hall) up to 30 addends, the
    normal approximation beyond (within 1 %, on the high side)."""
    if n <= 1:
        return 1.0
    if n > 30:
        return erf(0.5 / sqrt(n / 12) / sqrt(2))

    def cdf(x: Fraction) -> Fraction:
        return sum((-1) ** k * comb(n, k) * (x - k) ** n for k in range(int(x) + 1)) / factorial(n)

    return float(cdf(Fraction(n + 1, 2)) - cdf(Fraction(n - 1, 2)))


def learn_rounding(con: duckdb.DuckDBPyConnection) -> None:
    """Set each rounded relation's tolerance to zero where its table's other sums prove the figures exact.

    Works on ``check_rows`` in place; the printed tolerance stays in ``printed_tolerance`` and
    ``exact_sums`` says how many other sums vouch for exactness (NULL where nothing was learned). A sum's
    addends are its nonzero parts: a part printed 0 carries no rounding.
    """
    chances = ", ".join(f"({n}, {log10(tie_chance(n))!r})" for n in range(MAX_ADDENDS + 1))
    exact = (f"j.chance_others < {log10(EXACT_CHANCE)!r} AND j.inexact_others * {EXACT_RATIO} <= j.exact_others")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE check_rows AS
        WITH rows AS (
            SELECT *, cast(difference AS DECIMAL(18, 4)) AS d, cast(tolerance AS DECIMAL(18, 4)) AS t,
                   cast(expected AS DECIMAL(18, 4)) AS e, cast(actual AS DECIMAL(18, 4)) AS a
            FROM check_rows
        ),
        internal AS (
            SELECT r.* FROM rows AS r
            WHERE r.check_kind IN ({", ".join(f"'{k}'" for k in sorted(INTERNAL_KINDS))})
              AND r.table_id IS NOT NULL AND r.t > 0
              AND NOT coalesce((SELECT rounding_note FROM dim_document AS d WHERE d.document_id = r.document_id), false)
        ),
        cells AS (
            SELECT table_id || '#' || row_no || '#' || column_name AS cell, amount
            FROM fact_budget_line WHERE table_id IN (SELECT DISTINCT table_id FROM internal)
        ),
        addends AS (
            SELECT p.row_id, count(*) FILTER (WHERE c.amount <> 0) AS n
            FROM (SELECT row_id, unnest(figures[2:]) AS cell FROM internal) AS p
            LEFT JOIN cells AS c USING (cell)
            GROUP BY p.row_id
        ),
        chance(n, log_chance) AS (VALUES {chances}),
        tied AS (
            SELECT i.row_id, i.table_id, i.d = 0 AND (i.e <> 0 OR i.a <> 0) AS is_tie, i.d <> 0 AS is_miss,
                   coalesce(c.log_chance, 0) AS log_chance
            FROM internal AS i
            LEFT JOIN addends AS n USING (row_id)
            LEFT JOIN chance AS c ON c.n = least(n.n, {MAX_ADDENDS})
        ),
        per_table AS (
            SELECT table_id, count(*) FILTER (WHERE is_tie) AS exact_n,
                   coalesce(sum(log_chance) FILTER (WHERE is_tie), 0) AS chance_n,
                   count(*) FILTER (WHERE is_miss) AS inexact_n
            FROM tied GROUP BY table_id
        ),
        judged AS (
            SELECT i.row_id,
                   p.exact_n - CASE WHEN i.is_tie THEN 1 ELSE 0 END AS exact_others,
                   p.chance_n - CASE WHEN i.is_tie THEN i.log_chance ELSE 0 END AS chance_others,
                   p.inexact_n - CASE WHEN i.is_miss THEN 1 ELSE 0 END AS inexact_others
            FROM tied AS i JOIN per_table AS p USING (table_id)
        )
        SELECT r.* EXCLUDE (d, t, e, a, tolerance),
               CASE WHEN {exact} THEN '0.0000' ELSE r.tolerance END AS tolerance,
               r.tolerance AS printed_tolerance,
               CASE WHEN {exact} THEN j.exact_others END AS exact_sums
        FROM rows AS r LEFT JOIN judged AS j USING (row_id)
        ORDER BY r.row_id
    """)


# Kinds whose failures a misreading of the table can explain (explain_gaps): a table's own sums and the same figure
# printed in two tables; and the kinds comparing a sentence's amount with a table's, which the sentence may not mean.
GAP_KINDS = INTERNAL_KINDS | {"cross_table"}
CLAIM_KINDS = frozenset({"narrative_vs_table", "procurement", "purchase_of_services"})


# A printed row as a person names it: its code and name (科目, 经济分类, 项目 or 单位), else its label.
ROW_LABEL_SQL = ("trim(concat_ws(' ', coalesce(subject_code, economic_class_code, project_code, unit_code), "
                 "coalesce(printed_subject_name, printed_economic_class_name, printed_project_name, printed_unit_name, "
                 "row_label)), ' 　')")


def explain_gaps(con: duckdb.DuckDBPyConnection) -> None:
    """``check_rows.misreading``: for each relation that misses by more than its tolerance, the way a misreading of
    its table would explain the gap, in words (NULL where none does). Tried, in order:

    - the printed figure is 2 or 3 times the sum of its parts, or the parts 2 or 3 times it: rows of several levels
      (类, 款 and 项) or a header's columns counted more than once;
    - the gap equals a part, or twice a part: a part that does not belong to the sum (a 其中 column), or whose
      sign was lost; or the printed total equals one part alone: the other parts are that part's own rows counted
      again (一、本年支出 and its classes under it);
    - the gap equals another printed figure of the same column (of the same row, for a row's own arithmetic; of
      either table, for a figure printed in two): a row (column) of the sum missed by the reading (a 款 coded 99, a
      row printed on the next page);
    - a sentence's amount that misses its table figure equals, at the precision it is printed with, another figure
      the tables print: the sentence may speak of that one (a 财政拨款 column beside the 合计, a unit's row); not
      for a project or a subject the sentence names, whose figure it cannot mean another's.

    A figure explains the gap only where it stands out of the rounding (over twice the tolerance): within it, any
    small figure would. A real slip of the document could do the same, but then the relation cannot tell the two
    apart: it is no contradiction. Works on ``check_rows`` in place."""
    kinds = ", ".join(f"'{k}'" for k in sorted(GAP_KINDS | CLAIM_KINDS))
    kinds_tables = ", ".join(f"'{k}'" for k in sorted(GAP_KINDS))
    internal = ", ".join(f"'{k}'" for k in sorted(INTERNAL_KINDS))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _gaps AS
        SELECT row_id, check_kind, figures,
               abs(cast(difference AS DECIMAL(18, 4))) AS gap, cast(tolerance AS DECIMAL(18, 4)) AS t,
               abs(cast(expected AS DECIMAL(18, 4))) AS e, abs(cast(actual AS DECIMAL(18, 4))) AS a,
               split_part(figures[1], '#', 1) AS table_id, split_part(figures[1], '#', 2) AS row_no,
               split_part(figures[1], '#', 3) AS column_name,
               list_distinct(list_transform(list_filter(figures, lambda f: NOT starts_with(f, 'narrative#')),
                                            lambda f: split_part(f, '#', 1))) AS tables, document_id
        FROM check_rows
        WHERE check_kind IN ({kinds}) AND len(figures) > 1
          AND abs(cast(difference AS DECIMAL(18, 4))) > cast(tolerance AS DECIMAL(18, 4))""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE check_rows AS
        WITH cells AS (
            SELECT table_id || '#' || row_no || '#' || column_name AS cell, table_id, cast(row_no AS VARCHAR) AS row_no,
                   column_name, abs(amount) AS amount,
                   CASE WHEN stated_unit = '万元' THEN 10000 ELSE 1 END AS per_unit, coalesce(stated_unit, '元') AS unit,
                   {ROW_LABEL_SQL} AS label
            FROM fact_budget_line
            WHERE amount <> 0 AND table_id IN (SELECT DISTINCT unnest(tables) FROM _gaps)
        ),
        shown AS (
            -- the gap in the table's own unit, as the reader of the table sees it
            SELECT g.row_id, '差额' || any_value(cast(cast(g.gap / c.per_unit AS DECIMAL(18, 2)) AS VARCHAR) || c.unit)
                   AS gap_text
            FROM _gaps AS g JOIN cells AS c ON c.cell = g.figures[1] GROUP BY g.row_id
        ),
        multiple AS (
            SELECT g.row_id, '印出数是各项之和的' || k || '倍' AS why FROM _gaps AS g, (VALUES (2), (3)) AS m(k)
            WHERE g.e > 2 * g.t AND abs(g.a - k * g.e) <= (k + 1) * g.t AND g.check_kind IN ({kinds_tables})
            UNION ALL
            SELECT g.row_id, '各项之和是印出数的' || k || '倍' FROM _gaps AS g, (VALUES (2), (3)) AS m(k)
            WHERE g.a > 2 * g.t AND abs(g.e - k * g.a) <= (k + 1) * g.t AND g.check_kind IN ({kinds_tables})
        ),
        own_part AS (
            SELECT g.row_id,
                   coalesce(s.gap_text, '差额') || '等于其中一项「' || c.label || '」[' || c.column_name || ']'
                   || CASE WHEN abs(c.amount - g.gap) <= g.t THEN '' ELSE '的两倍' END AS why
            FROM _gaps AS g JOIN cells AS c ON list_contains(g.figures[2:], c.cell) LEFT JOIN shown AS s USING (row_id)
            WHERE g.check_kind IN ({internal}) AND c.amount > 2 * g.t
              AND (abs(c.amount - g.gap) <= g.t OR abs(2 * c.amount - g.gap) <= g.t)
        ),
        whole_part AS (
            -- the printed total is one of its parts alone: the others are that part's own rows, counted again
            SELECT g.row_id, '印出数等于其中一项「' || c.label || '」[' || c.column_name || ']：其余各项可能是它的明细，被重复计入'
                   AS why
            FROM _gaps AS g JOIN cells AS c ON list_contains(g.figures[2:], c.cell)
            WHERE g.check_kind IN ({internal}) AND len(g.figures) > 2 AND g.gap > 2 * g.t AND abs(c.amount - g.a) <= g.t
        ),
        other_row AS (
            SELECT g.row_id,
                   coalesce(s.gap_text, '差额') || '等于本表另一' || CASE WHEN g.check_kind = 'row_arithmetic' THEN '栏' ELSE '行' END
                   || '「' || c.label || '」[' || c.column_name || ']的数字' AS why
            FROM _gaps AS g
            LEFT JOIN shown AS s USING (row_id)
            JOIN cells AS c
                ON list_contains(g.tables, c.table_id)
               AND CASE WHEN g.check_kind = 'row_arithmetic' THEN c.table_id = g.table_id AND c.row_no = g.row_no
                        WHEN g.check_kind = 'cross_table' THEN true
                        ELSE c.table_id = g.table_id AND c.column_name = g.column_name END
               AND abs(c.amount - g.gap) <= g.t AND c.amount > 2 * g.t AND NOT list_contains(g.figures, c.cell)
            WHERE g.check_kind IN ({internal}, 'cross_table')
        ),
        claims AS (
            SELECT g.row_id, g.document_id, g.figures, n.stated_value, n.stated_decimals
            FROM _gaps AS g
            JOIN fact_narrative_figure AS n
              ON n.document_id = g.document_id AND g.figures[1] = 'narrative#' || n.figure_no
            -- a measure the text words loosely (总额, 基本支出, 一般公共预算 …), not a project or a subject it names
            WHERE abs(n.stated_value) >= 1 AND n.stated_unit = '万元'
              AND NOT regexp_matches(n.measure, '^(project|function|project_form):')
        ),
        said_elsewhere AS (
            -- the amount a sentence states, printed by a table figure it was not compared with
            SELECT c.row_id,
                   '文中的' || cast(c.stated_value AS VARCHAR) || '万元与表中「'
                   || trim(concat_ws(' ', l.table_number, l.table_title, l.label))
                   || '」[' || l.column_name || ']的数字相同：句子说的可能是那个数' AS why
            FROM claims AS c
            JOIN (SELECT *, {ROW_LABEL_SQL} AS label FROM fact_budget_line) AS l ON l.document_id = c.document_id
             AND NOT list_contains(c.figures, l.table_id || '#' || l.row_no || '#' || l.column_name)
             AND c.stated_value BETWEEN least(printed_wan_low(l.amount, l.half_unit, c.stated_decimals),
                                              printed_wan_high(l.amount, l.half_unit, c.stated_decimals))
                                    AND greatest(printed_wan_low(l.amount, l.half_unit, c.stated_decimals),
                                                 printed_wan_high(l.amount, l.half_unit, c.stated_decimals))
        ),
        explained AS (
            SELECT row_id, arg_min(why, rank) AS why FROM (
                SELECT *, 1 AS rank FROM multiple UNION ALL SELECT *, 2 FROM own_part UNION ALL SELECT *, 3 FROM whole_part
                UNION ALL SELECT *, 4 FROM other_row UNION ALL SELECT *, 5 FROM said_elsewhere)
            GROUP BY row_id
        )
        SELECT r.*, x.why || CASE WHEN starts_with(r.figures[1], 'narrative#') THEN '' ELSE '：可能是表读错了' END
                    AS misreading
        FROM check_rows AS r LEFT JOIN explained AS x USING (row_id)
        ORDER BY r.row_id""")
    con.execute("DROP TABLE temp.main._gaps")


@dataclass
class Row:
    row_id: int
    document_id: str
    check_kind: str
    table_id: str | None
    severity: str
    failed: bool
    figures: list[str]
    difference: Decimal | None
    expected: Decimal | None
    actual: Decimal | None
    exact_sums: int | None
    place_key: str
    misreading: str | None = None  # how a misreading of the table would explain the gap (explain_gaps)

    @property
    def tables(self) -> list[str]:
        """The tables the relation's figures were read from (narrative figures are no table)."""
        out = []
        for figure in self.figures:
            table = figure.split("#", 1)[0]
            if table != "narrative" and table not in out:
                out.append(table)
        if not out and self.table_id:
            out.append(self.table_id)
        return out


@dataclass
class Verdict:
    status: str  # pass | fail | doubt | unverified
    role: str | None = None  # contradiction | consequence | reading_doubt | doubted | warning | unverifiable
    group: str | None = None  # row_id (or table id for doubts) of the group's finding
    confidence: str | None = None
    culprit: str | None = None  # the figure that is off (a figure key)


@dataclass
class Doubt:
    """A reading in doubt: a table (``key`` = its table id), or a measure the narrative states several ways
    (``key`` = "narrative:<document>:<measure>")."""

    key: str
    document_id: str
    reasons: list[str] = field(default_factory=list)
    relations: list[int] = field(default_factory=list)

    @property
    def table_id(self) -> str | None:
        return None if self.key.startswith("narrative:") else self.key


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def load_rows(con: duckdb.DuckDBPyConnection, documents: list[str] | None = None) -> list[Row]:
    """The check rows (of ``documents`` only, when given) as ``Row``s, none yet ``failed`` (GX says which)."""
    where = ""
    if documents is not None:
        con.register("_batch", _documents_frame(documents))
        where = "WHERE document_id IN (SELECT document_id FROM _batch)"
    try:
        fetched = con.execute(f"""
            SELECT row_id, document_id, check_kind, table_id, severity, figures, difference, expected, actual,
                   exact_sums, place_key, misreading
            FROM check_rows {where} ORDER BY row_id""").fetchall()
    finally:
        if documents is not None:
            con.unregister("_batch")
    return [Row(int(r[0]), r[1], r[2], r[3], r[4], False, list(r[5] or []), _dec(r[6]), _dec(r[7]),
                _dec(r[8]), None if r[9] is None else int(r[9]), r[10], r[11]) for r in fetched]


def _documents_frame(documents: list[str]):
    import pandas as pd

    return pd.DataFrame({"document_id": pd.Series(documents, dtype="string")})


def document_batches(con: duckdb.DuckDBPyConnection, size: int = 100) -> list[list[str]]:
    """The documents of ``check_rows`` in batches of about ``size`` that can be judged apart: a relation
    whose figures come from another document (a table id starts with its document's id) keeps the two
    in one batch. Judging a batch at a time keeps memory to a batch's rows, whatever the corpus."""
    documents = [d for (d,) in con.execute(
        "SELECT DISTINCT document_id FROM check_rows WHERE document_id IS NOT NULL ORDER BY document_id").fetchall()]
    parent = {d: d for d in documents}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, figures in con.execute("""
            SELECT document_id, list_filter(figures, lambda f: NOT starts_with(f, document_id || ':')
                                                        AND NOT starts_with(f, 'narrative#'))
            FROM check_rows
            WHERE document_id IS NOT NULL
              AND len(list_filter(figures, lambda f: NOT starts_with(f, document_id || ':')
                                             AND NOT starts_with(f, 'narrative#'))) > 0""").fetchall():
        for figure in figures:
            b = figure.split(":", 1)[0]
            if b in parent:
                parent[root(a)] = root(b)
    components: dict[str, list[str]] = defaultdict(list)
    for d in documents:
        components[root(d)].append(d)
    return pack(components.values(), size)


def pack(groups: Iterable[list[str]], size: int) -> list[list[str]]:
    """The groups, in order, packed into batches of about ``size`` members; a group is never split
    (one larger than ``size`` is a batch of its own)."""
    batches: list[list[str]] = [[]]
    for members in groups:
        if batches[-1] and len(batches[-1]) + len(members) > size:
            batches.append([])
        batches[-1].extend(members)
    return [b for b in batches if b]


def _group_by_figure(rows: list[Row]) -> list[tuple[str | None, list[Row]]]:
    """Failing relations grouped by the figure they share: greedily, the figure in most of the remaining
    relations (ties: the figure a relation checks, then the one in the earliest relation, then the first
    printed there) takes every relation it is in. A figure in exactly the same failing relations as another
    is not named (None): those relations cannot tell which of the two is off."""
    remaining = list(rows)
    groups = []
    while remaining:
        # counted in the order the figures come (relation by relation, as printed), so that a tie is broken
        # the same way in every process (a set's order of strings changes with the hash seed)
        counts: Counter = Counter(f for r in remaining for f in dict.fromkeys(r.figures))
        checked = Counter(r.figures[0] for r in remaining if r.figures)
        best = max(counts, key=lambda f: (counts[f], checked[f], -min(r.row_id for r in remaining if f in r.figures)),
                   default=None)
        if best is None or counts[best] < 2:
            groups.extend((r.figures[0] if r.figures else None, [r]) for r in remaining)
            break
        members = [r for r in remaining if best in r.figures]
        twin = any(f != best and counts[f] == counts[best] and all(f in r.figures for r in members) for f in counts)
        groups.append((None if twin else best, members))
        remaining = [r for r in remaining if best not in r.figures]
    return groups


def _is_unit_slip(row: Row) -> bool:
    """Two figures that differ by 10,000 times: one was read in 元 and the other in 万元."""
    if not row.expected or not row.actual:
        return False
    big, small = max(abs(row.expected), abs(row.actual)), min(abs(row.expected), abs(row.actual))
    return small > 0 and abs(big / small - UNIT_FACTOR) / UNIT_FACTOR < Decimal("0.001")


def adjudicate(rows: list[Row], unit_doubts: dict[str, str],
               narrative: dict[tuple[str, str], tuple[str, Decimal]] | None = None,
               labels: dict[str, str] | None = None,
               sentences: dict[tuple[str, str], str] | None = None) -> tuple[dict[int, Verdict], list[Doubt]]:
    """The verdict on every checked relation, and the readings in doubt.

    ``unit_doubts``: table id → why its unit is in doubt (no 单位 line: assumed 元). ``narrative``:
    (document, "narrative#<figure_no>") → (measure, value) of every 万元 figure read from the text.
    ``labels``: table id → how the table is named in words (公开06表 财政拨款基本支出表). ``sentences``:
    (document, "narrative#<figure_no>") → the sentence it is printed in (one sentence, one finding).
    """
    narrative = narrative or {}
    labels = labels or {}
    sentences = sentences or {}
    verdicts: dict[int, Verdict] = {
        # a sum that holds within its rounding but not to the unit: a rounding residue (尾差), information only
        r.row_id: Verdict("pass", "rounding_residue" if r.check_kind in GAP_KINDS and r.difference else None)
        for r in rows if not r.failed}
    failing = [r for r in rows if r.failed]
    for r in failing:
        if r.expected is None:  # nothing to compare the claim with: no arithmetic, no error
            verdicts[r.row_id] = Verdict("unverified", "unverifiable")
        elif r.severity != "error":
            verdicts[r.row_id] = Verdict("fail", "warning")
    errors = [r for r in failing if r.severity == "error" and r.expected is not None]

    # 1. How each table's own sums hold: failures grouped into unrelated places.
    internal: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.check_kind in INTERNAL_KINDS and len(r.tables) == 1:
            internal[r.tables[0]].append(r)
    doubts: dict[str, Doubt] = {}

    def doubt(key: str, document_id: str, reason: str) -> Doubt:
        d = doubts.setdefault(key, Doubt(key, document_id))
        if reason not in d.reasons:
            d.reasons.append(reason)
        return d

    for table_id, relations in internal.items():
        bad = [r for r in relations if r.failed and r.severity == "error"]
        places = len(_places(_group_by_figure(bad)))
        if places >= DOUBT_PLACES or (places >= 2 and Decimal(places) / len(relations) >= DOUBT_SHARE):
            checked_rows = {_row_of(r.figures[0]) for r in bad if r.figures}
            if len(checked_rows) == 1 and len(bad) == places:
                alike = "差同一个数" if len({abs(r.difference or 0) for r in bad}) == 1 else "差额各不相同"
                reason = f"同一行在{places}栏都与其各项之和不符，{alike}：可能漏读了行，也可能是文件缺行"
            else:
                reason = f"本表{len(relations)}个加总中有{len(bad)}个不成立，分在{places}处互不相关的地方：多半是表读错了"
            doubt(table_id, relations[0].document_id, reason)
    # A figure read in the neighbouring column leaves its row's arithmetic whole but makes the sum above it
    # miss by +x in one column and by −x in the other: a misreading, not two slips of the document.
    by_parent: dict[str, list[Row]] = defaultdict(list)
    for r in errors:
        if r.check_kind == "hierarchy" and r.figures and r.difference:
            by_parent[_row_of(r.figures[0])].append(r)
    for relations in by_parent.values():
        if any(a.difference == -b.difference for a, b in combinations(relations, 2)):
            doubt(relations[0].tables[0], relations[0].document_id,
                  "同一行的两栏加总一栏多、一栏少，差额相同：多半是把一个数字读进了相邻的栏")
    for table_id, why in unit_doubts.items():
        owner = next((r.document_id for r in rows if table_id in r.tables), None)
        if owner:
            doubt(table_id, owner, why)
    # 2. What a sentence speaks of, when it is uncertain, makes its claim unverifiable, not an error: a measure the
    # narrative states with several values far apart (a unit's, a fund's, another year's under one name), or an
    # amount another figure of the tables prints (the sentence may mean that one).
    values: dict[tuple[str, str], set] = defaultdict(set)
    for (document_id, _), (measure, value) in narrative.items():
        values[(document_id, measure)].add(value)
    for r in errors:
        why = r.misreading if r.misreading and r.figures and r.figures[0].startswith("narrative#") else None
        for figure in r.figures:
            measure, value = narrative.get((r.document_id, figure), (None, None))
            others = values[(r.document_id, measure)] - {value} if measure else set()
            # a value a digit away from another is the same figure printed two ways, and stays judged
            if any(abs(o - value) > abs(value) / 100 for o in others):
                stated = "、".join(f"{v}万元" for v in sorted(values[(r.document_id, measure)]))
                why = f"文中对同一项说了{stated}几个数：不能确定这一句说的是表中这个数"
                break
        if why:
            verdicts[r.row_id] = Verdict("unverified", "unverifiable", confidence=why)
    errors = [r for r in errors if verdicts.get(r.row_id, Verdict("fail")).status != "unverified"]
    # 3. A relation that uses a doubtful reading, or whose gap a misreading explains, proves nothing about the
    # document.
    proven = []
    for r in errors:
        held = next((t for t in r.tables if t in doubts), None)
        if held is None and (r.misreading or _is_unit_slip(r)):
            held = (r.tables[0] if r.misreading else r.tables[-1]) if r.tables else r.table_id
            if held:
                doubt(held, r.document_id, r.misreading or "一个数字是另一处对应数字的10000倍：可能把元读成了万元")
        if held is not None:
            doubts[held].relations.append(r.row_id)
            verdicts[r.row_id] = Verdict("doubt", "doubted", group=f"doubt|{held}")
        else:
            proven.append(r)
    # 4. What vouches for each table: its other relations that hold. A table nothing confirms (no sum of
    # its own, no other relation that holds) cannot prove the document wrong either.
    support: dict[str, int] = Counter(t for r in rows if not r.failed for t in r.tables)
    internal_held = {t: sum(1 for r in rel if not r.failed) for t, rel in internal.items()}
    unconfirmed = []
    for r in proven:
        alone = next((t for t in r.tables if not support.get(t)), None)
        if alone is None:
            unconfirmed.append(r)
            continue
        doubt(alone, r.document_id, "没有别的数字印证本表的读数（本表没有一个加总或对照成立）")
        doubts[alone].relations.append(r.row_id)
        verdicts[r.row_id] = Verdict("doubt", "doubted", group=f"doubt|{alone}")
    proven = unconfirmed
    # 5. One contradiction per wrong figure, or per row printed wrong by the same amount in several columns.
    residues: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.row_id in verdicts and verdicts[r.row_id].role == "rounding_residue":
            for figure in r.figures:
                residues[figure].append(r)
    by_document: dict[str, list[Row]] = defaultdict(list)
    for r in proven:
        by_document[r.document_id].append(r)
    for document_id, document_rows in by_document.items():
        def sentence(members: list[Row], document_id: str = document_id) -> str | None:
            said = {sentences.get((document_id, f)) for r in members for f in r.figures if f.startswith("narrative#")}
            return said.pop() if len(said) == 1 and None not in said else None

        for culprit, groups in _places(_group_by_figure(document_rows), sentence, lone_rows=True):
            members = [r for _, group in groups for r in group]
            lead = min(groups[0][1], key=lambda r: (r.figures[0] != culprit if r.figures else True, r.row_id))
            # a figure is named as the one that is off only when several failing relations share it; one
            # failing relation shows that its figures disagree, not which of them is wrong, unless one of its
            # figures also misses another sum by the very same amount, there within that sum's rounding
            named = culprit if len(groups[0][1]) > 1 else None
            seconded = _seconded(lead, residues) if named is None and len(members) == 1 else None
            confidence = _confidence(lead, members, support, internal_held, labels, named is not None, len(groups),
                                     seconded is not None)
            named = named or seconded
            for r in members:
                role = "contradiction" if r is lead else "consequence"
                verdicts[r.row_id] = Verdict("fail", role, group=str(lead.row_id), confidence=confidence, culprit=named)
    return verdicts, list(doubts.values())


def _seconded(lone: Row, residues: dict[str, list[Row]]) -> str | None:
    """The one figure of a lone failing relation that another sum also misses by exactly the same amount (there
    within its rounding, a rounding residue): 无锡人社 合计 25,530.51 ≠ 301 23,647.92 + 303 1,882.57 by 0.02, and 301's
    own 款 add up to 23,647.94: 301 is the figure off. None when no figure, or several, are seconded so."""
    gap = abs(lone.difference) if lone.difference is not None else None
    seconded = [f for f in dict.fromkeys(lone.figures)
                if gap and any(r.difference is not None and abs(r.difference) == gap for r in residues.get(f, ()))]
    return seconded[0] if len(seconded) == 1 else None


def _row_of(figure: str) -> str:
    """The printed row of a table figure (``table#row``)."""
    return figure.rsplit("#", 1)[0]


def _places(groups: list[tuple[str | None, list[Row]]], sentence=lambda members: None, lone_rows: bool = False
            ) -> list[tuple[str | None, list[tuple[str | None, list[Row]]]]]:
    """The groups of ``_group_by_figure`` by place: groups whose named figures stand in one printed row and miss by
    the same amount are one row printed wrong in several columns alike (合计, 基本支出 and 人员经费 each 100.00 too
    high); groups whose narrative figures are all of one sentence (``sentence``: the sentence of a group's figures,
    else None) are what that sentence says wrong: one place, one finding; with ``lone_rows``, so are lone failing
    relations checking one row that miss by the same amount (a 合计 row short alike in 合计 and 项目支出: one
    finding, once a table's places have been counted). Each place: (its first group's figure, its groups)."""
    places: dict[object, list[tuple[str | None, list[Row]]]] = {}
    for culprit, members in groups:
        gaps = {abs(r.difference) for r in members if r.difference is not None}
        said = sentence(members)
        if said is not None:
            key = ("sentence", said)
        elif culprit and "#" in culprit and not culprit.startswith("narrative#") and len(gaps) == 1 and len(members) > 1:
            key = (_row_of(culprit), gaps.pop())
        elif lone_rows and len(members) == 1 and members[0].figures and "#" in members[0].figures[0] \
                and not members[0].figures[0].startswith("narrative#") and len(gaps) == 1:
            key = (_row_of(members[0].figures[0]), gaps.pop())  # one row's total off alike in several columns
        else:
            key = id(members)
        places.setdefault(key, []).append((culprit, members))
    return [(groups[0][0], groups) for groups in places.values()]


def _confidence(lead: Row, members: list[Row], support: dict[str, int], internal_held: dict[str, int],
                labels: dict[str, str], named: bool = True, columns: int = 1, seconded: bool = False) -> str:
    """Why the reading is trusted, in plain words: what vouches for the tables, and which misreadings were tried."""
    parts = []
    exact_table = lead.tables[0] if lead.exact_sums and lead.tables else None
    if exact_table:
        parts.append(f"{labels.get(exact_table, '本表')}其余{lead.exact_sums}个加总分毫不差，四舍五入的数字如此巧合的"
                     "概率不到千分之一，所以本表是准确数")
    for table in dict.fromkeys(t for r in members for t in r.tables):
        if table == exact_table:
            continue
        held = internal_held.get(table)
        other = support.get(table, 0)
        if held:
            parts.append(f"{labels.get(table, '所在表')}另有{held}个加总成立")
        elif other:
            parts.append(f"另有{other}处对照印证{labels.get(table, '所在表')}的读数")
    if any(r.check_kind == "year_over_year_across_documents" for r in members):
        parts.append("用两年文件各自的表格核对了这句话的数字")
    elif not any(r.tables for r in members):
        parts.append("数字都出自这句话本身")
    if lead.check_kind in GAP_KINDS:
        parts.append("差额不等于本表任何别的数字，也不是倍数关系：不像漏读、重读或读错单位")
    if columns > 1:
        parts.append(f"同一行{columns}栏同差")
    if len(members) > 1 and (named or columns == 1):
        parts.append(f"一个数字破坏了{len(members)}个关系" if named else
                     f"同样这些数字破坏了{len(members)}个关系，但看不出是哪一个数字有误")
    if seconded:
        parts.append("被认为有误的数字与它自己的各项之和也差同样的数（在尾差范围内），所以多半是它错了")
    return "；".join(parts) or "没有别的数字印证这一读数"
