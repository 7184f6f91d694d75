"""Resources shared by every stage: where the data lives, and who hears about progress."""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from .paths import DEFAULT_RAW_DIR, DEFAULT_REVIEWS_FILE, DEFAULT_WAREHOUSE_DIR
from .progress import ProgressReporter

__all__ = ["BudgetPaths", "DEFAULT_RAW_DIR", "DEFAULT_REVIEWS_FILE", "DEFAULT_WAREHOUSE_DIR", "ProgressReporter"]


class BudgetPaths(dg.ConfigurableResource):
    """The raw folder read, the warehouse folder written and the analysts' reviews file (BUDGET_RAW_DIR,
    BUDGET_WAREHOUSE_DIR, BUDGET_REVIEWS_FILE)."""

    raw_dir: str = DEFAULT_RAW_DIR
    warehouse_dir: str = DEFAULT_WAREHOUSE_DIR
    reviews_file: str = DEFAULT_REVIEWS_FILE

    @classmethod
    def from_env(cls) -> "BudgetPaths":
        return cls(
            raw_dir=os.environ.get("BUDGET_RAW_DIR", DEFAULT_RAW_DIR),
            warehouse_dir=os.environ.get("BUDGET_WAREHOUSE_DIR", DEFAULT_WAREHOUSE_DIR),
            reviews_file=os.environ.get("BUDGET_REVIEWS_FILE", DEFAULT_REVIEWS_FILE),
        )

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_dir)

    @property
    def reviews(self) -> Path:
        return Path(self.reviews_file)

