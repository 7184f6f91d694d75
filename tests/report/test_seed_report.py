"""The report of the bundled seed: the contradictions it shows, in headless Chromium too."""
import html
import re
import shutil
import subprocess

import duckdb
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
    assert "文中说项目支出1,209.74万元；按附表4-3 青山区科学技术和经济信息化局支出总表 合计 [项目支出] 12,094,740.00元，" \
           "按文中的精度应为1,209.47万元，相差0.27万元。" in re.sub(r"<[^>]+>", "", page)
    # 科学技术研究与开发资金: 1009.40万元 in the text; 9,800,000.00元 = 980.00万元 in 附表4-9.
    assert "文中说科学技术研究与开发资金1,009.40万元；按附表4-9 青山区科学技术和经济信息化局项目支出表 " in page \
        and "9,800,000.00元，按文中的精度应为980.00万元" in page
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


def test_data_docs_in_a_child_process_give_the_same_reports(seed_warehouse, seed_report, tmp_path):
    """With workers > 1 the Data Docs are built in the GX process beside the HTML report: the same
    pages (the HTML byte for byte; the Data Docs the same files, their run stamps aside)."""
    shutil.copy(seed_warehouse, tmp_path / seed_warehouse.name)
    index = write_reports(tmp_path, workers=2)
    serial, forked = seed_report.parent, index.parent
    assert sorted(p.relative_to(forked).as_posix() for p in forked.glob("*.html")) == \
        sorted(p.relative_to(serial).as_posix() for p in serial.glob("*.html"))
    for page in serial.glob("*.html"):
        assert (forked / page.name).read_bytes() == page.read_bytes(), page.name
    def site(docs):
        assert docs is not None
        return sorted(re.sub(r"\d{8}T\d{6}\.\d+Z", "<run>", p.relative_to(docs.parent).as_posix())
                      for p in docs.parent.rglob("*.html"))

    assert site(data_docs_index(tmp_path)) == site(data_docs_index(serial.parent))


def test_a_failing_child_fails_the_report_and_keeps_the_previous(seed_warehouse, tmp_path, monkeypatch):
    import pipelines.checks.results as results

    shutil.copy(seed_warehouse, tmp_path / seed_warehouse.name)
    first = write_reports(tmp_path, data_docs=False)

    def broken(frame, out_dir, **_):
        raise ValueError("GX broke")

    monkeypatch.setattr(results, "build_data_docs", broken)
    with pytest.raises(RuntimeError, match="GX broke"):
        write_reports(tmp_path, workers=2)
    assert first.exists() and not list(tmp_path.glob(".reports.*"))


def test_budget_run_with_workers_starts_the_data_docs_early_and_writes_the_same_report(seed_raw_dir, tmp_path):
    """`budget run --workers 2` validates in the GX process and starts the Data Docs there as soon as the
    findings are judged, before the warehouse is published: the findings and the report are those of a
    1-worker run."""
    from pipelines.cli import main

    built, findings = {}, {}
    for workers in (1, 2):
        wh = tmp_path / f"wh{workers}"
        assert main(["run", "--raw", str(seed_raw_dir), "--warehouse", str(wh), "--workers", str(workers),
                     "--reviews", str(tmp_path / "none.csv")]) == 0
        assert data_docs_index(wh) is not None and not list(wh.glob(".reports.*"))
        built[workers] = {p.name: p.read_bytes() for p in (wh / "reports").glob("*.html")}
        with duckdb.connect(str(wh / "budget.duckdb"), read_only=True) as con:
            findings[workers] = con.execute("SELECT * EXCLUDE (run_at) FROM check_result ORDER BY finding_id").fetchall()
    assert built[2] == built[1]
    assert findings[2] == findings[1] and any(row for row in findings[1] if "fail" in row)


def test_a_failed_publish_leaves_no_report_building(seed_raw_dir, tmp_path, monkeypatch):
    import pipelines.run as run
    from pipelines.cli import main

    def fails(con):
        raise RuntimeError("publish broke")

    monkeypatch.setattr(run, "_record_build", lambda con, inputs: fails(con))
    with pytest.raises(RuntimeError, match="publish broke"):
        main(["run", "--raw", str(seed_raw_dir), "--warehouse", str(tmp_path / "wh"), "--workers", "2",
              "--reviews", str(tmp_path / "none.csv")])
    assert not list((tmp_path / "wh").glob(".reports.*")) and not (tmp_path / "wh" / "reports").exists()


ALLOWED_ASCII = {"GX", "SQL", "PDF", "OCR"}
_CODE_OR_NAME = re.compile(r"[0-9a-f]{16}|[A-Z]\d{2,}|[\w.-]+\.(?:pdf|txt|png|html|xlsx|csv|duckdb)(?::[pL]\d+)?",
                           re.IGNORECASE)


def ascii_words(text: str) -> list[str]:
    """The ASCII words a person would read on a page: everything but file names, ids, codes and the allowed
    abbreviations."""
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]+", _CODE_OR_NAME.sub(" ", text)) if w not in ALLOWED_ASCII]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_what_a_person_reads_in_the_browser_is_chinese(seed_report, seed_db, tmp_path):
    """The index and a document page as headless Chromium renders them: no English word a reader would see."""
    (document_id,) = seed_db.execute("select document_id from dim_document").fetchone()
    for page in (seed_report, seed_report.parent / document_page_name(document_id)):
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
             page.as_uri()], capture_output=True, text=True, timeout=120).stdout
        body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", dom, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", body))
        assert "预算公开" in text or "矛盾" in text, page.name  # the page was rendered
        assert ascii_words(text) == [], (page.name, sorted(set(ascii_words(text)))[:30])
