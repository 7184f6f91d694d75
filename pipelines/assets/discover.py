"""Stages 1–3 for one raw file (one partition): discover, read, normalize, staged as Parquet.

One step per file does all three, so a file is parsed once; the graph still shows each output as
its own asset so a reader sees the stages.
"""
import dagster as dg

from ..discover.files import file_key, scan_raw_folder
from ..partitions import RAW_FILES
from ..resources import BudgetPaths
from ..run import default_workers, stage_files

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


@dg.multi_asset(specs=STAGE_SPECS, can_subset=False, backfill_policy=dg.BackfillPolicy.single_run())
def staged_file(context: dg.AssetExecutionContext, paths: BudgetPaths):
    """Read, identify and normalize raw files into their staging folders (skipped when unchanged).

    A run covers one partition (a file the sensor saw change) or a range of them (the nightly
    run: every file, in one run, staged in parallel the way `budget run` stages them)."""
    keys = set(context.partition_keys)
    files = [f for f in scan_raw_folder(paths.raw) if file_key(f.name) in keys]
    missing = sorted(keys - {file_key(f.name) for f in files})
    if not files:
        raise dg.Failure(f"partition(s) {', '.join(missing)}: no file with this key in {paths.raw} (removed since?)")
    if missing:
        context.log.warning(f"{len(missing)} partition(s) without a file in {paths.raw} (removed since?): "
                            + ", ".join(missing))
    staged = stage_files(files, paths.warehouse, workers=default_workers() if len(files) > 1 else 1)
    for s in staged:
        if s.error:
            context.log.warning(f"{s.name}: {s.error}")
    if len(staged) == 1:
        (one,) = staged
        metadata = {"file": one.name, "sha256": one.sha256, "document_id": one.document_id or "",
                    "reused": one.reused, "error": one.error or ""}
    else:
        metadata = {"files": len(staged), "extracted": sum(not s.reused for s in staged),
                    "reused": sum(s.reused for s in staged), "errors": sum(s.error is not None for s in staged)}
    for spec in STAGE_SPECS:
        yield dg.MaterializeResult(asset_key=spec.key, metadata=metadata)
