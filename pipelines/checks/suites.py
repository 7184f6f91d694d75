"""Great Expectations suites over the check models' residual rows.

Each check model (``dbt_like_sql/checks/<kind>.sql``) returns one row per checked relation with
``difference`` and ``tolerance``. Here the rows of every kind become one whole-dataframe batch of a GX 1.x
ephemeral context, validated by the tie-out suite (the report's Data Docs keep a suite per kind):

* ``excess_units`` = (|difference| − tolerance) in units of 0.0001, an exact integer computed from
  the decimals (never floats): ExpectColumnValuesToBeBetween(max_value=0) fails a row that does not tie out;
* ExpectColumnValuesToNotBeNull on the same column fails a row with no counterpart (expected NULL:
  an unverifiable claim).

A row passes when no expectation lists its index in ``unexpected_index_list`` (result_format COMPLETE).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SCALE = Decimal("0.0001")


# What validates the check rows (``validate_kinds``, here or in the GX process, ``gx_process``): given each
# kind's rows it starts, and returns how to wait for the verdicts, so the run can read on meanwhile.
Validate = Callable[[Mapping[str, pd.DataFrame]], Callable[[], dict[str, pd.Series]]]


def excess_units(difference: str | None, tolerance: str | None) -> int | None:
    """(|difference| − tolerance) / 0.0001 as an exact integer; None when there is nothing to compare."""
    if difference is None or tolerance is None or pd.isna(difference) or pd.isna(tolerance):
        return None
    return int(((abs(Decimal(str(difference))) - Decimal(str(tolerance))) / SCALE).to_integral_value())


def _quiet_context(context) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def ephemeral_context(docs_site: Path | None = None):
    """An in-memory GX context; with ``docs_site``, its Data Docs site is written to that folder (the
    suites and validation results stay in memory: a file context rereads and rewrites its YAML project
    file at every step, a third of building the Data Docs)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, InMemoryStoreBackendDefaults

    if docs_site is None:
        context = gx.get_context(mode="ephemeral")
    else:
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            data_docs_sites={"local_site": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": True,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                  "base_directory": str(Path(docs_site).resolve())},  # GX wants it absolute
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }},
        )
        context = gx.get_context(project_config=config, mode="ephemeral")
    _quiet_context(context)
    return context


def validation_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows GX validates: a clean RangeIndex and the exact integer excess column (computed here from
    ``difference`` and ``tolerance`` unless the rows bring it)."""
    frame = rows.reset_index(drop=True).copy()
    if "excess_units" not in frame.columns:
        frame["excess_units"] = pd.array(
            [excess_units(d, t) for d, t in zip(frame["difference"], frame["tolerance"])], dtype="Int64"
        )
    return frame


def _suite(gx, name: str):
    suite = gx.ExpectationSuite(name=name)
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="excess_units"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeBetween(column="excess_units", max_value=0))
    return suite


def validate_kinds(frames: Mapping[str, pd.DataFrame], context=None) -> dict[str, pd.Series]:
    """Validate every check kind's rows with the tie-out suite; per kind a boolean Series (True = pass) on the
    frame's index. All kinds go through one validation run (the suite is the same for each; a run per kind
    cost GX's fixed overhead a dozen times)."""
    import great_expectations as gx

    kinds = [kind for kind, rows in frames.items() if len(rows)]
    verdicts: dict[str, pd.Series] = {kind: pd.Series(dtype=bool) for kind, rows in frames.items() if not len(rows)}
    if not kinds:
        return verdicts
    frame = validation_frame(pd.concat([frames[kind] for kind in kinds], ignore_index=True))
    context = context or ephemeral_context()
    batch = context.data_sources.add_pandas(name="check_rows").add_dataframe_asset(name="check_rows") \
        .add_batch_definition_whole_dataframe("all")
    suite = context.suites.add(_suite(gx, "tie_out_suite"))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="tie_outs", data=batch, suite=suite))
    result = definition.run(batch_parameters={"dataframe": frame}, result_format={"result_format": "COMPLETE"})
    failed: set[int] = set()
    for expectation_result in result.results:
        failed.update(int(i) for i in expectation_result.result.get("unexpected_index_list") or [])
    start = 0
    for kind in kinds:
        rows = frames[kind]
        verdicts[kind] = pd.Series([i not in failed for i in range(start, start + len(rows))], index=rows.index,
                                   dtype=bool)
        start += len(rows)
    return verdicts


def validate_in_process(frames: Mapping[str, pd.DataFrame]) -> Callable[[], dict[str, pd.Series]]:
    """``validate_kinds`` here and now (a ``Validate``)."""
    verdicts = validate_kinds(frames)
    return lambda: verdicts
