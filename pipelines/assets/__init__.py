"""Dagster wiring, one module per stage: discover → read → normalize → warehouse."""
