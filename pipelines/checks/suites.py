"""Great Expectations suites over the check models' residual rows.

Each check model (``dbt_like_sql/checks/<kind>.sql``) returns one row per checked relation with
``difference`` and ``tolerance``. Here every kind's rows become one whole-dataframe batch of a GX 1.x
ephemeral context and are validated by that kind's suite:

* ``excess_units`` = (|difference| − tolerance) in units of 0.0001, an exact integer computed from
  the decimals (never floats): ExpectColumnValuesToBeBetween(max_value=0) fails a row that does not tie out;
* ExpectColumnValuesToNotBeNull on the same column fails a row with no counterpart (expected NULL:
  an unverifiable claim).

A row passes when no expectation lists its index in ``unexpected_index_list`` (result_format COMPLETE).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SCALE = Decimal("0.0001")


def excess_units(difference: str | None, tolerance: str | None) -> int | None:
    """(|difference| − tolerance) / 0.0001 as an exact integer; None when there is nothing to compare."""
    if difference is None or tolerance is None or pd.isna(difference) or pd.isna(tolerance):
        return None
    return int(((abs(Decimal(str(difference))) - Decimal(str(tolerance))) / SCALE).to_integral_value())


def _quiet_context(context) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def ephemeral_context():
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    _quiet_context(context)
    return context


def validation_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows GX validates: a clean RangeIndex and the exact integer excess column."""
    frame = rows.reset_index(drop=True).copy()
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
    """Validate each check kind's rows with its suite; per kind a boolean Series (True = pass) on the frame's index."""
    import great_expectations as gx

    context = context or ephemeral_context()
    source = context.data_sources.add_pandas(name="check_rows")
    verdicts: dict[str, pd.Series] = {}
    for kind, rows in frames.items():
        frame = validation_frame(rows)
        if frame.empty:
            verdicts[kind] = pd.Series(dtype=bool)
            continue
        asset = source.add_dataframe_asset(name=kind)
        batch = asset.add_batch_definition_whole_dataframe(f"{kind}_all")
        suite = context.suites.add(_suite(gx, f"{kind}_suite"))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{kind}_validation", data=batch, suite=suite)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "COMPLETE"},
        )
        failed: set[int] = set()
        for expectation_result in result.results:
            failed.update(int(i) for i in expectation_result.result.get("unexpected_index_list") or [])
        verdicts[kind] = pd.Series([i not in failed for i in range(len(frame))], index=rows.index, dtype=bool)
    return verdicts
