"""Analysts' verdicts on findings, kept in a plain CSV file that lives with the project (and in git).

    record_review(path, finding, "not_an_error", "the 合计 includes 上年结转", reviewer)   # one row per finding
    load_reviews(con, path)      # the file into the warehouse being built (table ``review``)
    apply_reviews(warehouse_dir, path)   # the same into the published warehouse, swapped in whole

A verdict is tied to a finding by its stable id and to the figures it was given on (expected, actual): it
survives every rerun that finds the same thing, and a finding whose figures changed since loses it
(``v_check_result.review_status = 'stale'`` says so) until someone reviews it again.
"""
from __future__ import annotations

import csv
import getpass
import hashlib
import shutil
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb

VERDICTS = ("confirmed", "not_an_error")
COLUMNS = ("finding_id", "verdict", "note", "reviewer", "reviewed_at", "expected", "actual", "description")


class ReviewError(ValueError):
    """A reviews file or a review that cannot be taken; the message names the file, the line and why."""


def read_reviews(path: Path) -> list[dict[str, str]]:
    """Every review of the file (none when it does not exist), checked line by line."""
    path = Path(path)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("finding_id", "verdict") if c not in (reader.fieldnames or [])]
        if missing:
            raise ReviewError(f"{path}: line 1: the header lacks {', '.join(missing)} (expected {', '.join(COLUMNS)})")
        rows = []
        for line, row in enumerate(reader, start=2):
            if not (row.get("finding_id") or "").strip():
                raise ReviewError(f"{path}: line {line}: no finding_id")
            if row.get("verdict") not in VERDICTS:
                raise ReviewError(f"{path}: line {line}: verdict {row.get('verdict')!r} is not one of {', '.join(VERDICTS)}")
            rows.append({c: (row.get(c) or "").strip() for c in COLUMNS})
    return rows


def record_review(path: Path, finding: dict, verdict: str, note: str, reviewer: str | None = None,
                  now: datetime | None = None) -> dict[str, str]:
    """Write the verdict on ``finding`` (a row of v_check_result) into the file, replacing an earlier one."""
    if verdict not in VERDICTS:
        raise ReviewError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    row = {
        "finding_id": str(finding["finding_id"]),
        "verdict": verdict,
        "note": note or "",
        "reviewer": reviewer or _who(),
        "reviewed_at": (now or datetime.now(timezone.utc)).replace(microsecond=0).isoformat(),
        "expected": _plain(finding.get("expected")),
        "actual": _plain(finding.get("actual")),
        "description": str(finding.get("description") or ""),
    }
    rows = [r for r in read_reviews(path) if r["finding_id"] != row["finding_id"]] + [row]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with temporary.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: (r["reviewed_at"], r["finding_id"])))
    temporary.replace(path)
    return row


def reviews_hash(path: Path | None) -> str:
    """What the warehouse's reviews were loaded from: a hash of the file ('' without one)."""
    if path is None or not Path(path).is_file():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def load_reviews(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
    """``review``: the file's verdicts, typed (an empty table without a file), and where they came from."""
    rows = read_reviews(path) if path is not None else []
    con.execute("""CREATE OR REPLACE TABLE review (finding_id VARCHAR, verdict VARCHAR, note VARCHAR, reviewer VARCHAR,
                   reviewed_at TIMESTAMPTZ, expected DECIMAL(18, 4), actual DECIMAL(18, 4), description VARCHAR,
                   source_hash VARCHAR)""")
    source = reviews_hash(path)
    if rows:
        con.executemany("INSERT INTO review VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            [r["finding_id"], r["verdict"], r["note"], r["reviewer"], r["reviewed_at"] or None,
             r["expected"] or None, r["actual"] or None, r["description"], source] for r in rows])
    con.execute("COMMENT ON TABLE review IS '复核意见 / Analysts'' verdicts on findings, from the reviews file "
                "(finding_id, verdict confirmed or not_an_error, note, reviewer, when, and the figures reviewed).'")


def loaded_reviews_hash(warehouse: Path) -> str | None:
    """The hash of the reviews file the published warehouse holds (None: it holds no review table)."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute("SELECT any_value(source_hash), count(*) FROM review").fetchone()
    except duckdb.Error:
        return None
    return (row[0] or "") if row else ""


def apply_reviews(warehouse_dir: Path, path: Path | None) -> None:
    """Load the reviews into the published warehouse: into a copy, swapped in whole, so readers are never
    blocked and never see half of it."""
    from .warehouse.build import WAREHOUSE_FILE

    published = Path(warehouse_dir) / WAREHOUSE_FILE
    building = published.with_name(f".{published.name}.{uuid.uuid4().hex}.building")
    shutil.copyfile(published, building)
    try:
        with duckdb.connect(str(building)) as con:
            load_reviews(con, path)
        building.replace(published)
    except BaseException:
        building.unlink(missing_ok=True)
        raise


def _plain(value) -> str:
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
