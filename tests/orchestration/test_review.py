"""Analysts' verdicts: recorded in a CSV, carried into the warehouse and the report, kept across reruns, lost
(and said so) when the finding's figures change."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.report.html import document_page_name
from pipelines.review import ReviewError, read_reviews, record_review
from pipelines.warehouse.build import WAREHOUSE_FILE
from tests.conftest import SEED

PROJECT = "文字说明 expenditure.project 1209.74万元%"  # the seed's 第三部分 项目支出 against 附表4-3


def _finding(warehouse: Path, like: str = PROJECT) -> dict:
    with duckdb.connect(str(warehouse / WAREHOUSE_FILE), read_only=True) as con:
        cursor = con.execute("select * from v_check_result where description like ? and finding_role = 'contradiction'",
                             [like])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    assert len(rows) == 1, rows
    return rows[0]


def test_a_bad_reviews_file_names_its_line(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("finding_id,verdict,note\nabc,confirmed,ok\ndef,maybe,?\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"reviews.csv: line 3: verdict 'maybe' is not one of confirmed, not_an_error"):
        read_reviews(path)
    with pytest.raises(ReviewError, match="verdict"):
        record_review(tmp_path / "other.csv", {"finding_id": "x"}, "wrong", "")


def test_a_verdict_is_replaced_not_repeated(tmp_path):
    path = tmp_path / "reviews.csv"
    finding = {"finding_id": "f1", "expected": "1209.4700", "actual": "1209.7400", "description": "d"}
    record_review(path, finding, "confirmed", "first", "ana")
    record_review(path, finding, "not_an_error", "second look", "ana")
    (row,) = read_reviews(path)
    assert (row["verdict"], row["note"], row["expected"], row["actual"]) == ("not_an_error", "second look", "1209.47",
                                                                            "1209.74")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("review")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    paths = {"raw": raw, "warehouse": root / "wh", "reviews": root / "data" / "reviews.csv"}
    assert _budget(paths, "run", "--workers", "1") == 0
    return paths


def _budget(paths: dict[str, Path], command: str, *args: str) -> int:
    where = ["--warehouse", str(paths["warehouse"])]
    if command in ("run", "review"):
        where += ["--reviews", str(paths["reviews"]), "--raw", str(paths["raw"])]
    return main([command, *args, *where])


def test_review_flow(project, capsys):
    finding = _finding(project["warehouse"])
    assert finding["review_status"] is None
    assert _budget(project, "findings") == 0
    assert finding["finding_id"] in capsys.readouterr().out

    # recorded in the file, in the warehouse and in the report at once
    assert _budget(project, "review", finding["finding_id"][:8], "--verdict", "not_an_error",
                   "--note", "第三部分的项目支出含上年结转", "--reviewer", "ana") == 0
    (row,) = read_reviews(project["reviews"])
    assert (row["finding_id"], row["verdict"], row["reviewer"], row["expected"], row["actual"]) == \
        (finding["finding_id"], "not_an_error", "ana", "1209.47", "1209.74")
    reviewed = _finding(project["warehouse"])
    assert (reviewed["review_verdict"], reviewed["review_note"], reviewed["review_status"]) == \
        ("not_an_error", "第三部分的项目支出含上年结转", "current")
    page = (project["warehouse"] / "reports" / document_page_name(finding["document_id"])).read_text(encoding="utf-8")
    assert "已复核：不是错误（1）" in page and "第三部分的项目支出含上年结转" in page
    capsys.readouterr()
    assert _budget(project, "findings") == 0
    assert finding["finding_id"] not in capsys.readouterr().out  # no longer open

    # it survives a rebuild: the finding's id is stable
    assert _budget(project, "run", "--workers", "1", "--force") == 0
    assert _finding(project["warehouse"])["review_verdict"] == "not_an_error"

    # other figures: the verdict no longer applies, and the finding says so
    text = SEED.read_text(encoding="utf-8")
    assert text.count("项目支出 1209.74 万元") == 1
    (project["raw"] / SEED.name).write_text(text.replace("项目支出 1209.74 万元", "项目支出 1209.84 万元"), encoding="utf-8")
    assert _budget(project, "run", "--workers", "1") == 0
    changed = _finding(project["warehouse"], "文字说明 expenditure.project 1209.84万元%")
    assert changed["finding_id"] == finding["finding_id"]
    assert (changed["review_verdict"], changed["review_status"]) == (None, "stale")
    assert changed["review_note"].startswith("复核时的数字（应为 1209.4700，实际 1209.7400）已变")


def test_an_unknown_finding_is_refused(project, capsys):
    assert _budget(project, "review", "ffffffffffff", "--verdict", "confirmed") == 2
    assert "没有这个发现" in capsys.readouterr().err
