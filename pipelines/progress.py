"""Who hears about a run's progress (no Dagster import here: `budget run` uses it without Dagster)."""
from __future__ import annotations


class ProgressReporter:
    """Told when a stage starts and when it finishes one item. Silent by default (the UI shows
    runs itself); the command line hands in one that draws progress bars."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, item: str) -> None:
        pass
