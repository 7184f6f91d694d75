"""Resources shared by every stage: where the data lives, and who hears about progress."""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE_DIR = "data/warehouse"
DEFAULT_REVIEWS_FILE = "data/reviews.csv"


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


class ProgressReporter:
    """Told when a stage starts and when it finishes one item. Silent by default (the UI shows
    runs itself); the command line hands in one that draws progress bars."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, item: str) -> None:
        pass
