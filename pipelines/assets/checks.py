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
    """Each kind passes when none of its findings fails; an error-severity failure (the document
    contradicts itself) makes it an ERROR, warnings only (hints, unverifiable claims) a WARN."""
    con = connect_read_only(paths.warehouse)
    try:
        counts = {(k, sev, status): n for k, sev, status, n in con.execute(
            "select check_kind, severity, status, count(*) from v_check_result group by all").fetchall()}
        failing = con.execute("""
            select check_kind, severity, description, expected, actual, difference, source_ref
            from v_check_result where status = 'fail'
            order by check_kind, severity, abs(difference) desc nulls last""").fetchall()
    finally:
        con.close()
    for kind in CHECK_KINDS:
        errors = counts.get((kind, "error", "fail"), 0)
        warnings = counts.get((kind, "warning", "fail"), 0)
        passed = sum(n for (k, _, status), n in counts.items() if k == kind and status == "pass")
        top = [row for row in failing if row[0] == kind][:10]
        table = "\n".join(f"| {sev} | {desc} | {exp} | {act} | {diff} | {ref} |"
                          for _, sev, desc, exp, act, diff, ref in top)
        yield dg.AssetCheckResult(
            check_name=kind,
            asset_key=CHECKED_ASSET,
            passed=errors == 0 and warnings == 0,
            severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
            metadata={
                "passed": passed, "failed_errors": errors, "failed_warnings": warnings,
                "failing": dg.MetadataValue.md(
                    "| severity | where | expected | actual | difference | source |\n|---|---|---|---|---|---|\n"
                    + table) if top else dg.MetadataValue.md("none"),
            },
        )
