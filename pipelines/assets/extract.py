"""Stage 2: raw tables, narrative figures and performance targets of every document."""

import dagster as dg
import pandas as pd

from ..normalize.frames import narrative_frames, table_cells_frame
from .discover import RawDocuments


@dg.asset(group_name="read", kinds={"python", "pandas"})
def raw_tables(raw_documents: RawDocuments) -> dg.Output[pd.DataFrame]:
    """Every standard table's cells as text, with table kind, title, 单位 and source location."""
    frame = table_cells_frame(raw_documents.documents)
    return dg.Output(frame, metadata={
        "cells": len(frame), "tables": int(frame["table_id"].nunique()) if len(frame) else 0})


@dg.multi_asset(
    group_name="read",
    outs={
        "narrative_figures": dg.AssetOut(kinds={"python", "pandas"},
                                         description="Amounts, shares, changes and counts stated in the text."),
        "performance_targets": dg.AssetOut(kinds={"python", "pandas"},
                                           description="Indicators of the 绩效目标 forms."),
    },
)
def narrative(raw_documents: RawDocuments):
    """Figures of 第一部分 and 第三部分 with the measure each speaks of; 绩效目标 indicators."""
    figures, targets = narrative_frames(raw_documents.documents)
    yield dg.Output(figures, output_name="narrative_figures", metadata={"figures": len(figures)})
    yield dg.Output(targets, output_name="performance_targets", metadata={"targets": len(targets)})
