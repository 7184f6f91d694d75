"""The report of the bundled seed: the contradictions it shows, in headless Chromium too."""
import shutil

import pytest

from pipelines.report.html import document_page_name
from pipelines.report.publish import data_docs_index, write_reports
from tests.report.test_report import CHROMIUM, screenshot


@pytest.fixture(scope="module")
def seed_report(seed_warehouse, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("seed_report")
    shutil.copy(seed_warehouse, warehouse / seed_warehouse.name)
    return write_reports(warehouse)


def test_seed_findings_in_plain_words(seed_report, seed_db):
    (document_id,) = seed_db.execute("select document_id from dim_document").fetchone()
    page = (seed_report.parent / document_page_name(document_id)).read_text(encoding="utf-8")
    # 第三部分 says 项目支出 1209.74万元; the tables say 12,094,740.00元 = 1209.47万元.
    assert "1,209.74万元" in page and "12,094,740.00元 (1,209.47万元)" in page and "0.27万元" in page
    # 科学技术研究与开发资金: 1009.40万元 in the text; 9,800,000.00元 = 980.00万元 in 附表4-9.
    assert "1,009.40万元" in page and "9,800,000.00元 (980.00万元)" in page
    index = seed_report.read_text(encoding="utf-8")
    assert "武汉市青山区科学技术和经济信息化局" in index


def test_data_docs_built_once_per_run(seed_report):
    docs = data_docs_index(seed_report.parent.parent)
    assert docs is not None and docs.name == "index.html"
    assert "row_arithmetic" in " ".join(p.name for p in docs.parent.rglob("*.html"))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_seed_report_renders_without_console_errors(seed_report, seed_db, tmp_path):
    (document_id,) = seed_db.execute("select document_id from dim_document").fetchone()
    for page in ("index.html", document_page_name(document_id)):
        _, console = screenshot((seed_report.parent / page).as_uri(), tmp_path, page)
        assert not console, console
