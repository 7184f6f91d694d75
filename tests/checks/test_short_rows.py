"""A text-extract row that prints fewer figures than columns and does not add up still reaches
the checks (it is never dropped), and the ingest issue says why."""
from decimal import Decimal

import duckdb

from tests.conftest import SEED, run_pipeline


def test_a_wrong_cell_in_a_short_row_is_reported_by_the_checks(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = SEED.read_text(encoding="utf-8")
    line = "206 科学技术支出 14,395,329.71 4,301,329.71 10,094,000.00"
    assert line in text
    # Two digits swapped in 附表4-3's 基本支出 of 206: .71 → .17.
    (raw / "seed.txt").write_text(text.replace(line, line.replace("4,301,329.71", "4,301,329.17")), encoding="utf-8")
    con = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    failing = con.execute("""select check_kind, expected, actual, difference from v_check_result
                             where status = 'fail' and severity = 'error' and table_kind = 'expenditure_summary'
                             and source_ref = 'seed.txt:L1260' order by check_kind""").fetchall()
    # 合计 14,395,329.71 against 4,301,329.17 + 10,094,000.00 = 14,395,329.17.
    assert ("row_arithmetic", Decimal("14395329.17"), Decimal("14395329.71"), Decimal("0.54")) in failing
    (reason,) = con.execute("select reason from v_ingest_issue where reason like '%怎样排列都加不平%'").fetchone()
    assert "文本第1260行（" in reason and reason.startswith("青山区科学技术和经济信息化局支出总表")
    con.close()
