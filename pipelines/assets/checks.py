"""Stage 5: the tie-out checks as Dagster asset checks, one per check kind.

The checks themselves run inside the warehouse build (GX validates every kind's residuals there,
so their findings land in the warehouse beside the figures); these asset checks read the
published findings and report each kind's verdict to Dagster, with the failing places."""
import dagster as dg

from ..checks.results import check_files
from ..resources import BudgetPaths
from ..warehouse.build import connect_read_only

CHECK_KINDS = [path.stem for path in check_files()[1]]
CHECKED_ASSET = dg.AssetKey("fact_budget_line")


def _description(kind: str) -> str:
    path = next(p for p in check_files()[1] if p.stem == kind)
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("-- @table")), "")
    return first.removeprefix("-- @table").strip() or kind


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(name=kind, asset=CHECKED_ASSET, description=_description(kind)) for kind in CHECK_KINDS],
    can_subset=False,
)
def tie_outs(paths: BudgetPaths):
    """Each kind passes when none of its relations fails: a contradiction (the document contradicts
    itself, proven by its own arithmetic) makes it an ERROR, warnings only (hints) a WARN. Claims with
    nothing to check them against, and relations held back by a reading doubt, are counted, not failed."""
    con = connect_read_only(paths.warehouse)
    try:
        counts = {(k, role or status): n for k, role, status, n in con.execute(
            "select check_kind, finding_role, status, count(*) from v_check_result group by all").fetchall()}
        failing = con.execute("""
            select check_kind, finding_role, description, expected, actual, difference, source_ref
            from v_check_result where finding_role in ('contradiction', 'consequence', 'warning')
            order by check_kind, finding_role, abs(difference) desc nulls last""").fetchall()
    finally:
        con.close()
    for kind in CHECK_KINDS:
        count = {role: counts.get((kind, role), 0)
                 for role in ("pass", "contradiction", "consequence", "warning", "unverifiable", "doubted")}
        top = [row for row in failing if row[0] == kind][:10]
        table = "\n".join(f"| {role} | {desc} | {exp} | {act} | {diff} | {ref} |"
                          for _, role, desc, exp, act, diff, ref in top)
        yield dg.AssetCheckResult(
            check_name=kind,
            asset_key=CHECKED_ASSET,
            passed=not (count["contradiction"] or count["warning"]),
            severity=dg.AssetCheckSeverity.ERROR if count["contradiction"] else dg.AssetCheckSeverity.WARN,
            metadata={
                "passed": count["pass"], "contradictions": count["contradiction"],
                "consequences": count["consequence"], "warnings": count["warning"],
                "unverifiable": count["unverifiable"], "held_back_by_reading_doubts": count["doubted"],
                "failing": dg.MetadataValue.md(
                    "| finding | where | expected | actual | difference | source |\n|---|---|---|---|---|---|\n"
                    + table) if top else dg.MetadataValue.md("none"),
            },
        )
