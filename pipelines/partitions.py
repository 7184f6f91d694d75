"""One dynamic partition per raw file, keyed by a hash of its name (UI-safe)."""
import dagster as dg

RAW_FILES = dg.DynamicPartitionsDefinition(name="raw_files")
