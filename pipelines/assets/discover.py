"""Stage 1: find the disclosures in the raw folder and read them."""

from dataclasses import dataclass

import dagster as dg

from ..discover.documents import Document, read_raw_folder
from ..discover.files import RawFile
from ..read.model import ExtractionIssue
from ..resources import BudgetPaths, ProgressReporter


@dataclass
class RawDocuments:
    documents: list[Document]
    failures: list[tuple[RawFile, ExtractionIssue]]


@dg.asset(group_name="discover", kinds={"python"})
def raw_documents(context: dg.AssetExecutionContext, paths: BudgetPaths,
                  progress: dg.ResourceParam[ProgressReporter]) -> RawDocuments:
    """Every file of the raw folder, read and identified (department, year, 预算/决算, 部门/单位);
    the files of one disclosure merged into one document; unreadable files kept with the reason."""
    files = sorted(p for p in paths.raw.rglob("*") if p.is_file() and not p.name.startswith("."))
    progress.start("read", len(files))
    documents, failures = read_raw_folder(paths.raw, on_file=lambda f: progress.advance("read", f.name))
    for raw_file, issue in failures:
        context.log.warning(f"{raw_file.name}: {issue.reason}")
    context.add_output_metadata({
        "documents": len(documents),
        "unreadable_files": len(failures),
        "tables": sum(len(d.raw.tables) for d in documents),
        "departments": dg.MetadataValue.md("\n".join(
            f"- {d.identity.department} {d.identity.year} {d.identity.kind} ({d.document_id})" for d in documents)),
    })
    return RawDocuments(documents, failures)
