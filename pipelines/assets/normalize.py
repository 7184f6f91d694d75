"""Stage 3: one budget line per published figure, and every reading problem in one place."""

import dagster as dg

from ..normalize.frames import budget_lines as to_budget_lines
from ..normalize.frames import ingest_issues_frame
from .discover import RawDocuments


@dg.multi_asset(
    group_name="normalize",
    outs={
        "budget_lines": dg.AssetOut(kinds={"python", "pandas"},
                                    description="One row per published figure, with its dimensions, in yuan."),
        "ingest_issues": dg.AssetOut(kinds={"python", "pandas"},
                                     description="Unreadable files and uncertain cells, with the reason."),
    },
)
def normalize(raw_documents: RawDocuments):
    """Normalize every table into long budget lines; collect every reading problem."""
    lines, issues = to_budget_lines(raw_documents.documents)
    issue_frame = ingest_issues_frame(raw_documents.documents, raw_documents.failures, issues)
    yield dg.Output(lines, output_name="budget_lines", metadata={"budget_lines": len(lines)})
    yield dg.Output(issue_frame, output_name="ingest_issues", metadata={
        "errors": int((issue_frame["severity"] == "error").sum()) if len(issue_frame) else 0,
        "warnings": int((issue_frame["severity"] == "warning").sum()) if len(issue_frame) else 0,
    })
