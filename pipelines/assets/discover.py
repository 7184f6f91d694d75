"""Stages 1–3 for one raw file (one partition): discover, read, normalize, staged as Parquet.

One step per file does all three, so a file is parsed once; the graph still shows each output as
its own asset so a reader sees the stages.
"""
import dagster as dg

from ..discover.files import file_key, scan_raw_folder
from ..normalize.staging import freeze_heap, stage_file
from ..partitions import RAW_FILES
from ..resources import BudgetPaths

STAGE_SPECS = [
    dg.AssetSpec("raw_documents", group_name="discover", kinds={"python"}, partitions_def=RAW_FILES,
                 description="The file read and identified: department, year, 预算/决算, 部门/单位, content hash."),
    dg.AssetSpec("raw_tables", group_name="read", kinds={"python", "parquet"}, partitions_def=RAW_FILES,
                 deps=["raw_documents"],
                 description="Every standard table's cells as text, with kind, title, 单位 and location."),
    dg.AssetSpec("narrative_figures", group_name="read", kinds={"python", "parquet"}, partitions_def=RAW_FILES,
                 deps=["raw_documents"],
                 description="Amounts, shares, changes and counts stated in 第一部分 and 第三部分."),
    dg.AssetSpec("performance_targets", group_name="read", kinds={"python", "parquet"}, partitions_def=RAW_FILES,
                 deps=["raw_documents"], description="Indicators of the 绩效目标 forms."),
    dg.AssetSpec("budget_lines", group_name="normalize", kinds={"python", "parquet"}, partitions_def=RAW_FILES,
                 deps=["raw_tables"], description="One row per published figure, with its dimensions, in yuan."),
    dg.AssetSpec("ingest_issues", group_name="normalize", kinds={"python", "parquet"}, partitions_def=RAW_FILES,
                 deps=["raw_documents", "raw_tables"],
                 description="Why a file could not be read, and every uncertain cell."),
]


@dg.multi_asset(specs=STAGE_SPECS, can_subset=False)
def staged_file(context: dg.AssetExecutionContext, paths: BudgetPaths):
    """Read, identify and normalize one raw file into its staging folder (skipped when unchanged)."""
    key = context.partition_key
    raw_file = next((f for f in scan_raw_folder(paths.raw) if file_key(f.name) == key), None)
    if raw_file is None:
        raise dg.Failure(f"partition {key}: no file with this key in {paths.raw} (removed since?)")
    freeze_heap()
    staged = stage_file(raw_file, paths.warehouse / "staging")
    if staged.error:
        context.log.warning(f"{raw_file.name}: {staged.error}")
    metadata = {"file": raw_file.name, "sha256": raw_file.sha256, "document_id": staged.document_id or "",
                "reused": staged.reused, "error": staged.error or ""}
    for spec in STAGE_SPECS:
        yield dg.MaterializeResult(asset_key=spec.key, metadata=metadata)
