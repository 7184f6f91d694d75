"""`budget` as an analyst types it: findings in the report's Chinese, whole values when piped, and one plain line
with exit status 2 for every request it cannot take (never a traceback)."""
from __future__ import annotations

import pytest

from pipelines.cli import main


@pytest.fixture()
def where(seed_warehouse) -> list[str]:
    return ["--warehouse", str(seed_warehouse.parent)]


def test_findings_speak_the_report_s_chinese(where, capsys):
    assert main(["findings", *where]) == 0
    out = capsys.readouterr().out
    assert "矛盾 " in out and "文中说项目支出1,209.74万元；按附表4-3 青山区科学技术和经济信息化局支出总表 合计 [项目支出] " \
                            "12,094,740.00元，按文中的精度应为1,209.47万元，相差0.27万元。" in out
    assert "复核：未复核" in out and "expected" not in out and "printed" not in out
    # piped, a line is never cut to a screen's width: the whole finding stays on its line
    assert max(len(line) for line in out.splitlines()) > 80


def test_sql_piped_prints_every_value_whole(where, capsys):
    assert main(["sql", "select sentence from fact_narrative_figure order by length(sentence) desc limit 1", *where]) == 0
    out = capsys.readouterr().out
    assert "…" not in out and max(len(line) for line in out.splitlines()) > 100


@pytest.mark.parametrize("argv, says", [
    (["sql", "selec 1"], "SQL 出错"),
    (["findings", "--kind", "nonsense"], "没有“nonsense”这种检查"),
    (["findings", "--document", "不存在的部门"], "没有与“不存在的部门”相符的文档"),
    (["review", "ffff0000", "--verdict", "confirmed"], "没有这个发现"),
    (["export", "不存在的部门", "--xlsx", "x.xlsx"], "没有与“不存在的部门”相符的文档"),
])
def test_a_request_that_cannot_be_taken_is_one_line_and_status_2(where, capsys, argv, says):
    assert main([*argv, *where]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_no_warehouse_yet_is_said_so(tmp_path, capsys):
    for argv in (["sql", "select 1"], ["findings"], ["report"]):
        assert main([*argv, "--warehouse", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.count("请先运行 budget run") == 3 and "Traceback" not in err
