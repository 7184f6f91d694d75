"""Where the data lives by default (the command line and the Dagster resources read these; no
Dagster import here, so `budget` starts without it)."""

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE_DIR = "data/warehouse"
DEFAULT_REVIEWS_FILE = "data/reviews.csv"
