"""What a scraper's folder becomes: disclosures merged whole, everything else refused saying what it is.

One run over made-up files beside the seed: its performance-target forms published as files of their own,
a notice, a web page saved as .pdf, and two revisions of one narrative saved in the same second (only
their PDF dates tell which is newer).
"""
from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipelines.file_outcomes import file_outcomes
from tests.conftest import SEED, run_pipeline

SEED_DEPARTMENT = "武汉市青山区科学技术和经济信息化局"


def _narrative_pdf(path, lines: list[str], written: str):
    """A text PDF whose own date (CreationDate and ModDate) is ``written`` (YYYYmmddHHMMSS)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), invariant=1)  # invariant: dated 2000-01-01, replaced below at equal length
    c.setFont("STSong-Light", 12)
    for i, text in enumerate(lines):
        c.drawString(72, 760 - 18 * i, text)
    c.save()
    path.write_bytes(path.read_bytes().replace(b"D:20000101000000", f"D:{written}".encode()))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    raw = tmp_path_factory.mktemp("scraped")
    shutil.copy(SEED, raw / "seed.txt")
    (raw / "整体绩效.txt").write_text(
        f"{SEED_DEPARTMENT}2022年部门整体支出绩效目标申报表\n部门名称：{SEED_DEPARTMENT}\n年度总体目标：完成项目验收\n",
        encoding="utf-8")
    (raw / "项目绩效.txt").write_text(
        f"项目支出绩效目标表\n部门名称：{SEED_DEPARTMENT}\n项目名称 总额 绩效目标\n完成2022年度项目验收\n",
        encoding="utf-8")
    (raw / "通知.txt").write_text(
        "东财预〔2022〕3号\n东川市财政局关于做好2022年部门预算公开工作的通知\n各区财政局：\n", encoding="utf-8")
    (raw / "页面.pdf").write_text(
        "<!DOCTYPE html>\n<html><head><title>东川市审计局2026年部门预算</title></head><body>附件下载</body></html>",
        encoding="utf-8")
    pages = ["东川市审计局 2026 年度部门预算信息公开", "目 录", "第一部分 2026 年度部门预算情况说明",
             "一、部门情况说明"]
    _narrative_pdf(raw / "说明_旧.pdf", pages + ["东川市审计局主要职责（初稿）"], "20260227085907")
    _narrative_pdf(raw / "a说明_新.pdf", pages + ["东川市审计局主要职责"], "20260302092853")
    same_second = os.stat(raw / "说明_旧.pdf").st_mtime_ns
    os.utime(raw / "a说明_新.pdf", ns=(same_second, same_second))
    path = run_pipeline(raw, tmp_path_factory.mktemp("scraped_wh"))
    with duckdb.connect(str(path), read_only=True) as con:
        return {o.file: o for o in file_outcomes(con)}


def test_target_forms_published_alone_join_their_departments_document(outcomes):
    seed = outcomes["seed.txt"]
    assert seed.identity == (SEED_DEPARTMENT, 2022, "预算", "部门")
    for name in ("整体绩效.txt", "项目绩效.txt"):
        assert outcomes[name].status == "used"
        assert set(outcomes[name].document_files) == {"seed.txt", "整体绩效.txt", "项目绩效.txt"}


def test_a_notice_speaking_of_budgets_is_refused_as_a_notice(outcomes):
    notice = outcomes["通知.txt"]
    assert notice.status == "refused"
    assert "通知.txt：不是预算公开文件" in notice.reason
    assert "这是东川市财政局的通知（东财预〔2022〕3号）" in notice.reason


def test_a_web_page_saved_as_pdf_is_refused_with_its_title(outcomes):
    page = outcomes["页面.pdf"]
    assert page.status == "refused"
    assert "是另存为.pdf的网页（标题为“东川市审计局2026年部门预算”），不是预算公开文件本身" in page.reason


def test_of_two_revisions_saved_in_one_second_the_one_the_pdf_dates_later_is_used(outcomes):
    # by file time and then name, 说明_旧.pdf would win; its PDF date is the older
    assert outcomes["a说明_新.pdf"].status == "used"
    assert outcomes["a说明_新.pdf"].identity == ("东川市审计局", 2026, "预算", "部门")
    assert (outcomes["说明_旧.pdf"].status, outcomes["说明_旧.pdf"].replaced_by) == ("superseded", "a说明_新.pdf")


def test_nothing_refused_becomes_a_document(outcomes):
    refused = {o.file for o in outcomes.values() if o.status in ("refused", "skipped")}
    assert refused == {"通知.txt", "页面.pdf"}
    assert not any(o.department is None for o in outcomes.values() if o.status == "used")
