"""Stage 6: the data-quality report people read, and GX Data Docs, after every build."""
import dagster as dg

from ..report.publish import write_reports
from ..resources import BudgetPaths


@dg.asset(
    group_name="report",
    kinds={"html"},
    deps=["v_check_result", "v_finding_change", "v_finding_cell", "v_document_quality", "v_budget_line",
          "v_narrative_claim", "v_ingest_issue", "dim_document"],
)
def quality_report(context: dg.AssetExecutionContext, paths: BudgetPaths) -> dg.MaterializeResult:
    """`<warehouse>/reports/index.html`: documents ranked by contradictions, one page each with the
    contradictions in plain words and on crops of their pages, the reading doubts, the reading quality,
    every check, and charts; plus GX Data Docs."""
    index = write_reports(paths.warehouse, raw_dir=paths.raw)
    context.log.info(f"report written to {index}")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(index))})
