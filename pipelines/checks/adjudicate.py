"""From failed tie-outs to what a reader of the report can trust: contradictions, reading doubts, warnings.

A failed check is not yet a finding. Three steps turn the checked relations into findings:

1. **Rounding learned from the table** (``learn_rounding``, before validation). A figure printed in
   whole 元 or in 万元 is rounded, so a sum may miss its total by the parts' half-units; but when the
   other sums of the same table tie out to the unit (all of them but the few one slip breaks), the
   table's figures are exact and the sum must tie exactly too (a 1-元 slip in a table of 200 exact sums
   is a slip, not rounding). A document that says its figures are rounded (尾差, 四舍五入) keeps its
   intervals.
2. **Misreading is not a contradiction** (``adjudicate``). A table whose own sums fail in several
   unrelated places, whose unit had to be assumed, or whose figures nothing else confirms, was
   probably read wrong: its failures become one reading doubt about the table (a warning), and no
   relation that uses its figures can prove the document wrong.
3. **One contradiction, one finding.** The remaining failures are grouped by the figure they share:
   the figure in most of them is the one that is off, the relations it breaks are listed once, the
   others are its consequences.

Pure Python over the check rows (no Dagster); the SQL runner hands them over and stores the verdicts.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

INTERNAL_KINDS = frozenset({"row_arithmetic", "hierarchy", "balance"})
# At least this many other sums of a table tie out exactly, and at most one in EXACT_RATIO of them misses by a
# residue (the other relations one slip breaks), before its figures are taken as exact.
MIN_EXACT_SUMS = 10
EXACT_RATIO = 8
# A table whose failures fall in this many unrelated places (or in this share of its sums) was misread.
DOUBT_PLACES = 3
DOUBT_SHARE = Decimal("0.1")
# Figures that differ by this factor were read in the wrong unit, not printed wrong.
UNIT_FACTOR = Decimal(10000)


def learn_rounding(con: duckdb.DuckDBPyConnection) -> None:
    """Set each rounded relation's tolerance to zero where the other sums of its table tie out exactly.

    Works on ``check_rows`` in place; the printed tolerance stays in ``printed_tolerance`` and
    ``exact_sums`` says how many other sums vouch for exactness (NULL where nothing was learned).
    """
    exact = f"j.exact_others >= {MIN_EXACT_SUMS} AND j.inexact_others * {EXACT_RATIO} <= j.exact_others"
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
        per_table AS (
            SELECT table_id,
                   count(*) FILTER (WHERE d = 0 AND (e <> 0 OR a <> 0)) AS exact_n,
                   count(*) FILTER (WHERE d <> 0) AS inexact_n
            FROM internal GROUP BY table_id
        ),
        judged AS (
            SELECT i.row_id,
                   p.exact_n - CASE WHEN i.d = 0 AND (i.e <> 0 OR i.a <> 0) THEN 1 ELSE 0 END AS exact_others,
                   p.inexact_n - CASE WHEN i.d <> 0 THEN 1 ELSE 0 END AS inexact_others
            FROM internal AS i JOIN per_table AS p USING (table_id)
        )
        SELECT r.* EXCLUDE (d, t, e, a, tolerance),
               CASE WHEN {exact} THEN '0.0000' ELSE r.tolerance END AS tolerance,
               r.tolerance AS printed_tolerance,
               CASE WHEN {exact} THEN j.exact_others END AS exact_sums
        FROM rows AS r LEFT JOIN judged AS j USING (row_id)
        ORDER BY r.row_id
    """)


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
                   exact_sums, place_key
            FROM check_rows {where} ORDER BY row_id""").fetchall()
    finally:
        if documents is not None:
            con.unregister("_batch")
    return [Row(int(r[0]), r[1], r[2], r[3], r[4], False, list(r[5] or []), _dec(r[6]), _dec(r[7]),
                _dec(r[8]), None if r[9] is None else int(r[9]), r[10]) for r in fetched]


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
               labels: dict[str, str] | None = None) -> tuple[dict[int, Verdict], list[Doubt]]:
    """The verdict on every checked relation, and the readings in doubt.

    ``unit_doubts``: table id → why its unit is in doubt (no 单位 line: assumed 元). ``narrative``:
    (document, "narrative#<figure_no>") → (measure, value) of every figure read from the text.
    ``labels``: table id → how the table is named in words (公开06表 财政拨款基本支出表).
    """
    narrative = narrative or {}
    labels = labels or {}
    verdicts: dict[int, Verdict] = {r.row_id: Verdict("pass") for r in rows if not r.failed}
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
        places = len(_group_by_figure(bad))
        if places >= DOUBT_PLACES or (places >= 2 and Decimal(places) / len(relations) >= DOUBT_SHARE):
            checked_rows = {r.figures[0].rsplit("#", 1)[0] for r in bad if r.figures}
            if len(checked_rows) == 1 and len(bad) == places:
                reason = (f"one row misses the sum of its parts in {places} columns alike: rows may be missing "
                          "from the reading or from the document")
            else:
                reason = f"{len(bad)} of its {len(relations)} sums fail in {places} unrelated places"
            doubt(table_id, relations[0].document_id, reason)
    # A figure read in the neighbouring column leaves its row's arithmetic whole but makes the sum above it
    # miss by +x in one column and by −x in the other: a misreading, not two slips of the document.
    by_parent: dict[str, list[Row]] = defaultdict(list)
    for r in errors:
        if r.check_kind == "hierarchy" and r.figures and r.difference:
            by_parent[r.figures[0].rsplit("#", 1)[0]].append(r)
    for relations in by_parent.values():
        if any(a.difference == -b.difference for a, b in combinations(relations, 2)):
            doubt(relations[0].tables[0], relations[0].document_id,
                  "a figure seems read in the neighbouring column: one row's sums miss by the same amount, "
                  "once over and once under")
    for table_id, why in unit_doubts.items():
        owner = next((r.document_id for r in rows if table_id in r.tables), None)
        if owner:
            doubt(table_id, owner, why)
    # 2. A measure the narrative states with several values (per unit, per fund, for another year): which
    # figure a sentence speaks of is uncertain, so a sentence that misses the table is no contradiction.
    values: dict[tuple[str, str], set] = defaultdict(set)
    for (document_id, _), (measure, value) in narrative.items():
        values[(document_id, measure)].add(value)
    ambiguous: dict[int, str] = {}
    for r in errors:
        for figure in r.figures:
            measure, value = narrative.get((r.document_id, figure), (None, None))
            others = values[(r.document_id, measure)] - {value} if measure else set()
            # values far apart are different things read under one name (a unit's, a fund's); a value a digit
            # away from another is the same figure printed two ways, and stays judged
            if any(abs(o - value) > abs(value) / 100 for o in others):
                key = f"narrative:{r.document_id}:{measure}"
                ambiguous[r.row_id] = key
                stated = "、".join(str(v) for v in sorted(values[(r.document_id, measure)]))
                doubt(key, r.document_id,
                      f"the text states {measure} as {stated}: which sentence speaks of the table's figure is uncertain")
                break
    # 3. A relation that uses a doubtful reading proves nothing about the document.
    proven = []
    for r in errors:
        held = ambiguous.get(r.row_id) or next((t for t in r.tables if t in doubts), None)
        if held is None and _is_unit_slip(r):
            held = r.tables[-1] if r.tables else r.table_id
            if held:
                doubt(held, r.document_id, "a figure of it is 10,000 times its counterpart elsewhere (元 read as 万元?)")
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
        doubt(alone, r.document_id, "no other figure confirms its reading (none of its sums or links holds)")
        doubts[alone].relations.append(r.row_id)
        verdicts[r.row_id] = Verdict("doubt", "doubted", group=f"doubt|{alone}")
    proven = unconfirmed
    # 5. One contradiction per wrong figure.
    by_document: dict[str, list[Row]] = defaultdict(list)
    for r in proven:
        by_document[r.document_id].append(r)
    for document_rows in by_document.values():
        for culprit, members in _group_by_figure(document_rows):
            lead = min(members, key=lambda r: (r.figures[0] != culprit if r.figures else True, r.row_id))
            # a figure is named as the one that is off only when several failing relations share it; one
            # failing relation shows that its figures disagree, not which of them is wrong
            named = culprit if len(members) > 1 else None
            confidence = _confidence(lead, members, support, internal_held, labels, named is not None)
            for r in members:
                role = "contradiction" if r is lead else "consequence"
                verdicts[r.row_id] = Verdict("fail", role, group=str(lead.row_id), confidence=confidence, culprit=named)
    return verdicts, list(doubts.values())


def _confidence(lead: Row, members: list[Row], support: dict[str, int], internal_held: dict[str, int],
                labels: dict[str, str], named: bool = True) -> str:
    """Why the reading is trusted, in plain words."""
    parts = []
    exact_table = lead.tables[0] if lead.exact_sums and lead.tables else None
    if exact_table:
        parts.append(f"the other {lead.exact_sums} sums of {labels.get(exact_table, 'this table')} tie out exactly, "
                     "so its figures are exact")
    for table in dict.fromkeys(t for r in members for t in r.tables):
        if table == exact_table:
            continue
        held = internal_held.get(table)
        other = support.get(table, 0)
        if held:
            parts.append(f"{held} other sums of {labels.get(table, 'its table')} tie out")
        elif other:
            parts.append(f"{other} other relations confirm {labels.get(table, 'its table')}")
    if any(r.check_kind == "year_over_year_across_documents" for r in members):
        parts.append("the sentence's figure against both years' own tables")
    elif not any(r.tables for r in members):
        parts.append("the figures are the sentence's own")
    if len(members) > 1:
        parts.append(f"one figure breaks {len(members)} relations" if named else
                     f"the same figures break {len(members)} relations, which of them is off they do not tell")
    return "; ".join(parts) or "no other figure confirms the reading"
